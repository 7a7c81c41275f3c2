#!/usr/bin/env python3
"""Draws ratios (ours ÷ comparator) as an SVG horizontal bar chart: one bar per figure, a vertical
line at 1.0 (parity), a red tick at each figure's target, the ratio printed beside each bar. Bars
within their target are green, those past it orange, those without a target grey.

Input: tab-separated files (as scripts/bench/footprint.sh writes under target/bench/results/) or
JSON files, with the columns / keys

    figure       the label of the bar
    ours         our value (a number)
    comparator   the comparator's value, in the same unit
    target       the highest acceptable ratio ours ÷ comparator (may be empty)
    unit         optional, printed with the values

JSON is a list of such objects. Several files are drawn as one chart, in order. Standard library
only; the output depends on the input and the options alone (no dates, no randomness), so the
same input gives the same bytes.

    chart.py target/bench/results/footprint-ratios.tsv -o benches/charts/footprint.svg \\
        --title "ours ÷ rmcp by hand" --subtitle "2 cores, rustc 1.95"
"""

import argparse
import csv
import json
import math
import sys
from xml.sax.saxutils import escape

WIDTH = 880
LABEL_WIDTH = 320  # the figure names, right-aligned against the plot
VALUE_WIDTH = 230  # the printed ratio and values, right of the plot
ROW = 34
BAR = 18
TOP = 78
BOTTOM = 46
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
OK = "#2da44e"
OVER = "#d4731a"
NONE = "#8c959f"
TARGET = "#cf222e"


def number(text, what, source):
    try:
        value = float(text)
    except (TypeError, ValueError):
        sys.exit(f"{source}: {what} is not a number: {text!r}")
    if not math.isfinite(value):
        sys.exit(f"{source}: {what} is not finite: {text!r}")
    return value


def read_rows(path):
    """The rows of one input file as dicts with figure, ours, comparator, target, unit."""
    with open(path, encoding="utf-8", newline="") as file:
        text = file.read()
    if path.endswith(".json") or text.lstrip().startswith("["):
        records = json.loads(text)
        if not isinstance(records, list):
            sys.exit(f"{path}: expected a JSON list of objects")
    else:
        records = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    rows = []
    for index, record in enumerate(records, 1):
        source = f"{path}: row {index}"
        missing = [key for key in ("figure", "ours", "comparator") if key not in record]
        if missing:
            sys.exit(f"{source}: missing {', '.join(missing)}")
        ours = number(record["ours"], "ours", source)
        comparator = number(record["comparator"], "comparator", source)
        if comparator == 0:
            sys.exit(f"{source}: comparator is 0, no ratio")
        target = record.get("target")
        target = None if target in (None, "") else number(target, "target", source)
        rows.append(
            {
                "figure": str(record["figure"]),
                "ours": ours,
                "comparator": comparator,
                "ratio": ours / comparator,
                "target": target,
                "unit": str(record.get("unit") or ""),
            }
        )
    return rows


