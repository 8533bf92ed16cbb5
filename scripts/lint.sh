#!/usr/bin/env bash
# Static analysis of the loader and the emulator (src/ and emulator/; the
# tests, benchmarks and fuzz targets are not analysed):
#   clang-tidy 14  the checks in .clang-tidy, LINT_JOBS translation units at
#                  a time (default: the number of cores)
#   cppcheck       warning, performance and portability checks; justified
#                  false positives are suppressed inline (// cppcheck-suppress
#                  id, with the reason) or listed in scripts/cppcheck-suppressions.txt
# Prints every finding and exits non-zero if there is any. Configures what it
# needs (it builds nothing): the dev preset's compile commands, for cppcheck
# and single files, and build/lint, the same flags in unity batches.
#
# clang-tidy spends most of its time matching its checks against the standard
# library, simdjson and curl headers each translation unit includes. It
# analyses the sources in the unity batches the sanitizer builds also use
# (CMAKE_UNITY_BUILD, 8 files each), so those headers once per batch rather
# than once per source: about a fifth of the translation units. The sources
# are included by the batch files, so .clang-tidy's HeaderFilterRegex covers
# .cc files too, and bugprone-suspicious-include, which would report those
# includes, is off for this run.
#
#   ./scripts/lint.sh                          every file
#   ./scripts/lint.sh src/net/http_loop.cc ... those files only, one by one
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=${LINT_JOBS:-$(nproc)}

if [ ! -f build/dev/compile_commands.json ]; then
  cmake --preset dev >/dev/null
fi

# What clang-tidy analyses: the given files with the dev compile commands, or
# every unity batch of src/ and emulator/ (and the few files kept out of them).
if [ $# -gt 0 ]; then
  tidy_db=build/dev
  units=("$@")
else
  tidy_db=build/lint
  cmake --preset dev -B build/lint -DCMAKE_UNITY_BUILD=ON -DSKYFLOW_BUILD_TESTS=OFF \
    -DSKYFLOW_BUILD_BENCH=OFF >/dev/null
  mapfile -t units < <(jq -r '.[].file' build/lint/compile_commands.json | sort -u)
fi

failed=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "=== clang-tidy (${#units[@]} translation units, $jobs at a time)"
start=$SECONDS
# Each unit's output goes to a log of its own, so that parallel runs do not
# interleave; only the logs of units with findings are kept. The compile
# commands are GCC's: clang does not know some of its warning flags.
printf '%s\n' "${units[@]}" |
  xargs -P "$jobs" -I{} sh -c '
    log="$1/$(printf %s "$2" | tr / _)"
    if ! clang-tidy-14 --quiet -p "$3" --checks=-bugprone-suspicious-include \
      --extra-arg=-Wno-unknown-warning-option "$2" >"$log.out" 2>&1; then
      { echo "--- $2"; cat "$log.out"; } >"$log.log"
    fi
    rm -f "$log.out"' sh "$logs" {} "$tidy_db"
tidy_logs=("$logs"/*.log)
if [ -e "${tidy_logs[0]}" ]; then
  failed=1
  cat "${tidy_logs[@]}" | grep -v -E '^[0-9]+ warnings? (generated|treated as errors)\.$'
  # A header's finding shows up once per file that includes it; the summary
  # lists each once.
  echo "--- clang-tidy findings:"
  cat "${tidy_logs[@]}" | grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning):' | sort -u
fi
echo "clang-tidy took $((SECONDS - start))s"

echo "=== cppcheck"
start=$SECONDS
filters=(--file-filter='src/*' --file-filter='emulator/*')
if [ $# -gt 0 ]; then
  filters=()
  for file in "$@"; do
    filters+=("--file-filter=$file")
  done
fi
if ! cppcheck --enable=warning,performance,portability --std=c++20 --inline-suppr \
  --suppressions-list=scripts/cppcheck-suppressions.txt --error-exitcode=1 --quiet \
  -j "$jobs" --project=build/dev/compile_commands.json "${filters[@]}" \
  --template='{file}:{line}:{column}: {severity}: {message} [{id}]'; then
  failed=1
fi
echo "cppcheck took $((SECONDS - start))s"

if [ "$failed" -ne 0 ]; then
  echo "lint: findings above" >&2
  exit 1
fi
echo "lint: clean"
