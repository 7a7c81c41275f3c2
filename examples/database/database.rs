//! The database the tools use: one of two engines behind one interface, the limits every call
//! keeps to, and the schema, cached, that decides which identifiers generated SQL may name.
//!
//! Two engines, one enum: sqlx's `Any` driver would hide the very things this server relies
//! on (SQLite's raw handle for the authorizer and the progress handler, PostgreSQL's binary
//! values and `BEGIN READ ONLY`), and it decodes fewer types, so each engine keeps its own
//! pool and the enum chooses.

use std::{sync::Arc, time::Duration};

use tokio::sync::RwLock;

use crate::{
    failure::Failure,
    postgres::PostgresDatabase,
    result::QueryResult,
    schema::{Schema, Table},
    sqlite::SqliteDatabase,
};

/// The engine behind the tools.
#[derive(Clone)]
pub enum Engine {
    /// A SQLite file: the demo or `sqlite://PATH`.
    Sqlite(SqliteDatabase),
    /// A PostgreSQL server: `postgres://...`.
    Postgres(PostgresDatabase),
}

/// What every call keeps to.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most rows a result holds.
    pub max_rows: usize,
    /// The longest a statement may run.
    pub statement_timeout: Duration,
}

/// The connected database: shared by every tool and resource (`State<Database>`).
#[derive(Clone)]
pub struct Database {
    /// Where statements run.
    engine: Engine,
    /// The limits of every call.
    pub limits: Limits,
    /// The schema as last read, shared by every clone; `None` until first read.
    schema: Arc<RwLock<Option<Arc<Schema>>>>,
}

impl Database {
    /// A database on `engine`; its schema is read on first use.
    pub fn new(engine: Engine, limits: Limits) -> Self {
        Self { engine, limits, schema: Arc::default() }
    }

    /// `SQLite` or `PostgreSQL`, for people.
    pub fn dialect(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite(_) => "SQLite",
            Engine::Postgres(_) => "PostgreSQL",
        }
    }

    /// Runs one read-only statement; `binds` fill its numbered parameters.
    pub async fn read(&self, sql: &str, binds: &[i64], max_rows: usize) -> Result<QueryResult, Failure> {
        refuse_malformed(sql)?;
        let timeout = self.limits.statement_timeout;
        match &self.engine {
            Engine::Sqlite(sqlite) => sqlite.read(sql, binds, max_rows, timeout).await,
            Engine::Postgres(postgres) => postgres.read(sql, binds, max_rows, timeout).await,
        }
    }

    /// Runs one statement that may write (only with `--allow-write`); the rows it changed.
    pub async fn write(&self, sql: &str) -> Result<u64, Failure> {
        refuse_malformed(sql)?;
        let timeout = self.limits.statement_timeout;
        match &self.engine {
            Engine::Sqlite(sqlite) => sqlite.write(sql, timeout).await,
            Engine::Postgres(postgres) => postgres.write(sql, timeout).await,
        }
    }

    /// The `n`th (from 1) parameter placeholder in this engine's SQL.
    pub fn placeholder(&self, n: usize) -> String {
        match self.engine {
            Engine::Sqlite(_) => format!("?{n}"),
            Engine::Postgres(_) => format!("${n}"),
        }
    }

    /// The schema, read once and then kept until [`refresh`](Self::refresh).
    pub async fn schema(&self) -> Result<Arc<Schema>, Failure> {
        if let Some(schema) = self.schema.read().await.as_ref() {
            return Ok(schema.clone());
        }
        self.refresh().await
    }

    /// Reads the schema again (after `execute`, or when a name is not found).
    pub async fn refresh(&self) -> Result<Arc<Schema>, Failure> {
        let timeout = self.limits.statement_timeout;
        let schema = Arc::new(match &self.engine {
            Engine::Sqlite(sqlite) => sqlite.introspect(timeout).await?,
            Engine::Postgres(postgres) => postgres.introspect(timeout).await?,
        });
        *self.schema.write().await = Some(schema.clone());
        Ok(schema)
    }

    /// The table named exactly `name`: the allow-list every generated statement goes through.
    /// A miss reads the schema again once, since the database may have changed since.
    pub async fn table(&self, name: &str) -> Result<Table, Failure> {
        if let Some(table) = self.schema().await?.table(name) {
            return Ok(table.clone());
        }
        let schema = self.refresh().await?;
        schema.table(name).cloned().ok_or_else(|| {
            Failure::NotFound(format!(
                "there is no table or view named `{name}` (names are exact and case-sensitive); the tables are: {}",
                schema.names()
            ))
        })
    }
}

/// SQL that no engine should see: nothing at all, or a NUL, where the engines (and the wire
/// protocol, whose strings end at NUL) would each read a different statement.
fn refuse_malformed(sql: &str) -> Result<(), Failure> {
    if sql.trim().is_empty() {
        return Err(Failure::Refused("refused: there is no SQL statement to run".into()));
    }
    if sql.contains('\0') {
        return Err(Failure::Refused("refused: the SQL contains a NUL character".into()));
    }
    Ok(())
}
