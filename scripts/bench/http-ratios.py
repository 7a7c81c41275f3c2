#!/usr/bin/env python3
"""Turns http.sh's medians (target/bench/results/http.tsv) into the ratio file chart.py draws:
for each mode and connection count, the time per call (1 / calls/s) of ours against rmcp by
hand's, whose target is 1 / 1.1 (issue 15: at least 1.1x its calls/s), and ours stateless
against the axum floor at 16 connections, whose target is 1 / 0.6 (at least 0.6x its calls/s).
Time per call rather than calls/s, so that every bar reads the same way: shorter is better.

Usage: http-ratios.py HTTP_TSV > RATIOS_TSV
"""

import csv
import sys


def main() -> None:
    with open(sys.argv[1], newline="", encoding="utf-8") as medians:
        rows = list(csv.DictReader(medians, delimiter="\t"))
    calls = {(row["server"], row["mode"], row["conns"]): float(row["calls/s"]) for row in rows}
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["figure", "ours", "comparator", "target", "unit"])
    for mode in ("stateless", "session"):
        for conns in ("1", "16", "64"):
            ours, hand = calls.get(("ours", mode, conns)), calls.get(("rmcp-hand", mode, conns))
            if ours and hand:
                label = f"time per call vs rmcp by hand, {mode}, {conns} conn"
                out.writerow([label, f"{1e6 / ours:.1f}", f"{1e6 / hand:.1f}", f"{1 / 1.1:.3f}", "µs"])
    ours, floor = calls.get(("ours", "stateless", "16")), calls.get(("axum-floor", "n/a", "16"))
    if ours and floor:
        label = "time per call vs the axum floor, 16 conn"
        out.writerow([label, f"{1e6 / ours:.1f}", f"{1e6 / floor:.1f}", f"{1 / 0.6:.3f}", "µs"])


if __name__ == "__main__":
    main()
