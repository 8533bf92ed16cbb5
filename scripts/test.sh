#!/usr/bin/env bash
# Builds everything and runs every test (unit and integration) through CTest,
# then every fuzz target for a short fixed time.
#   ./scripts/test.sh            the "dev" preset: optimised, with debug info
#   ./scripts/test.sh --asan     the same tests under AddressSanitizer + UBSan
# Extra arguments after the preset flag go to ctest (e.g. -R csv).
# FUZZ_SECONDS is the time per fuzz target (default 20; 0 skips the stage);
# ./scripts/fuzz.sh --all runs that stage alone.
set -euo pipefail
cd "$(dirname "$0")/.."

preset=dev
if [ "${1:-}" = "--asan" ]; then
  preset=asan
  shift
fi

./scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" "$@"
./scripts/fuzz.sh --all "${FUZZ_SECONDS:-20}"
