#!/usr/bin/env bash
# Builds and runs every test, stage by stage; CI runs them all, in this order:
#   dev    the "dev" preset (optimised, with debug info): every unit and
#          integration test
#   lint   clang-tidy and cppcheck over src/ and emulator/, as
#          ./scripts/lint.sh does; any finding fails it
#   asan   every test again under AddressSanitizer (with LeakSanitizer) and
#          UBSan
#   tsan   the concurrency-heavy tests under ThreadSanitizer: the net, pipeline
#          and emulator unit tests, and the integration tests that load several
#          vaults at once (load_test.cc, exactly_once_test.cc)
#   fuzz   each fuzz target for FUZZ_SECONDS (default 20; 0 skips the stage),
#          as ./scripts/fuzz.sh --all does
#
#   ./scripts/test.sh              every stage
#   ./scripts/test.sh --asan       that stage only (--dev --lint --asan --tsan
#                                  --fuzz; several flags run several stages)
#   ./scripts/test.sh --dev -R Csv other arguments go to every ctest run
# A sanitizer report fails its test, also when a child process (the loader,
# the emulator) prints it. The time each stage took is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

all_stages=(dev lint asan tsan fuzz)
stages=()
ctest_args=()
for arg in "$@"; do
  case "$arg" in
    --dev | --lint | --asan | --tsan | --fuzz) stages+=("${arg#--}") ;;
    *) ctest_args+=("$arg") ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=("${all_stages[@]}")

# Builds one preset and runs its tests.
test_preset() {
  local preset=$1
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" ${ctest_args[@]+"${ctest_args[@]}"}
}

timings=()
report_timings() {
  [ ${#timings[@]} -gt 0 ] && printf 'stage %s\n' "${timings[@]}"
  return 0
}
trap report_timings EXIT

./scripts/install-deps.sh

for stage in "${stages[@]}"; do
  echo "=== stage $stage"
  start=$SECONDS
  case "$stage" in
    dev | asan | tsan) test_preset "$stage" ;;
    lint) ./scripts/lint.sh ;;
    fuzz) ./scripts/fuzz.sh --all "${FUZZ_SECONDS:-20}" ;;
  esac
  elapsed=$((SECONDS - start))
  timings+=("$(printf '%-4s %3dm%02ds' "$stage" $((elapsed / 60)) $((elapsed % 60)))")
done
