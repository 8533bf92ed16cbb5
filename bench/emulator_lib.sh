# Sourced by the bench scripts: a scratch directory and a release emulator on
# a free loopback port, both removed on exit.
#   bench_init            sets $bin and $work, installs the cleanup trap
#   start_emulator [ARG]  starts it (token "bench-token"), sets $port
#   stop_emulator
bench_init() {
  cd "$(dirname "${BASH_SOURCE[1]}")/.."
  bin="$PWD/build/release/bin"
  [ -x "$bin/skyflow-vault-emulator" ] || {
    echo "build first: cmake --preset release && cmake --build --preset release" >&2
    exit 2
  }
  work="$(mktemp -d "${TMPDIR:-/tmp}/skyflow-bench-XXXXXX")"
  emulator_pid=""
  trap 'stop_emulator; rm -rf "$work"' EXIT
  printf '%s\n' "bench-token" >"$work/token"
}

start_emulator() {
  rm -f "$work/port"
  "$bin/skyflow-vault-emulator" --listen 127.0.0.1:0 --port-file "$work/port" \
    --bearer-token-file "$work/token" "$@" 2>"$work/emulator.log" &
  emulator_pid=$!
  for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { cat "$work/emulator.log" >&2; exit 1; }
  port="$(cat "$work/port")"
}

stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
    emulator_pid=""
  fi
  return 0
}
