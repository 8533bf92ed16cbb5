#!/usr/bin/env bash
# The loader against a rate-limited vault: the emulator's token bucket of
# RATE records/s per vault (1 s of burst, 429 with Retry-After in whole
# seconds), LATENCY ms per answer, COUNT records into one vault, batch 300.
# For adaptive concurrency (the default) and for fixed 32 and 256, prints
# records/s after the first 10 s (as a share of the limit), the share of
# requests answered 429, records failed, the concurrency limit (average and
# peak) and the loader's peak RSS; and the same load without a rate limit,
# for the memory baseline.
#   bench/rate_limit_bench.sh [COUNT] [RATE] [LATENCY_MS]   (default 1000000 50000 20)
# Uses the release build (cmake --preset release && cmake --build --preset release).
set -euo pipefail
source "$(dirname "$0")/emulator_lib.sh"
bench_init
count="${1:-1000000}"
rate="${2:-50000}"
latency="${3:-20}"

cat >"$work/config.json" <<JSON
{"skyflow": {"vault_url": "http://127.0.0.1:0", "vaults": [{"name": "SSN", "id": "b1", "column": "ssn"}]},
 "csv": {"data_directory": "$work/data"},
 "performance": {"batch_size": 300, "max_records": 0}}
JSON
"$bin/skyflow-loader" -config "$work/config.json" -vault SSN -generate "$count" >/dev/null 2>&1

printf '%-12s %10s %9s %8s %7s %14s %9s\n' "mode" "rec/s>10s" "of limit" "429s" "failed" "limit avg/max" "RSS MiB"
run() {
  local label="$1"
  shift
  start_emulator "${emulator_args[@]}"
  SKYFLOW_BEARER_TOKEN=bench-token "$bin/skyflow-loader" -config "$work/config.json" -vault SSN \
    -vault-url "http://127.0.0.1:$port" -summary-json "$work/summary.json" "$@" \
    >/dev/null 2>"$work/progress.log" || true
  stop_emulator
  # Records loaded at the 10 s progress line, to leave out the bucket's burst
  # and the limiter's ramp-up.
  local at10
  at10="$(grep -m1 '^\[00:00:10\]' "$work/progress.log" | sed -E 's/.*loaded ([0-9,]+) .*/\1/' | tr -d , || true)"
  jq -r --arg name "$label" --arg at10 "${at10:-0}" --arg rate "$rate" '
      (.vaults[0]) as $v |
      (if ($at10|tonumber) > 0 and .wall_seconds > 10
         then ((.loaded - ($at10|tonumber)) / (.wall_seconds - 10)) else .records_per_second end) as $after |
      [$name, ($after|floor),
       (if $name == "no limit" then "-" else ((100 * $after / ($rate|tonumber))|floor|tostring + "%") end),
       ((100 * .throttled / .requests * 10|floor) / 10 | tostring + "%"), .failed,
       (($v.concurrency.average_limit*10|floor/10|tostring) + "/" + ($v.concurrency.peak_limit|tostring)),
       (.peak_rss_bytes/1048576*10|floor/10)] | @tsv' "$work/summary.json" |
    awk -F'\t' '{printf "%-12s %10s %9s %8s %7s %14s %9s\n", $1, $2, $3, $4, $5, $6, $7}'
}
# Without a limit first: throttling must not cost memory.
emulator_args=(--latency-ms "$latency")
run "no limit"
emulator_args=(--rate-limit-records "$rate" --latency-ms "$latency")
run "adaptive"
run "fixed 32" -concurrency-mode fixed -concurrency 32
run "fixed 256" -concurrency-mode fixed -concurrency 256
