# shellcheck shell=bash
# Shared by the process-level benchmark scripts (sourced, not run): where the servers are, how
# to start and stop them, how to open an MCP session with curl, and the lock that keeps two
# benchmarks on this machine from running at once. See BENCHMARKS.md.

set -euo pipefail

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_bin=$bench_root/target/release/examples
bench_python=$bench_root/target/bench/venv/bin/python
bench_results=$bench_root/target/bench/results
mkdir -p "$bench_results"

# Servers log at warn: ours otherwise writes one info line per request to stderr.
export RUST_LOG=warn

# The four MCP servers compared, ours first (every ratio is against it); BENCH_SERVERS names a
# subset (say "ours rmcp-hand", which needs neither Python nor Node.js).
# shellcheck disable=SC2034,SC2206 # used by the scripts that source this; split on purpose
bench_servers=(${BENCH_SERVERS:-ours rmcp-hand fastmcp ts-sdk})
bench_pid=

# Runs the calling script under `flock /tmp/bench.lock`, once: other benchmarks on this 2-core
# machine take the same lock, so no two measure at the same time.
bench_lock() {
    if [ -z "${BENCH_LOCKED:-}" ]; then
        export BENCH_LOCKED=1
        exec flock /tmp/bench.lock "$0" "$@"
    fi
}

# Fails early, saying what to run, when something `setup.sh` provides is missing.
bench_require() {
    local missing=()
    for tool in wrk hyperfine curl flock; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    for example in bench_ours bench_rmcp_hand bench_axum_floor bench_driver; do
        [ -x "$bench_bin/$example" ] || missing+=("$bench_bin/$example")
    done
    if [[ " ${bench_servers[*]} " == *" fastmcp "* ]]; then
        [ -x "$bench_python" ] || missing+=("$bench_python")
    fi
    if [[ " ${bench_servers[*]} " == *" ts-sdk "* ]]; then
        [ -d "$bench_root/scripts/bench/ts/node_modules/@modelcontextprotocol/sdk" ] || missing+=(scripts/bench/ts/node_modules)
    fi
    if ((${#missing[@]})); then
        echo "missing: ${missing[*]}; run scripts/bench/setup.sh first" >&2
        exit 1
    fi
}

# The command serving NAME over stdio, one word per line (for `mapfile`).
bench_stdio_command() {
    case $1 in
    ours) echo "$bench_bin/bench_ours" ;;
    rmcp-hand) echo "$bench_bin/bench_rmcp_hand" ;;
    fastmcp) printf '%s\n' "$bench_python" "$bench_root/scripts/bench/python/server.py" ;;
    ts-sdk) printf '%s\n' node "$bench_root/scripts/bench/ts/server.mjs" ;;
    *) echo "unknown server $1" >&2 && return 1 ;;
    esac
}

# The fixed loopback port each server listens on over HTTP.
bench_port() {
    case $1 in
    ours) echo 18101 ;; rmcp-hand) echo 18102 ;; fastmcp) echo 18103 ;; ts-sdk) echo 18104 ;; axum-floor) echo 18105 ;;
    *) echo "unknown server $1" >&2 && return 1 ;;
    esac
}

# Starts NAME over Streamable HTTP in MODE (session or stateless) in the background, sets
# bench_pid, and returns once it accepts connections. Its stderr goes to target/bench/results.
bench_start_http() {
    local name=$1 mode=$2 port
    port=$(bench_port "$name")
    if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is already taken; is a server from an earlier run still up?" >&2
        return 1
    fi
    local flags=(--transport http --port "$port")
    [ "$mode" = stateless ] && flags+=(--stateless)
    local log=$bench_results/server-$name-${mode//\//}.log
    case $name in
    axum-floor) "$bench_bin/bench_axum_floor" --port "$port" 2>"$log" & ;;
    *)
        local command
        mapfile -t command < <(bench_stdio_command "$name")
        "${command[@]}" "${flags[@]}" 2>"$log" &
        ;;
    esac
    bench_pid=$!
    for _ in $(seq 200); do
        if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        kill -0 "$bench_pid" 2>/dev/null || { echo "$name exited at start; see $log" >&2 && return 1; }
        sleep 0.05
    done
    echo "$name did not listen on $port within 10 s; see $log" >&2
    return 1
}

# Stops the server bench_start_http started.
bench_stop() {
    kill "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
}

bench_headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-11-25')

# Opens an MCP session on PORT as a client would (initialize, then notifications/initialized)
# and prints its id; fails if the server did not give one.
bench_open_session() {
    local port=$1 headers id
    headers=$(curl -sS -o /dev/null -D - "${bench_headers[@]}" \
        -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"0"}}}' \
        "http://127.0.0.1:$port/mcp")
    id=$(tr -d '\r' <<<"$headers" | awk 'tolower($1) == "mcp-session-id:" { print $2 }')
    [ -n "$id" ] || { echo "no Mcp-Session-Id from port $port:" >&2 && echo "$headers" >&2 && return 1; }
    curl -sS -o /dev/null "${bench_headers[@]}" -H "Mcp-Session-Id: $id" \
        -d '{"jsonrpc":"2.0","method":"notifications/initialized"}' "http://127.0.0.1:$port/mcp"
    echo "$id"
}

# The flags that serve a benchmark binary (bench_ours, bench_rmcp_hand) over HTTP on PORT in
# MODE (stateless or session), one per line: `mapfile -t flags < <(bench_http_flags MODE PORT)`.
bench_http_flags() {
    printf '%s\n' --transport http --port "$2"
    [ "$1" != stateless ] || printf '%s\n' --stateless
}

# Waits up to SECONDS (default 10) for a server to listen on PORT, then, in MODE session, opens
# the session later calls use and exports its id as MCP_SESSION_ID (empty otherwise).
bench_ready() {
    local port=$1 mode=$2 seconds=${3:-10}
    for _ in $(seq $((seconds * 20))); do
        (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.05
    done
    export MCP_SESSION_ID=
    if [ "$mode" = session ]; then
        MCP_SESSION_ID=$(bench_open_session "$port")
    fi
}

# Resident memory of PID in KiB.
bench_rss_kib() {
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# The machine, for the header of every table.
bench_machine() {
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(lscpu | awk -F: '/^Model name/ { gsub(/^ +/, "", $2); print $2 }')), $(uname -r)"
}

# CPU time (user + system) PID has used so far, in microseconds.
bench_cpu_us() {
    awk -v tick="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.0f\n", ($12 + $13) * 1e6 / tick }' "/proc/$1/stat"
}
