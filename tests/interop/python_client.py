#!/usr/bin/env python3
"""Drive the quickstart server with the official Python MCP SDK (`mcp` on PyPI).

Usage:
    python_client.py stdio                      # spawns $QUICKSTART (or --quickstart) over stdio
    python_client.py http://127.0.0.1:PORT/mcp  # Streamable HTTP
    python_client.py http://127.0.0.1:PORT/sse  # the legacy HTTP+SSE transport (mcp.client.sse)
    python_client.py URL --auth READER_KEY EDITOR_KEY   # only the API-key checks, against a server
                                                        # started with --auth-api-keys
Options:
    --mode legacy|auto   legacy (default): the initialize handshake (protocol 2025-11-25).
                         auto: the SDK's default, `server/discover` first (protocol 2026-07-28),
                         where subscriptions go through `subscriptions/listen`.
    --stateless          the HTTP server runs with --stateless: a 2025-11-25 client has no session
                         there, so the server must promise no notifications (no resources.subscribe,
                         no listChanged) and refuse resources/subscribe with -32600.
    --tag NAME           prefix for the notes this client writes (default: python).

Every check prints `PASS <name>`, `FAIL <name>: <detail>`, `SKIP <name>: <reason>` or
`XFAIL <name>: <detail>` (a known server issue, reported but not counted as a failure unless
INTEROP_STRICT=1); the exit status is 1 when any check failed. The notepad is shared by every client of one HTTP server, so
clients must run one after another against a given server.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import traceback
import warnings
from typing import Any

import anyio
import httpx2
import mcp
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import PromptReference

warnings.simplefilter("ignore")  # the SDK marks 2025-era methods (subscribe, ping) deprecated

ALL_TOOLS = {"add", "add_note", "clear_notes", "count_slowly", "divide", "list_notes", "text_stats"}
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
RESOURCE_NOT_FOUND = -32002
# JSON Schema `format`s that schemars emits for Rust numbers; not in the JSON Schema vocabulary, so
# validators such as Ajv warn about them. The server states the ranges with minimum/maximum instead.
NONSTANDARD_FORMATS = {"int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float", "double"}
NO_STREAM = "has no stream to send resource updates on"

results: list[tuple[str, str, str]] = []


def record(status: str, name: str, detail: str = "") -> None:
    results.append((status, name, detail))
    line = f"{status} {name}" + (f": {detail}" if detail else "")
    print(line, flush=True)


class Check:
    """`async with Check("name") as c:` -- an exception or `c.fail(...)` makes it FAIL."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.failed: str | None = None
        self.skipped: str | None = None
        self.known: str | None = None

    def fail(self, detail: str) -> None:
        if self.failed is None:
            self.failed = detail

    def expect(self, cond: bool, detail: str) -> None:
        if not cond:
            self.fail(detail)

    def skip(self, reason: str) -> None:
        self.skipped = reason

    def xfail(self, reason: str) -> None:
        """A known server issue: a failure prints XFAIL and does not count, unless INTEROP_STRICT=1."""
        self.known = reason

    async def __aenter__(self) -> Check:
        return self

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        if exc is not None:
            if isinstance(exc, MCPError):
                detail = f"unexpected JSON-RPC error {exc.error.code}: {exc.error.message}"
            else:
                detail = f"{type(exc).__name__}: {exc}"
                if os.environ.get("INTEROP_DEBUG"):
                    traceback.print_exception(exc)
            self.fail(detail)
        if self.failed is not None and self.known is not None and os.environ.get("INTEROP_STRICT") != "1":
            record("XFAIL", self.name, f"{self.failed} (known server issue: {self.known})")
        elif self.failed is not None:
            record("FAIL", self.name, self.failed)
        elif self.skipped is not None:
            record("SKIP", self.name, self.skipped)
        else:
            record("PASS", self.name, "known issue no longer reproduces; remove the xfail" if self.known else "")
        # Swallow ordinary errors so the next check runs; let cancellation through.
        return exc is None or isinstance(exc, Exception)


def innermost(e: BaseException) -> BaseException:
    while isinstance(e, BaseExceptionGroup) and len(e.exceptions) == 1:
        e = e.exceptions[0]
    return e


