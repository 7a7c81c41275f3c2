#!/usr/bin/env bash
# In-process dispatch, ours against rmcp's router by hand (benches/dispatch.rs, criterion), and
# the chart of the ratios: each group's median time ours ÷ rmcp's router kept in a field (its
# best case), with issue 15's target (≤ 1.0×) on `tools/call add`.
#   scripts/bench/dispatch.sh [CRITERION ARGS...]     (e.g. --measurement-time 5)
# Writes target/bench/results/dispatch-ratios.tsv and benches/charts/dispatch.svg.
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"

cargo bench --features bench --bench dispatch -- "$@" >&2
python3 - "$bench_root/target/criterion" >"$bench_results/dispatch-ratios.tsv" <<'PY'
import json, sys
from pathlib import Path

root = Path(sys.argv[1])
def median(group, function):
    estimates = root / group / function / "new" / "estimates.json"
    return json.loads(estimates.read_text())["median"]["point_estimate"]

rows = [
    ("tools/call add", "tools_call_add", "ours", "1.0"),
    ("tools/call add, a range on each addend (validator)", "tools_call_add", "ours_bounded", ""),
    ("tools/call add, text result", "tools_call_add_text", "ours", ""),
    ("tools/list, 100 tools", "tools_list_100", "ours", ""),
    ("tools/call add through rmcp's client", "tools_call_e2e", "ours", ""),
]
print("figure\tours\tcomparator\ttarget\tunit")
for figure, group, ours, target in rows:
    print(f"{figure}\t{median(group, ours):.1f}\t{median(group, 'rmcp_field_router'):.1f}\t{target}\tns")
PY
python3 "$bench_root/scripts/bench/chart.py" "$bench_results/dispatch-ratios.tsv" -o "$bench_root/benches/charts/dispatch.svg" \
    --title "In-process dispatch: median time ours ÷ rmcp's router in a field (lower is better)" \
    --subtitle "$(date -u '+%Y-%m-%d'), $(nproc) cores; criterion; scripts/bench/dispatch.sh"
cat "$bench_results/dispatch-ratios.tsv"
