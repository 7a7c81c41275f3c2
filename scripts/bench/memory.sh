#!/usr/bin/env bash
# Resident memory (VmRSS) of each MCP server over Streamable HTTP in session mode: idle after
# start, then with SESSIONS sessions opened (initialize + notifications/initialized with curl)
# and still open. Prints a markdown table with ratios to ours. Usage: scripts/bench/memory.sh [SESSIONS]
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"
bench_require

sessions=${1:-1000}
results=$bench_results/memory.tsv
trap 'bench_stop' EXIT
printf 'server\tidle MiB\twith %s sessions MiB\tKiB per session\tsessions refused\n' "$sessions" >"$results"
for name in "${bench_servers[@]}"; do
    echo "memory: $name" >&2
    bench_start_http "$name" session
    port=$(bench_port "$name")
    sleep 1
    idle=$(bench_rss_kib "$bench_pid")
    refused=0
    for _ in $(seq "$sessions"); do
        bench_open_session "$port" >/dev/null 2>&1 || refused=$((refused + 1))
    done
    sleep 1
    loaded=$(bench_rss_kib "$bench_pid")
    bench_stop
    awk -v name="$name" -v idle="$idle" -v loaded="$loaded" -v n="$sessions" -v refused="$refused" 'BEGIN {
        printf "%s\t%.1f\t%.1f\t%.1f\t%d\n", name, idle / 1024, loaded / 1024, (loaded - idle) / (n - refused), refused
    }' >>"$results"
done

echo "### Resident memory over Streamable HTTP, session mode ($(bench_machine); VmRSS from /proc)"
echo
python3 "$bench_root/scripts/bench/table.py" "$results" --ratio 'idle MiB' --ratio "with $sessions sessions MiB"
