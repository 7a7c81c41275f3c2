//! The error a tool returns to the model, and the errors the server reports at start-up.

use std::fmt;

/// An error a tool reports to the model as an in-band result (`isError: true`).
///
/// The model reads the message and can correct itself, so write it for the model: say what was
/// wrong and what would work. Any `std::error::Error` converts into a `ToolError`, so `?` works
/// inside tools that return `Result<T, ToolError>`.
///
/// ```
/// use mcp_runtime::ToolError;
///
/// fn parse_port(text: &str) -> Result<u16, ToolError> {
///     let port: u16 = text.parse()?; // ParseIntError converts through `?`
///     if port < 1024 {
///         return Err(ToolError::new(format!("port {port} is privileged; pick one from 1024 up")));
///     }
///     Ok(port)
/// }
///
/// assert_eq!(parse_port("8080").unwrap(), 8080);
/// assert_eq!(parse_port("80").unwrap_err().to_string(), "port 80 is privileged; pick one from 1024 up");
/// assert_eq!(parse_port("x").unwrap_err().to_string(), "invalid digit found in string");
/// ```
#[derive(Clone)]
pub struct ToolError {
    message: String,
    kind: Kind,
}

/// Decides the JSON-RPC error where one is sent (resources); tools report every kind in-band.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Failed,
    NotFound,
    InvalidArgument,
}

impl ToolError {
    /// An error with the given message.
    ///
    /// ```
    /// let error = mcp_runtime::ToolError::new("the file is empty");
    /// assert_eq!(error.message(), "the file is empty");
    /// ```
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), kind: Kind::Failed }
    }

    /// What was asked for does not exist. From a resource, this is the protocol's
    /// resource-not-found error rather than an internal one; from a tool, an ordinary tool
    /// error. An `std::io::Error` of kind `NotFound` converts to this through `?`.
    ///
    /// ```
    /// let error = mcp_runtime::ToolError::not_found("there is no note 9; the notepad holds 2");
    /// assert!(error.is_not_found());
    /// let io = std::fs::read("/no/such/file").map_err(mcp_runtime::ToolError::from).unwrap_err();
    /// assert!(io.is_not_found());
    /// ```
    pub fn not_found(message: impl Into<String>) -> Self {
        Self { message: message.into(), kind: Kind::NotFound }
    }

    /// Whether this error says that what was asked for does not exist.
    ///
    /// ```
    /// assert!(!mcp_runtime::ToolError::new("disk full").is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.kind == Kind::NotFound
    }

    /// Whether this error blames an argument (made by [`ToolError::invalid_argument`]); from a
    /// resource, it is the protocol's invalid-params error.
    ///
    /// ```
    /// assert!(mcp_runtime::ToolError::invalid_argument("id", "must be positive").is_invalid_argument());
    /// ```
    pub fn is_invalid_argument(&self) -> bool {
        self.kind == Kind::InvalidArgument
    }

    /// An error about one argument: names it, so the model knows which one to fix.
    ///
    /// ```
    /// let error = mcp_runtime::ToolError::invalid_argument("b", "must not be zero");
    /// assert_eq!(error.to_string(), "invalid argument `b`: must not be zero");
    /// ```
    pub fn invalid_argument(name: &str, problem: impl fmt::Display) -> Self {
        Self { message: format!("invalid argument `{name}`: {problem}"), kind: Kind::InvalidArgument }
    }

    /// The message the model will read.
    ///
    /// ```
    /// assert_eq!(mcp_runtime::ToolError::new("no").message(), "no");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ToolError({:?})", self.message)
    }
}

// `ToolError` deliberately does not implement `std::error::Error`: that keeps this blanket
// conversion coherent (the same trick as `anyhow::Error`).
impl<E: std::error::Error + Send + Sync + 'static> From<E> for ToolError {
    fn from(error: E) -> Self {
        let any = &error as &dyn std::any::Any;
        let not_found =
            any.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
        #[allow(unused_mut)] // only the sandbox refines it
        let mut kind = if not_found { Kind::NotFound } else { Kind::Failed };
        // A path the sandbox refuses is the caller's mistake (from a resource, invalid params).
        #[cfg(feature = "sandbox")]
        if let Some(refused) = any.downcast_ref::<crate::sandbox::SandboxError>() {
            use crate::sandbox::SandboxError;
            kind = match refused {
                SandboxError::NotFound(_) => Kind::NotFound,
                SandboxError::InvalidPath { .. }
                | SandboxError::Outside(_)
                | SandboxError::ExtensionNotAllowed { .. } => Kind::InvalidArgument,
                _ => Kind::Failed,
            };
        }
        Self { message: error.to_string(), kind }
    }
}

/// Why a server could not start: every problem found in its registrations, reported together.
///
/// ```
/// use mcp_runtime::prelude::*;
///
/// /// Add one.
/// #[mcp_tool]
/// async fn inc(n: i64) -> i64 { n + 1 }
///
/// mod other {
///     use mcp_runtime::prelude::*;
///     /// Add one, again.
///     #[mcp_tool(name = "inc")]
///     pub async fn inc_again(n: i64) -> i64 { n + 1 }
/// }
///
/// let error = Server::new("demo", "1.0.0")
///     .register(handlers![inc, other::inc_again])
///     .build()
///     .unwrap_err();
/// assert!(error.to_string().contains("duplicate tool name `inc`"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("the server cannot start:\n{}", .problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n"))]
pub struct StartupError {
    problems: Vec<String>,
}

impl StartupError {
    pub(crate) fn new(problems: Vec<String>) -> Self {
        Self { problems }
    }

    /// Each problem, one sentence each.
    ///
    /// ```
    /// use mcp_runtime::prelude::*;
    ///
    /// struct Missing;
    ///
    /// /// Needs state that nobody provided.
    /// #[mcp_tool]
    /// async fn needy(state: State<Missing>) -> &'static str { "unreachable" }
    ///
    /// let error = Server::new("demo", "1.0.0").register(handlers![needy]).build().unwrap_err();
    /// assert_eq!(error.problems().len(), 1);
    /// assert!(error.problems()[0].contains("Server::state"));
    /// ```
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// Why serving stopped with an error.
///
/// ```
/// use mcp_runtime::ServeError;
///
/// fn describe(error: &ServeError) -> &'static str {
///     match error {
///         ServeError::Startup(_) => "fix the registrations",
///         ServeError::Io(_) => "the transport failed",
///         ServeError::Protocol(_) => "the client misbehaved or left early",
///     }
/// }
/// ```
#[derive(thiserror::Error)]
pub enum ServeError {
    /// The registrations are invalid; nothing was served.
    #[error(transparent)]
    Startup(#[from] StartupError),
    /// The transport could not be set up or failed.
    #[error("transport error: {0}")]
    Io(#[from] std::io::Error),
    /// The MCP session could not be established or ended abnormally.
    #[error("protocol error: {0}")]
    Protocol(String),
}

impl ServeError {
    /// A server's own start-up problem (a directory that cannot be opened, a bad configuration
    /// file, a database that does not answer), reported like the registrations' problems.
    ///
    /// ```
    /// let error = mcp_runtime::ServeError::startup("cannot open the root `/nope`: not found");
    /// assert_eq!(error.to_string(), "the server cannot start:\n  - cannot open the root `/nope`: not found");
    /// ```
    pub fn startup(problem: impl Into<String>) -> Self {
        Self::Startup(StartupError::new(vec![problem.into()]))
    }
}

// `main` returning `Err` prints `Debug`: make that the readable message, not a struct dump.
impl fmt::Debug for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
