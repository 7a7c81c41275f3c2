#!/usr/bin/env bash
# Cold start over stdio: from spawning the server to its answer to `initialize`, with hyperfine
# running `bench_driver --cold-start` (which kills the server at the first answer, so its exit is
# not timed; the driver's own start, about a millisecond, is). Prints a markdown table with
# ratios to ours. Usage: scripts/bench/startup.sh [RUNS]
# shellcheck source=scripts/bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_lock "$@"
bench_require

runs=${1:-30}
results=$bench_results/startup.tsv
printf 'server\tmean ms\tstddev ms\tmin ms\tmax ms\n' >"$results"
for name in "${bench_servers[@]}"; do
    echo "startup: $name" >&2
    mapfile -t command < <(bench_stdio_command "$name")
    json=$bench_results/startup-$name.json
    hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$json" \
        "$(printf '%q ' "$bench_bin/bench_driver" --cold-start -- "${command[@]}")" >/dev/null
    python3 - "$json" "$name" >>"$results" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))["results"][0]
ms = lambda seconds: f"{seconds * 1000:.1f}"
print("\t".join([sys.argv[2], ms(result["mean"]), ms(result["stddev"]), ms(result["min"]), ms(result["max"])]))
PY
done

echo "### Cold start over stdio, spawn to \`initialize\` answer ($(bench_machine); hyperfine, $runs runs after 3 warm-up runs)"
echo
python3 "$bench_root/scripts/bench/table.py" "$results" --ratio 'mean ms'
