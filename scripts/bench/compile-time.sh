#!/usr/bin/env bash
# Compile-time benchmark (issue 5): a generated crate with N tools (default 100) written with our
# macros (`#[mcp_tool]` + `handlers![...]`) against the same tools written with rmcp's own macros
# (`#[tool_router]`/`#[tool]`/`#[tool_handler]`), built side by side in one run.
#
#   scripts/bench/compile-time.sh            # 100 tools, 5 runs per case
#   TOOLS=20 RUNS=3 scripts/bench/compile-time.sh
#   EXPAND=0 scripts/bench/compile-time.sh   # skip the expansion size / -Z time-passes part
#   OURS_FEATURES=lean scripts/bench/compile-time.sh  # ours with default-features = false (stdio
#                                            # only, as the rmcp crate); default: the runtime's defaults
#
# Cases, all in the dev profile, only the generated crate recompiled (dependencies are warm):
#   build clean   `cargo clean -p <crate>` then `cargo build`
#   build incr    one tool body edited (a string literal flipped) then `cargo build`
#   check clean   `cargo clean -p <crate>` then `cargo check`
#   check incr    one tool body edited then `cargo check`
# Output: a markdown table (mean ± stddev seconds, ratio ours/rmcp), then the expanded code size of
# each crate and the compiler's own per-pass times, to explain the ratios.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${TOOLS:-100}"
RUNS="${RUNS:-5}"
EXPAND="${EXPAND:-1}"
LOCK="${BENCH_LOCK:-/tmp/bench.lock}"
BENCH="$ROOT/target/bench/compile-time"
TARGET="$BENCH/target"
# The -Z runs need RUSTC_BOOTSTRAP=1, which some build scripts (proc-macro2's among them) watch:
# in the shared target dir it would invalidate the warm dependencies the timings rely on.
TARGET_Z="$BENCH/target-z"
SNAPSHOT="$BENCH/repo"

die() { echo "compile-time.sh: $*" >&2; exit 1; }
say() { echo "==> $*" >&2; }

[[ "$TOOLS" =~ ^[1-9][0-9]*$ && "$TOOLS" -le 999 ]] || die "TOOLS must be 1..999, got '$TOOLS'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
for tool in cargo awk flock sed; do
    command -v "$tool" >/dev/null || die "needs '$tool' on PATH"
done

# Other benchmarks on this 2-core machine take the same lock; a compile running beside them would
# distort both sides, so the whole script (warm-up included, it saturates the cores) holds it.
if [[ -z "${COMPILE_TIME_LOCKED:-}" ]]; then
    say "waiting for $LOCK"
    exec env COMPILE_TIME_LOCKED=1 flock "$LOCK" "$0" "$@"
fi

mkdir -p "$BENCH"

# --- the runtime, frozen ---------------------------------------------------------------------
# mcp-runtime is being edited while benchmarks run; building against the live tree would let an
# edit land between two timed runs and rebuild the runtime inside a measurement. A snapshot with
# preserved mtimes keeps cargo's fingerprints stable across invocations when nothing changed.
say "snapshotting mcp-runtime and mcp-macros into $SNAPSHOT"
mkdir -p "$SNAPSHOT"
for member in mcp-runtime mcp-macros; do
    rm -rf "${SNAPSHOT:?}/$member.new"
    mkdir -p "$SNAPSHOT/$member.new"
    (cd "$ROOT/$member" && tar --exclude=./target -cf - .) | (cd "$SNAPSHOT/$member.new" && tar -xpf -)
    if [[ -d "$SNAPSHOT/$member" ]] && diff -rq "$SNAPSHOT/$member" "$SNAPSHOT/$member.new" >/dev/null; then
        rm -rf "${SNAPSHOT:?}/$member.new"
    else
        rm -rf "${SNAPSHOT:?}/$member"
        mv "$SNAPSHOT/$member.new" "$SNAPSHOT/$member"
    fi
done
# Only the [workspace*] tables: the members inherit versions and dependencies from them, and the
# root package (examples, benches) has no business in the snapshot.
awk '/^\[/ { keep = ($0 ~ /^\[workspace/) } keep' "$ROOT/Cargo.toml" >"$SNAPSHOT/Cargo.toml.new"
if cmp -s "$SNAPSHOT/Cargo.toml.new" "$SNAPSHOT/Cargo.toml" 2>/dev/null; then
    rm "$SNAPSHOT/Cargo.toml.new"
