//! PostgreSQL: every read in a `READ ONLY` transaction that is rolled back, with a
//! `statement_timeout`, through the extended protocol (one statement per call, by the server's
//! own rule); the read pool's sessions also default to read-only transactions.

use std::time::Duration;

use sqlx::{
    Connection, Executor, Postgres, Statement,
    pool::PoolConnection,
    postgres::{PgConnectOptions, PgConnection, PgDatabaseError, PgPool, PgPoolOptions},
};

use crate::{
    failure::Failure,
    postgres_values,
    result::{Collector, QueryResult, columns_of},
    schema::{self, Column, ForeignKey, Schema, Table},
};

/// An open PostgreSQL database.
#[derive(Clone)]
pub struct PostgresDatabase {
    /// Sessions that default to read-only transactions, for every tool but `execute`.
    read: PgPool,
    /// Ordinary sessions for `execute`, only with `--allow-write`.
    write: Option<PgPool>,
}

/// How long to wait for a connection, at start-up and later.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl PostgresDatabase {
    /// Connects (and checks the connection) for reading, and for `execute` when `allow_write`;
    /// `shown_url` is the URL without its password, for messages.
    pub async fn open(
        options: PgConnectOptions,
        allow_write: bool,
        timeout: Duration,
        shown_url: &str,
    ) -> Result<Self, String> {
        let milliseconds = timeout.as_millis().to_string();
        let options = options.application_name("mcp-database-example");
        // Session defaults, sent in the start-up packet: a second line of defence behind the
        // per-call `BEGIN READ ONLY` and `SET LOCAL statement_timeout`.
        let read_options = options
            .clone()
            .options([("default_transaction_read_only", "on"), ("statement_timeout", milliseconds.as_str())]);
        let read = connect(read_options, shown_url).await?;
        let write = if allow_write {
            Some(connect(options.options([("statement_timeout", milliseconds.as_str())]), shown_url).await?)
        } else {
            None
        };
        Ok(Self { read, write })
    }

    /// Runs one statement in a read-only transaction with `binds` for `$1`, `$2`, ...
    pub async fn read(
        &self,
        sql: &str,
        binds: &[i64],
        max_rows: usize,
        timeout: Duration,
    ) -> Result<QueryResult, Failure> {
        let failed = |error| classify(error, timeout);
        let mut session = ReadSession::begin(&self.read, timeout).await.map_err(failed)?;
        let mut collector = Collector::new(max_rows);
        let mut query = sqlx::query(sql).persistent(false);
        for bind in binds {
            query = query.bind(*bind);
        }
        let fetched =
            query.try_map(|row| collector.take(row, postgres_values::to_json)).fetch_all(&mut *session.0).await;
        let settled = collector.settle(fetched);
        if collector.is_truncated() {
            // The server may still be sending rows; dropping the session closes the connection,
            // which stops the statement at its next write instead of draining it to the end
            // (or to the statement timeout) before the next command could run.
            drop(session);
            return Ok(collector.finish(Vec::new));
        }
        // Without a row, the columns come from describing the statement (nothing runs).
        let columns = match &settled {
            Ok(()) if collector.is_empty() => match session.0.prepare(sql).await {
                Ok(statement) => columns_of(statement.columns()),
                Err(_) => Vec::new(),
            },
            _ => Vec::new(),
        };
        session.end().await;
        settled.map_err(failed)?;
        Ok(collector.finish(|| columns))
    }

    /// Runs one statement in its own committed transaction; the number of rows it changed.
    pub async fn write(&self, sql: &str, timeout: Duration) -> Result<u64, Failure> {
        let Some(pool) = &self.write else {
            return Err(Failure::read_only("`execute` was called without --allow-write"));
        };
        let failed = |error| classify(error, timeout);
        let mut transaction = pool.begin().await.map_err(failed)?;
        set_statement_timeout(&mut transaction, timeout).await.map_err(failed)?;
        let done = sqlx::query(sql).persistent(false).execute(&mut *transaction).await.map_err(failed)?;
        transaction.commit().await.map_err(failed)?;
        Ok(done.rows_affected())
    }

    /// Reads the schema: the tables and views the role may read, outside the system schemas.
    pub async fn introspect(&self, timeout: Duration) -> Result<Schema, Failure> {
        let failed = |error| classify(error, timeout);
        let mut session = ReadSession::begin(&self.read, timeout).await.map_err(failed)?;
        let columns: Vec<ColumnRow> = sqlx::query_as(COLUMNS).fetch_all(&mut *session.0).await.map_err(failed)?;
        let references: Vec<(String, String, Vec<String>, Vec<String>)> =
            sqlx::query_as(FOREIGN_KEYS).fetch_all(&mut *session.0).await.map_err(failed)?;
        session.end().await;
        let mut tables: Vec<Table> = Vec::new();
        let mut keys: Vec<(i32, String)> = Vec::new();
        for (schema_name, table_name, name, kind, column, type_name, nullable, key_position, default) in columns {
            if tables.last().is_none_or(|table| table.name != name) {
                finish_primary_key(tables.last_mut(), &mut keys);
                tables.push(Table {
                    reference: format!("{}.{}", schema::quote(&schema_name), schema::quote(&table_name)),
                    name,
                    kind,
                    columns: Vec::new(),
                    primary_key: Vec::new(),
                    foreign_keys: Vec::new(),
                });
            }
            if let Some(table) = tables.last_mut() {
                if key_position > 0 {
                    keys.push((key_position, column.clone()));
                }
                table.columns.push(Column {
                    name: column,
                    type_name,
                    nullable,
                    primary_key: key_position > 0,
                    default,
                });
            }
        }
        finish_primary_key(tables.last_mut(), &mut keys);
        for (from, to, columns, referenced_columns) in references {
            if let Some(table) = tables.iter_mut().find(|table| table.name == from) {
                table.foreign_keys.push(ForeignKey { columns, references: to, referenced_columns });
            }
        }
        Ok(Schema { engine: "postgresql".into(), tables })
    }
}

