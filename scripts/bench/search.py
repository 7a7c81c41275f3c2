"""The dev assistant's `search_code` against GNU grep on the same tree, side by side.

Spawns the release dev assistant over stdio (raw JSON-RPC, no SDK in the way), then alternates
one `search_code` call and one `grep -rnE -I` run per round, and prints the medians and their
ratio. The time of a call is measured from writing the request to reading its answer, so it
includes the protocol and the JSON of the matches; grep's includes its process start.

    cargo build --release --example dev_assistant
    python3 scripts/bench/search.py [TREE] [PATTERN] [ROUNDS]

TREE defaults to cargo's registry sources (several hundred crates), PATTERN to a definition
that occurs a few times in it.
"""

from __future__ import annotations

import glob
import json
import os
import statistics
import subprocess
import sys
import time

binary = "target/release/examples/dev_assistant"
default_tree = (glob.glob(os.path.expanduser(os.environ.get("CARGO_HOME", "~/.cargo") + "/registry/src/*")) or ["."])[0]
tree = sys.argv[1] if len(sys.argv) > 1 else default_tree
pattern = sys.argv[2] if len(sys.argv) > 2 else r"fn\s+poll_read_buf\b"
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7

server = subprocess.Popen(
    [binary, "--root", tree, "--no-tasks", "--read-only", "--search-timeout", "600"],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
)


def request(id_: int, method: str, params: dict) -> dict:
    assert server.stdin and server.stdout
    server.stdin.write(json.dumps({"jsonrpc": "2.0", "id": id_, "method": method, "params": params}) + "\n")
    server.stdin.flush()
    while True:
        message = json.loads(server.stdout.readline())
        if message.get("id") == id_:
            return message


request(0, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}})
assert server.stdin
server.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
server.stdin.flush()

ours, grep = [], []
ours_matches = grep_matches = files = 0
for round_ in range(rounds):
    started = time.perf_counter()
    answer = request(round_ + 1, "tools/call", {"name": "search_code", "arguments": {"pattern": pattern, "max_results": 1000}})
    ours.append(time.perf_counter() - started)
    result = answer["result"]["structuredContent"]
    ours_matches, files = len(result["matches"]), result["files_searched"]

    started = time.perf_counter()
    output = subprocess.run(["grep", "-rnE", "-I", pattern.replace(r"\s", "[[:space:]]").replace(r"\b", r"\b"), tree],
                            capture_output=True, text=True, errors="replace")
    grep.append(time.perf_counter() - started)
    grep_matches = len(output.stdout.splitlines())
server.kill()

ours_ms, grep_ms = statistics.median(ours) * 1000, statistics.median(grep) * 1000
print(f"tree: {tree} ({files} files searched by search_code)")
print(f"pattern: {pattern!r}; {rounds} rounds, alternating; medians")
print("| searcher | median ms | matches | ratio to search_code |")
print("|---|---|---|---|")
print(f"| search_code over MCP stdio | {ours_ms:.0f} | {ours_matches} | 1.00 |")
print(f"| grep -rnE -I | {grep_ms:.0f} | {grep_matches} | {grep_ms / ours_ms:.2f} |")