def nonstandard_formats(schema: Any, path: str = "#") -> list[str]:
    """Every `format` in `schema` (recursively) whose value is one of NONSTANDARD_FORMATS, as path=value."""
    found: list[str] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "format" and isinstance(value, str) and value in NONSTANDARD_FORMATS:
                found.append(f"{path}/format={value}")
            else:
                found.extend(nonstandard_formats(value, f"{path}/{key}"))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found.extend(nonstandard_formats(value, f"{path}/{i}"))
    return found


def capability_flags(caps: Any) -> dict[str, Any]:
    """The notification promises in ServerCapabilities: name -> value, or "absent" when not sent at all."""
    flags: dict[str, Any] = {}
    for group, field, wire in (("resources", "subscribe", "resources.subscribe"),
                               ("resources", "list_changed", "resources.listChanged"),
                               ("tools", "list_changed", "tools.listChanged"),
                               ("prompts", "list_changed", "prompts.listChanged")):
        cap = getattr(caps, group)
        flags[wire] = getattr(cap, field) if cap is not None and field in cap.model_fields_set else "absent"
    return flags


def text_of(result: Any) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


async def expect_mcp_error(c: Check, coro, code: int | None, what: str) -> MCPError | None:
    try:
        value = await coro
    except MCPError as e:
        if code is not None and e.error.code != code:
            c.fail(f"{what}: expected JSON-RPC error {code}, got {e.error.code}: {e.error.message}")
        return e
    c.fail(f"{what}: expected a JSON-RPC error{f' {code}' if code else ''}, got a result: {value!r:.300}")
    return None


# --------------------------------------------------------------------------------------------------
# The full functional suite (no auth)


