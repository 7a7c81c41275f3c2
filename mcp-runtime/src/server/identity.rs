//! Who the server says it is: `serverInfo` and the instructions sent at connection, and the
//! name its `--help` shows.

use super::Server;

/// The server's name, version, title and instructions.
pub(super) struct Identity {
    pub(super) name: String,
    pub(super) version: String,
    pub(super) title: Option<String>,
    pub(super) instructions: Option<String>,
}

impl Identity {
    pub(super) fn new(name: String, version: String) -> Self {
        Self { name, version, title: None, instructions: None }
    }

    /// The same, borrowed, for the command line's `--help` and `--version`.
    pub(super) fn for_command_line(&self) -> crate::cli::Identity<'_> {
        crate::cli::Identity {
            name: &self.name,
            version: &self.version,
            title: self.title.as_deref(),
            instructions: self.instructions.as_deref(),
        }
    }
}

impl Server {
    /// A human-readable title for the server.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").title("Demo Server");
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.identity.title = Some(title.into());
        self
    }

    /// Instructions for the model on how to use this server, sent at connection.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0")
    ///     .instructions("Use `add` for arithmetic; never guess sums.");
    /// ```
    pub fn instructions(mut self, instructions: impl Into<String>) -> Self {
        self.identity.instructions = Some(instructions.into());
        self
    }
}
