#!/usr/bin/env bash
# Proves README.md's "Use it in your project" section as a newcomer would meet it: a fresh crate
# outside this repository, made of exactly the README's text (each fenced block after a
# `<!-- readme-install: FILE -->` comment becomes FILE), builds, answers an MCP client over
# stdio, names itself in --help, and passes its own tests; then the same with
# `default-features = false` (stdio only, README's "Cargo features").
#
#   scripts/readme-install.sh            # from anywhere; CI runs it after the test suite
#
# The only edit is the one the README asks of its reader: the `path = ...` dependency points at
# this checkout. The crate shares this repository's target directory and Cargo.lock, so what the
# workspace already built is reused (a newcomer's first build compiles everything once).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
crate=$(mktemp -d "${TMPDIR:-/tmp}/readme-install.XXXXXX")
trap 'rm -rf "$crate"' EXIT
log() { echo "readme-install.sh: $*" >&2; }

# Each marked block, written to its file.
python3 "$repo/scripts/readme-blocks.py" "$repo/README.md" "$crate"

placeholder='path = "../mcp-runtime/mcp-runtime"'
grep -qF "$placeholder" "$crate/Cargo.toml" || { log "the README's Cargo.toml no longer has $placeholder"; exit 1; }
sed -i "s|$placeholder|path = \"$repo/mcp-runtime\"|" "$crate/Cargo.toml"
cp "$repo/Cargo.lock" "$crate/Cargo.lock"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

cd "$crate"

# Builds the crate, checks its --help and an exchange over stdio, and runs its tests.
check() {
    log "building the README's crate in $crate ($1)"
    time cargo build
    server="$CARGO_TARGET_DIR/debug/hello"

    log "--help names the server"
    "$server" --help | head -n 1 | grep -q '^hello 0.1.0: an MCP server' || { "$server" --help; exit 1; }

    log "an MCP client over stdio: initialize, then a call"
    answers=$(printf '%s\n' \
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"readme","version":"1"}}}' \
        '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}' \
        | timeout 30 "$server")
    python3 - "$answers" <<'PY'
import json, sys
answers = {message.get("id"): message for message in map(json.loads, sys.argv[1].splitlines())}
assert answers[1]["result"]["serverInfo"]["name"] == "hello", answers
assert answers[2]["result"]["structuredContent"] == {"result": 5}, answers
PY

    if [ "${2:-}" != no-tests ]; then
        log "the crate's own tests"
        time cargo test
    fi
}

check "default features"

# The lean set README's "Cargo features" promises: the same text, stdio only, no flags. Its
# test of a `range` constraint needs `validate` (without it the constraint is only advertised),
# so the tests run with that one feature added.
sed -i "s|path = \"$repo/mcp-runtime\" }|path = \"$repo/mcp-runtime\", default-features = false }|" Cargo.toml
grep -q 'default-features = false' Cargo.toml || { log "could not turn the default features off"; exit 1; }
check "default-features = false" no-tests
log "lean: a flag names the feature it needs"
refusal=$("$CARGO_TARGET_DIR/debug/hello" --port 9000 2>&1) && { log "--port was accepted without the cli feature"; exit 1; }
grep -qF '`--port` needs the `cli` feature of mcp-runtime' <<<"$refusal" || { echo "$refusal"; exit 1; }
sed -i 's|default-features = false }|default-features = false, features = ["validate"] }|' Cargo.toml
check 'default-features = false, features = ["validate"]'
log "ok: the README's crate builds, serves and passes its tests, with the default features and the lean set"
