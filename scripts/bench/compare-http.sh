#!/usr/bin/env bash
# Two builds of our benchmark server side by side over Streamable HTTP (say, before and after a
# change): `tools/call add` with wrk at 16 connections, stateless and with a session, in ROUNDS
# interleaved rounds of DURATION seconds (each after a 1 s warm-up); prints each round and the
# median calls/s of each build with the ratio B/A. Build each side with
#   cargo build --release --features bench --example bench_ours
# at its commit and copy target/release/examples/bench_ours aside.
# Usage: scripts/bench/compare-http.sh A_BINARY B_BINARY [DURATION] [ROUNDS]   (see BENCHMARKS.md)
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"

a=${1:?usage: compare-http.sh A_BINARY B_BINARY [DURATION] [ROUNDS]}
b=${2:?usage: compare-http.sh A_BINARY B_BINARY [DURATION] [ROUNDS]}
duration=${3:-5}
rounds=${4:-5}
command -v wrk >/dev/null || { echo "wrk is missing; run scripts/bench/setup.sh first" >&2 && exit 1; }
port=18106
runs=$bench_results/compare-http-runs.tsv
trap 'bench_stop' EXIT
printf 'round\tbuild\tmode\tcalls/s\terrors\n' >"$runs"

for round in $(seq "$rounds"); do
    for build in A B; do
        binary=$a
        [ "$build" = B ] && binary=$b
        for mode in stateless session; do
            mapfile -t flags < <(bench_http_flags "$mode" "$port")
            "$binary" "${flags[@]}" 2>"$bench_results/compare-$build-$mode.log" &
            bench_pid=$!
            bench_ready "$port" "$mode"
            wrk=(wrk -t2 -c16 --timeout 2s -s "$bench_root/scripts/bench/call.lua" "http://127.0.0.1:$port/mcp")
            "${wrk[@]}" -d1s >/dev/null
            result=$("${wrk[@]}" -d"${duration}s" | grep '^RESULT')
            awk -v round="$round" -v build="$build" -v mode="$mode" '{
                for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2]; if (kv[1] != "requests" && kv[1] != "seconds" && kv[1] !~ /^p[0-9]+_us$/) errors += kv[2] }
                printf "%s\t%s\t%s\t%.0f\t%d\n", round, build, mode, v["requests"] / v["seconds"], errors
            }' <<<"$result" | tee -a "$runs"
            bench_stop
        done
    done
done

python3 - "$runs" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for mode in ("stateless", "session"):
    median = {build: statistics.median(float(r["calls/s"]) for r in rows if r["build"] == build and r["mode"] == mode) for build in "AB"}
    errors = sum(int(r["errors"]) for r in rows if r["mode"] == mode)
    print(f"| {mode} | {median['A']:.0f} | {median['B']:.0f} | {median['B'] / median['A']:.2f} | {errors} |")
PY
