#!/usr/bin/env bash
# Long fuzzing of the kubelet payload decoders with libFuzzer (clang), separate from the test suite.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 900, like metrics-server's make test-fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-900}
build=$root/build-fuzz

"$root/scripts/deps.sh"
if ! command -v clang++ >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "clang is needed: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
  apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DKMETRICS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target kubelet_resource_fuzzer kubelet_summary_fuzzer
for target in kubelet_resource kubelet_summary; do
  corpus=$(mktemp -d "/tmp/kmetrics-$target-corpus.XXXXXX")
  cp -r "$root"/plugins/source_kubelet/testdata/corpus/. "$corpus"/
  cp "$root"/plugins/source_kubelet/testdata/*.txt "$root"/plugins/source_kubelet/testdata/*.json "$corpus"/
  echo "fuzzing $target for ${seconds}s (corpus $corpus)"
  "$build/bin/${target}_fuzzer" -max_total_time="$seconds" -rss_limit_mb=4096 "$corpus"
done