async def functional_suite(client: Client, args: argparse.Namespace, updates: list[str]) -> None:
    tag = args.tag
    modern = client.protocol_version >= "2026"

    async with Check("initialize") as c:
        c.expect(client.server_info is not None and client.server_info.name == "quickstart",
                 f"serverInfo {client.server_info!r}")
        caps = client.server_capabilities
        c.expect(caps.tools is not None, "no tools capability")
        c.expect(caps.resources is not None, "no resources capability")
        c.expect(caps.prompts is not None, "no prompts capability")
        c.expect(caps.completions is not None, "no completions capability")
        expected_version = "2026-07-28" if args.mode == "auto" else "2025-11-25"
        c.expect(client.protocol_version == expected_version,
                 f"negotiated {client.protocol_version}, expected {expected_version}")
        if not modern:
            c.expect(bool(client.instructions) and "notepad" in client.instructions, f"instructions {client.instructions!r}")

    sessionless = args.stateless and not modern
    if sessionless:
        name = "capabilities: no resources.subscribe nor listChanged (no session, nothing can notify)"
    else:
        name = "capabilities: resources.subscribe and listChanged advertised"
    async with Check(name) as c:
        flags = capability_flags(client.server_capabilities)
        # A 2025-11-25 client of a --stateless server has no session, hence no stream that could
        # carry a notification: the server promises none. Everyone else is promised all four.
        want = {k: "absent" if sessionless else True for k in flags}
        c.expect(flags == want, f"capabilities {flags}, expected {want}")

    async with Check("tools/list") as c:
        tools = (await client.list_tools()).tools
        names = {t.name for t in tools}
        c.expect(names == ALL_TOOLS, f"tools {sorted(names)}, expected {sorted(ALL_TOOLS)}")
        add = next(t for t in tools if t.name == "add")
        c.expect(sorted(add.input_schema.get("required", [])) == ["a", "b"], f"add inputSchema {add.input_schema}")
        c.expect(add.output_schema is not None and "result" in add.output_schema.get("properties", {}),
                 f"add outputSchema {add.output_schema}")
        c.expect(add.annotations is not None and add.annotations.read_only_hint is True, f"add annotations {add.annotations}")

    async with Check("tools/list: no non-standard `format` (uint, double, ...) in any schema") as c:
        tools = (await client.list_tools()).tools
        for t in tools:
            for which, schema in (("inputSchema", t.input_schema), ("outputSchema", t.output_schema)):
                bad = nonstandard_formats(schema)
                c.expect(not bad, f"{t.name} {which}: {bad}")
        stats = next((t for t in tools if t.name == "text_stats"), None)
        props = ((stats.output_schema or {}) if stats else {}).get("properties", {})
        for field in ("words", "lines", "characters"):
            c.expect(props.get(field, {}).get("minimum") == 0 and props.get(field, {}).get("type") == "integer",
                     f"text_stats outputSchema.{field} {props.get(field)}, expected an integer with minimum 0")

    async with Check("tool add 2+3 -> 5 (structuredContent)") as c:
        r = await client.call_tool("add", {"a": 2, "b": 3})
        c.expect(not r.is_error, f"isError: {text_of(r)}")
        c.expect(r.structured_content == {"result": 5}, f"structuredContent {r.structured_content}")
        c.expect(text_of(r) == "5", f"text {text_of(r)!r}")

    async with Check("tool divide 7/2 -> 3.5") as c:
        r = await client.call_tool("divide", {"dividend": 7, "divisor": 2})
        c.expect(not r.is_error, f"isError: {text_of(r)}")
        c.expect(r.structured_content == {"result": 3.5}, f"structuredContent {r.structured_content}")

    async with Check("tool divide by zero -> isError") as c:
        r = await client.call_tool("divide", {"dividend": 1, "divisor": 0})
        msg = text_of(r)
        c.expect(r.is_error is True, f"isError {r.is_error}, text {msg!r}")
        c.expect("divisor" in msg and "zero" in msg, f"message does not name divisor/zero: {msg!r}")

    async with Check("tool text_stats structured result") as c:
        text = "The cat and the hat\nthe end"
        r = await client.call_tool("text_stats", {"text": text})
        want = {"words": 7, "lines": 2, "characters": len(text), "most_common_word": "the"}
        c.expect(not r.is_error, f"isError: {text_of(r)}")
        c.expect(r.structured_content == want, f"structuredContent {r.structured_content}, expected {want}")
        c.expect(json.loads(text_of(r)) == want, f"text copy {text_of(r)!r}")

    async with Check("tool count_slowly with progress notifications") as c:
        progress: list[tuple[float, float | None, str | None]] = []

        async def on_progress(p: float, total: float | None, message: str | None) -> None:
            progress.append((p, total, message))

        r = await client.call_tool("count_slowly", {"to": 3, "interval_ms": 20}, progress_callback=on_progress)
        c.expect(not r.is_error and text_of(r) == "counted to 3", f"result {text_of(r)!r}")
        c.expect([p for p, _, _ in progress] == [1, 2, 3], f"progress values {progress}")
        c.expect(all(t == 3 for _, t, _ in progress), f"progress totals {progress}")
        c.expect(bool(progress) and progress[-1][2] == "counted 3 of 3", f"progress messages {progress}")

    async with Check("tool clear_notes") as c:
        r = await client.call_tool("clear_notes", {})
        c.expect(not r.is_error and text_of(r).startswith("removed "), f"result {text_of(r)!r}")

    async with Check("tool list_notes (empty)") as c:
        r = await client.call_tool("list_notes", {})
        c.expect(not r.is_error and r.structured_content == {"result": []}, f"structuredContent {r.structured_content}")

    async with Check("tool add_note") as c:
        r = await client.call_tool("add_note", {"text": f"{tag} note one"})
        c.expect(not r.is_error and text_of(r) == "1 note(s)", f"result {text_of(r)!r} isError {r.is_error}")

    async with Check("tool list_notes (one note)") as c:
        r = await client.call_tool("list_notes", {})
        notes = (r.structured_content or {}).get("result")
        c.expect(isinstance(notes, list) and len(notes) == 1 and notes[0].startswith(f"{tag} note one (by "),
                 f"structuredContent {r.structured_content}")

    # ---- error classes
    async with Check("unknown tool -> JSON-RPC error -32602") as c:
        e = await expect_mcp_error(c, client.call_tool("no_such_tool", {}), INVALID_PARAMS, "tools/call no_such_tool")
        if e is not None:
            c.expect("no_such_tool" in e.error.message, f"message does not name the tool: {e.error.message!r}")

    async with Check("wrong argument type -> isError naming the argument") as c:
        r = await client.call_tool("add", {"a": 2, "b": "two"})
        msg = text_of(r)
        c.expect(r.is_error is True, f"isError {r.is_error}, text {msg!r}")
        c.expect("`b`" in msg, f"message does not name `b`: {msg!r}")

    async with Check("missing required argument -> isError") as c:
        r = await client.call_tool("add", {"a": 2})
        msg = text_of(r)
        c.expect(r.is_error is True, f"isError {r.is_error}, text {msg!r}")
        c.expect("b" in msg, f"message does not name b: {msg!r}")

    # ---- resources
    async with Check("resources/list") as c:
        uris = {str(res.uri) for res in (await client.list_resources()).resources}
        want = {"config://quickstart", "images://pixel.png", "notes://latest"}
        c.expect(want <= uris, f"resources {sorted(uris)}, expected at least {sorted(want)}")

    async with Check("resources/templates/list") as c:
        templates = (await client.list_resource_templates()).resource_templates
        c.expect([t.uri_template for t in templates] == ["notes://{number}"], f"templates {templates}")

    async with Check("read config://quickstart (JSON)") as c:
        contents = (await client.read_resource("config://quickstart")).contents
        c.expect(len(contents) == 1, f"{len(contents)} contents")
        body = contents[0]
        c.expect(body.mime_type == "application/json", f"mimeType {body.mime_type}")
        data = json.loads(body.text)
        c.expect(data.get("server") == "quickstart" and data.get("notepad") == {"max_note_length": 500}, f"JSON {data}")

    async with Check("read images://pixel.png (blob)") as c:
        body = (await client.read_resource("images://pixel.png")).contents[0]
        c.expect(body.mime_type == "image/png", f"mimeType {body.mime_type}")
        blob = base64.b64decode(getattr(body, "blob", "") or "")
        c.expect(blob.startswith(b"\x89PNG\r\n\x1a\n") and len(blob) == 67, f"blob of {len(blob)} bytes: {blob[:8]!r}")

    async with Check("read notes://latest") as c:
        body = (await client.read_resource("notes://latest", cache_mode="bypass")).contents[0]
        c.expect(getattr(body, "text", "").startswith(f"{tag} note one (by "), f"text {getattr(body, 'text', None)!r}")

    async with Check("read notes://1 (template)") as c:
        body = (await client.read_resource("notes://1", cache_mode="bypass")).contents[0]
        c.expect(str(body.uri) == "notes://1", f"uri {body.uri}")
        c.expect(getattr(body, "text", "").startswith(f"{tag} note one (by "), f"text {getattr(body, 'text', None)!r}")

    # Resource not found is -32002 up to 2025-11-25; 2026-07-28 (SEP-2164) made it -32602.
    not_found = INVALID_PARAMS if modern else RESOURCE_NOT_FOUND
    async with Check(f"read notes://999 (template, handler says not found) -> {not_found}") as c:
        e = await expect_mcp_error(c, client.read_resource("notes://999", cache_mode="bypass"), not_found, "notes://999")
        if e is not None:
            want = "no resource at `notes://999`: there is no note 999; the notepad holds 1 note(s)"
            c.expect(e.error.message.startswith(want), f"message {e.error.message!r}, expected it to start with {want!r}")

    async with Check(f"read unknown URI -> {not_found}") as c:
        e = await expect_mcp_error(c, client.read_resource("nothing://here", cache_mode="bypass"), not_found,
                                   "nothing://here")
        if e is not None:
            c.expect("nothing://here" in e.error.message, f"message does not name the URI: {e.error.message!r}")

    if sessionless:
        # No session, so no stream could carry notifications/resources/updated: refused up front.
        async with Check("resources/subscribe refused without a session -> -32600") as c:
            e = await expect_mcp_error(c, client.subscribe_resource("notes://latest"), INVALID_REQUEST,
                                       "resources/subscribe")
            if e is not None:
                c.expect(NO_STREAM in e.error.message, f"message {e.error.message!r} lacks {NO_STREAM!r}")
    else:
        async with Check("subscribe notes://latest + add_note -> notifications/resources/updated") as c:
            if modern:
                # 2026-07-28: `subscriptions/listen` keeps its own response stream open, sessions or not.
                async with client.listen(resource_subscriptions=["notes://latest"]) as sub:
                    await client.call_tool("add_note", {"text": f"{tag} note two"})
                    with anyio.fail_after(5):
                        async for event in sub:
                            if getattr(event, "uri", None) == "notes://latest":
                                break
            else:
                updates.clear()
                await client.subscribe_resource("notes://latest")
                r = await client.call_tool("add_note", {"text": f"{tag} note two"})
                c.expect(not r.is_error, f"add_note: {text_of(r)}")
                with anyio.move_on_after(5):
                    while "notes://latest" not in updates:
                        await anyio.sleep(0.02)
                c.expect("notes://latest" in updates, f"no notifications/resources/updated for notes://latest (got {updates})")
                await client.unsubscribe_resource("notes://latest")

    # ---- prompts
    async with Check("prompts/list") as c:
        prompts = {p.name: p for p in (await client.list_prompts()).prompts}
        c.expect(set(prompts) == {"summarize", "code_review"}, f"prompts {sorted(prompts)}")
        args_of = {n: {a.name: bool(a.required) for a in (p.arguments or [])} for n, p in prompts.items()}
        c.expect(args_of.get("summarize") == {"text": True, "sentences": False}, f"summarize arguments {args_of.get('summarize')}")
        c.expect(args_of.get("code_review") == {"language": True, "diff": True}, f"code_review arguments {args_of.get('code_review')}")

    async with Check("prompts/get summarize") as c:
        r = await client.get_prompt("summarize", {"text": "MCP is a protocol.", "sentences": "2"})
        c.expect(len(r.messages) == 1 and r.messages[0].role == "user", f"messages {r.messages}")
        t = r.messages[0].content.text
        c.expect("in 2 sentences" in t and "MCP is a protocol." in t, f"text {t!r}")

    async with Check("prompts/get code_review (assistant then user)") as c:
        r = await client.get_prompt("code_review", {"language": "rust", "diff": "- a\n+ b"})
        c.expect([m.role for m in r.messages] == ["assistant", "user"], f"roles {[m.role for m in r.messages]}")
        c.expect("senior rust engineer" in r.messages[0].content.text, f"assistant text {r.messages[0].content.text!r}")
        c.expect("- a\n+ b" in r.messages[1].content.text, f"user text {r.messages[1].content.text!r}")

    async with Check("prompts/get missing argument -> -32602") as c:
        e = await expect_mcp_error(c, client.get_prompt("code_review", {"language": "rust"}), INVALID_PARAMS,
                                   "code_review without diff")
        if e is not None:
            c.expect("diff" in e.error.message, f"message does not name diff: {e.error.message!r}")

    async with Check("completion/complete code_review.language 'r'") as c:
        r = await client.complete(PromptReference(name="code_review"), {"name": "language", "value": "r"})
        c.expect(r.completion.values == ["ruby", "rust"], f"values {r.completion.values}")

    async with Check("tool clear_notes (cleanup)") as c:
        r = await client.call_tool("clear_notes", {})
        c.expect(not r.is_error and text_of(r).startswith("removed "), f"result {text_of(r)!r}")


