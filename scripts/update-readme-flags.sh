#!/usr/bin/env bash
# Regenerates README.md's flag table, between <!-- flags:begin --> and
# <!-- flags:end -->, from the loader's own flag registry
# (skyflow-loader -help=markdown): the same source as -help.
#
# Usage: scripts/update-readme-flags.sh [LOADER]
#   LOADER: the skyflow-loader binary (default build/dev/bin/skyflow-loader,
#   built first when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

loader="${1:-build/dev/bin/skyflow-loader}"
if [[ ! -x "$loader" ]]; then
  cmake --build build/dev --target skyflow-loader
fi

table="$(mktemp)"
updated="$(mktemp)"
trap 'rm -f "$table" "$updated"' EXIT
"$loader" -help=markdown >"$table"

awk -v table="$table" '
  $0 == "<!-- flags:begin -->" {
    print
    print ""
    while ((getline line < table) > 0) print line
    print ""
    skipping = 1
    begins++
    next
  }
  $0 == "<!-- flags:end -->" { skipping = 0; ends++ }
  !skipping { print }
  END {
    if (begins != 1 || ends != 1) {
      print "README.md needs exactly one <!-- flags:begin --> and one <!-- flags:end -->" > "/dev/stderr"
      exit 1
    }
  }' README.md >"$updated"

# Written in place: README.md keeps its mode and owner.
cat "$updated" >README.md
echo "README.md: flag table updated from $loader -help=markdown"
