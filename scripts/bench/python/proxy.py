"""Benchmark comparator: FastMCP's proxy (`create_proxy`, pinned in requirements.lock) in front of
one server, served stateless over Streamable HTTP like the hub in scripts/bench/hub.sh.

    target/bench/venv/bin/python scripts/bench/python/proxy.py --port 8000 --url http://127.0.0.1:9000/mcp
    target/bench/venv/bin/python scripts/bench/python/proxy.py --port 8000 --command target/release/examples/bench_ours

A single backend keeps its tool names (no prefix).
"""

import argparse

from fastmcp.server import create_proxy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    backend = parser.add_mutually_exclusive_group(required=True)
    backend.add_argument("--url", help="the backend's Streamable HTTP endpoint")
    backend.add_argument("--command", help="the backend's program, spoken to over stdio")
    args = parser.parse_args()
    if args.url:
        target = args.url
    else:
        target = {"mcpServers": {"bench": {"command": args.command, "args": [], "env": {"RUST_LOG": "warn"}}}}
    proxy = create_proxy(target, name="bench-fastmcp-proxy")
    proxy.run(
        transport="http",
        show_banner=False,
        host="127.0.0.1",
        port=args.port,
        path="/mcp",
        log_level="warning",
        stateless_http=True,
        json_response=True,
    )


if __name__ == "__main__":
    main()
