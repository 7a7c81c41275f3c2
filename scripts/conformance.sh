#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
# scripts/conformance/) against examples/conformance.rs served over Streamable HTTP, once for the
# 2025-11-25 requirements (initialize and sessions) and once for 2026-07-28 (stateless requests,
# server/discover, input_required results).
#
#   cargo build --example conformance && scripts/conformance.sh
#
# Environment:
#   CONFORMANCE_SERVER  the server binary (default target/debug/examples/conformance); nothing is built here
#
# Every scenario must pass: the scored ones, and the pending and extension ones the suite runs
# without scoring (the tasks extension among them).
#
# Each revision gets a fresh server on a free loopback port (the suite insists on a localhost URL).
# The suite's machine-readable results land in target/conformance-results/<revision>/, the
# servers' logs next to them. Known failures, each with its reason, are listed in
# scripts/conformance/expected-failures-<revision>.yml when there are any: the suite then fails on an
# unexpected failure *and* on a listed one that now passes, so the list cannot go stale.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

server=${CONFORMANCE_SERVER:-target/debug/examples/conformance}
out=target/conformance-results
suite=target/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js

if [[ ! -x $server ]]; then
    echo "conformance.sh: no server binary at $server; build it with 'cargo build --example conformance'" >&2
    exit 2
fi

scripts/conformance-install.sh
rm -rf "$out"
mkdir -p "$out"

server_pid=
stop_server() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# start_server LOG: the conformance server on port 0; sets $url once its /health answers.
start_server() {
    local log=$1 i
    "$server" --transport http --host 127.0.0.1 --port 0 > "$log" 2>&1 &
    server_pid=$!
    url=
    for ((i = 0; i < 300; i++)); do
        url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*/mcp' "$log" || true)
        [[ -n $url ]] && break
        kill -0 "$server_pid" 2>/dev/null || { echo "conformance.sh: the server exited at start:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    [[ -n $url ]] || { echo "conformance.sh: the server announced no address in 30 s; see $log" >&2; exit 1; }
    for ((i = 0; i < 100; i++)); do
        curl -fsS --max-time 2 "${url%/mcp}/health" > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "conformance.sh: ${url%/mcp}/health did not answer in 10 s; see $log" >&2
    exit 1
}

failed=()
for revision in 2025-11-25 2026-07-28; do
    echo "== conformance $revision"
    start_server "$out/server-$revision.log"
    args=(server --url "$url" --requirements "$revision" -o "$out/$revision")
    baseline=scripts/conformance/expected-failures-$revision.yml
    [[ -f $baseline ]] && args+=(--expected-failures "$baseline")
    rc=0
    node "$suite" "${args[@]}" > "$out/suite-$revision.log" 2>&1 || rc=$?
    # The per-scenario summary and the not-scored section; the full output stays in the log.
    sed -n '/=== SUMMARY ===/,$p' "$out/suite-$revision.log"
    stop_server
    # The suite scores only the required scenarios; the pending and extension ones (tasks among
    # them) must pass too, so a failure there fails the run as well.
    if grep -q '^  ✗ .*(\(pending\|extension\|not scored\))' "$out/suite-$revision.log"; then
        echo "conformance: a pending or extension scenario failed for $revision" >&2
        rc=1
    fi
    if ((rc != 0)); then
        failed+=("$revision")
        # Which checks failed, from the suite's own results, for whoever reads the CI log.
        node -e '
            const fs = require("fs"), path = require("path");
            for (const dir of fs.readdirSync(process.argv[1])) {
                const file = path.join(process.argv[1], dir, "checks.json");
                if (!fs.existsSync(file)) continue;
                for (const check of JSON.parse(fs.readFileSync(file, "utf8")))
                    if (check.status === "FAILURE")
                        console.log(`   FAILURE ${dir.replace(/-\d{4}-\d\d-\d\dT.*$/, "")} [${check.id}] ${check.errorMessage ?? check.description}`);
            }' "$out/$revision"
    fi
done

if ((${#failed[@]} > 0)); then
    echo "conformance: failed for ${failed[*]}; results in $out/" >&2
    exit 1
fi
echo "conformance: every scenario passes for 2025-11-25 and 2026-07-28, pending and extension ones included"
