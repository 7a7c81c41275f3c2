//! A database server (the course's chapter 9): list, describe and page through the tables of
//! one SQL database and run read-only SQL against it; with `--allow-write`, also `execute`
//! statements that change it. SQLite or PostgreSQL, chosen by `--database-url`; without one, a
//! demo SQLite shop database is built on first run under the system's temporary directory.
//!
//! ```text
//! cargo run --example database                                             # the demo, read-only, stdio
//! cargo run --example database -- --database-url sqlite://./app.db --allow-write
//! cargo run --example database -- --database-url postgres://reader:secret@db:5432/shop \
//!     --transport http --port 8000 --auth-api-keys keys.json
//! ```
//!
//! Read-only is the database engine's rule, not a reading of the SQL: on SQLite a read-only
//! connection with `query_only`, an authorizer and SQLite's own tokenizer (see `readonly.rs`);
//! on PostgreSQL a `READ ONLY` transaction, rolled back, one statement per call (see
//! `postgres.rs`), ideally under a role that may only read. Scopes over HTTP: `database:read`
//! for everything but `execute`, which needs `database:mutate` (which implies `database:read`).

mod audit;
mod connect;
mod database;
mod demo;
mod failure;
mod postgres;
mod postgres_values;
mod readonly;
mod resources;
mod result;
mod schema;
mod scopes;
mod sqlite;
mod sqlite_values;
mod tools;

use std::{path::PathBuf, time::Duration};

use clap::Parser;
use mcp_runtime::{cli::RuntimeArgs, duration::HumanDuration, prelude::*};

use crate::{
    connect::Target,
    database::{Database, Limits},
    scopes::Scope,
};

/// The command line: which database, what may be done to it, the limits, and every runtime option.
#[derive(Parser)]
#[command(about = "An MCP server for one SQL database: SQLite (a demo by default) or PostgreSQL")]
struct Cli {
    /// The database: `sqlite://PATH` (an existing SQLite file) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DATABASE`. Without it, the demo SQLite database.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Where the demo database is kept, built on first use when it does not exist
    /// (default: `mcp-database-example/demo-v1.sqlite3` under the system's temporary directory).
    #[arg(long, env = "DATABASE_DEMO_PATH")]
    demo_path: Option<PathBuf>,
    /// Offer `execute`, which runs statements that change data or schema.
    #[arg(long, env = "DATABASE_ALLOW_WRITE")]
    allow_write: bool,
    /// The most rows one result holds; `truncated` says when there were more.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_rows: u32,
    /// The longest one statement may run before it is stopped, e.g. `5s`, `500ms`, `2m`.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    statement_timeout: Duration,
    #[command(flatten)]
    runtime: RuntimeArgs,
}

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    serve(Cli::parse()).await
}

/// Opens the database, reads its schema, and serves the tools until the transport ends.
async fn serve(cli: Cli) -> Result<(), ServeError> {
    // Before anything is announced, so that `--log-format json` makes every line JSON.
    mcp_runtime::observe::init_logging(cli.runtime.log_format);
    let limits = Limits { max_rows: cli.max_rows as usize, statement_timeout: cli.statement_timeout };
    let target = Target {
        url: cli.database_url,
        demo_path: cli.demo_path,
        allow_write: cli.allow_write,
        statement_timeout: limits.statement_timeout,
    };
    let (engine, described) = connect::open(target).await.map_err(ServeError::startup)?;
    let db = Database::new(engine, limits);
    let schema = db
        .refresh()
        .await
        .map_err(|failure| ServeError::startup(format!("cannot read the schema of {described}: {failure}")))?;
    mcp_runtime::observe::announce(&format!(
        "database: serving {described} ({} tables and views, {}); results of at most {} rows, statements stopped after {}",
        schema.tables.len(),
        if cli.allow_write { "read-write: `execute` is offered" } else { "read-only" },
        limits.max_rows,
        HumanDuration(limits.statement_timeout),
    ));
    let ready = db.clone();
    let mut server = Server::new("database", env!("CARGO_PKG_VERSION"))
        .title("Database")
        .instructions(format!(
            "A {dialect} database. Start with `list_tables`, then `describe_table` (or the resources \
             db://schema and db://tables/{{table}}); `get_table_data` pages through one table; `query` runs \
             one read-only SQL statement written for {dialect}. Results hold at most {rows} rows and \
             statements stop after {timeout}. {writes}",
            dialect = db.dialect(),
            rows = limits.max_rows,
            timeout = HumanDuration(limits.statement_timeout),
            writes = if cli.allow_write {
                "`execute` runs one statement that changes data or schema; there is no undo."
            } else {
                "The database is read-only here."
            },
        ))
        .state(db)
        .scopes::<Scope>()
        // A backstop only: the statement timeout stops statements long before this.
        .tool_timeout(limits.statement_timeout * 2 + Duration::from_secs(10))
        .readiness_check("database", move || {
            let db = ready.clone();
            async move { db.read("SELECT 1", &[], 1).await.map(drop) }
        })
        .register(handlers![
            tools::list_tables,
            tools::describe_table,
            tools::get_table_data,
            tools::query,
            resources::database_schema,
            resources::table
        ]);
    // Read-only: `execute` stays out on purpose, which the start-up check is told.
    server = if cli.allow_write {
        server.register(handlers![tools::execute])
    } else {
        server.leave_out(handlers![tools::execute])
    };
    server.run_with(cli.runtime).await
}

/// A statement timeout (`5s`, `500ms`, `2m`, `1.5s` or a bare number of seconds), between 1 ms
/// and 24 hours.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = Duration::from(text.parse::<HumanDuration>().map_err(|error| error.to_string())?);
    if !(Duration::from_millis(1)..=Duration::from_secs(86_400)).contains(&duration) {
        return Err(format!("`{}` is out of range: between 1ms and 24 hours", text.trim()));
    }
    Ok(duration)
}