# --------------------------------------------------------------------------------------------------
# Session lifecycle over plain HTTP (session mode only): what the SDK's closing DELETE relies on


async def session_suite(url: str) -> None:
    headers = {"Accept": "application/json, text/event-stream"}
    async with httpx2.AsyncClient(headers=headers) as http:
        init = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "0"}}})
        sid = init.headers.get("mcp-session-id")
        session = {"Mcp-Session-Id": sid or "", "MCP-Protocol-Version": "2025-11-25"}

        async with Check("http session: initialize returns Mcp-Session-Id") as c:
            c.expect(init.status_code == 200 and bool(sid), f"status {init.status_code}, Mcp-Session-Id {sid!r}")

        first = await http.delete(url, headers=session)
        async with Check("http session: DELETE ends the session (2xx)") as c:
            c.expect(200 <= first.status_code < 300, f"status {first.status_code}")
            if first.status_code not in (200, 204):
                # The Python SDK logs "Session termination failed: <status>" for anything but 200/204.
                print(f"  info: DELETE of a live session answered {first.status_code}", flush=True)

        async with Check("http session: POST with the ended session -> 404") as c:
            r = await http.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers=session)
            c.expect(r.status_code == 404, f"status {r.status_code}: {r.text[:200]!r}")

        async with Check("http session: DELETE of an ended session -> 404") as c:
            # 2025-11-25 basic/transports, session management: once a session is terminated, the
            # server MUST answer requests carrying its ID with 404 Not Found.
            again = await http.delete(url, headers=session)
            c.expect(again.status_code == 404, f"second DELETE answered {again.status_code}")
            bogus = await http.delete(url, headers={**session, "Mcp-Session-Id": "never-issued"})
            c.expect(bogus.status_code == 404, f"DELETE with a never-issued session ID answered {bogus.status_code}")


