#!/usr/bin/env bash
# Static analysis of the loader and the emulator (src/ and emulator/; the
# tests, benchmarks and fuzz targets are not analysed):
#   clang-tidy 14  the checks in .clang-tidy, each file of
#                  build/dev/compile_commands.json under src/ or emulator/,
#                  LINT_JOBS at a time (default: the number of cores)
#   cppcheck       warning, performance and portability checks; justified
#                  false positives are listed in scripts/cppcheck-suppressions.txt
#                  or suppressed inline (// cppcheck-suppress id)
# Prints every finding and exits non-zero if there is any. Configures the dev
# preset first when build/dev has no compile_commands.json (it does not build).
#
#   ./scripts/lint.sh                          every file
#   ./scripts/lint.sh src/net/http_loop.cc ... those files only
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build/dev
jobs=${LINT_JOBS:-$(nproc)}

if [ ! -f "$build_dir/compile_commands.json" ]; then
  cmake --preset dev >/dev/null
fi

# The translation units to analyse, relative to the repository root.
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(
    jq -r '.[].file' "$build_dir/compile_commands.json" |
      sed "s|^$PWD/||" | grep -E '^(src|emulator)/' | sort -u
  )
fi
[ ${#files[@]} -gt 0 ] || { echo "error: no files to analyse" >&2; exit 1; }

failed=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "=== clang-tidy (${#files[@]} files, $jobs at a time)"
start=$SECONDS
# Each file's output goes to a log of its own, so that parallel runs do not
# interleave; only the logs of files with findings are kept. The compile
# commands are GCC's: clang does not know some of its warning flags.
printf '%s\n' "${files[@]}" |
  xargs -P "$jobs" -I{} sh -c '
    log="$1/$(printf %s "$2" | tr / _)"
    if ! clang-tidy-14 --quiet -p "$3" --extra-arg=-Wno-unknown-warning-option "$2" \
      >"$log.out" 2>&1; then
      { echo "--- $2"; cat "$log.out"; } >"$log.log"
    fi
    rm -f "$log.out"' sh "$logs" {} "$build_dir"
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
filters=()
for file in "${files[@]}"; do
  filters+=("--file-filter=$file")
done
if [ $# -eq 0 ]; then
  filters=(--file-filter='src/*' --file-filter='emulator/*')
fi
if ! cppcheck --enable=warning,performance,portability --std=c++20 --inline-suppr \
  --suppressions-list=scripts/cppcheck-suppressions.txt --error-exitcode=1 --quiet \
  -j "$jobs" --project="$build_dir/compile_commands.json" "${filters[@]}" \
  --template='{file}:{line}:{column}: {severity}: {message} [{id}]'; then
  failed=1
fi
echo "cppcheck took $((SECONDS - start))s"

if [ "$failed" -ne 0 ]; then
  echo "lint: findings above" >&2
  exit 1
fi
echo "lint: clean"
