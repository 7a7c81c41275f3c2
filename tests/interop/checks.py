"""What the example clients share: one PASS/FAIL line per check, as run.sh counts them, and the
text of a tool result."""

from __future__ import annotations

from typing import Any

results: list[tuple[str, str]] = []


def record(ok: bool, name: str, detail: str = "") -> None:
    """Prints and remembers one check's outcome; `detail` explains a failure."""
    status = "PASS" if ok else "FAIL"
    results.append((status, name))
    print(f"{status} {name}" + ("" if ok else f": {detail}"), flush=True)


def text_of(result: Any) -> str:
    """The text blocks of a tool result, joined."""
    return "".join(getattr(block, "text", "") for block in result.content)


def summary(client: str) -> int:
    """Prints the count line run.sh reads; the exit code: 1 if anything failed or nothing passed."""
    failed = sum(1 for status, _ in results if status == "FAIL")
    passed = sum(1 for status, _ in results if status == "PASS")
    print(f"python {client}: {passed} passed, {failed} failed", flush=True)
    return 1 if failed or not passed else 0
