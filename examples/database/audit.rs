//! One audit line per statement the server runs or refuses: who, through which tool, what SQL,
//! how many rows, how long, and how it ended. Lines go to the `audit` tracing target, so an
//! operator can route them on their own (`RUST_LOG=warn,audit=info`, `--log-format json`).

use std::time::Instant;

use mcp_runtime::Context;

use crate::failure::Failure;

/// Records `sql`, run for `tool` since `started`, and passes its outcome through; `rows`
/// counts what a success returned or changed.
pub fn record<T>(
    ctx: &Context,
    tool: &str,
    sql: &str,
    started: Instant,
    outcome: Result<T, Failure>,
    rows: impl FnOnce(&T) -> u64,
) -> Result<T, Failure> {
    match &outcome {
        Ok(value) => succeeded(ctx, tool, sql, started, rows(value)),
        Err(failure) => failed(ctx, tool, sql, started, failure),
    }
    outcome
}

/// Records a call refused before any SQL existed (a table not in the schema), naming the table
/// asked for; the failure, for the caller to return.
pub fn refused_lookup(ctx: &Context, tool: &str, table: &str, started: Instant, failure: Failure) -> Failure {
    failed(ctx, tool, &format!("-- table `{table}`"), started, &failure);
    failure
}

/// One line for a statement that ran.
fn succeeded(ctx: &Context, tool: &str, sql: &str, started: Instant, rows: u64) {
    tracing::info!(
        target: "audit",
        caller = ctx.principal().subject(),
        tool,
        sql,
        rows,
        duration_ms = milliseconds(started),
        outcome = "ok",
        "statement ran"
    );
}

/// One line for a statement that was refused, stopped or failed.
fn failed(ctx: &Context, tool: &str, sql: &str, started: Instant, failure: &Failure) {
    tracing::info!(
        target: "audit",
        caller = ctx.principal().subject(),
        tool,
        sql,
        duration_ms = milliseconds(started),
        outcome = failure.outcome(),
        error = %failure,
        "statement did not run to completion"
    );
}

/// Time since `started`, in milliseconds to the microsecond.
fn milliseconds(started: Instant) -> f64 {
    (started.elapsed().as_micros() as f64) / 1000.0
}
