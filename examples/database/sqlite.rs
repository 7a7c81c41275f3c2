//! SQLite: a read pool locked down by [`readonly`], a write pool only with `--allow-write`,
//! and a statement deadline enforced by a progress handler.

use std::{
    collections::BTreeMap,
    path::PathBuf,
    time::{Duration, Instant},
};

use sqlx::{
    pool::PoolConnection,
    sqlite::{Sqlite, SqliteConnectOptions, SqlitePool, SqlitePoolOptions},
};

use crate::{
    failure::Failure,
    readonly::{self, Mode},
    result::{Collector, QueryResult},
    schema::{self, Column, ForeignKey, Schema, Table},
    sqlite_values,
};

/// An open SQLite database.
#[derive(Clone)]
pub struct SqliteDatabase {
    /// Read-only connections, locked down by `readonly`, for every tool but `execute`.
    read: SqlitePool,
    /// One read-write connection for `execute`, only with `--allow-write`.
    write: Option<SqlitePool>,
    /// The database file.
    pub path: PathBuf,
}

/// How many virtual-machine instructions SQLite runs between checks of the deadline: often
/// enough to stop within milliseconds, rare enough to cost nothing measurable.
const DEADLINE_CHECK_EVERY: i32 = 1_000;

impl SqliteDatabase {
    /// Opens the file `options` names: always read-only for the read tools, and read-write for
    /// `execute` too when `allow_write`.
    pub async fn open(options: SqliteConnectOptions, allow_write: bool) -> Result<Self, String> {
        let path = options.get_filename().to_owned();
        if !path.is_file() {
            return Err(format!(
                "there is no SQLite database at `{}`; give the path of an existing file \
                 (`--database-url sqlite://PATH`), or leave --database-url out to use the demo database",
                path.display()
            ));
        }
        let cannot_open = |error: sqlx::Error| format!("cannot open the SQLite database `{}`: {error}", path.display());
        let read_options = options.clone().read_only(true).pragma("query_only", "ON");
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(|connection, _| Box::pin(readonly::lock_down(connection, Mode::ReadOnly)))
            .connect_with(read_options)
            .await
            .map_err(cannot_open)?;
        // Opening succeeds on any file; reading the schema is what tells a database from not one.
        sqlx::query("SELECT count(*) FROM sqlite_schema").execute(&read).await.map_err(cannot_open)?;
        let write = if allow_write {
            // SQLite has one writer at a time, so one connection; waits on readers' locks.
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .after_connect(|connection, _| Box::pin(readonly::lock_down(connection, Mode::Write)))
                .connect_with(options.read_only(false).busy_timeout(Duration::from_secs(5)))
                .await
                .map_err(cannot_open)?;
            Some(pool)
        } else {
            None
        };
        Ok(Self { read, write, path })
    }

    /// Runs one read-only statement with `binds` for its `?` parameters, keeping `max_rows`.
    pub async fn read(
        &self,
        sql: &str,
        binds: &[i64],
        max_rows: usize,
        timeout: Duration,
    ) -> Result<QueryResult, Failure> {
        let mut connection = self.read.acquire().await.map_err(|error| classify(error, timeout))?;
        let vetted = {
            let mut handle = connection.lock_handle().await.map_err(|error| classify(error, timeout))?;
            // Armed first: a call cancelled midway leaves its expired deadline behind, which
            // must not interrupt this call's compiling.
            arm(&mut handle, timeout);
            readonly::vet(&mut handle, sql, Mode::ReadOnly)?
        };
        let mut collector = Collector::new(max_rows);
        let mut query = sqlx::query(sql).persistent(false);
        for bind in binds {
            query = query.bind(*bind);
        }
        let fetched =
            query.try_map(|row| collector.take(row, sqlite_values::to_json)).fetch_all(&mut *connection).await;
        disarm(&mut connection).await;
        collector.settle(fetched).map_err(|error| classify(error, timeout))?;
        // SQLite's declared types (empty for expressions) beat sqlx's guess of `NULL` for those.
        let mut result = collector.finish(Vec::new);
        result.columns = vetted.columns;
        Ok(result)
    }

    /// Runs one statement on the write pool; the number of rows it changed.
    pub async fn write(&self, sql: &str, timeout: Duration) -> Result<u64, Failure> {
        let Some(pool) = &self.write else {
            return Err(Failure::read_only("`execute` was called without --allow-write"));
        };
        let failed = |error| classify_write(error, timeout);
        let mut connection = pool.acquire().await.map_err(failed)?;
        let before = {
            let mut handle = connection.lock_handle().await.map_err(failed)?;
            arm(&mut handle, timeout);
            readonly::vet(&mut handle, sql, Mode::Write)?;
            total_changes(&mut handle)
        };
        let done = sqlx::query(sql).persistent(false).execute(&mut *connection).await;
        let after = disarm(&mut connection).await;
        done.map_err(failed)?;
        // SQLite's own count (`sqlite3_changes`) is left over from the last INSERT, UPDATE or
        // DELETE after DDL; the difference of the running totals is right for every statement.
        Ok(after.map_or(0, |after| after.saturating_sub(before)).try_into().unwrap_or(0))
    }