/// Schema, table, shown name, kind, column, type, nullable, position in the primary key (0:
/// none), default.
type ColumnRow = (String, String, String, String, String, String, bool, i32, Option<String>);

/// Every column of every readable table, view, materialized view and foreign table outside the
/// system schemas; a table is named as the search path lets SQL name it.
const COLUMNS: &str = "
SELECT n.nspname::text, c.relname::text,
       CASE WHEN pg_catalog.pg_table_is_visible(c.oid) THEN c.relname::text
            ELSE n.nspname::text || '.' || c.relname::text END,
       CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                      WHEN 'f' THEN 'foreign table' ELSE 'table' END,
       a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
       COALESCE((SELECT k.position FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                 WHERE k.attnum = a.attnum), 0)::int4,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND pg_catalog.has_table_privilege(c.oid, 'SELECT')
ORDER BY 3, a.attnum";

/// Every foreign key: referring table, referenced table, and both column lists in key order.
const FOREIGN_KEYS: &str = "
SELECT CASE WHEN pg_catalog.pg_table_is_visible(c.oid) THEN c.relname::text
            ELSE n.nspname::text || '.' || c.relname::text END,
       CASE WHEN pg_catalog.pg_table_is_visible(r.oid) THEN r.relname::text
            ELSE rn.nspname::text || '.' || r.relname::text END,
       ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, position)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum
             ORDER BY u.position),
       ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, position)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum
             ORDER BY u.position)
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class r ON r.oid = k.confrelid
JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
WHERE k.contype = 'f'
ORDER BY 1, k.conname";

/// Moves the collected key columns, sorted by position, into `table`.
fn finish_primary_key(table: Option<&mut Table>, keys: &mut Vec<(i32, String)>) {
    keys.sort();
    if let Some(table) = table {
        table.primary_key = keys.drain(..).map(|(_, name)| name).collect();
    }
    keys.clear();
}

/// A pooled session inside `BEGIN READ ONLY`, for one read. Unless [`end`](Self::end) rolls
/// it back, dropping it closes the connection instead of returning it to the pool: a read
/// cancelled midway or cut at the row cap may still be inside its transaction, or still
/// receiving rows, and must not be handed to the next caller.
struct ReadSession(PoolConnection<Postgres>, bool);

