#!/usr/bin/env bash
# Instructions a server spends per Streamable HTTP `tools/call add`, counted by callgrind
# (deterministic: the machine's load does not change the count, unlike calls/s). Each binary is
# started under valgrind, warmed up with WARMUP calls, its counters zeroed, sent REQUESTS calls
# one after another on one keep-alive connection, and dumped; the table gives instructions per
# call and the ratio to the first binary, and the profiles stay in the results directory for
# callgrind_annotate (`--inclusive=yes`) to say where they went, one per binary (the second of
# two binaries with one name gets `-2`).
# Usage: scripts/bench/http-instructions.sh MODE BINARY...   MODE: stateless | session
#   REQUESTS (default 500) and WARMUP (default 100) from the environment; CALLGRIND_FLAGS adds
#   valgrind options (say `--cache-sim=yes`, whose misses callgrind_annotate then shows).
# Each BINARY takes `--transport http --port P [--stateless]`: bench_ours, bench_rmcp_hand.
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"

mode=${1:?usage: http-instructions.sh stateless|session BINARY...}
shift
[ $# -gt 0 ] || { echo "usage: http-instructions.sh stateless|session BINARY..." >&2 && exit 2; }
requests=${REQUESTS:-500}
warmup=${WARMUP:-100}
port=18107
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2 && exit 1; }
trap 'bench_stop' EXIT

# Sends N calls of `add` on one connection; fails on any answer without the sum.
calls() {
    python3 "$bench_root/scripts/bench/calls.py" "$port" "$1" "${MCP_SESSION_ID:-}"
}

printf '| binary | mode | instructions per call | ÷ first |\n|---|--:|--:|--:|\n'
first=
declare -A seen=()
for binary in "$@"; do
    # Two builds of one example (before/bench_ours after/bench_ours) keep a profile each.
    name=$(basename "$binary")
    seen[$name]=$((${seen[$name]:-0} + 1))
    [ "${seen[$name]}" -eq 1 ] || name+="-${seen[$name]}"
    out=$bench_results/callgrind-http-$name-$mode.out
    rm -f "$out" "$out".*
    mapfile -t flags < <(bench_http_flags "$mode" "$port")
    RUST_LOG=warn valgrind --tool=callgrind ${CALLGRIND_FLAGS:-} --callgrind-out-file="$out" "$binary" "${flags[@]}" \
        2>"$bench_results/callgrind-http-$name-$mode.log" &
    bench_pid=$!
    bench_ready "$port" "$mode" 60 # valgrind starts slowly
    calls "$warmup"
    callgrind_control -z "$bench_pid" >/dev/null
    calls "$requests"
    callgrind_control -d "$bench_pid" >/dev/null
    bench_stop
    # The dump after zeroing is the file with the highest part number.
    dump=$(ls -v "$out".* 2>/dev/null | tail -1)
    total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
    per_call=$((total / requests))
    first=${first:-$per_call}
    printf '| %s | %s | %s | %s |\n' "$name" "$mode" "$per_call" "$(awk -v a="$per_call" -v b="$first" 'BEGIN { printf "%.2f", a / b }')"
done
