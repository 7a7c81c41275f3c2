#!/usr/bin/env python3
"""Folds the rounds of a benchmark (one row per round, tab-separated) into one row per group:
the round with the median calls/s and its latencies, the range of calls/s over the rounds, the
median server CPU µs per call, and, with --sum, totals (errors of all rounds). Standard library
only. Used by scripts/bench/http.sh and stdio.sh; see BENCHMARKS.md.

    medians.py RUNS.tsv --key server,mode[,conns] [--sum errors]
"""

import argparse
import csv
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs")
    parser.add_argument("--key", required=True, help="comma-separated columns that make a group")
    parser.add_argument("--sum", action="append", default=[], help="a column to total over the rounds")
    args = parser.parse_args()
    key = args.key.split(",")
    groups = {}
    with open(args.runs) as runs:
        for row in csv.DictReader(runs, delimiter="\t"):
            groups.setdefault(tuple(row[column] for column in key), []).append(row)
    print("\t".join(key + ["calls/s", "range over rounds", "p50 ms", "p99 ms", "server CPU µs/call"] + args.sum))
    for group, rounds in groups.items():
        rounds.sort(key=lambda run: float(run["calls/s"]))
        median = rounds[len(rounds) // 2]
        spread = f"{rounds[0]['calls/s']}–{rounds[-1]['calls/s']}"
        cpu = sorted(float(run["server CPU µs/call"]) for run in rounds)[len(rounds) // 2]
        totals = [str(sum(int(run[column]) for run in rounds)) for column in args.sum]
        print("\t".join(list(group) + [median["calls/s"], spread, median["p50 ms"], median["p99 ms"], f"{cpu:.1f}"] + totals))


if __name__ == "__main__":
    sys.exit(main())