def fmt(value):
    """A value as the tables print it: at most two decimals, no trailing zeros, thousands
    grouped from 10 000."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if abs(value) >= 10000 and value == int(value):
        text = f"{int(value):,}".replace(",", " ")
    return text


def human(value, unit):
    """Bytes as MB and KiB (from 4 MiB) as MiB, which read better in a label than raw counts."""
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB"
    if unit == "KiB":
        return f"{value / 1024:.1f} MiB" if value >= 4096 else f"{fmt(value)} KiB"
    return f"{fmt(value)} {unit}".strip()


def axis_max(rows):
    highest = max([row["ratio"] for row in rows] + [row["target"] or 0 for row in rows] + [1.0])
    # A round end a little past the highest bar or target: 0.5 steps up to 4, then whole numbers.
    step = 0.5 if highest < 4 else 1.0
    return math.ceil(highest * 1.08 / step) * step


def text(x, y, content, size=13, anchor="start", fill=INK, weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>'
    )


def draw(rows, title, subtitle):
    height = TOP + ROW * len(rows) + BOTTOM
    left, right = LABEL_WIDTH, WIDTH - VALUE_WIDTH
    top = axis_max(rows)

    def x(ratio):
        return left + (right - left) * max(ratio, 0) / top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">',
        # An explicit background: the chart stays legible where it is shown on a dark page.
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        text(16, 26, title, size=16, weight="bold"),
    ]
    if subtitle:
        out.append(text(16, 46, subtitle, size=12, fill=MUTED))

    plot_top, plot_bottom = TOP - 8, TOP + ROW * len(rows)
    # Grid lines and tick labels along the ratio axis.
    step = 0.5 if top <= 4 else 1.0
    ticks = [i * step for i in range(int(round(top / step)) + 1)]
    for tick in ticks:
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{plot_top}" x2="{x(tick):.1f}" y2="{plot_bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(text(x(tick), plot_bottom + 16, f"{tick:g}×", size=11, anchor="middle", fill=MUTED))
    out.append(text((left + right) / 2, plot_bottom + 34, "ours ÷ comparator", size=12, anchor="middle", fill=MUTED))

    for index, row in enumerate(rows):
        middle = TOP + ROW * index + ROW / 2
        ratio, target = row["ratio"], row["target"]
        colour = NONE if target is None else (OK if ratio <= target + 1e-9 else OVER)
        out.append(text(left - 10, middle + 4, row["figure"], anchor="end"))
        out.append(
            f'<rect x="{left}" y="{middle - BAR / 2:.1f}" width="{x(ratio) - left:.1f}" height="{BAR}" '
            f'fill="{colour}"><title>{escape(row["figure"])}: {ratio:.2f}×</title></rect>'
        )
        if target is not None:
            tx = x(target)
            out.append(
                f'<line x1="{tx:.1f}" y1="{middle - BAR / 2 - 4:.1f}" x2="{tx:.1f}" y2="{middle + BAR / 2 + 4:.1f}" '
                f'stroke="{TARGET}" stroke-width="3"/>'
            )
        label = f"{ratio:.2f}×" + ("" if target is None else f"  (target ≤ {target:g}×)")
        out.append(text(right + 8, middle, label, size=13, weight="bold"))
        out.append(
            text(right + 8, middle + 13, f"{human(row['ours'], row['unit'])} vs {human(row['comparator'], row['unit'])}",
                 size=10, fill=MUTED)
        )

    # Parity, drawn last so the bars do not hide it.
    out.append(
        f'<line x1="{x(1):.1f}" y1="{plot_top - 4}" x2="{x(1):.1f}" y2="{plot_bottom}" '
        f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )
    out.append(text(x(1), plot_top - 8, "1.0 = parity", size=11, anchor="middle", fill=INK))
    # The legend, bottom left.
    legend_y = plot_bottom + 34
    out.append(f'<rect x="16" y="{legend_y - 9}" width="10" height="10" fill="{OK}"/>')
    out.append(text(30, legend_y, "within target", size=11, fill=MUTED))
    out.append(f'<rect x="110" y="{legend_y - 9}" width="10" height="10" fill="{OVER}"/>')
    out.append(text(124, legend_y, "past target", size=11, fill=MUTED))
    out.append(
        f'<line x1="200" y1="{legend_y - 10}" x2="200" y2="{legend_y + 1}" stroke="{TARGET}" stroke-width="3"/>'
    )
    out.append(text(206, legend_y, "target", size=11, fill=MUTED))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Columns / keys: figure, ours, comparator, target (may be empty), unit (optional).",
    )
    parser.add_argument("inputs", nargs="+", metavar="FILE", help="a TSV or JSON file of figures")
    parser.add_argument("-o", "--output", default="-", help="the SVG file to write (default: stdout)")
    parser.add_argument("--title", default="ours ÷ comparator (lower is better)")
    parser.add_argument("--subtitle", default="")
    args = parser.parse_args()
    rows = [row for path in args.inputs for row in read_rows(path)]
    if not rows:
        sys.exit("no figures to draw")
    svg = draw(rows, args.title, args.subtitle)
    if args.output == "-":
        sys.stdout.write(svg)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as file:
            file.write(svg)


if __name__ == "__main__":
    main()
