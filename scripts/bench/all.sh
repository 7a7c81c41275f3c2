#!/usr/bin/env bash
# Every process-level benchmark of BENCHMARKS.md in one run, side by side on this machine:
# installs what is missing, then HTTP, stdio, cold start and memory, each table printed and
# saved under target/bench/results/. Takes about 10 minutes. Usage: scripts/bench/all.sh
set -euo pipefail
here=$(dirname "$0")
[ -n "${BENCH_LOCKED:-}" ] || "$here/setup.sh" # outside the lock: building is not measuring
# shellcheck source=scripts/bench/lib.sh
source "$here/lib.sh"
bench_lock "$@"
for area in http stdio startup memory; do
    "$here/$area.sh" | tee "$bench_results/$area.md"
    echo
done
