//! The tools: `list_tables`, `describe_table`, `get_table_data` and `query` read (scope
//! `database:read`); `execute` writes (scope `database:mutate`, registered only with
//! `--allow-write`). Each statement they run is audited.

use std::time::Instant;

use mcp_runtime::prelude::*;
use serde::Serialize;

use crate::{
    audit,
    database::Database,
    failure::Failure,
    resources::database_schema,
    result::QueryResult,
    schema::{TableDescription, TableList, quote},
    scopes::Scope,
};

/// The page `get_table_data` returns when no `limit` is given (and the row cap allows it).
const DEFAULT_PAGE: u64 = 100;

/// List the tables and views with their column names, and the SQL dialect (`engine`) that
/// `query` expects. Start here, then `describe_table` for types and keys.
#[mcp_tool(read_only, idempotent, scopes = [Scope::Read])]
pub async fn list_tables(db: State<Database>) -> Result<TableList, ToolError> {
    // Read afresh: the listing is where a model looks for tables that appeared since.
    Ok(db.refresh().await?.summary())
}

/// Describe one table or view: each column's type, nullability and default, the primary key,
/// foreign keys, and the exact row count.
#[mcp_tool(read_only, idempotent, scopes = [Scope::Read])]
pub async fn describe_table(
    ctx: Context,
    db: State<Database>,
    /// The table or view, exactly as `list_tables` names it, e.g. `orders`.
    table: String,
) -> Result<TableDescription, ToolError> {
    Ok(describe(&ctx, &db, describe_table::NAME, &table).await?)
}

/// A table with its row count, audited as a statement of `tool`.
pub async fn describe(ctx: &Context, db: &Database, tool: &str, table: &str) -> Result<TableDescription, Failure> {
    let started = Instant::now();
    let table = match db.table(table).await {
        Ok(table) => table,
        Err(failure) => return Err(audit::refused_lookup(ctx, tool, table, started, failure)),
    };
    let sql = format!("SELECT count(*) FROM {}", table.reference);
    let counted = audit::record(ctx, tool, &sql, started, db.read(&sql, &[], 1).await, |_| 1)?;
    let row_count = counted.rows.first().and_then(|row| row.first()).and_then(|count| count.as_i64()).unwrap_or(0);
    Ok(TableDescription { table, row_count })
}

/// Read rows of one table or view, a page at a time, in primary-key order when it has one.
/// `truncated` with `next_offset` says where the next page starts.
#[mcp_tool(read_only, idempotent, scopes = [Scope::Read])]
pub async fn get_table_data(
    ctx: Context,
    db: State<Database>,
    /// The table or view, exactly as `list_tables` names it, e.g. `customers`.
    table: String,
    /// How many rows to return (default 100; at most the server's row cap).
    limit: Option<u64>,
    /// How many rows to skip first (default 0).
    offset: Option<u64>,
    /// Only these columns, in this order (default: every column).
    columns: Option<Vec<String>>,
) -> Result<QueryResult, ToolError> {
    let started = Instant::now();
    let max_rows = db.limits.max_rows as u64;
    let limit = limit.unwrap_or(DEFAULT_PAGE.min(max_rows));
    if limit == 0 {
        return Err(ToolError::invalid_argument("limit", "must be at least 1"));
    }
    let clamped = limit > max_rows;
    let limit = limit.min(max_rows);
    let offset = offset.unwrap_or(0);
    let Ok(offset_bind) = i64::try_from(offset) else {
        return Err(ToolError::invalid_argument("offset", "is too large"));
    };
    let found = match db.table(&table).await {
        Ok(found) => found,
        Err(failure) => return Err(audit::refused_lookup(&ctx, get_table_data::NAME, &table, started, failure).into()),
    };
    let selected = match columns.filter(|columns| !columns.is_empty()) {
        None => "*".to_owned(),
        Some(columns) => columns
            .iter()
            .map(|column| found.quoted_column(column))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|problem| ToolError::invalid_argument("columns", problem))?
            .join(", "),
    };
    let order = if found.primary_key.is_empty() {
        String::new()
    } else {
        let keys: Vec<String> = found.primary_key.iter().map(|key| quote(key)).collect();
        format!(" ORDER BY {}", keys.join(", "))
    };
    let sql = format!(
        "SELECT {selected} FROM {}{order} LIMIT {} OFFSET {}",
        found.reference,
        db.placeholder(1),
        db.placeholder(2)
    );
    // One row more than the page, so that the collector can tell whether another page follows.
    let page = db.read(&sql, &[limit as i64 + 1, offset_bind], limit as usize).await;
    let mut page = audit::record(&ctx, get_table_data::NAME, &sql, started, page, |page| page.row_count as u64)?;
    if page.truncated {
        page.next_offset = Some(offset + limit);
        page.notes.insert(0, format!("more rows follow: ask again with offset {}", offset + limit));
    }
    if clamped {
        page.notes.push(format!("the page was cut to the server's row cap of {max_rows} rows"));
    }
    if found.primary_key.is_empty() {
        page.notes.push(format!("`{}` has no primary key, so the order of rows is unspecified", found.name));
    }
    Ok(page)
}

/// Run one read-only SQL statement in the server's dialect (`engine` in `list_tables`) and
/// return `columns`, `rows` (arrays in column order) and `truncated` when there were more rows
/// than the server's row cap. The database itself refuses anything that would write, several
/// statements at once, ATTACH, and changing a PRAGMA.
#[mcp_tool(read_only, idempotent, scopes = [Scope::Read])]
pub async fn query(
    ctx: Context,
    db: State<Database>,
    /// One SQL statement, e.g. `SELECT country, count(*) FROM customers GROUP BY country`.
    sql: String,
) -> Result<QueryResult, ToolError> {
    let started = Instant::now();
    let max_rows = db.limits.max_rows;
    let result = db.read(&sql, &[], max_rows).await;
    let mut result = audit::record(&ctx, query::NAME, &sql, started, result, |result| result.row_count as u64)?;
    if result.truncated {
        result.notes.insert(
            0,
            format!("only the first {max_rows} rows are shown (the server's row cap); narrow the query with WHERE, LIMIT/OFFSET or aggregates"),
        );
    }
    Ok(result)
}

/// What `execute` changed.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Executed {
    /// How many rows the statement inserted, updated or deleted (0 for most DDL).
    pub rows_affected: u64,
}

/// Run one SQL statement that may change data or schema (INSERT, UPDATE, DELETE, CREATE, ALTER,
/// DROP) in its own transaction, and return how many rows it changed. Check the statement
/// before running it: there is no undo.
#[mcp_tool(destructive, scopes = [Scope::Mutate])]
pub async fn execute(
    ctx: Context,
    db: State<Database>,
    /// One SQL statement, e.g. `UPDATE orders SET status = 'shipped' WHERE id = 42`.
    sql: String,
) -> Result<Executed, ToolError> {
    let started = Instant::now();
    let before = db.schema().await.ok();
    let outcome = db.write(&sql).await.map(|rows_affected| Executed { rows_affected });
    let executed = audit::record(&ctx, execute::NAME, &sql, started, outcome, |executed| executed.rows_affected)?;
    // DDL changes what the read tools may name and what the resources list.
    if let Ok(after) = db.refresh().await {
        let changed =
            before.is_none_or(|before| serde_json::to_value(&*before).ok() != serde_json::to_value(&*after).ok());
        if changed {
            ctx.notifier().resource_updated(database_schema::URI).await;
            ctx.notifier().resource_list_changed().await;
        }
    }
    Ok(executed)
}
