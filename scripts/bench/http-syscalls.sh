#!/usr/bin/env bash
# System calls a server makes per Streamable HTTP `tools/call add`, counted by `strace -f -c`:
# what callgrind's instruction counts leave out (thread wake-ups: futex, epoll_wait, and the
# eventfd writes that unpark a runtime's driver). Each binary is started under strace, sent
# WARMUP then REQUESTS calls one after another on one keep-alive connection, and stopped; the
# table gives the calls per request of the busiest syscalls (warm-up included, so compare
# binaries, not absolute values).
# Usage: scripts/bench/http-syscalls.sh MODE BINARY...   MODE: stateless | session
#   REQUESTS (default 2000) and WARMUP (default 100) from the environment.
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"

mode=${1:?usage: http-syscalls.sh stateless|session BINARY...}
shift
[ $# -gt 0 ] || { echo "usage: http-syscalls.sh stateless|session BINARY..." >&2 && exit 2; }
requests=${REQUESTS:-2000}
warmup=${WARMUP:-100}
port=18108
command -v strace >/dev/null || { echo "strace is missing (apt-get install strace)" >&2 && exit 1; }
trap 'bench_stop' EXIT
syscalls=(futex epoll_wait write writev recvfrom)

printf '| binary | mode |'
printf ' %s |' "${syscalls[@]}"
printf '\n|---|---|%s\n' "$(printf -- '--:|%.0s' "${syscalls[@]}")"
for binary in "$@"; do
    name=$(basename "$binary")
    counts=$bench_results/strace-http-$name-$mode.txt
    mapfile -t flags < <(bench_http_flags "$mode" "$port")
    RUST_LOG=warn strace -f -c -o "$counts" "$binary" "${flags[@]}" 2>/dev/null &
    bench_pid=$!
    bench_ready "$port" "$mode"
    python3 "$bench_root/scripts/bench/calls.py" "$port" "$((warmup + requests))" "$MCP_SESSION_ID"
    # strace writes its counts when the server exits; SIGTERM reaches the server, not strace.
    pkill -TERM -f "^$binary ${flags[*]}\$" || true
    wait "$bench_pid" 2>/dev/null || true
    printf '| %s | %s |' "$name" "$mode"
    for syscall in "${syscalls[@]}"; do
        awk -v name="$syscall" -v n="$requests" '$NF == name { found = 1; printf " %.2f |", $4 / n } END { if (!found) printf " 0 |" }' "$counts"
    done
    printf '\n'
done
