#!/usr/bin/env bash
# Installs the Debian 12 packages kmetrics needs to build, test and run its demo.
# Only installs what is missing, so it is cheap to call before every build.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git openssl curl ca-certificates
  libpoco-dev libboost-dev libboost-filesystem-dev libboost-context-dev libssl-dev
  nlohmann-json3-dev libspdlog-dev libyaml-cpp-dev prometheus-cpp-dev libsimdjson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "kmetrics: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "kmetrics: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
