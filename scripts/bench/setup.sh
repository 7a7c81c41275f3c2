#!/usr/bin/env bash
# Installs what the process-level benchmarks need, idempotently: wrk and hyperfine (Debian),
# FastMCP in a venv under target/bench/venv (pinned in scripts/bench/python/requirements.lock),
# the TypeScript SDK in scripts/bench/ts/node_modules (pinned by its package-lock.json), and the
# Rust servers and driver (release, `bench` feature).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v curl >/dev/null || missing+=(curl)
command -v flock >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv=$root/target/bench/venv
lock=$root/scripts/bench/python/requirements.lock
if ! [ -x "$venv/bin/python" ] || ! cmp -s "$lock" "$venv/.installed-lock"; then
    echo "setup: creating the FastMCP venv in $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$lock"
    cp "$lock" "$venv/.installed-lock"
fi

ts=$root/scripts/bench/ts
if ! [ -d "$ts/node_modules/@modelcontextprotocol/sdk" ] || ! cmp -s "$ts/package-lock.json" "$ts/node_modules/.package-lock.json.installed"; then
    echo "setup: npm ci in $ts" >&2
    (cd "$ts" && npm ci --no-audit --no-fund --silent)
    cp "$ts/package-lock.json" "$ts/node_modules/.package-lock.json.installed"
fi

echo "setup: building the Rust servers and driver (release, --features bench)" >&2
cargo build -q --release --features bench --examples
