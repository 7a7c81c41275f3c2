"""The official Python MCP SDK against examples/database/ over stdio: every tool and both
resources on a scratch copy of the SQLite demo (with --allow-write), and writes, several
statements at once and injected table names refused. One PASS/FAIL line per check, as
python_client.py prints them, for run.sh.

    python database_client.py SERVER_BINARY
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from checks import record, summary, text_of
from mcp import Client, MCPError, StdioServerParameters



async def structured(client: Client, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    if result.is_error:
        return {"error": text_of(result)}
    return result.structured_content or {}


async def resource_json(client: Client, uri: str) -> Any:
    contents = (await client.read_resource(uri)).contents
    return json.loads(getattr(contents[0], "text", "null"))


async def suite(client: Client, scratch: Path) -> None:
    names = sorted(tool.name for tool in (await client.list_tools()).tools)
    want = ["describe_table", "execute", "get_table_data", "list_tables", "query"]
    record(names == want, "tools/list names every tool", f"{names}")

    listed = await structured(client, "list_tables", {})
    tables = sorted(table["name"] for table in listed.get("tables", []))
    record(listed.get("engine") == "sqlite" and tables == ["customers", "order_items", "order_totals", "orders", "products"],
           "list_tables", f"{listed}")

    described = await structured(client, "describe_table", {"table": "orders"})
    record(described.get("primary_key") == ["id"] and described.get("row_count") == 2000
           and described.get("foreign_keys", [{}])[0].get("references") == "customers", "describe_table", f"{described}")

    page = await structured(client, "get_table_data", {"table": "customers", "limit": 3, "offset": 5,
                                                       "columns": ["id", "email"]})
    record([row[0] for row in page.get("rows", [])] == [6, 7, 8] and page.get("truncated") is True
           and page.get("next_offset") == 8 and [c["name"] for c in page.get("columns", [])] == ["id", "email"],
           "get_table_data with limit, offset and columns", f"{page}")

    grouped = await structured(client, "query", {"sql": "SELECT category, count(*) FROM products GROUP BY category"})
    total = sum(row[1] for row in grouped.get("rows", []))
    record(total == 120 and grouped.get("truncated") is False, "query", f"{grouped}")

    capped = await structured(client, "query", {"sql": "SELECT * FROM order_items"})
    record(capped.get("row_count") == 500 and capped.get("truncated") is True, "query is held to the row cap",
           f"{ {k: v for k, v in capped.items() if k != 'rows'} }")

    blob = await structured(client, "query", {"sql": "SELECT thumbnail FROM products WHERE id = 4"})
    record(str(blob.get("rows", [[None]])[0][0]).startswith("\\x89504e47"), "a BLOB is shown as hex", f"{blob}")

    schema = await resource_json(client, "db://schema")
    record(schema.get("engine") == "sqlite" and len(schema.get("tables", [])) == 5, "resource db://schema",
           f"{str(schema)[:300]}")
    table = await resource_json(client, "db://tables/products")
    record(table.get("row_count") == 120 and table.get("name") == "products", "resource db://tables/{table}",
           f"{str(table)[:300]}")
    uris = {str(res.uri) for res in (await client.list_resources()).resources}
    record({"db://schema", "db://tables/customers", "db://tables/orders"} <= uris, "resources/list names each table",
           f"{uris}")
    templates = [t.uri_template for t in (await client.list_resource_templates()).resource_templates]
    record(templates == ["db://tables/{table}"], "resources/templates/list", f"{templates}")
    try:
        await client.read_resource("db://tables/nope")
        record(False, "an unknown table's resource is an error", "it was read")
    except MCPError as e:
        record("there is no table or view named `nope`" in e.error.message,
               "an unknown table's resource is an error", e.error.message)

    evil = scratch / "evil.db"
    refusals = [
        ("DELETE FROM customers", "DELETE from `customers`"),
        ("WITH x AS (SELECT 1) UPDATE customers SET name = 'x'", "UPDATE of `customers`"),
        ("DROP TABLE orders", "changing the schema"),
        ("SELECT 1; DROP TABLE orders", "only one SQL statement per call"),
        (f"ATTACH DATABASE '{evil}' AS evil", "ATTACH DATABASE"),
        ("PRAGMA query_only = 0", "setting PRAGMA query_only"),
        ("VACUUM", "writes"),
    ]
    for sql, reason in refusals:
        r = await client.call_tool("query", {"sql": sql})
        record(r.is_error is True and reason in text_of(r), f"query {sql!r} refused", text_of(r))
    for name in ["customers; DROP TABLE customers", '"customers"', "CUSTOMERS"]:
        r = await client.call_tool("get_table_data", {"table": name})
        record(r.is_error is True and "there is no table or view named" in text_of(r),
               f"get_table_data {name!r} refused", text_of(r))
    r = await client.call_tool("query", {"sql": "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                                                "SELECT count(*) FROM r"})
    record(r.is_error is True and "statement timeout" in text_of(r), "a runaway query is stopped", text_of(r))

    updated = await structured(client, "execute", {"sql": "UPDATE customers SET city = 'Oslo' WHERE id IN (1, 2)"})
    record(updated.get("rows_affected") == 2, "execute", f"{updated}")
    oslo = await structured(client, "query", {"sql": "SELECT count(*) FROM customers WHERE city = 'Oslo'"})
    record((oslo.get("rows") or [[0]])[0][0] >= 2, "execute's change is visible to query", f"{oslo}")
    r = await client.call_tool("execute", {"sql": "DELETE FROM customers WHERE id = 1; DELETE FROM customers"})
    record(r.is_error is True and "only one SQL statement" in text_of(r), "execute refuses several statements",
           text_of(r))
    count = await structured(client, "query", {"sql": "SELECT count(*) FROM customers"})
    record((count.get("rows") or [[0]])[0][0] == 500, "no refused statement changed the data", f"{count}")
    record(not evil.exists(), "ATTACH wrote no file")


async def main() -> int:
    server_binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        server = StdioServerParameters(
            command=server_binary,
            args=["--demo-path", str(Path(scratch) / "demo.sqlite3"), "--allow-write", "--statement-timeout", "1s"],
        )
        try:
            with anyio.fail_after(60):
                async with Client(server) as client:
                    await suite(client, Path(scratch))
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            record(False, "connection", f"{type(e).__name__}: {e}")
    return summary("database")


if __name__ == "__main__":
    sys.exit(anyio.run(main))