else
    mv "$SNAPSHOT/Cargo.toml.new" "$SNAPSHOT/Cargo.toml"
fi

# --- dependency lines, as the workspace pins them --------------------------------------------
workspace_dep() {
    local line
    line="$(awk -v name="$1" '
        /^\[/ { in_deps = ($0 == "[workspace.dependencies]"); next }
        in_deps && $1 == name && $2 == "=" { print; exit }' "$ROOT/Cargo.toml")"
    [[ -n "$line" ]] || die "no '$1' in [workspace.dependencies] of $ROOT/Cargo.toml"
    echo "$line"
}
DEP_TOKIO="$(workspace_dep tokio)"
DEP_SERDE="$(workspace_dep serde)"
DEP_SCHEMARS="$(workspace_dep schemars)"
DEP_RMCP="$(workspace_dep rmcp)"
# rmcp's line is an inline table without features (mcp-runtime adds its own); the comparator gets
# exactly what a stdio server written with rmcp's macros needs.
features_re='[{,[:space:]]features[[:space:]]*='
[[ "$DEP_RMCP" == *"}" && ! "$DEP_RMCP" =~ $features_re ]] \
    || die "expected 'rmcp = { version = ..., default-features = false }' in the workspace, got: $DEP_RMCP"
DEP_RMCP="${DEP_RMCP%\}}, features = [\"macros\", \"server\", \"transport-io\"] }"

# --- the two generated crates ----------------------------------------------------------------
# Writes only when the content changed, so a rerun does not dirty the fingerprints by itself.
write_if_changed() {
    local path="$1" tmp
    tmp="$(mktemp)"
    cat >"$tmp"
    if cmp -s "$tmp" "$path" 2>/dev/null; then rm "$tmp"; else mkdir -p "$(dirname "$path")"; mv "$tmp" "$path"; fi
}

manifest() {
    local name="$1"
    shift
    cat <<EOF
# Generated by scripts/bench/compile-time.sh; edits are overwritten.
[package]
name = "$name"
version = "0.1.0"
edition = "2024"
publish = false

# Its own workspace: the repository's root manifest must not adopt it.
[workspace]

[dependencies]
EOF
    printf '%s\n' "$@"
}

# The tool bodies differ per tool (the index is folded in) so nothing can be shared between them;
# `edit-0` is the literal the incremental cases flip.
body() {
    local n="$1"
    cat <<EOF
    let label = if c.unwrap_or(false) { b.to_uppercase() } else { b };
    format!("tool_$n edit-0: {} {}", a.wrapping_mul($((10#$n + 1))), label)
EOF
}

generate_ours() {
    local dir="$BENCH/ours" n names=()
    local runtime="mcp-runtime = { path = \"$SNAPSHOT/mcp-runtime\" }"
    [ "${OURS_FEATURES:-default}" = lean ] && runtime="mcp-runtime = { path = \"$SNAPSHOT/mcp-runtime\", default-features = false }"
    manifest bench-ours "$runtime" "$DEP_SERDE" "$DEP_SCHEMARS" "$DEP_TOKIO" \
        | write_if_changed "$dir/Cargo.toml"
    {
        echo "//! Generated by scripts/bench/compile-time.sh: $TOOLS tools written with \`#[mcp_tool]\`."
        echo "use mcp_runtime::prelude::*;"
        for ((i = 0; i < TOOLS; i++)); do
            printf -v n '%03d' "$i"
            names+=("tool_$n")
            cat <<EOF

/// Tool $n: combines a number and a label.
#[mcp_tool]
async fn tool_$n(
    /// The number.
    a: i64,
    /// The label.
    b: String,
    /// Whether to shout the label.
    c: Option<bool>,
) -> String {
$(body "$n")
}
EOF
        done
        local list
        list="$(printf '%s, ' "${names[@]}")"
        cat <<EOF

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    Server::new("bench-ours", "0.1.0").register(handlers![${list%, }]).run().await
}
EOF
    } | write_if_changed "$dir/src/main.rs"
}

generate_rmcp() {
    local dir="$BENCH/rmcp" n
    manifest bench-rmcp "$DEP_RMCP" "$DEP_SERDE" "$DEP_SCHEMARS" "$DEP_TOKIO" | write_if_changed "$dir/Cargo.toml"
    {
        echo "//! Generated by scripts/bench/compile-time.sh: $TOOLS tools written with rmcp's macros."
        cat <<'EOF'
use rmcp::{
    ServerHandler, ServiceExt,
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    tool, tool_handler, tool_router,
    transport::stdio,
};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Clone)]
struct Bench {
    tool_router: ToolRouter<Self>,
}

impl Bench {
    fn new() -> Self {
        Self { tool_router: Self::tool_router() }
    }
}
EOF
        for ((i = 0; i < TOOLS; i++)); do
            printf -v n '%03d' "$i"
            cat <<EOF

/// Arguments of \`tool_$n\`.
#[derive(Deserialize, JsonSchema)]
struct Tool${n}Args {
    /// The number.
    a: i64,
    /// The label.
    b: String,
    /// Whether to shout the label.
    c: Option<bool>,
}
EOF
        done
        echo
        echo "#[tool_router]"
        echo "impl Bench {"
        for ((i = 0; i < TOOLS; i++)); do
            printf -v n '%03d' "$i"
            cat <<EOF
    /// Tool $n: combines a number and a label.
    #[tool]
    async fn tool_$n(&self, Parameters(Tool${n}Args { a, b, c }): Parameters<Tool${n}Args>) -> String {
$(body "$n" | sed 's/^/    /')
    }

EOF
        done
        cat <<'EOF'
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Bench {}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    Bench::new().serve(stdio()).await?.waiting().await?;
    Ok(())
}
EOF
    } | write_if_changed "$dir/src/main.rs"
}

say "generating $TOOLS tools in $BENCH/{ours,rmcp}"
generate_ours
generate_rmcp
CRATES=(ours rmcp)
declare -A PACKAGE=([ours]=bench-ours [rmcp]=bench-rmcp)

# --- lock files and warm-up ------------------------------------------------------------------
# The repository's lock, so both sides build the exact versions the workspace is tested with.
# Cargo trims it to each crate's graph (and adds the root package) on the first resolve, keeping
# every version it already names; from then on `--locked` holds it fixed.
CARGO_FLAGS=(--locked --target-dir "$TARGET")
for crate in "${CRATES[@]}"; do
    dir="$BENCH/$crate"
    if [[ ! -f "$dir/Cargo.lock" || "$ROOT/Cargo.lock" -nt "$dir/Cargo.lock" ]]; then
        cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
        (cd "$dir" && cargo metadata --format-version 1 >/dev/null 2>"$BENCH/$crate-resolve.log") \
            || (cd "$dir" && cargo metadata --offline --format-version 1 >/dev/null 2>"$BENCH/$crate-resolve.log") \
            || die "could not resolve $crate against the repository's Cargo.lock; see $BENCH/$crate-resolve.log"
    fi
done

say "warming the shared dependencies (the first time this builds everything twice: build and check)"
for crate in "${CRATES[@]}"; do
    for verb in build check; do
        (cd "$BENCH/$crate" && cargo "$verb" "${CARGO_FLAGS[@]}" --quiet 2>"$BENCH/$crate-warm.log") \
            || { tail -n 30 "$BENCH/$crate-warm.log" >&2; die "warm-up '$verb' of $crate failed (full log: $BENCH/$crate-warm.log)"; }
    done
done

# --- measurements ----------------------------------------------------------------------------
now() { date +%s.%N; }

# Flips the literal of the middle tool's body: a real source change each time, and the two
# alternate states keep the file from drifting.
edit_one_tool() {
    local file="$BENCH/$1/src/main.rs" n
    printf -v n '%03d' $((TOOLS / 2))
    if grep -q "tool_$n edit-0:" "$file"; then
        sed -i "s/tool_$n edit-0:/tool_$n edit-1:/" "$file"
    else
        sed -i "s/tool_$n edit-1:/tool_$n edit-0:/" "$file"
    fi
}

# One timed cargo run; fails loudly when something other than the generated crate recompiled,
# because then the number measures a dependency rebuild, not our macros.
timed() {
    local crate="$1" verb="$2" log="$BENCH/$1-last.log" start end
    start="$(now)"
    (cd "$BENCH/$crate" && cargo "$verb" "${CARGO_FLAGS[@]}" 2>"$log") \
        || { cat "$log" >&2; die "cargo $verb failed for $crate"; }
    end="$(now)"
    local others
    others="$(grep -E '^ *(Compiling|Checking) ' "$log" | grep -v " ${PACKAGE[$crate]} " || true)"
    [[ -z "$others" ]] || die "a dependency was rebuilt during a timed run of $crate (is another build sharing $TARGET?):"$'\n'"$others"
    grep -qE "^ *(Compiling|Checking) ${PACKAGE[$crate]} " "$log" || die "cargo $verb did not recompile $crate; the measurement is void"
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }'
}

