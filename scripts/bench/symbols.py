#!/usr/bin/env python3
"""Where a release binary's bytes go, by the symbol table (`nm -S -C`): two binaries side by side,
by crate, or one binary's runtime code by module.

    scripts/bench/symbols.py crates OURS THEIRS [--top N]   # bytes per crate, ours - theirs
    scripts/bench/symbols.py modules OURS [--top N]         # mcp_runtime's bytes per module

A symbol counts for the crate its demangled name starts with (`core::ptr::drop_in_place<rmcp::..>`
is core's: generic code is instantiated in the crate that uses it, under the name of the crate
that defines it). `modules` counts every symbol naming an `mcp_runtime::` path, generic
instantiations included (a drop glue or an `Instrumented<..>::poll` of one of its futures), under
the first such path's module. Symbol sizes cover code and data with a symbol: the binary's total
also has unwind tables, relocations and strings, which grow with the code.
Needs a binary with its symbol table (not stripped), as `cargo build --release` leaves it.
"""
import argparse
import collections
import re
import subprocess
import sys


def symbols(path):
    """(size, demangled name) of every sized symbol in `path`."""
    listing = subprocess.run(["nm", "-S", "--size-sort", "-C", path], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4:
            yield int(parts[1], 16), parts[3]


def crate_of(name):
    """The crate a demangled symbol's path starts with (`<T as Trait>` and `&`/`*` skipped)."""
    name = re.sub(r"^[<&*(\[]+|^(dyn |impl |mut |const )+", "", name)
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    return match.group(0) if match else "?"


def module_of(name):
    """The `mcp_runtime` module (two levels) a symbol's name first mentions, if any."""
    match = re.search(r"mcp_runtime::([a-z_0-9]+)(?:::([a-z_0-9]+)::)?", name)
    if not match:
        return None
    return match.group(1) + (f"::{match.group(2)}" if match.group(2) else "")


def totals(path, key):
    counted = collections.Counter()
    for size, name in symbols(path):
        group = key(name)
        if group is not None:
            counted[group] += size
    return counted


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["crates", "modules"])
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if args.mode == "crates":
        if len(args.binaries) != 2:
            parser.error("crates compares two binaries: OURS THEIRS")
        ours, theirs = (totals(path, crate_of) for path in args.binaries)
        print("| crate | ours | theirs | ours - theirs |\n|---|--:|--:|--:|")
        print(f"| all symbols | {sum(ours.values()):,} | {sum(theirs.values()):,} | {sum(ours.values()) - sum(theirs.values()):,} |")
        for crate in sorted(set(ours) | set(theirs), key=lambda crate: theirs[crate] - ours[crate])[: args.top]:
            print(f"| {crate} | {ours[crate]:,} | {theirs[crate]:,} | {ours[crate] - theirs[crate]:,} |")
    else:
        if len(args.binaries) != 1:
            parser.error("modules reads one binary")
        counted = totals(args.binaries[0], module_of)
        print("| mcp_runtime module | bytes |\n|---|--:|")
        print(f"| all | {sum(counted.values()):,} |")
        for module, size in counted.most_common(args.top):
            print(f"| {module} | {size:,} |")


if __name__ == "__main__":
    sys.exit(main())
