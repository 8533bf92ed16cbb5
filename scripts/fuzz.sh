#!/usr/bin/env bash
# Fuzzes the loader's parsers: libFuzzer targets built by the "fuzz" preset
# (clang 14, ASan + UBSan), one per tests/fuzz/<target>_fuzzer.cc.
#   ./scripts/fuzz.sh TARGET MINUTES   runs one target that long
#   ./scripts/fuzz.sh --all [SECONDS]  runs every target in turn, SECONDS each
#                                      (default: $FUZZ_SECONDS, else 20); this
#                                      is the stage scripts/test.sh runs
#   ./scripts/fuzz.sh --list           names the targets
# A target starts from its committed seeds (tests/fuzz/corpus/<target>) and
# a scratch corpus (build/fuzz/corpus/<target>), and adds what it finds to the
# scratch one only: the committed corpus grows when someone merges, with
#   build/fuzz/bin/TARGET_fuzzer -merge=1 tests/fuzz/corpus/TARGET build/fuzz/corpus/TARGET
# A crash, a sanitizer report, a failed property or an input running over 10 s
# fails the run (exit 1); the input is kept under build/fuzz/artifacts/ and
# the command that reproduces it is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  # The comment at the top of this file, without its "# ".
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
}

targets() {
  local source
  for source in tests/fuzz/*_fuzzer.cc; do
    source=${source##*/}
    echo "${source%_fuzzer.cc}"
  done
}

build() {
  ./scripts/install-deps.sh
  echo "Building the fuzz targets (build/fuzz)"
  cmake --preset fuzz >/dev/null
  mkdir -p build/fuzz/logs
  cmake --build --preset fuzz >build/fuzz/logs/build.log 2>&1 || {
    cat build/fuzz/logs/build.log >&2
    return 1
  }
}

# run_target TARGET SECONDS: fuzzes TARGET; prints one line of figures, or
# the failure and how to reproduce it (returns 1).
run_target() {
  local target=$1 seconds=$2
  local binary=build/fuzz/bin/${target}_fuzzer
  local scratch=build/fuzz/corpus/$target artifacts=build/fuzz/artifacts/$target
  local log=build/fuzz/logs/$target.log
  # The targets write their scratch files under TMPDIR, kept apart per target.
  local tmp=$PWD/build/fuzz/tmp/$target
  mkdir -p "$scratch" "$artifacts" "$tmp" build/fuzz/logs
  local status=0
  TMPDIR=$tmp "$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$scratch" "tests/fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then
    local runs speed found progress
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    found=$(sed -n 's/^stat::new_units_added: *//p' "$log")
    progress=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1)
    printf '%-16s %9s runs %7s/s  %s  new %s\n' "$target" "$runs" "$speed" "$progress" "$found"
    return 0
  fi
  local artifact
  artifact=$(sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$log" | tail -1)
  echo "FAILED: $target (exit $status); from $log:" >&2
  local report='property failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error'
  if grep -qE "$report" "$log"; then
    grep -E -A12 "$report" "$log" | grep -v 'in fuzzer::' | head -40 >&2
  else
    tail -30 "$log" >&2
  fi
  if [ -n "$artifact" ]; then
    cat >&2 <<EOF
Reproduce:  $binary $artifact
Minimise:   $binary -minimize_crash=1 -runs=100000 $artifact
Once fixed: add a regression test under tests/unit/<area>/ named after the bug, and
            cp $artifact tests/fuzz/corpus/$target/regression_<what_it_was>
EOF
  fi
  return 1
}

case "${1:-}" in
  --list)
    targets
    ;;
  --all)
    seconds=${2:-${FUZZ_SECONDS:-20}}
    [[ "$seconds" =~ ^[0-9]+$ ]] || usage
    [ "$seconds" -eq 0 ] && exit 0
    build
    failed=()
    for target in $(targets); do
      run_target "$target" "$seconds" || failed+=("$target")
    done
    if [ ${#failed[@]} -gt 0 ]; then
      echo "fuzzing failed: ${failed[*]}" >&2
      exit 1
    fi
    ;;
  "" | -*)
    usage
    ;;
  *)
    target=$1
    minutes=${2:-}
    [[ "$minutes" =~ ^[0-9]+$ ]] && [ "$minutes" -gt 0 ] || usage
    targets | grep -qx "$target" || {
      echo "no fuzz target $target; targets: $(targets | tr '\n' ' ')" >&2
      exit 2
    }
    build
    run_target "$target" $((minutes * 60))
    ;;
esac