declare -A SAMPLES=()
CASES=("build clean" "build incr" "check clean" "check incr")
for case in "${CASES[@]}"; do
    verb="${case% *}" kind="${case#* }"
    # Incremental runs start from an up-to-date crate with its incremental cache in place.
    if [[ "$kind" == incr ]]; then
        for crate in "${CRATES[@]}"; do
            (cd "$BENCH/$crate" && cargo "$verb" "${CARGO_FLAGS[@]}" --quiet) || die "cargo $verb failed for $crate"
        done
    fi
    for ((run = 1; run <= RUNS; run++)); do
        # Alternate which side goes first, so a slow spell on the machine hits both.
        order=("${CRATES[@]}")
        ((run % 2 == 0)) && order=(rmcp ours)
        for crate in "${order[@]}"; do
            if [[ "$kind" == clean ]]; then
                (cd "$BENCH/$crate" && cargo clean "${CARGO_FLAGS[@]}" -p "${PACKAGE[$crate]}" --quiet)
            else
                edit_one_tool "$crate"
            fi
            seconds="$(timed "$crate" "$verb")"
            SAMPLES["$case/$crate"]+="$seconds "
            say "$case  $crate  run $run/$RUNS: ${seconds}s"
        done
    done
done

# mean and sample standard deviation of a space-separated list
stats() { awk '{ for (i = 1; i <= NF; i++) { s += $i; q += $i * $i } m = s / NF
                 sd = NF > 1 ? sqrt((q - NF * m * m) / (NF - 1)) : 0; if (sd != sd) sd = 0
                 printf "%.3f %.3f\n", m, sd }' <<<"$1"; }

