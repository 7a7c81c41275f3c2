#!/usr/bin/env bash
# What the hub adds to a call: `tools/call add` on bench_ours over Streamable HTTP (stateless),
# directly and through the hub example (itself served stateless over HTTP) proxying the same
# server over Streamable HTTP (stateless) and over stdio, and through FastMCP's proxy
# (`create_proxy`, scripts/bench/python/proxy.py) doing the same, at 1 and 16 connections, with
# wrk; the paths take turns, ROUNDS interleaved rounds of DURATION seconds (each after 1 s of
# warm-up). Prints the median calls/s and p50/p99 latency of each, their ratios to direct, and
# the latency each proxy adds to a call (p50 through it minus p50 direct).
# FastMCP needs scripts/bench/setup.sh's venv; BENCH_SERVERS without `fastmcp` leaves it out.
#   cargo build --release --features bench --example bench_ours --example hub
#   scripts/bench/hub.sh [DURATION] [ROUNDS]                 (see BENCHMARKS.md)
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"

duration=${1:-5}
rounds=${2:-3}
command -v wrk >/dev/null || { echo "wrk is missing; run scripts/bench/setup.sh first" >&2 && exit 1; }
for example in bench_ours hub; do
    [ -x "$bench_bin/$example" ] || {
        echo "$bench_bin/$example is missing: cargo build --release --features bench --example bench_ours --example hub" >&2
        exit 1
    }
done
paths=(direct hub-http hub-stdio)
if [[ " ${bench_servers[*]} " == *" fastmcp "* ]]; then
    [ -x "$bench_python" ] || { echo "$bench_python is missing: run scripts/bench/setup.sh" >&2 && exit 1; }
    paths+=(fastmcp-http fastmcp-stdio)
fi
runs=$bench_results/hub-runs.tsv
printf 'round\tpath\tconns\tcalls/s\tp50 ms\tp99 ms\terrors\n' >"$runs"
pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}
trap stop_all EXIT

wait_port() {
    for _ in $(seq 200); do
        (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2 && exit 1
}

# The hub's config for one path: the downstream over HTTP at port 18302, or as a child over stdio.
hub_config() {
    local file=$bench_results/hub-$1.toml
    case $1 in
        http) printf '[[downstream]]\nprefix = "bench"\nurl = "http://127.0.0.1:18302/mcp"\n' >"$file" ;;
        stdio) printf '[[downstream]]\nprefix = "bench"\ncommand = "%s"\nenv = { RUST_LOG = "warn" }\n' "$bench_bin/bench_ours" >"$file" ;;
    esac
    echo "$file"
}

measure() {
    local round=$1 path=$2 conns=$3 port=$4 tool=$5 threads=$(($3 < 2 ? 1 : 2))
    local wrk=(wrk -t"$threads" -c"$conns" --timeout 2s -s "$bench_root/scripts/bench/call.lua" "http://127.0.0.1:$port/mcp")
    MCP_TOOL=$tool MCP_SESSION_ID='' "${wrk[@]}" -d1s >/dev/null
    local result
    result=$(MCP_TOOL=$tool MCP_SESSION_ID='' "${wrk[@]}" -d"${duration}s" | grep '^RESULT')
    awk -v round="$round" -v path="$path" -v conns="$conns" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2]; if (kv[1] != "requests" && kv[1] != "seconds" && kv[1] !~ /^p[0-9]+_us$/) errors += kv[2] }
        printf "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%d\n", round, path, conns, v["requests"] / v["seconds"], v["p50_us"] / 1000, v["p99_us"] / 1000, errors
    }' <<<"$result" | tee -a "$runs" >&2
}

