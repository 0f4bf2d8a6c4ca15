#!/usr/bin/env bash
# Runs every test: the full suite (unit, integration, end-to-end with real kubectl) on a normal build,
# then the unit tests again under ASan+UBSan.
#   scripts/test.sh                              installs missing packages, configures, builds, tests
#   KMETRICS_SKIP_SANITIZE=1 scripts/test.sh     skips the sanitizer pass
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

"$root/scripts/build.sh" "$root/build"
(cd "$root/build" && ctest --output-on-failure -j "$jobs" --timeout 900)

if [ "${KMETRICS_SKIP_SANITIZE:-0}" != 1 ]; then
  # Build only the unit-test executables in the sanitizer tree (test names are their target names).
  units=$(cd "$root/build" && ctest -N -L unit | sed -n 's/^ *Test *#[0-9]*: \(.*\)$/\1/p')
  cmake -S "$root" -B "$root/build-asan" -G Ninja -DKMETRICS_SANITIZE=ON -DKMETRICS_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=Debug >/dev/null
  # shellcheck disable=SC2086
  cmake --build "$root/build-asan" -j "$jobs" --target $units
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$jobs" -L unit --timeout 900)
fi