echo
echo "### Compile time, $TOOLS tools: ours (\`#[mcp_tool]\`, mcp-runtime features: ${OURS_FEATURES:-default}) vs rmcp's macros (stdio)"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $(rustc --version), $RUNS runs per cell, alternating;" \
    "load average at start of the table: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case (dev profile) | ours (s) | rmcp (s) | ours / rmcp |"
echo "|---|---|---|---|"
for case in "${CASES[@]}"; do
    read -r mo so < <(stats "${SAMPLES["$case/ours"]}")
    read -r mr sr < <(stats "${SAMPLES["$case/rmcp"]}")
    ratio="$(awk -v a="$mo" -v b="$mr" 'BEGIN { printf "%.2f", a / b }')"
    echo "| $case | $mo ± $so | $mr ± $sr | **$ratio** |"
done
echo
echo "Samples (s):"
for case in "${CASES[@]}"; do
    for crate in "${CRATES[@]}"; do echo "- $case / $crate: ${SAMPLES["$case/$crate"]}"; done
done

# The chart of the four ratios against issue 15's target (≤ 1.0× each), redrawn from this run.
ratios="$ROOT/target/bench/results/compile-time-ratios.tsv"
mkdir -p "$(dirname "$ratios")"
{
    printf 'figure\tours\tcomparator\ttarget\tunit\n'
    for case in "${CASES[@]}"; do
        read -r mo _ < <(stats "${SAMPLES["$case/ours"]}")
        read -r mr _ < <(stats "${SAMPLES["$case/rmcp"]}")
        printf '%s, %s tools\t%s\t%s\t1.0\ts\n' "$case" "$TOOLS" "$mo" "$mr"
    done
} >"$ratios"
python3 "$ROOT/scripts/bench/chart.py" "$ratios" -o "$ROOT/benches/charts/compile-time.svg" \
    --title "Compile time, ours ÷ rmcp's macros (lower is better)" \
    --subtitle "$(date -u '+%Y-%m-%d'), $(nproc) cores; ours with features ${OURS_FEATURES:-default}; $RUNS runs per cell; scripts/bench/compile-time.sh"