for round in $(seq "$rounds"); do
    for path in "${paths[@]}"; do
        case $path in
            direct)
                "$bench_bin/bench_ours" --transport http --port 18301 --stateless 2>/dev/null &
                pids+=($!)
                port=18301 tool=add
                ;;
            hub-http)
                "$bench_bin/bench_ours" --transport http --port 18302 --stateless 2>/dev/null &
                pids+=($!)
                wait_port 18302
                "$bench_bin/hub" --config "$(hub_config http)" --transport http --port 18303 --stateless 2>/dev/null &
                pids+=($!)
                port=18303 tool=bench_add
                ;;
            hub-stdio)
                "$bench_bin/hub" --config "$(hub_config stdio)" --transport http --port 18304 --stateless 2>/dev/null &
                pids+=($!)
                port=18304 tool=bench_add
                ;;
            fastmcp-http)
                "$bench_bin/bench_ours" --transport http --port 18302 --stateless 2>/dev/null &
                pids+=($!)
                wait_port 18302
                "$bench_python" "$bench_root/scripts/bench/python/proxy.py" --port 18305 --url http://127.0.0.1:18302/mcp 2>/dev/null &
                pids+=($!)
                port=18305 tool=add
                ;;
            fastmcp-stdio)
                "$bench_python" "$bench_root/scripts/bench/python/proxy.py" --port 18306 --command "$bench_bin/bench_ours" 2>/dev/null &
                pids+=($!)
                port=18306 tool=add
                ;;
        esac
        wait_port "$port"
        sleep 1 # the proxy connects to its downstream
        for conns in 1 16; do
            measure "$round" "$path" "$conns" "$port" "$tool"
        done
        stop_all
    done
done

echo
echo "### The hub: \`tools/call add\` direct and through the hub ($(bench_machine); wrk; median of $rounds rounds of ${duration} s)"
echo
awk -F'\t' -v paths="${paths[*]}" 'NR > 1 { key = $2 "\t" $3; calls[key] = calls[key] " " $4; p50[key] = p50[key] " " $5; p99[key] = p99[key] " " $6 }
function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
END {
    print "| path | connections | calls/s | p50 ms | p99 ms | p50 ÷ direct | calls/s ÷ direct | added to p50 |"
    print "|---|--:|--:|--:|--:|--:|--:|--:|"
    n = split(paths, list, " ")
    for (c = 1; c <= 2; c++) {
        conns = c == 1 ? 1 : 16
        d = median(p50["direct\t" conns]); dc = median(calls["direct\t" conns])
        for (p = 1; p <= n; p++) {
            key = list[p] "\t" conns
            if (!(key in calls)) continue
            printf "| %s | %d | %.0f | %.3f | %.3f | %.2f× | %.2f× | %+.0f µs |\n", list[p], conns, median(calls[key]), median(p50[key]), median(p99[key]), median(p50[key]) / d, median(calls[key]) / dc, (median(p50[key]) - d) * 1000
        }
    }
}' "$runs"

# The chart: p50 latency through the hub ÷ direct, against the issue's 1.15× target (FastMCP's
# proxy, tens to hundreds of times direct, would flatten every other bar; it is in the table).
awk -F'\t' -v paths="${paths[*]}" 'NR > 1 { p50[$2 "\t" $3] = p50[$2 "\t" $3] " " $5 }
function median(list,   n, a, i, j, t) { n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
END {
    print "figure\tours\tcomparator\ttarget\tunit"
    n = split(paths, list, " ")
    for (c = 1; c <= 2; c++) {
        conns = c == 1 ? 1 : 16
        for (p = 2; p <= n; p++) {
            key = list[p] "\t" conns
            if (list[p] ~ /^hub-/ && key in p50) printf "%s, %d conn. (p50)\t%.3f\t%.3f\t1.15\tms\n", list[p], conns, median(p50[key]), median(p50["direct\t" conns])
        }
    }
}' "$runs" >"$bench_results/hub-ratios.tsv"
python3 "$bench_root/scripts/bench/chart.py" "$bench_results/hub-ratios.tsv" -o "$bench_root/benches/charts/hub.svg" \
    --title "tools/call through a proxy: p50 latency ÷ direct (lower is better)" \
    --subtitle "$(date -u '+%Y-%m-%d'), $(nproc) cores; wrk, median of $rounds rounds of ${duration} s; scripts/bench/hub.sh"