# --------------------------------------------------------------------------------------------------
# API-key checks (HTTP only)


def keyed_client(url: str, key: str | None, mode: str, **kwargs: Any) -> Client:
    headers = {"Authorization": f"Bearer {key}"} if key else None
    http = httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30, read=300))
    return Client(streamable_http_client(url, http_client=http), mode=mode, **kwargs)


async def auth_suite(url: str, reader: str, editor: str, args: argparse.Namespace) -> None:
    mode = "legacy" if args.mode == "legacy" else "auto"
    tag = args.tag

    async with Check("auth: no key -> HTTP 401 with WWW-Authenticate") as c:
        async with httpx2.AsyncClient() as http:
            body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                               "clientInfo": {"name": "probe", "version": "0"}}}
            resp = await http.post(url, json=body, headers={"Accept": "application/json, text/event-stream"})
            c.expect(resp.status_code == 401, f"status {resp.status_code}")
            # API keys and no authorization server: a plain `Bearer`, nothing to discover.
            c.expect(resp.headers.get("www-authenticate", "") == "Bearer",
                     f"WWW-Authenticate {resp.headers.get('www-authenticate')!r}")

    async with Check("auth: no key -> SDK client cannot connect") as c:
        try:
            with anyio.fail_after(20):
                async with keyed_client(url, None, mode):
                    c.fail("connected without a key")
        except MCPError as e:
            print(f"  info: connecting without a key -> MCPError {e.error.code}: {e.error.message}", flush=True)
        except Exception as e:  # noqa: BLE001 - any failure to connect is the expected outcome
            e = innermost(e)
            print(f"  info: connecting without a key -> {type(e).__name__}: {e}", flush=True)

    async with Check("auth: wrong key -> SDK client cannot connect") as c:
        try:
            with anyio.fail_after(20):
                async with keyed_client(url, "not-a-key", mode):
                    c.fail("connected with a wrong key")
        except Exception:  # noqa: BLE001
            pass

    async with keyed_client(url, editor, mode) as ed, keyed_client(url, reader, mode) as rd:
        async with Check("auth: editor tools/list has 6 tools (add_note, no clear_notes)") as c:
            names = {t.name for t in (await ed.list_tools()).tools}
            c.expect(names == ALL_TOOLS - {"clear_notes"}, f"tools {sorted(names)}")

        async with Check("auth: reader tools/list has 5 tools (list_notes, no add_note/clear_notes)") as c:
            names = {t.name for t in (await rd.list_tools()).tools}
            c.expect(names == ALL_TOOLS - {"clear_notes", "add_note"}, f"tools {sorted(names)}")

        async with Check("auth: editor add_note succeeds, subject is the key's name") as c:
            r = await ed.call_tool("add_note", {"text": f"{tag} keyed note"})
            c.expect(not r.is_error, f"isError: {text_of(r)}")
            notes = ((await ed.call_tool("list_notes", {})).structured_content or {}).get("result", [])
            c.expect(f"{tag} keyed note (by editor)" in notes, f"notes {notes}")

        async with Check("auth: reader list_notes and notes://latest") as c:
            r = await rd.call_tool("list_notes", {})
            c.expect(not r.is_error and f"{tag} keyed note (by editor)" in r.structured_content.get("result", []),
                     f"list_notes {r.structured_content} {text_of(r)!r}")
            body = (await rd.read_resource("notes://latest", cache_mode="bypass")).contents[0]
            c.expect(getattr(body, "text", "") == f"{tag} keyed note (by editor)", f"notes://latest {body}")

        async with Check("auth: reader add_note refused (SDK)") as c:
            try:
                r = await rd.call_tool("add_note", {"text": "should be refused"})
                c.fail(f"not refused: isError {r.is_error}, text {text_of(r)!r}")
            except MCPError as e:
                print(f"  info: reader add_note through the SDK -> MCPError {e.error.code}: {e.error.message}", flush=True)

        async with Check("auth: reader clear_notes refused (SDK)") as c:
            try:
                r = await rd.call_tool("clear_notes", {})
                c.fail(f"not refused: isError {r.is_error}, text {text_of(r)!r}")
            except MCPError:
                pass

        async with Check("auth: editor clear_notes refused (needs notes:admin)") as c:
            try:
                r = await ed.call_tool("clear_notes", {})
                c.fail(f"not refused: isError {r.is_error}, text {text_of(r)!r}")
            except MCPError:
                pass

    async with Check("auth: reader add_note -> HTTP 403 insufficient_scope (raw)") as c:
        status, headers, body = await raw_call(url, reader, "tools/call", {"name": "add_note", "arguments": {"text": "x"}})
        c.expect(status == 403, f"status {status}, body {body!r:.300}")
        challenge = headers.get("www-authenticate", "")
        c.expect('error="insufficient_scope"' in challenge and 'scope="notes:write"' in challenge,
                 f"WWW-Authenticate {challenge!r}")
        print(f"  info: reader add_note -> HTTP {status}, WWW-Authenticate: {challenge}, body: {body[:200]}", flush=True)


