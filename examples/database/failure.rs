//! Why a database call failed, sorted into kinds so that the audit log records the kind and the
//! model reads a message that says what to do next.

use std::{fmt, time::Duration};

use mcp_runtime::ToolError;

/// A call that did not produce a result.
#[derive(Debug)]
pub enum Failure {
    /// Refused before (or instead of) running: a write on the read-only path, several statements
    /// at once, an identifier that is not in the schema.
    Refused(String),
    /// Stopped by the statement timeout.
    Timeout(Duration),
    /// The database ran the statement and reported an error (syntax, unknown column, constraint).
    Database(String),
    /// What was asked for does not exist (a table); resources answer it as not found.
    NotFound(String),
}

impl Failure {
    /// The outcome as the audit log names it.
    pub fn outcome(&self) -> &'static str {
        match self {
            Failure::Refused(_) => "refused",
            Failure::Timeout(_) => "timeout",
            Failure::Database(_) => "error",
            Failure::NotFound(_) => "not_found",
        }
    }

    /// The statement was refused because the connection is read-only; `why` names what it does.
    pub fn read_only(why: impl fmt::Display) -> Self {
        Failure::Refused(format!(
            "refused: {why}; this server is read-only (the database connection itself refuses writes). \
             Only one read-only statement (SELECT, EXPLAIN, ...) runs per call; writes need the \
             `execute` tool, which exists only when the server runs with --allow-write"
        ))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Refused(message) | Failure::Database(message) | Failure::NotFound(message) => f.write_str(message),
            Failure::Timeout(limit) => write!(
                f,
                "the statement ran longer than the statement timeout ({}) and was stopped; narrow it \
                 (a WHERE clause, a LIMIT, fewer joins) or ask the operator for a longer --statement-timeout",
                mcp_runtime::duration::HumanDuration(*limit)
            ),
        }
    }
}

impl From<Failure> for ToolError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::NotFound(message) => ToolError::not_found(message),
            other => ToolError::new(other.to_string()),
        }
    }
}
