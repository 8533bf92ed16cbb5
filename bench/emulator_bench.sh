#!/usr/bin/env bash
# The emulator's own throughput, measured with a load generator that is not
# the loader (wrk, from Debian): 300-record BYOT inserts with unique tokens
# over HTTP/1.1 keep-alive on loopback. Prints records/s as wrk saw them and
# as the emulator stored them (the two must agree: every request stores 300
# new records).
#   bench/emulator_bench.sh [SECONDS] [CONNECTIONS]   (default: 5 32)
# Uses the release build (cmake --preset release && cmake --build --preset release).
# The emulator and wrk share this machine's cores: the figure is a floor.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${2:-32}"
bin="$PWD/build/release/bin"
[ -x "$bin/skyflow-vault-emulator" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (scripts/install-deps.sh does)" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/skyflow-emulator-bench-XXXXXX")"
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

printf '%s\n' "bench-token" >"$work/token"
"$bin/skyflow-vault-emulator" --listen 127.0.0.1:0 --port-file "$work/port" \
  --bearer-token-file "$work/token" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/emulator.log" >&2; exit 1; }
port="$(cat "$work/port")"

echo "wrk: 1 thread, $connections connections, ${seconds}s, 300-record inserts, unique tokens"
BENCH_TOKEN=bench-token wrk -t1 -c"$connections" -d"${seconds}s" \
  -s bench/emulator_insert.lua "http://127.0.0.1:$port" | tee "$work/wrk.out"
stored="$(curl -sf "http://127.0.0.1:$port/emulator/v1/stats" | jq '[.tables[].records] | add // 0')"
wrk_seconds="$(awk '/^requests .* seconds/ {print $NF}' "$work/wrk.out")"
echo "stored records: $stored"
awk -v stored="$stored" -v s="$wrk_seconds" \
  'BEGIN { printf "EMULATOR_RECORDS_PER_SECOND %d (stored / wrk duration)\n", stored / s }'
