"""The official Python MCP SDK against examples/filesystem.rs over stdio: every tool and the
resource template on a scratch tree, and traversal attempts refused. One PASS/FAIL line per
check, as python_client.py prints them, for run.sh.

    python filesystem_client.py SERVER_BINARY
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import anyio
from checks import record, summary, text_of
from mcp import Client, StdioServerParameters



async def suite(client: Client, root: Path, secret: Path) -> None:
    names = sorted(tool.name for tool in (await client.list_tools()).tools)
    want = ["create_directory", "delete_file", "file_info", "list_directory", "move_file", "read_file",
            "search_files", "write_file"]
    record(names == want, "tools/list names every tool", f"{names}")

    r = await client.call_tool("write_file", {"path": "docs/a.md", "content": "# A"})
    record(not r.is_error and (root / "docs/a.md").read_text() == "# A", "write_file", text_of(r))
    r = await client.call_tool("read_file", {"path": "docs/a.md"})
    record(text_of(r) == "# A", "read_file", text_of(r))
    r = await client.call_tool("read_file", {"path": "docs/a.md", "offset": 2, "limit": 1})
    record(text_of(r) == "A", "read_file with offset and limit", text_of(r))
    r = await client.call_tool("list_directory", {"path": "docs", "pattern": "*.md"})
    names = [entry["name"] for entry in (r.structured_content or {}).get("entries", [])]
    record(names == ["a.md"], "list_directory with a glob", f"{r.structured_content}")
    r = await client.call_tool("create_directory", {"path": "docs/sub"})
    record(not r.is_error and (root / "docs/sub").is_dir(), "create_directory", text_of(r))
    r = await client.call_tool("move_file", {"from": "docs/a.md", "to": "docs/sub/b.md"})
    record(not r.is_error and (root / "docs/sub/b.md").exists(), "move_file", text_of(r))
    r = await client.call_tool("search_files", {"pattern": "*.md"})
    # The symlink is an entry like any other; following it is what is refused.
    found = (r.structured_content or {}).get("paths")
    record(found == ["docs/sub/b.md", "escape.md"], "search_files", f"{r.structured_content}")
    r = await client.call_tool("file_info", {"path": "docs/sub/b.md"})
    info = r.structured_content or {}
    record(info.get("kind") == "file" and info.get("size") == 3, "file_info", f"{info}")
    contents = (await client.read_resource("file:///docs/sub/b.md")).contents
    record(getattr(contents[0], "text", None) == "# A", "resource file:///{+path}", f"{contents}")
    r = await client.call_tool("delete_file", {"path": "docs/sub/b.md"})
    record(not r.is_error and not (root / "docs/sub/b.md").exists(), "delete_file", text_of(r))

    for path in ["../secret.txt", str(secret), "docs/../../secret.txt", "..\\secret.txt"]:
        r = await client.call_tool("read_file", {"path": path})
        record(r.is_error is True and "is not allowed" in text_of(r), f"read_file {path!r} refused", text_of(r))
        r = await client.call_tool("write_file", {"path": path, "content": "pwned"})
        record(r.is_error is True and "is not allowed" in text_of(r), f"write_file {path!r} refused", text_of(r))
    r = await client.call_tool("read_file", {"path": "escape.md"})
    record(r.is_error is True and "leads outside the root" in text_of(r), "a symlink out is refused", text_of(r))
    record(secret.read_text() == "the secret", "the secret is untouched")


async def main() -> int:
    server_binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        root = base / "root"
        (root / "docs").mkdir(parents=True)
        secret = base / "secret.txt"
        secret.write_text("the secret")
        os.symlink(secret, root / "escape.md")
        server = StdioServerParameters(command=server_binary, args=["--root", str(root), "--allow-write"])
        try:
            with anyio.fail_after(60):
                async with Client(server) as client:
                    await suite(client, root, secret)
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            record(False, "connection", f"{type(e).__name__}: {e}")
    return summary("filesystem")


if __name__ == "__main__":
    sys.exit(anyio.run(main))
