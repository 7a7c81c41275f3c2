"""The official Python MCP SDK against the hub example over stdio, the hub proxying the
conformance example (its stdio child): the downstream's tools under its prefix, and what it sends
on a call reaching this client in either era. A 2025 client (--mode legacy) is asked the
downstream's questions on the spot; a 2026-07-28 one (--mode auto) gets `input_required` while
the hub holds the downstream's call, and the SDK's retry carries the answers there. One PASS/FAIL
line per check, as python_client.py prints them, for run.sh.

    python hub_client.py HUB_BINARY CONFORMANCE_BINARY --mode legacy|auto
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from checks import record, summary, text_of
from mcp import Client, StdioServerParameters, types


PROGRESS_ROUNDS = 20


async def elicit(_context: Any, _params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"username": "ada", "email": "ada@example.com"})


async def sample(_context: Any, params: types.CreateMessageRequestParams) -> types.CreateMessageResult:
    asked = params.messages[0].content
    text = asked.text if isinstance(asked, types.TextContent) else "?"
    return types.CreateMessageResult(
        role="assistant", content=types.TextContent(type="text", text=f"answered: {text}"), model="interop"
    )


async def roots(_context: Any) -> types.ListRootsResult:
    return types.ListRootsResult(roots=[types.Root(uri="file:///workspace")])


async def suite(client: Client, mode: str, logs: list[types.LoggingMessageNotificationParams]) -> None:
    names = [tool.name for tool in (await client.list_tools()).tools]
    record("conf_test_elicitation" in names and "conf_test_simple_text" in names,
           "tools/list names the downstream's tools under its prefix", f"{len(names)} tools")

    r = await client.call_tool("conf_test_elicitation", {"message": "Who are you?"})
    record('"username":"ada"' in text_of(r), f"{mode}: an elicitation from the downstream is answered", text_of(r))
    r = await client.call_tool("conf_test_sampling", {"prompt": "Capital of France?"})
    record("answered: Capital of France?" in text_of(r), f"{mode}: a sampling request from the downstream", text_of(r))
    r = await client.call_tool("conf_test_input_required_result_list_roots", {})
    record(text_of(r) == "The client has 1 root(s)", f"{mode}: a roots request from the downstream", text_of(r))

    # Repeated: the last progress and the answer leave the downstream back to back, and the
    # hub once let the answer overtake it now and then.
    short: list[list[float]] = []
    for _ in range(PROGRESS_ROUNDS):
        progress: list[float] = []

        async def on_progress(done: float, _total: float | None, _message: str | None) -> None:
            progress.append(done)

        await client.call_tool("conf_test_tool_with_progress", {}, progress_callback=on_progress)
        if progress != [0, 50, 100]:
            short.append(progress)
    record(not short, f"{mode}: the downstream's progress reaches the caller, all of it before the answer",
           f"{len(short)} of {PROGRESS_ROUNDS} calls fell short: {short[:3]}")

    if mode == "legacy":
        # A 2026-07-28 client asks for log messages per request; the SDK's call does not.
        await client.call_tool("conf_test_tool_with_logging", {})
        with anyio.move_on_after(5):
            while len(logs) < 3:
                await anyio.sleep(0.05)
        loggers = {log.logger for log in logs}
        record(len(logs) == 3 and loggers == {"conf/test_tool_with_logging"},
               "the downstream's log messages, under its prefix", f"{[(log.logger, log.data) for log in logs]}")


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("hub")
    parser.add_argument("conformance")
    parser.add_argument("--mode", choices=["legacy", "auto"], required=True)
    args = parser.parse_args()
    logs: list[types.LoggingMessageNotificationParams] = []

    async def on_log(params: types.LoggingMessageNotificationParams) -> None:
        logs.append(params)

    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "hub.toml"
        config.write_text(f'[[downstream]]\nprefix = "conf"\ncommand = "{args.conformance}"\nenv = {{ RUST_LOG = "warn" }}\n')
        server = StdioServerParameters(command=args.hub, args=["--config", str(config)], env={"RUST_LOG": "warn"})
        try:
            with anyio.fail_after(60):
                async with Client(server, mode=args.mode, elicitation_callback=elicit, sampling_callback=sample,
                                  list_roots_callback=roots, logging_callback=on_log) as client:
                    await suite(client, args.mode, logs)
        except Exception as e:  # noqa: BLE001 - reported as a failed check
            record(False, "connection", f"{type(e).__name__}: {e}")
    return summary(f"hub-{args.mode}")


if __name__ == "__main__":
    sys.exit(anyio.run(main))
