#!/usr/bin/env python3
"""Prints a tab-separated results file of the benchmark scripts as a markdown table, adding for
each column named with --ratio a column `COLUMN ÷ ours`: the row's value divided by ours in the
same group (rows whose --group columns are equal), so >1 means "more than ours". Standard
library only. Used by scripts/bench/*.sh; see BENCHMARKS.md.

    table.py RESULTS.tsv --group mode,conns --ratio 'calls/s' --ratio 'p50 ms' [--fallback mode=stateless]
"""

import argparse
import csv
import sys


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--group", default="", help="comma-separated columns that pick ours' row")
    parser.add_argument("--ratio", action="append", default=[], help="a column to divide by ours'")
    parser.add_argument(
        "--fallback",
        action="append",
        default=[],
        help="COLUMN=VALUE: when ours has no row in a group, use the one with COLUMN=VALUE",
    )
    args = parser.parse_args()
    with open(args.results, newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    if not rows:
        sys.exit(f"{args.results}: no results")
    columns = list(rows[0].keys())
    group = [column for column in args.group.split(",") if column]
    ours = {tuple(row[column] for column in group): row for row in rows if row["server"] == "ours"}

    def baseline(row):
        key = tuple(row[column] for column in group)
        if key in ours:
            return ours[key]
        for fallback in args.fallback:
            column, value = fallback.split("=", 1)
            key = tuple(value if name == column else row[name] for name in group)
            if key in ours:
                return ours[key]
        return None

    header = columns + [f"{column} ÷ ours" for column in args.ratio]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|")
    for row in rows:
        cells = [row[column] for column in columns]
        base = baseline(row)
        for column in args.ratio:
            mine = number(row[column])
            theirs = number(base[column]) if base else None
            cells.append(f"{mine / theirs:.2f}" if mine is not None and theirs else "–")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
