#!/usr/bin/env bash
# Throughput and latency of `tools/call add` over Streamable HTTP, with wrk: every server in
# session and stateless mode (the axum floor has neither: one row), at 1, 16 and 64 concurrent
# connections, in ROUNDS interleaved rounds of DURATION seconds (each after a 1 s warm-up), the
# median round reported. Prints a markdown table with ratios to ours. A request unanswered
# after 2 s counts as an error (a timeout), so requests that hang cannot hide.
# Usage: scripts/bench/http.sh [DURATION] [ROUNDS]   (see BENCHMARKS.md)
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"
bench_require

duration=${1:-2}
rounds=${2:-3}
connections=(1 16 64)
runs=$bench_results/http-runs.tsv
results=$bench_results/http.tsv
raw=$bench_results/http.raw
trap 'bench_stop' EXIT
: >"$raw"
printf 'round\tserver\tmode\tconns\tcalls/s\tp50 ms\tp99 ms\tserver CPU µs/call\terrors\n' >"$runs"

# One wrk run against PORT; appends a row for ROUND/NAME/MODE/CONNS to the runs.
measure() {
    local round=$1 name=$2 mode=$3 conns=$4 port=$5 threads=$(($4 < 2 ? 1 : 2)) output
    local wrk=(wrk -t"$threads" -c"$conns" --timeout 2s -s "$bench_root/scripts/bench/call.lua" "http://127.0.0.1:$port/mcp")
    "${wrk[@]}" -d1s >/dev/null # warm-up
    local cpu_before cpu_after
    cpu_before=$(bench_cpu_us "$bench_pid")
    output=$("${wrk[@]}" -d"${duration}s")
    cpu_after=$(bench_cpu_us "$bench_pid")
    printf '## round %s: %s %s %s\n%s\n' "$round" "$name" "$mode" "$conns" "$output" >>"$raw"
    local result first_error errors
    result=$(grep '^RESULT' <<<"$output")
    first_error=$(grep '^FIRST_ERROR' <<<"$output" || true)
    errors=$(awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] != "requests" && kv[1] != "seconds" && kv[1] !~ /^p[0-9]+_us$/) sum += kv[2] } } END { print sum + 0 }' <<<"$result")
    awk -v round="$round" -v name="$name" -v mode="$mode" -v conns="$conns" -v errors="$errors" -v cpu=$((cpu_after - cpu_before)) '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%s\t%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%.1f\t%s\n", round, name, mode, conns, v["requests"] / v["seconds"], v["p50_us"] / 1000, v["p99_us"] / 1000, cpu / v["requests"], errors
    }' <<<"$result" >>"$runs"
    if [ "$errors" != 0 ]; then
        echo "$name $mode c=$conns: $errors errors ($result) $first_error" >&2
    fi
}

# The servers take turns, round after round, so that a change in the machine's background load
# falls on all of them alike rather than on whichever ran at that moment.
for round in $(seq "$rounds"); do
    for name in "${bench_servers[@]}" axum-floor; do
        modes=(session stateless)
        [ "$name" = axum-floor ] && modes=(n/a)
        for mode in "${modes[@]}"; do
            echo "http: round $round/$rounds: $name $mode" >&2
            bench_start_http "$name" "$mode"
            port=$(bench_port "$name")
            export MCP_SESSION_ID=
            [ "$mode" = session ] && MCP_SESSION_ID=$(bench_open_session "$port")
            for conns in "${connections[@]}"; do
                measure "$round" "$name" "$mode" "$conns" "$port"
            done
            bench_stop
        done
    done
done

# Each row: the round with the median calls/s (its latencies with it), the range over the
# rounds, the median server CPU time per call (user + system, from /proc: what the server spent,
# whoever else was using the machine), and the errors of all rounds.
python3 "$bench_root/scripts/bench/medians.py" "$runs" --key server,mode,conns --sum errors >"$results"

echo "### Streamable HTTP, \`tools/call add\` ($(bench_machine); wrk; median of $rounds interleaved rounds of ${duration} s, each after 1 s of warm-up)"
echo
python3 "$bench_root/scripts/bench/table.py" "$results" --group mode,conns --fallback mode=stateless \
    --ratio 'calls/s' --ratio 'p50 ms' --ratio 'p99 ms' --ratio 'server CPU µs/call'

# The chart of the headline ratios (time per call, ours ÷ comparator), redrawn from this run.
python3 "$bench_root/scripts/bench/http-ratios.py" "$results" >"$bench_results/http-ratios.tsv"
python3 "$bench_root/scripts/bench/chart.py" "$bench_results/http-ratios.tsv" -o "$bench_root/benches/charts/http.svg" \
    --title "Streamable HTTP tools/call: time per call, ours ÷ comparator (lower is better)" \
    --subtitle "$(date -u '+%Y-%m-%d'), $(nproc) cores; wrk, median of $rounds rounds of ${duration} s; scripts/bench/http.sh"
