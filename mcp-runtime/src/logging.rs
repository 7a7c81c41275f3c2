//! Log levels for messages sent to the client (`notifications/message`), and the level each
//! connection asked for. rmcp delivers log notifications but filters nothing, so we do.

#![allow(deprecated)] // SEP-2577 deprecates client logging; 2025 clients still rely on it.

use std::sync::{
    Arc,
    atomic::{AtomicU8, Ordering},
};

use rmcp::model::LoggingLevel;

/// Severity of a message logged to the client, from least to most severe (RFC 5424 names).
///
/// ```
/// use mcp_runtime::observe::LogLevel;
///
/// assert!(LogLevel::Warning > LogLevel::Info);
/// assert_eq!(LogLevel::default(), LogLevel::Info);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LogLevel {
    /// Detailed information for debugging.
    Debug,
    /// Normal operational messages.
    #[default]
    Info,
    /// Normal but significant events.
    Notice,
    /// Something unexpected that the tool recovered from.
    Warning,
    /// A failed operation.
    Error,
    /// A critical condition.
    Critical,
    /// Action must be taken immediately.
    Alert,
    /// The system is unusable.
    Emergency,
}

impl LogLevel {
    const ALL: [LogLevel; 8] = [
        LogLevel::Debug,
        LogLevel::Info,
        LogLevel::Notice,
        LogLevel::Warning,
        LogLevel::Error,
        LogLevel::Critical,
        LogLevel::Alert,
        LogLevel::Emergency,
    ];

    pub(crate) fn to_rmcp(self) -> LoggingLevel {
        match self {
            LogLevel::Debug => LoggingLevel::Debug,
            LogLevel::Info => LoggingLevel::Info,
            LogLevel::Notice => LoggingLevel::Notice,
            LogLevel::Warning => LoggingLevel::Warning,
            LogLevel::Error => LoggingLevel::Error,
            LogLevel::Critical => LoggingLevel::Critical,
            LogLevel::Alert => LoggingLevel::Alert,
            LogLevel::Emergency => LoggingLevel::Emergency,
        }
    }

    pub(crate) fn from_rmcp(level: LoggingLevel) -> Self {
        match level {
            LoggingLevel::Debug => LogLevel::Debug,
            LoggingLevel::Info => LogLevel::Info,
            LoggingLevel::Notice => LogLevel::Notice,
            LoggingLevel::Warning => LogLevel::Warning,
            LoggingLevel::Error => LogLevel::Error,
            LoggingLevel::Critical => LogLevel::Critical,
            LoggingLevel::Alert => LogLevel::Alert,
            LoggingLevel::Emergency => LogLevel::Emergency,
        }
    }
}

/// The minimum level one connection asked for with `logging/setLevel`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnectionLogLevel(Arc<AtomicU8>);

/// Stored as level + 1 so that 0 means "the client never said", which falls back to `Info`.
const UNSET: u8 = 0;

impl ConnectionLogLevel {
    pub(crate) fn set(&self, level: LogLevel) {
        self.0.store(level as u8 + 1, Ordering::Relaxed);
    }

    pub(crate) fn get(&self) -> LogLevel {
        match self.0.load(Ordering::Relaxed) {
            UNSET => LogLevel::default(),
            stored => LogLevel::ALL[usize::from(stored - 1)],
        }
    }
}
