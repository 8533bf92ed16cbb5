#!/usr/bin/env bash
# The main job on its embedded default, with no Skyflow account:
#   1. installs missing Debian packages and builds (Release);
#   2. starts the local vault emulator on a free loopback port;
#   3. generates DEMO_RECORDS (default 100,000) records for each of the four
#      default vaults (NAME, ID, DOB, SSN) as CSV pairs;
#   4. loads them with skyflow-loader;
#   5. asks the emulator what it holds and compares record counts and the
#      order-independent digest with the generated files.
# Exits 0 only if every record is in the vault exactly once. The emulator is
# stopped on every exit path, Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/.."

records="${DEMO_RECORDS:-100000}"
concurrency="${DEMO_CONCURRENCY:-32}"

./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
bin="$PWD/build/release/bin"

work="$(mktemp -d "${TMPDIR:-/tmp}/skyflow-demo-XXXXXX")"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  if [ "${DEMO_KEEP:-0}" = "1" ]; then
    echo "demo files kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'echo "demo: interrupted" >&2; exit 130' INT TERM

# A throwaway bearer token, shared through files and the environment, never argv.
token="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
umask 077
printf '%s\n' "$token" >"$work/token"

"$bin/skyflow-vault-emulator" --listen 127.0.0.1:0 --port-file "$work/port" \
  --bearer-token-file "$work/token" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/port" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$work/port" ]; then
  echo "demo: the emulator did not start:" >&2
  cat "$work/emulator.log" >&2
  exit 1
fi
port="$(cat "$work/port")"
echo "demo: vault emulator listening on 127.0.0.1:$port"

cat >"$work/config.json" <<JSON
{
  "skyflow": {
    "vault_url": "http://127.0.0.1:$port",
    "vaults": [
      {"name": "NAME", "id": "demo_name_vault", "column": "name"},
      {"name": "ID", "id": "demo_id_vault", "column": "id"},
      {"name": "DOB", "id": "demo_dob_vault", "column": "dob"},
      {"name": "SSN", "id": "demo_ssn_vault", "column": "ssn"}
    ]
  },
  "csv": {"data_directory": "$work/data"},
  "performance": {"batch_size": 300, "max_concurrency": $concurrency, "max_records": 0}
}
JSON

loader=("$bin/skyflow-loader" -config "$work/config.json")
"${loader[@]}" -generate "$records"
"${loader[@]}" -dry-run -summary-json "$work/expected.json" >/dev/null

load_status=0
SKYFLOW_BEARER_TOKEN="$token" "${loader[@]}" -source csv \
  -summary-json "$work/summary.json" -run-dir "$work/run" || load_status=$?

curl -fsS "http://127.0.0.1:$port/emulator/v1/stats" >"$work/stats.json"

# Compare, per vault, what the files hold with what the emulator stores.
verdict="$(jq -r --slurpfile stats "$work/stats.json" '
  [ .vaults[] as $v
    | ($stats[0].tables[$v.id + "/" + $v.table] // {records: 0, digest: ""}) as $t
    | {expected: $v.records, stored: $t.records, match: ($v.digest == $t.digest)} ]
  | "\(map(.expected) | add) \(map(.stored) | add) \(all(.match))"' "$work/expected.json")"
read -r expected stored digest_match <<<"$verdict"

echo
echo "VERDICT: records expected $expected / stored $stored / digest match: $digest_match"
if [ "$load_status" -eq 0 ] && [ "$expected" = "$stored" ] && [ "$digest_match" = "true" ]; then
  echo "demo: PASS: every record is in the vault exactly once"
  exit 0
fi
echo "demo: FAIL (loader exit code $load_status)" >&2
exit 1
