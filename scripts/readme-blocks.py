#!/usr/bin/env python3
"""Writes README.md's "Use it in your project" crate into DIR: each fenced block after a
`<!-- readme-install: FILE -->` comment becomes DIR/FILE. Used by scripts/readme-install.sh and
scripts/bench/footprint.sh, so both build exactly the README's text.

    readme-blocks.py README.md DIR
"""

import pathlib
import re
import sys

readme, out = pathlib.Path(sys.argv[1]).read_text(), pathlib.Path(sys.argv[2])
blocks = re.findall(r"<!-- readme-install: (\S+) -->\n```[^\n]*\n(.*?)\n```\n", readme, re.S)
if {name for name, _ in blocks} != {"Cargo.toml", "src/main.rs"}:
    sys.exit(f"README.md: expected the blocks Cargo.toml and src/main.rs, found {[name for name, _ in blocks]}")
for name, text in blocks:
    path = out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
