//! From the command line to an open database: the demo when no URL is given, else SQLite or
//! PostgreSQL by the URL's scheme; every failure names the URL, never its password.

use std::{path::PathBuf, str::FromStr, time::Duration};

// sqlx's own statement log (and its "slow statement" warnings) would repeat the audit log.
use sqlx::{ConnectOptions, postgres::PgConnectOptions, sqlite::SqliteConnectOptions};

use crate::{database::Engine, demo, postgres::PostgresDatabase, sqlite::SqliteDatabase};

/// What to connect to and how.
pub struct Target {
    /// `sqlite://PATH` or `postgres://...`; `None` for the demo.
    pub url: Option<String>,
    /// Where the demo lives (default: under the system's temporary directory).
    pub demo_path: Option<PathBuf>,
    /// Whether `execute` may write.
    pub allow_write: bool,
    /// The statement timeout, which PostgreSQL sessions also get as their default.
    pub statement_timeout: Duration,
}

/// Opens the target; the engine, and a line describing it for the operator.
pub async fn open(target: Target) -> Result<(Engine, String), String> {
    let Some(url) = target.url else {
        let path = target.demo_path.unwrap_or_else(demo::default_path);
        let created = demo::ensure(&path).await?;
        mcp_runtime::observe::announce(&format!(
            "database: {} the demo database at {} (delete the file to start afresh)",
            if created { "created" } else { "using" },
            path.display()
        ));
        let sqlite = SqliteDatabase::open(
            SqliteConnectOptions::new().filename(&path).disable_statement_logging(),
            target.allow_write,
        )
        .await?;
        return Ok((Engine::Sqlite(sqlite), format!("the demo SQLite database {}", path.display())));
    };
    let shown = redact(&url);
    if url.trim().is_empty() {
        Err("--database-url (or DATABASE_URL) is empty: give sqlite://PATH or postgres://..., or leave it \
             out for the demo database"
            .into())
    } else if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|error| format!("invalid --database-url `{shown}`: {error}"))?
            .disable_statement_logging();
        let sqlite = SqliteDatabase::open(options, target.allow_write).await?;
        let described = format!("the SQLite database {}", sqlite.path.display());
        Ok((Engine::Sqlite(sqlite), described))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PgConnectOptions::from_str(&url)
            .map_err(|error| format!("invalid --database-url `{shown}`: {error}"))?
            .disable_statement_logging();
        let postgres = PostgresDatabase::open(options, target.allow_write, target.statement_timeout, &shown).await?;
        Ok((Engine::Postgres(postgres), format!("the PostgreSQL database {shown}")))
    } else {
        Err(format!(
            "unsupported --database-url `{shown}`: give sqlite://PATH (an existing SQLite file) or \
             postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        ))
    }
}

/// `url` with the password (in the user info or a `password=` parameter) replaced by `***`.
pub fn redact(url: &str) -> String {
    let mut shown = url.to_owned();
    if let Some(scheme_end) = shown.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end =
            shown[authority_start..].find(['/', '?', '#']).map_or(shown.len(), |end| authority_start + end);
        if let Some(at) = shown[authority_start..authority_end].rfind('@') {
            let user_info = authority_start..authority_start + at;
            if let Some(colon) = shown[user_info.clone()].find(':') {
                shown.replace_range(user_info.start + colon + 1..user_info.end, "***");
            }
        }
    }
    if let Some(query_start) = shown.find('?') {
        let (head, query) = shown.split_at(query_start + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|pair| {
                if pair.to_ascii_lowercase().starts_with("password=") {
                    "password=***".to_owned()
                } else {
                    pair.to_owned()
                }
            })
            .collect();
        shown = format!("{head}{}", query.join("&"));
    }
    shown
}
