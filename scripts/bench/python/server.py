"""Benchmark comparator: the two tools of examples/bench_ours.rs in FastMCP (pinned in
requirements.lock; see BENCHMARKS.md and scripts/bench/).

    target/bench/venv/bin/python scripts/bench/python/server.py                      # stdio
    target/bench/venv/bin/python scripts/bench/python/server.py --transport http --port 8000 [--stateless]

Like ours: session mode answers POSTs with SSE, stateless mode with plain JSON; logs at warning.
"""

import argparse

from fastmcp import FastMCP

mcp = FastMCP("bench-fastmcp")


@mcp.tool(annotations={"readOnlyHint": True, "idempotentHint": True})
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@mcp.tool(annotations={"readOnlyHint": True, "idempotentHint": True})
def echo(text: str) -> str:
    """Echo a text back."""
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stateless", action="store_true")
    args = parser.parse_args()
    if args.transport == "stdio":
        mcp.run(transport="stdio", show_banner=False, log_level="WARNING")
    else:
        mcp.run(
            transport="http",
            show_banner=False,
            host="127.0.0.1",
            port=args.port,
            path="/mcp",
            log_level="warning",
            stateless_http=args.stateless,
            json_response=args.stateless,
        )


if __name__ == "__main__":
    main()
