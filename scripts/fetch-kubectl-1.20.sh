#!/usr/bin/env bash
# Extracts kubectl 1.20 from Debian 12's kubernetes-client package into a cache directory, without
# installing the package (the gcloud SDK ships only 1.27+; the e2e suite also runs 1.20).
#   scripts/fetch-kubectl-1.20.sh [DEST]      (default: <repo>/build/tools/kubectl-1.20)
# Prints the path of the kubectl binary. Idempotent: an existing binary is reused.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/build/tools/kubectl-1.20}
bin=$dest/usr/bin/kubectl

if [ -x "$bin" ] && "$bin" version --client 2>/dev/null | grep -q 'v1\.20\.'; then
  echo "$bin"
  exit 0
fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
  { echo "fetch-kubectl-1.20: needs apt-get and dpkg-deb (Debian)" >&2; exit 1; }

mkdir -p "$dest"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kubectl-1.20.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

download() { (cd "$tmp" && apt-get download kubernetes-client) >"$tmp/apt.log" 2>&1; }
if ! download; then
  # A fresh machine may have no package lists yet; only root can refresh them.
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update >>"$tmp/apt.log" 2>&1 || true
    download || { cat "$tmp/apt.log" >&2; echo "fetch-kubectl-1.20: apt-get download kubernetes-client failed" >&2; exit 1; }
  else
    cat "$tmp/apt.log" >&2
    echo "fetch-kubectl-1.20: apt-get download kubernetes-client failed (run once as root for apt-get update)" >&2
    exit 1
  fi
fi

deb=$(ls "$tmp"/kubernetes-client_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "fetch-kubectl-1.20: no .deb downloaded" >&2; exit 1; }
dpkg-deb -x "$deb" "$dest"
[ -x "$bin" ] || { echo "fetch-kubectl-1.20: $bin missing after extracting $(basename "$deb")" >&2; exit 1; }
"$bin" version --client 2>/dev/null | grep -q 'v1\.20\.' ||
  { echo "fetch-kubectl-1.20: $bin is not kubectl 1.20: $("$bin" version --client 2>&1 | head -1)" >&2; exit 1; }
echo "$bin"
