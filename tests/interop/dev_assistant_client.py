"""The official Python MCP SDK against examples/dev_assistant: every tool and the resource over
stdio on a scratch project, with traversal and command-injection attempts refused; then over
Streamable HTTP with HS256 JWTs (PyJWT), where scopes decide what each caller sees. One PASS/FAIL
line per check, as python_client.py prints them, for run.sh.

    python dev_assistant_client.py SERVER_BINARY
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
import httpx2
import jwt
from checks import record, summary, text_of
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client



TASKS = {
    "echo": {"description": "echo its arguments", "program": "echo"},
    "ticks": {"description": "prints for two seconds", "program": "sh",
              "args": ["-c", "for i in 1 2; do echo tick $i; sleep 1; done"]},
}


def make_project(base: Path) -> tuple[Path, Path, Path]:
    root = base / "project"
    (root / "src").mkdir(parents=True)
    (root / "src/lib.rs").write_text("pub struct Engine;\n\nimpl Engine {\n    pub fn start(&self) {} // TODO: warm up\n}\n")
    (root / "tool.py").write_text("class Helper:\n    def run(self):\n        pass\n")
    (root / ".gitignore").write_text("build/\n")
    (root / "build").mkdir()
    (root / "build/out.rs").write_text("// TODO generated\n")
    secret = base / "secret.txt"
    secret.write_text("the secret")
    os.symlink(secret, root / "escape.md")
    tasks = base / "tasks.json"
    tasks.write_text(json.dumps(TASKS))
    return root, secret, tasks


async def stdio_suite(client: Client, root: Path, secret: Path) -> None:
    names = sorted(tool.name for tool in (await client.list_tools()).tools)
    want = ["edit_file", "find_symbol", "list_files", "list_tasks", "read_file", "run_task", "search_code", "write_file"]
    record(names == want, "tools/list names every tool", f"{names}")

    r = await client.call_tool("list_files", {})
    paths = (r.structured_content or {}).get("paths")
    record(paths == ["src/lib.rs", "tool.py"], "list_files respects .gitignore and skips symlinks", f"{r.structured_content}")
    r = await client.call_tool("read_file", {"path": "src/lib.rs", "limit": 18})
    record(text_of(r) == "pub struct Engine;", "read_file with a limit", text_of(r))
    r = await client.call_tool("search_code", {"pattern": r"TODO:?\s+\w+", "context": 1})
    matches = (r.structured_content or {}).get("matches", [])
    ok = (len(matches) == 1 and matches[0]["path"] == "src/lib.rs" and matches[0]["line"] == 4
          and matches[0]["column"] == 31 and matches[0]["before"] == ["impl Engine {"])
    record(ok, "search_code: file, line, column and context", f"{r.structured_content}")
    r = await client.call_tool("find_symbol", {"name": "Engine"})
    symbols = (r.structured_content or {}).get("symbols", [])
    record([(s["kind"], s["path"], s["line"]) for s in symbols] == [("struct", "src/lib.rs", 1)],
           "find_symbol: a Rust struct", f"{r.structured_content}")
    r = await client.call_tool("find_symbol", {"name": "help", "partial": True})
    symbols = (r.structured_content or {}).get("symbols", [])
    record([(s["name"], s["kind"]) for s in symbols] == [("Helper", "class")], "find_symbol: partial, Python", f"{symbols}")
    r = await client.call_tool("edit_file", {"path": "src/lib.rs", "old_text": "warm up", "new_text": "cool down"})
    record(not r.is_error and "cool down" in (root / "src/lib.rs").read_text(), "edit_file", text_of(r))
    r = await client.call_tool("write_file", {"path": "docs/guide.md", "content": "# Guide"})
    record(not r.is_error and (root / "docs/guide.md").read_text() == "# Guide", "write_file makes directories", text_of(r))
    contents = (await client.read_resource("file:///docs/guide.md")).contents
    record(getattr(contents[0], "text", None) == "# Guide", "resource file:///{+path}", f"{contents}")

    prompt = await client.get_prompt("review_file", {"path": "src/lib.rs", "focus": "naming"})
    text = getattr(prompt.messages[0].content, "text", "")
    record("focus on naming" in text and "pub struct Engine;" in text, "prompt review_file embeds the file", text[:200])
    prompt = await client.get_prompt("fix_failing_tests", {})
    text = getattr(prompt.messages[0].content, "text", "")
    record("`run_task` with command `test`" in text, "prompt fix_failing_tests", text[:200])

    r = await client.call_tool("list_tasks", {})
    listed = [task["name"] for task in (r.structured_content or {}).get("result", [])]
    record(listed == ["echo", "ticks"], "list_tasks", f"{r.structured_content}")
    progress: list[tuple[float, str | None]] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append((value, message))

    r = await client.call_tool("run_task", {"command": "ticks"}, progress_callback=on_progress)
    run = r.structured_content or {}
    record(run.get("exit_code") == 0 and run.get("output") == "tick 1\ntick 2\n", "run_task: exit code and output", f"{run}")
    record(len(progress) >= 1 and "tick" in (progress[-1][1] or ""), "run_task: progress while running", f"{progress}")
    injection = ["; touch pwned", "$(touch pwned)", "`touch pwned`", "| cat /etc/passwd"]
    r = await client.call_tool("run_task", {"command": "echo", "args": injection})
    output = (r.structured_content or {}).get("output")
    record(output == " ".join(injection) + "\n" and not (root / "pwned").exists(),
           "run_task: shell syntax is inert", f"{r.structured_content}")
    r = await client.call_tool("run_task", {"command": "echo", "args": ["--help"]})
    record(r.is_error is True and "is not allowed for task `echo`" in text_of(r), "run_task: unlisted flags refused", text_of(r))
    r = await client.call_tool("run_task", {"command": "bash"})
    record(r.is_error is True and "is not an allowed task" in text_of(r), "run_task: unknown task refused", text_of(r))

    for path in ["../secret.txt", str(secret), "src/../../secret.txt", "..\\secret.txt"]:
        r = await client.call_tool("read_file", {"path": path})
        record(r.is_error is True and "is not allowed" in text_of(r), f"read_file {path!r} refused", text_of(r))
        r = await client.call_tool("search_code", {"pattern": "secret", "path": path})
        record(r.is_error is True and "is not allowed" in text_of(r), f"search_code in {path!r} refused", text_of(r))
    r = await client.call_tool("read_file", {"path": "escape.md"})
    record(r.is_error is True and "leads outside the root" in text_of(r), "a symlink out is refused", text_of(r))
    r = await client.call_tool("search_code", {"pattern": "the secret"})
    record((r.structured_content or {}).get("matches") == [], "search never reads through a symlink out", f"{r.structured_content}")
    record(secret.read_text() == "the secret", "the secret is untouched")


def token(secret: str, scope: str) -> str:
    return jwt.encode({"sub": f"interop {scope}", "scope": scope, "exp": int(time.time()) + 600}, secret, algorithm="HS256")


def jwt_client(url: str, bearer: str | None) -> Client:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else None
    return Client(streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers)), mode="legacy")


async def http_suite(url: str, secret: str, root: Path) -> None:
    async with jwt_client(url, token(secret, "files:read")) as reader:
        names = sorted(tool.name for tool in (await reader.list_tools()).tools)
        record(names == ["find_symbol", "list_files", "read_file", "search_code"], "http: files:read sees the read tools", f"{names}")
        r = await reader.call_tool("find_symbol", {"name": "start"})
        record(len((r.structured_content or {}).get("symbols", [])) == 1, "http: files:read searches", f"{r.structured_content}")
    async with jwt_client(url, token(secret, "files:write tasks:run")) as writer:
        names = sorted(tool.name for tool in (await writer.list_tools()).tools)
        record(len(names) == 8, "http: files:write + tasks:run sees every tool", f"{names}")
        r = await writer.call_tool("run_task", {"command": "echo", "args": ["over", "http"]})
        record((r.structured_content or {}).get("output") == "over http\n", "http: run_task", f"{r.structured_content}")
    async with httpx2.AsyncClient() as http:
        answer = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                                 headers={"Accept": "application/json, text/event-stream",
                                          "Authorization": "Bearer " + jwt.encode({"sub": "x", "scope": "files:read"}, "wrong-secret-wrong-secret-wrong-secret", algorithm="HS256")})
        record(answer.status_code == 401 and "invalid_token" in answer.headers.get("www-authenticate", ""),
               "http: a forged JWT gets 401 invalid_token", f"{answer.status_code} {answer.headers}")
        metrics = (await http.get(url.removesuffix("/mcp") + "/metrics")).text
        record('name="run_task",status="ok"' in metrics, "http: /metrics counts the calls", metrics[:200])


async def main() -> int:
    server_binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        root, secret, tasks = make_project(Path(scratch))
        base = ["--root", str(root), "--tasks", str(tasks)]
        try:
            with anyio.fail_after(60):
                async with Client(StdioServerParameters(command=server_binary, args=base), mode="legacy") as client:
                    await stdio_suite(client, root, secret)
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            record(False, "stdio connection", f"{type(e).__name__}: {e}")

        jwt_secret = "interop-secret-" + os.urandom(16).hex()
        server = subprocess.Popen([server_binary, *base, "--transport", "http", "--port", "0", "--auth-jwt-secret", jwt_secret],
                                  stderr=subprocess.PIPE, text=True)
        try:
            url = None
            assert server.stderr is not None
            for line in server.stderr:
                found = re.search(r"http://127\.0\.0\.1:\d+/mcp", line)
                if found:
                    url = found.group(0)
                    break
            if url is None:
                record(False, "http: the server names its address")
            else:
                with anyio.fail_after(60):
                    await http_suite(url, jwt_secret, root)
        except Exception as e:  # noqa: BLE001
            record(False, "http connection", f"{type(e).__name__}: {e}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return summary("dev assistant")


if __name__ == "__main__":
    sys.exit(anyio.run(main))