[[ "$EXPAND" == 1 ]] || exit 0

# --- why: expanded size and the compiler's passes --------------------------------------------
say "expansion size and -Z time-passes (separate target dir $TARGET_Z; the first time builds the dependencies again)"
Z_FLAGS=(--locked --target-dir "$TARGET_Z")
echo
echo "### Expanded code (\`-Zunpretty=expanded\`)"
echo
echo "| crate | source lines | expanded lines | expanded bytes | expanded lines per tool |"
echo "|---|---|---|---|---|"
for crate in "${CRATES[@]}"; do
    dir="$BENCH/$crate"
    (cd "$dir" && RUSTC_BOOTSTRAP=1 cargo rustc "${Z_FLAGS[@]}" --quiet --profile check -- -Zunpretty=expanded \
        >"$BENCH/$crate-expanded.rs" 2>"$BENCH/$crate-expand.log") \
        || { tail -n 30 "$BENCH/$crate-expand.log" >&2; die "expansion of $crate failed"; }
    src="$(wc -l <"$dir/src/main.rs")"
    lines="$(wc -l <"$BENCH/$crate-expanded.rs")"
    bytes="$(wc -c <"$BENCH/$crate-expanded.rs")"
    echo "| $crate | $src | $lines | $bytes | $(awk -v l="$lines" -v t="$TOOLS" 'BEGIN { printf "%.0f", l / t }') |"
done
echo
echo "(expanded sources kept in $BENCH/{ours,rmcp}-expanded.rs)"

# The passes that decide the story: expansion (our proc macro plus the serde/schemars derives it
# emits), type checking, borrow checking, codegen, LLVM and linking.
PASSES='^(total|macro_expand_crate|type_check_crate|MIR_borrow_checking|monomorphization_collector_graph_walk|codegen_to_LLVM_IR|codegen_crate|LLVM_passes|run_linker)$'
echo
echo "### \`-Z time-passes\`, clean dev build of the generated crate (one run, seconds)"
echo
declare -A PASS=()
for crate in "${CRATES[@]}"; do
    dir="$BENCH/$crate"
    (cd "$dir" && cargo clean "${Z_FLAGS[@]}" -p "${PACKAGE[$crate]}" --quiet)
    (cd "$dir" && RUSTC_BOOTSTRAP=1 cargo rustc "${Z_FLAGS[@]}" --quiet -- -Ztime-passes \
        >"$BENCH/$crate-time-passes.log" 2>&1) \
        || { tail -n 30 "$BENCH/$crate-time-passes.log" >&2; die "time-passes build of $crate failed"; }
    # Lines look like "time:   1.234; rss:  ...  name"; the last occurrence of a name wins.
    while read -r name seconds; do PASS["$crate/$name"]="$seconds"; done < <(
        awk '/^time:/ { t = $2; sub(";", "", t); print $NF, t }' "$BENCH/$crate-time-passes.log" \
            | awk -v re="$PASSES" '$1 ~ re')
done
echo "| pass | ours | rmcp | ours / rmcp |"
echo "|---|---|---|---|"
for name in macro_expand_crate type_check_crate MIR_borrow_checking monomorphization_collector_graph_walk \
    codegen_to_LLVM_IR codegen_crate LLVM_passes run_linker total; do
    o="${PASS["ours/$name"]:-}" r="${PASS["rmcp/$name"]:-}"
    [[ -n "$o" || -n "$r" ]] || continue
    echo "| $name | ${o:--} | ${r:--} | $(awk -v a="${o:-0}" -v b="${r:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }') |"
done
echo
echo "(full pass lists in $BENCH/{ours,rmcp}-time-passes.log)"