async def raw_call(url: str, key: str, method: str, params: dict) -> tuple[int, httpx2.Headers, str]:
    """One JSON-RPC request over a fresh 2025-11-25 session, with plain HTTP, to see the status code."""
    accept = {"Accept": "application/json, text/event-stream", "Authorization": f"Bearer {key}"}
    async with httpx2.AsyncClient(headers=accept) as http:
        init = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "0"}}})
        session = {k: v for k, v in (("Mcp-Session-Id", init.headers.get("mcp-session-id")),) if v}
        session["MCP-Protocol-Version"] = "2025-11-25"
        await http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=session)
        resp = await http.post(url, json={"jsonrpc": "2.0", "id": 2, "method": method, "params": params}, headers=session)
        if "mcp-session-id" in session or "Mcp-Session-Id" in session:
            await http.delete(url, headers=session)
        return resp.status_code, resp.headers, resp.text


# --------------------------------------------------------------------------------------------------


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", help="`stdio` or the server's Streamable HTTP URL")
    parser.add_argument("--quickstart", default=os.environ.get("QUICKSTART", "target/debug/examples/quickstart"))
    parser.add_argument("--mode", choices=["legacy", "auto"], default="legacy")
    parser.add_argument("--stateless", action="store_true")
    parser.add_argument("--auth", nargs=2, metavar=("READER_KEY", "EDITOR_KEY"))
    parser.add_argument("--tag", default="python")
    args = parser.parse_args()
    print(f"# python mcp {mcp_version()} -> {args.target} (mode {args.mode}{', stateless' if args.stateless else ''})",
          flush=True)

    if args.auth:
        if args.target == "stdio":
            parser.error("--auth needs an HTTP URL")
        try:
            with anyio.fail_after(120):
                await auth_suite(args.target, args.auth[0], args.auth[1], args)
        except Exception as e:  # noqa: BLE001 - e.g. the keyed clients could not connect
            e = innermost(e)
            record("FAIL", "auth: connection", f"{type(e).__name__}: {e}")
    else:
        updates: list[str] = []

        async def on_message(message: Any) -> None:
            if isinstance(message, mcp.types.ResourceUpdatedNotification):
                updates.append(message.params.uri)

        legacy_sse = args.target.endswith("/sse")
        if args.target == "stdio":
            server: Any = StdioServerParameters(command=args.quickstart, args=["--transport", "stdio"])
        elif legacy_sse:
            server = sse_client(args.target)
        else:
            server = args.target
        try:
            with anyio.fail_after(120):
                async with Client(server, mode=args.mode, message_handler=on_message) as client:
                    await functional_suite(client, args, updates)
        except Exception as e:  # noqa: BLE001
            e = innermost(e)
            record("FAIL", "connection", f"{type(e).__name__}: {e}")
            if os.environ.get("INTEROP_DEBUG"):
                traceback.print_exc()
        if args.target != "stdio" and not legacy_sse and not args.stateless and args.mode == "legacy":
            await session_suite(args.target)

    failed = sum(1 for s, _, _ in results if s == "FAIL")
    passed = sum(1 for s, _, _ in results if s == "PASS")
    skipped = sum(1 for s, _, _ in results if s == "SKIP")
    xfailed = sum(1 for s, _, _ in results if s == "XFAIL")
    print(f"python: {passed} passed, {failed} failed, {skipped} skipped, {xfailed} xfailed", flush=True)
    return 1 if failed or not passed else 0


def mcp_version() -> str:
    from importlib.metadata import version

    return version("mcp")


if __name__ == "__main__":
    sys.exit(anyio.run(main))
