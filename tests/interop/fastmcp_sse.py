#!/usr/bin/env python3
"""Our legacy HTTP+SSE client against another SDK's server: the Python SDK's `MCPServer` (FastMCP,
renamed in mcp 2) served with `transport="sse"`, driven by `examples/sse_client` (the runtime's
`legacy_sse::SseClientTransport` under rmcp's client).

Usage:
    fastmcp_sse.py SSE_CLIENT_BINARY

Prints `PASS <name>` / `FAIL <name>: <detail>` lines like the other interop clients; exits 1 when a
check failed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from mcp.server.mcpserver import MCPServer

server = MCPServer("fastmcp-sse")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def shout(text: str) -> str:
    """Say it louder."""
    return text.upper()


@server.tool()
def fail() -> str:
    """Always fails."""
    raise ValueError("this tool always fails")


failures = 0


def record(ok: bool, name: str, detail: str = "") -> None:
    global failures
    failures += 0 if ok else 1
    print(f"PASS {name}" if ok else f"FAIL {name}: {detail}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(binary: str, url: str, *args: str) -> list[dict]:
    done = subprocess.run([binary, url, *args], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"exit {done.returncode}: {done.stderr.strip()[-400:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def main() -> int:
    binary = sys.argv[1]
    port = free_port()
    threading.Thread(target=lambda: server.run(transport="sse", port=port), daemon=True).start()
    url = f"http://127.0.0.1:{port}/sse"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    print(f"# our SSE client ({binary}) -> MCPServer (FastMCP) at {url}", flush=True)

    try:
        listed, added = run(binary, url, "--call", "add", "--arguments", '{"a": 2, "b": 3}')
        record(listed["server"] == "fastmcp-sse", "initialize over SSE", f"server {listed['server']!r}")
        record(set(listed["tools"]) == {"add", "shout", "fail"}, "tools/list", f"tools {listed['tools']}")
        result = added["result"]
        record(result["content"][0]["text"] == "5" and not result.get("isError"), "tools/call add 2+3 -> 5", str(result))
        _, shouted = run(binary, url, "--call", "shout", "--arguments", '{"text": "über"}')
        record(shouted["result"]["content"][0]["text"] == "ÜBER", "tools/call shout (non-ASCII)", str(shouted))
        _, failed = run(binary, url, "--call", "fail")
        # MCPServer hides an unexpected exception's message; the error must still reach us as one.
        record(failed["result"].get("isError") is True, "tools/call fail -> isError", str(failed))
    except Exception as error:  # noqa: BLE001 - any failure of the client is a failed check
        record(False, "our SSE client", f"{type(error).__name__}: {error}")
    # A URL that is not an SSE stream is refused with a clear error, not a hang.
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sse", timeout=5) as response:
            record(response.headers.get_content_type() == "text/event-stream", "the server's /sse is an event stream")
    except Exception as error:  # noqa: BLE001
        record(False, "the server's /sse is an event stream", str(error))
    try:
        run(binary, f"http://127.0.0.1:{port}/nowhere")
        record(False, "a wrong URL is refused", "the client connected")
    except RuntimeError as error:
        record("404" in str(error), "a wrong URL is refused (404 named)", str(error))
    print(f"fastmcp-sse: {failures} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
