//! What SQL may run on SQLite, decided by SQLite itself rather than by reading the SQL.
//!
//! Matching keywords cannot be made safe (comments, CTEs that end in DELETE, PRAGMAs, quoting
//! tricks), so every decision here comes from the engine, on the raw handle sqlx lends out:
//!
//! 1. The read pool opens the file with `SQLITE_OPEN_READONLY` and `PRAGMA query_only = ON`:
//!    whatever compiles, the pager refuses to write the database file.
//! 2. An authorizer ([`sqlite3_set_authorizer`]) is consulted by the compiler for every action a
//!    statement takes; on the read pool it allows reads, functions, recursive CTEs and a list of
//!    read-only PRAGMAs, and refuses everything else (writes, DDL, `ATTACH`, transactions,
//!    setting any PRAGMA, which is how `PRAGMA query_only = 0` would undo step 1). On the write
//!    pool it refuses only what reaches beyond the one database: `ATTACH`, `DETACH` and
//!    transaction control (each `execute` is its own transaction).
//! 3. `SQLITE_LIMIT_ATTACHED` is 0, so no statement can attach a file, which also stops
//!    `VACUUM` and `VACUUM INTO`, which attach their target.
//! 4. Before sqlx runs anything, [`vet`] compiles it with `sqlite3_prepare_v2`: SQLite's own
//!    tokenizer says whether more than one statement is there (sqlx would run them all), and
//!    `sqlite3_stmt_readonly` must agree that the one statement does not write.
//!
//! [`sqlite3_set_authorizer`]: https://www.sqlite.org/c3ref/set_authorizer.html

use std::{
    cell::Cell,
    ffi::{CStr, c_char, c_int, c_void},
    ptr,
};

use libsqlite3_sys as ffi;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use crate::{failure::Failure, result::ResultColumn};

/// Which pool a connection belongs to, and so which policy it gets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// The read tools: nothing may write.
    ReadOnly,
    /// `execute` (only with `--allow-write`): writes to the database, nothing beyond it.
    Write,
}

/// Installs the policy for `mode` on a new connection (sqlx's `after_connect`).
pub async fn lock_down(connection: &mut SqliteConnection, mode: Mode) -> Result<(), sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    let database = handle.as_raw_handle().as_ptr();
    let authorizer = match mode {
        Mode::ReadOnly => authorize_read as Authorizer,
        Mode::Write => authorize_write as Authorizer,
    };
    // SAFETY: `handle` keeps sqlx's worker thread away from the connection while it lives, the
    // pointer is the live connection, and both callbacks are plain functions (no user data).
    unsafe {
        ffi::sqlite3_limit(database, ffi::SQLITE_LIMIT_ATTACHED, 0);
        ffi::sqlite3_set_authorizer(database, Some(authorizer), ptr::null_mut());
    }
    Ok(())
}

/// What [`vet`] learnt while compiling the statement.
pub struct Vetted {
    /// The statement's result columns, for a result that has no row to name them.
    pub columns: Vec<ResultColumn>,
}

/// Compiles `sql` on the locked connection without running it, and refuses it unless it is
/// exactly one statement that the connection's policy (and, read-only, SQLite) allows.
/// The SQL has no NUL: `Database::read` and `write` refuse one before any engine sees it.
pub fn vet(handle: &mut LockedSqliteHandle<'_>, sql: &str, mode: Mode) -> Result<Vetted, Failure> {
    let database = handle.as_raw_handle().as_ptr();
    REFUSAL.take();
    let (first, rest) = prepare(database, sql);
    let first = match first {
        Ok(statement) => statement,
        Err(message) => {
            return Err(match REFUSAL.take() {
                Some(action) if mode == Mode::ReadOnly => Failure::read_only(action),
                Some(action) => Failure::Refused(format!("refused: {action} is not available through `execute`")),
                None => Failure::Database(format!("SQLite: {message}")),
            });
        }
    };
    if first.0.is_null() {
        return Err(Failure::Refused("refused: there is no SQL statement to run (only whitespace or comments)".into()));
    }
    // sqlx runs every statement in the string, so the rest must compile to nothing at all:
    // SQLite's tokenizer, not ours, decides what is a comment and where a statement ends. The
    // loop is sqlx's own (prepare until no text is left), so both see the same statements.
    let mut rest = rest;
    while !rest.is_empty() {
        let (next, after) = prepare(database, rest);
        REFUSAL.take();
        match next {
            Ok(statement) if statement.0.is_null() && after.len() < rest.len() => rest = after,
            Ok(statement) if statement.0.is_null() => break,
            _ => {
                return Err(Failure::Refused(format!(
                    "refused: only one SQL statement per call, and more follows the first: `{}`",
                    excerpt(rest.trim())
                )));
            }
        }
    }
    // SAFETY: `first` is a statement compiled on this connection and not yet finalized.
    if mode == Mode::ReadOnly && unsafe { ffi::sqlite3_stmt_readonly(first.0) } == 0 {
        return Err(Failure::read_only("SQLite reports that this statement writes (VACUUM and some PRAGMAs do)"));
    }
    Ok(Vetted { columns: first.columns() })
}

