#!/usr/bin/env bash
# Calls/s and latency of `tools/call add` over stdio, one client: sequential (one request in
# flight) and pipelined (CALLS requests written, then the answers read), measured by
# examples/bench_driver.rs after a warm-up of 500 calls, in ROUNDS interleaved rounds, the
# median round reported. The axum floor has no stdio. Prints a markdown table with ratios to
# ours. Usage: scripts/bench/stdio.sh [CALLS] [ROUNDS]   (see BENCHMARKS.md)
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"
bench_require

calls=${1:-3000}
rounds=${2:-3}
runs=$bench_results/stdio-runs.tsv
results=$bench_results/stdio.tsv
printf 'round\tserver\tmode\tcalls/s\tp50 ms\tp99 ms\tserver CPU µs/call\n' >"$runs"
for round in $(seq "$rounds"); do
    for name in "${bench_servers[@]}"; do
        echo "stdio: round $round/$rounds: $name" >&2
        mapfile -t command < <(bench_stdio_command "$name")
        output=$("$bench_bin/bench_driver" --calls "$calls" --warmup 500 -- "${command[@]}" 2>"$bench_results/server-$name-stdio.log")
        awk -v round="$round" -v name="$name" '{
            for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
            printf "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%s\n", round, name, v["mode"], v["calls_per_s"], v["p50_us"] / 1000, v["p99_us"] / 1000, v["cpu_us_per_call"]
        }' <<<"$output" >>"$runs"
    done
done

# Each row: the round with the median calls/s (its latencies with it), the range, and the median
# server CPU time per call (user + system, from /proc).
python3 "$bench_root/scripts/bench/medians.py" "$runs" --key server,mode >"$results"

echo "### stdio, \`tools/call add\`, one client ($(bench_machine); bench_driver, $calls calls per mode after 500 warm-up calls; median of $rounds interleaved rounds)"
echo
python3 "$bench_root/scripts/bench/table.py" "$results" --group mode --ratio 'calls/s' --ratio 'p50 ms' --ratio 'p99 ms' --ratio 'server CPU µs/call'
