#!/usr/bin/env bash
# Runs every test: the full suite on a normal build, then the unit tests again under ASan+UBSan.
# Usage: scripts/test.sh            (installs missing packages, configures, builds, tests)
#        KMETRICS_SKIP_SANITIZE=1 scripts/test.sh   to skip the sanitizer pass
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

"$root/scripts/build.sh" "$root/build"
(cd "$root/build" && ctest --output-on-failure -j 2 --timeout 600)

if [ "${KMETRICS_SKIP_SANITIZE:-0}" != 1 ]; then
  "$root/scripts/build.sh" "$root/build-asan" -DKMETRICS_SANITIZE=ON -DKMETRICS_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
  (cd "$root/build-asan" && ctest --output-on-failure -j 2 -L unit --timeout 600)
fi
