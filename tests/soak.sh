#!/usr/bin/env bash
# Runs the chaos test (tests/integration/chaos_test.cc) again and again with
# new seeds for a while: the loader killed and resumed at random moments, the
# emulator crashed and restarted, faults everywhere; every run must end with
# the vault holding the source exactly once.
#
#   tests/soak.sh [--seed N|random] [--minutes N] [--records N] [--kills N]
#
# --seed random (the default) draws a new seed for each round; a fixed seed
# replays one round. On a failure the seed is printed with the command that
# replays it. Uses the dev build (./scripts/test.sh --dev builds it).
set -euo pipefail
cd "$(dirname "$0")/.."

seed=random
minutes=10
records=50000
kills=3
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) seed=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

binary=build/dev/bin/integration_test
if [ ! -x "$binary" ]; then
  cmake --preset dev >/dev/null
  cmake --build --preset dev --target integration_test skyflow-loader skyflow-vault-emulator
fi

deadline=$((SECONDS + minutes * 60))
round=0
while [ "$SECONDS" -lt "$deadline" ]; do
  round=$((round + 1))
  if [ "$seed" = random ]; then
    this_seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
  else
    this_seed=$seed
  fi
  echo "round $round: seed $this_seed"
  if ! SKYFLOW_CHAOS_SEED=$this_seed SKYFLOW_CHAOS_RECORDS=$records SKYFLOW_CHAOS_KILLS=$kills \
    "$binary" --gtest_filter='ChaosTest.*' >"/tmp/soak-$this_seed.log" 2>&1; then
    echo "FAILED with seed $this_seed (log: /tmp/soak-$this_seed.log); replay with:"
    echo "  tests/soak.sh --seed $this_seed --minutes 1 --records $records --kills $kills"
    exit 1
  fi
  [ "$seed" = random ] || break
done
echo "soak: $round rounds passed"
