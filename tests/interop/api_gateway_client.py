"""The official Python MCP SDK against examples/api_gateway/ over stdio, in front of its built-in
demo API (--demo-upstream): every tool, pagination with a cursor and progress, the upstream's
refusals passed on, and the cache and counters in api_status. One PASS/FAIL line per check, as
python_client.py prints them, for run.sh.

    python api_gateway_client.py SERVER_BINARY
"""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio
from checks import record, summary, text_of
from mcp import Client, StdioServerParameters



def ids(result: Any) -> list[int]:
    return [item["id"] for item in (result.structured_content or {}).get("items", [])]


async def suite(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    record(sorted(tools) == ["api_status", "create_item", "get_item", "list_items"], "tools/list names every tool",
           f"{sorted(tools)}")
    create = tools.get("create_item")
    hints = create.annotations if create else None
    record(hints is not None and hints.destructive_hint is False and hints.idempotent_hint is False,
           "create_item is neither destructive nor idempotent", f"{hints}")
    record(all(tools[name].output_schema for name in tools), "every tool has an output schema")

    progress: list[tuple[float, float | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total))

    r = await client.call_tool("list_items", {"limit": 250}, progress_callback=on_progress)
    page = r.structured_content or {}
    record(not r.is_error and ids(r) == list(range(1, 251)) and page.get("upstream_pages") == 3,
           "list_items follows three upstream pages", f"{text_of(r)[:300]}")
    record(len(progress) >= 2 and progress[0] == (100, 250), "list_items reports progress per page", f"{progress}")
    cursor = page.get("next_cursor")
    r = await client.call_tool("list_items", {"limit": 100, "cursor": cursor})
    record(ids(r) == list(range(251, 301)) and (r.structured_content or {}).get("next_cursor") is None,
           "list_items continues from next_cursor to the end", f"{text_of(r)[:300]}")
    r = await client.call_tool("list_items", {"cursor": "not-a-cursor"})
    record(r.is_error is True and "invalid argument `cursor`" in text_of(r), "a foreign cursor is refused", text_of(r))

    r = await client.call_tool("get_item", {"id": 42})
    item = r.structured_content or {}
    record(not r.is_error and item.get("id") == 42 and item.get("name", "").endswith("#42"), "get_item", text_of(r))
    r = await client.call_tool("get_item", {"id": 42})
    record(r.structured_content == item, "get_item again gives the same item", text_of(r))
    r = await client.call_tool("get_item", {"id": 4242})
    record(r.is_error is True and text_of(r).startswith("there is no item 4242"), "get_item of a missing id",
           text_of(r))

    new = {"name": "Desk lamp", "description": "Warm light", "price_cents": 2599, "tags": ["home"]}
    r = await client.call_tool("create_item", new)
    created = r.structured_content or {}
    record(not r.is_error and created.get("id") == 301 and created.get("name") == "Desk lamp", "create_item",
           text_of(r))
    r = await client.call_tool("get_item", {"id": 301})
    record((r.structured_content or {}).get("price_cents") == 2599, "the created item reads back", text_of(r))
    r = await client.call_tool("create_item", {"name": " ", "price_cents": 1})
    record(r.is_error is True and "(422 Unprocessable Entity): name must not be empty" in text_of(r),
           "the upstream's 422 message is passed on", text_of(r))

    r = await client.call_tool("api_status", {})
    status = r.structured_content or {}
    record(status.get("demo") is True and status.get("reachable") is True and status.get("token_configured") is True,
           "api_status", f"{status}")
    record(status.get("cache_hits", 0) >= 1, "the second read of item 42 came from the cache", f"{status}")


async def main() -> int:
    server_binary = sys.argv[1]
    env = {key: value for key, value in os.environ.items() if not key.startswith("API_GATEWAY_")}
    server = StdioServerParameters(command=server_binary, args=["--demo-upstream"], env=env)
    try:
        with anyio.fail_after(60):
            async with Client(server) as client:
                await suite(client)
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        record(False, "connection", f"{type(e).__name__}: {e}")
    return summary("api_gateway")


if __name__ == "__main__":
    sys.exit(anyio.run(main))