/// A compiled statement, finalized when dropped.
struct Statement(*mut ffi::sqlite3_stmt);

impl Statement {
    /// The result columns: names, and declared types (empty for expressions).
    fn columns(&self) -> Vec<ResultColumn> {
        // SAFETY: a live statement; SQLite owns the returned strings until it is finalized,
        // and they are copied before that.
        unsafe {
            (0..ffi::sqlite3_column_count(self.0))
                .map(|index| ResultColumn {
                    name: text(ffi::sqlite3_column_name(self.0, index)).unwrap_or_default(),
                    type_name: text(ffi::sqlite3_column_decltype(self.0, index)).unwrap_or_default(),
                })
                .collect()
        }
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: finalizing a statement once (or a null pointer, a no-op).
        unsafe {
            ffi::sqlite3_finalize(self.0);
        }
    }
}

/// Compiles the first statement of `sql`: the statement (null for none) or SQLite's error
/// message, and the text after it.
fn prepare(database: *mut ffi::sqlite3, sql: &str) -> (Result<Statement, String>, &str) {
    let Ok(length) = c_int::try_from(sql.len()) else {
        return (Err("the SQL is too long".into()), "");
    };
    let mut statement = ptr::null_mut();
    let mut tail: *const c_char = ptr::null();
    // SAFETY: `sql` outlives the call and `length` is its length in bytes; `tail` comes back
    // pointing into `sql` (or null), and the statement is owned by the returned `Statement`.
    let code = unsafe { ffi::sqlite3_prepare_v2(database, sql.as_ptr().cast(), length, &mut statement, &mut tail) };
    let statement = Statement(statement);
    let consumed = if tail.is_null() { sql.len() } else { (tail as usize).saturating_sub(sql.as_ptr() as usize) };
    // SQLite ends statements at token boundaries, which are character boundaries; `get` keeps
    // a surprise from panicking.
    let rest = sql.get(consumed..).unwrap_or("");
    if code == ffi::SQLITE_OK {
        (Ok(statement), rest)
    } else {
        // SAFETY: the connection's last error message, copied at once.
        let message = unsafe { text(ffi::sqlite3_errmsg(database)) }.unwrap_or_else(|| format!("SQLite error {code}"));
        (Err(message), rest)
    }
}

/// The first 80 characters of `sql`, for an error message.
fn excerpt(sql: &str) -> String {
    let mut short: String = sql.chars().take(80).collect();
    if short.len() < sql.len() {
        short.push('…');
    }
    short
}

/// A C string SQLite owns, copied; `None` for a null pointer.
///
/// # Safety
/// `pointer` must be null or a valid NUL-terminated string.
unsafe fn text(pointer: *const c_char) -> Option<String> {
    // SAFETY: upheld by the caller.
    (!pointer.is_null()).then(|| unsafe { CStr::from_ptr(pointer) }.to_string_lossy().into_owned())
}

/// The signature `sqlite3_set_authorizer` takes.
type Authorizer =
    unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, *const c_char, *const c_char) -> c_int;

thread_local! {
    /// The action the authorizer last refused on this thread. `vet` compiles on the calling
    /// thread, where the callback runs synchronously inside `sqlite3_prepare_v2`, so this names
    /// the reason for the refusal `vet` is looking at.
    static REFUSAL: Cell<Option<String>> = const { Cell::new(None) };
}

/// PRAGMAs that only report, whatever their argument (a table or index name, a row limit).
const REPORTING_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
    "collation_list",
    "database_list",
    "function_list",
    "module_list",
    "pragma_list",
    "compile_options",
];

/// PRAGMAs that are settings: reading them (no argument) is allowed, setting them is not.
const READABLE_SETTINGS: &[&str] = &[
    "application_id",
    "auto_vacuum",
    "busy_timeout",
    "cache_size",
    "data_version",
    "encoding",
    "foreign_keys",
    "freelist_count",
    "page_count",
    "page_size",
    "query_only",
    "schema_version",
    "user_version",
];

/// The read pool's policy: reads, functions and reporting PRAGMAs; nothing else.
unsafe extern "C" fn authorize_read(
    _data: *mut c_void,
    action: c_int,
    first: *const c_char,
    second: *const c_char,
    _database: *const c_char,
    _trigger: *const c_char,
) -> c_int {
    // SAFETY: SQLite passes null or NUL-terminated strings.
    let (first, second) = unsafe { (text(first), text(second)) };
    let allowed = match action {
        ffi::SQLITE_SELECT | ffi::SQLITE_READ | ffi::SQLITE_FUNCTION | ffi::SQLITE_RECURSIVE => true,
        ffi::SQLITE_PRAGMA => {
            let pragma = first.as_deref().unwrap_or_default().to_ascii_lowercase();
            REPORTING_PRAGMAS.contains(&pragma.as_str())
                || (second.is_none() && READABLE_SETTINGS.contains(&pragma.as_str()))
        }
        _ => false,
    };
    verdict(allowed, action, first, second)
}