impl ReadSession {
    /// A connection from `pool` in a read-only transaction with the statement timeout set.
    async fn begin(pool: &PgPool, timeout: Duration) -> Result<Self, sqlx::Error> {
        let mut session = Self(pool.acquire().await?, false);
        sqlx::query("BEGIN READ ONLY").execute(&mut *session.0).await?;
        set_statement_timeout(&mut session.0, timeout).await?;
        Ok(session)
    }

    /// Rolls the transaction back, so that nothing a read did survives it (not even a `SET`),
    /// and returns the connection to the pool. After a statement that ended the transaction
    /// itself (`COMMIT`), the rollback is only a warning.
    async fn end(mut self) {
        self.1 = sqlx::query("ROLLBACK").execute(&mut *self.0).await.is_ok();
    }
}

impl Drop for ReadSession {
    fn drop(&mut self) {
        if !self.1 {
            self.0.close_on_drop();
        }
    }
}

/// `SET LOCAL statement_timeout`, as a parameterised call so that nothing is spliced into SQL.
async fn set_statement_timeout(connection: &mut PgConnection, timeout: Duration) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_catalog.set_config('statement_timeout', $1, true)")
        .bind(timeout.as_millis().to_string())
        .execute(connection)
        .await
        .map(drop)
}

/// A pool, once one connection has been made, or why it could not be. The first connection is
/// made by hand: a pool retries a refused connection until its timeout and then reports only
/// that it timed out, where one attempt reports at once why it failed.
async fn connect(options: PgConnectOptions, shown_url: &str) -> Result<PgPool, String> {
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => return Err(connect_error(sqlx::Error::PoolTimedOut, shown_url)),
        Ok(Err(error)) => return Err(connect_error(error, shown_url)),
        Ok(Ok(connection)) => {
            let _ = connection.close().await;
        }
    }
    Ok(PgPoolOptions::new().max_connections(4).acquire_timeout(CONNECT_TIMEOUT).connect_lazy_with(options))
}

/// Why connecting failed, naming the server by its password-less URL.
fn connect_error(error: sqlx::Error, shown_url: &str) -> String {
    match &error {
        sqlx::Error::Io(io) => format!("cannot reach the PostgreSQL server at {shown_url}: {io}"),
        sqlx::Error::PoolTimedOut => format!(
            "the PostgreSQL server at {shown_url} did not answer within {} s (is the host right, and reachable?)",
            CONNECT_TIMEOUT.as_secs()
        ),
        sqlx::Error::Database(database) => {
            format!("the PostgreSQL server at {shown_url} refused the connection: {}", database.message())
        }
        sqlx::Error::Tls(tls) => format!("TLS with the PostgreSQL server at {shown_url} failed: {tls}"),
        other => format!("cannot connect to the PostgreSQL server at {shown_url}: {other}"),
    }
}

/// A sqlx error as the model should read it.
fn classify(error: sqlx::Error, timeout: Duration) -> Failure {
    let Some(database) = error.as_database_error() else {
        return Failure::Database(format!("PostgreSQL: {error}"));
    };
    let code = database.code().map(|code| code.into_owned()).unwrap_or_default();
    let mut message = database.message().to_owned();
    if let Some(postgres) = database.try_downcast_ref::<PgDatabaseError>() {
        if let Some(detail) = postgres.detail() {
            message = format!("{message} ({detail})");
        }
        if let Some(hint) = postgres.hint() {
            message = format!("{message}; hint: {hint}");
        }
    }
    match code.as_str() {
        // query_canceled: the statement timeout (nothing else cancels these sessions).
        "57014" => Failure::Timeout(timeout),
        // read_only_sql_transaction: the transaction refused a write.
        "25006" => Failure::read_only(format!("PostgreSQL refused it: {message}")),
        // The extended protocol takes one statement; PostgreSQL says so as a syntax error.
        "42601" if message.contains("multiple commands") => {
            Failure::Refused(format!("refused: only one SQL statement per call (PostgreSQL: {message})"))
        }
        _ => Failure::Database(format!("PostgreSQL: {message} (SQLSTATE {code})")),
    }
}
