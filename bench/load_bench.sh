#!/usr/bin/env bash
# End-to-end load figures: the loader against the emulator on loopback, for
# each record count given (per vault, 4 vaults), printing records/s, the
# loader's CPU time and its peak RSS. Peak RSS that stays flat as the count
# grows is the bounded-memory property.
#   bench/load_bench.sh [COUNT ...]        (default: 100000 1000000)
# Uses the release build (cmake --preset release && cmake --build --preset release).
set -euo pipefail
source "$(dirname "$0")/emulator_lib.sh"
bench_init
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100000 1000000)

printf '%-10s %12s %10s %12s %12s\n' "per-vault" "records/s" "wall s" "loader CPU s" "peak RSS MiB"
for count in "${counts[@]}"; do
  start_emulator
  cat >"$work/config.json" <<JSON
{"skyflow": {"vault_url": "http://127.0.0.1:$port", "vaults": [
  {"name": "NAME", "id": "b1", "column": "name"}, {"name": "ID", "id": "b2", "column": "id"},
  {"name": "DOB", "id": "b3", "column": "dob"}, {"name": "SSN", "id": "b4", "column": "ssn"}]},
 "csv": {"data_directory": "$work/data"},
 "performance": {"batch_size": 300, "max_concurrency": 32, "max_records": 0}}
JSON
  "$bin/skyflow-loader" -config "$work/config.json" -generate "$count" >/dev/null 2>&1
  SKYFLOW_BEARER_TOKEN=bench-token "$bin/skyflow-loader" -config "$work/config.json" \
    -summary-json "$work/summary.json" >/dev/null 2>&1
  jq -r --arg count "$count" '[$count, (.records_per_second|floor), (.wall_seconds*100|floor/100),
      ((.cpu_user_seconds + .cpu_system_seconds)*100|floor/100), (.peak_rss_bytes/1048576*10|floor/10)]
      | @tsv' "$work/summary.json" | awk '{printf "%-10s %12s %10s %12s %12s\n", $1, $2, $3, $4, $5}'
  stop_emulator
  rm -rf "$work/data"
done
