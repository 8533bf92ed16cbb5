#!/usr/bin/env bash
# The emulator's own throughput, measured with a load generator that is not
# the loader (wrk, from Debian): 300-record BYOT inserts with unique tokens
# over HTTP/1.1 keep-alive on loopback. Prints records/s as wrk saw them and
# as the emulator stored them (the two must agree: every request stores 300
# new records).
#   bench/emulator_bench.sh [SECONDS] [CONNECTIONS] [EMULATOR FLAG ...]   (default: 5 32)
# e.g. bench/emulator_bench.sh 5 32 --data-file /tmp/bench.data   (persistence cost)
# Uses the release build (cmake --preset release && cmake --build --preset release).
# The emulator and wrk share this machine's cores: the figure is a floor.
set -euo pipefail
seconds="${1:-5}"
connections="${2:-32}"
shift $(($# < 2 ? $# : 2))
source "$(dirname "$0")/emulator_lib.sh"
bench_init
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (scripts/install-deps.sh does)" >&2; exit 2; }
start_emulator "$@"

echo "wrk: 1 thread, $connections connections, ${seconds}s, 300-record inserts, unique tokens"
BENCH_TOKEN=bench-token wrk -t1 -c"$connections" -d"${seconds}s" \
  -s bench/emulator_insert.lua "http://127.0.0.1:$port" | tee "$work/wrk.out"
stored="$(curl -sf "http://127.0.0.1:$port/emulator/v1/stats" | jq '[.tables[].records] | add // 0')"
wrk_seconds="$(awk '/^requests .* seconds/ {print $NF}' "$work/wrk.out")"
echo "stored records: $stored"
awk -v stored="$stored" -v s="$wrk_seconds" \
  'BEGIN { printf "EMULATOR_RECORDS_PER_SECOND %d (stored / wrk duration)\n", stored / s }'