    /// Reads the schema: tables and views, their columns, keys and references.
    pub async fn introspect(&self, timeout: Duration) -> Result<Schema, Failure> {
        let failed = |error| classify(error, timeout);
        let mut connection = self.read.acquire().await.map_err(failed)?;
        arm(&mut connection.lock_handle().await.map_err(failed)?, timeout);
        let introspected = introspect(&mut connection).await;
        disarm(&mut connection).await;
        Ok(Schema { engine: "sqlite".into(), tables: introspected.map_err(failed)? })
    }
}

/// The tables and views, with columns, keys and references, through the `pragma_*` functions.
async fn introspect(connection: &mut PoolConnection<Sqlite>) -> Result<Vec<Table>, sqlx::Error> {
    let names: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, type FROM sqlite_schema \
         WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&mut **connection)
    .await?;
    let mut tables = Vec::with_capacity(names.len());
    for (name, kind) in names {
        // hidden = 1 marks a virtual table's hidden columns; generated columns (2, 3) are real.
        let columns: Vec<(String, String, bool, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?1) WHERE hidden <> 1 ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(&mut **connection)
        .await?;
        let mut primary_key: Vec<(i64, String)> =
            columns.iter().filter(|column| column.4 > 0).map(|column| (column.4, column.0.clone())).collect();
        primary_key.sort();
        let references: Vec<(i64, String, String, Option<String>)> =
            sqlx::query_as("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq")
                .bind(&name)
                .fetch_all(&mut **connection)
                .await?;
        let mut foreign_keys: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, target, from, to) in references {
            let key = foreign_keys.entry(id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                references: target,
                referenced_columns: Vec::new(),
            });
            key.columns.push(from);
            key.referenced_columns.extend(to);
        }
        tables.push(Table {
            reference: schema::quote(&name),
            name,
            kind,
            columns: columns
                .into_iter()
                .map(|(name, type_name, not_null, default, key)| Column {
                    name,
                    type_name,
                    nullable: !not_null && key == 0,
                    primary_key: key > 0,
                    default,
                })
                .collect(),
            primary_key: primary_key.into_iter().map(|(_, name)| name).collect(),
            foreign_keys: foreign_keys.into_values().collect(),
        });
    }
    Ok(tables)
}

/// Makes the connection interrupt whatever runs on it once `timeout` has passed from now.
fn arm(handle: &mut sqlx::sqlite::LockedSqliteHandle<'_>, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    handle.set_progress_handler(DEADLINE_CHECK_EVERY, move || Instant::now() < deadline);
}

/// Removes the deadline, so that it cannot interrupt the connection's next user (each use
/// arms its own first anyway, for the calls cancelled before they could disarm); the
/// connection's running count of changed rows, if it could be reached.
async fn disarm(connection: &mut PoolConnection<Sqlite>) -> Option<i64> {
    let changes = match connection.lock_handle().await {
        Ok(mut handle) => {
            handle.remove_progress_handler();
            Some(total_changes(&mut handle))
        }
        Err(_) => None,
    };
    if changes.is_none() {
        // The worker thread is gone; the pool must not hand this connection out again.
        connection.close_on_drop();
    }
    changes
}

/// Rows inserted, updated or deleted on this connection since it opened.
fn total_changes(handle: &mut sqlx::sqlite::LockedSqliteHandle<'_>) -> i64 {
    // SAFETY: the locked handle is the live connection, kept from sqlx's worker meanwhile.
    unsafe { libsqlite3_sys::sqlite3_total_changes64(handle.as_raw_handle().as_ptr()) }
}

/// A write's sqlx error as the model should read it: there, an authorization error is a
/// statement reaching beyond the database while it runs (`VACUUM` attaching its target).
fn classify_write(error: sqlx::Error, timeout: Duration) -> Failure {
    match error.as_database_error().and_then(|database| database.code()) {
        Some(code) if code.parse::<i32>().is_ok_and(|code| code & 0xff == libsqlite3_sys::SQLITE_AUTH) => {
            Failure::Refused(
                "refused: SQLite stopped the statement when it tried to attach a file (ATTACH, VACUUM and \
                 VACUUM INTO do); `execute` may change this database, nothing beyond it"
                    .into(),
            )
        }
        _ => classify(error, timeout),
    }
}

/// A sqlx error as the model should read it.
fn classify(error: sqlx::Error, timeout: Duration) -> Failure {
    let Some(database) = error.as_database_error() else {
        return Failure::Database(format!("SQLite: {error}"));
    };
    let code = database.code().and_then(|code| code.parse::<i32>().ok()).unwrap_or(0);
    // Extended result codes keep the primary code in their low byte.
    match code & 0xff {
        libsqlite3_sys::SQLITE_INTERRUPT => Failure::Timeout(timeout),
        libsqlite3_sys::SQLITE_READONLY | libsqlite3_sys::SQLITE_AUTH => {
            Failure::read_only(format!("SQLite refused to write ({})", database.message()))
        }
        _ => Failure::Database(format!("SQLite: {}", database.message())),
    }
}
