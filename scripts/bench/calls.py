#!/usr/bin/env python3
"""Sends COUNT Streamable HTTP `tools/call add` requests one after another on one keep-alive
connection to 127.0.0.1:PORT (with SESSION as `Mcp-Session-Id` when given), and fails on any
answer that is not 200 with the sum: the sequential load of http-instructions.sh and
http-syscalls.sh, whose figures are per call.

Usage: calls.py PORT COUNT [SESSION]
"""

import http.client
import json
import sys


def main() -> None:
    port, count = int(sys.argv[1]), int(sys.argv[2])
    session = sys.argv[3] if len(sys.argv) > 3 else ""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2025-11-25",
    }
    if session:
        headers["Mcp-Session-Id"] = session
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for call in range(count):
        body = json.dumps({"jsonrpc": "2.0", "id": call + 1, "method": "tools/call",
                           "params": {"name": "add", "arguments": {"a": call, "b": 2}}})
        connection.request("POST", "/mcp", body, headers)
        response = connection.getresponse()
        text = response.read().decode()
        if response.status != 200 or str(call + 2) not in text:
            sys.exit(f"call {call}: {response.status} {text[:300]}")


if __name__ == "__main__":
    main()