/// The write pool's policy: anything within the database, nothing that reaches beyond it.
unsafe extern "C" fn authorize_write(
    _data: *mut c_void,
    action: c_int,
    first: *const c_char,
    second: *const c_char,
    _database: *const c_char,
    _trigger: *const c_char,
) -> c_int {
    let allowed =
        !matches!(action, ffi::SQLITE_ATTACH | ffi::SQLITE_DETACH | ffi::SQLITE_TRANSACTION | ffi::SQLITE_SAVEPOINT);
    if allowed {
        return ffi::SQLITE_OK;
    }
    // SAFETY: SQLite passes null or NUL-terminated strings.
    let (first, second) = unsafe { (text(first), text(second)) };
    verdict(false, action, first, second)
}

/// `SQLITE_OK`, or `SQLITE_DENY` with the refused action remembered for [`vet`].
fn verdict(allowed: bool, action: c_int, first: Option<String>, second: Option<String>) -> c_int {
    if allowed {
        return ffi::SQLITE_OK;
    }
    REFUSAL.set(Some(describe(action, first.as_deref(), second.as_deref())));
    ffi::SQLITE_DENY
}

/// The refused action in words, with the object it concerns.
fn describe(action: c_int, first: Option<&str>, second: Option<&str>) -> String {
    let object = |name: Option<&str>| name.map(|name| format!(" `{name}`")).unwrap_or_default();
    let is_schema_table = |name: Option<&str>| {
        matches!(name, Some("sqlite_master" | "sqlite_temp_master" | "sqlite_schema" | "sqlite_temp_schema"))
    };
    let (what, name) = match action {
        // DDL asks to write the schema table before it names itself.
        ffi::SQLITE_INSERT | ffi::SQLITE_UPDATE | ffi::SQLITE_DELETE if is_schema_table(first) => {
            return "changing the schema (CREATE, DROP or ALTER)".into();
        }
        ffi::SQLITE_INSERT => ("INSERT into", first),
        ffi::SQLITE_UPDATE => ("UPDATE of", first),
        ffi::SQLITE_DELETE => ("DELETE from", first),
        ffi::SQLITE_CREATE_TABLE => ("CREATE TABLE", first),
        ffi::SQLITE_CREATE_TEMP_TABLE => ("CREATE TEMP TABLE", first),
        ffi::SQLITE_CREATE_INDEX | ffi::SQLITE_CREATE_TEMP_INDEX => ("CREATE INDEX", first),
        ffi::SQLITE_CREATE_VIEW | ffi::SQLITE_CREATE_TEMP_VIEW => ("CREATE VIEW", first),
        ffi::SQLITE_CREATE_TRIGGER | ffi::SQLITE_CREATE_TEMP_TRIGGER => ("CREATE TRIGGER", first),
        ffi::SQLITE_CREATE_VTABLE => ("CREATE VIRTUAL TABLE", first),
        ffi::SQLITE_DROP_TABLE | ffi::SQLITE_DROP_TEMP_TABLE => ("DROP TABLE", first),
        ffi::SQLITE_DROP_INDEX | ffi::SQLITE_DROP_TEMP_INDEX => ("DROP INDEX", first),
        ffi::SQLITE_DROP_VIEW | ffi::SQLITE_DROP_TEMP_VIEW => ("DROP VIEW", first),
        ffi::SQLITE_DROP_TRIGGER | ffi::SQLITE_DROP_TEMP_TRIGGER => ("DROP TRIGGER", first),
        ffi::SQLITE_DROP_VTABLE => ("DROP VIRTUAL TABLE", first),
        ffi::SQLITE_ALTER_TABLE => ("ALTER TABLE", second),
        ffi::SQLITE_REINDEX => ("REINDEX", first),
        ffi::SQLITE_ANALYZE => ("ANALYZE", first),
        ffi::SQLITE_ATTACH => ("ATTACH DATABASE", first),
        ffi::SQLITE_DETACH => ("DETACH DATABASE", first),
        ffi::SQLITE_TRANSACTION => return format!("transaction control ({})", first.unwrap_or("BEGIN/COMMIT")),
        ffi::SQLITE_SAVEPOINT => ("SAVEPOINT", second),
        ffi::SQLITE_PRAGMA => {
            let pragma = first.unwrap_or_default();
            return match second {
                Some(value) => format!("setting PRAGMA {pragma} (to `{value}`)"),
                None => format!("PRAGMA {pragma} (not on the list of read-only PRAGMAs)"),
            };
        }
        other => return format!("an action SQLite calls {other}"),
    };
    format!("{what}{}", object(name))
}
