//! Where a proxied server is, and how to reach it.

use std::{ffi::OsString, path::PathBuf, time::Duration};

/// A server to proxy ([`Server::proxy`](crate::Server::proxy)): a program spoken to over its
/// stdin and stdout, or a URL (Streamable HTTP, or the legacy HTTP+SSE transport; both need the
/// `http-client` feature). One connection is opened on first use and kept; a connection that
/// fails is opened again on the next call.
///
/// ```
/// use std::time::Duration;
/// use mcp_runtime::compose::Downstream;
///
/// let files = Downstream::stdio("mcp-files").arg("--root").arg("/srv").env("RUST_LOG", "warn");
/// let search = Downstream::http("http://127.0.0.1:9000/mcp").bearer("token").timeout(Duration::from_secs(10));
/// let legacy = Downstream::sse("http://127.0.0.1:9001/sse");
/// ```
#[derive(Debug, Clone)]
pub struct Downstream {
    pub(crate) target: Target,
    pub(crate) bearer: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) max_concurrency: Option<usize>,
    /// Tools to call instead, by the downstream's tool name, while it is down.
    pub(crate) fallbacks: Vec<(String, String)>,
    /// Scopes a caller needs, at this server, to see and use the downstream's items.
    pub(crate) scopes: &'static [&'static str],
}

#[derive(Debug, Clone)]
pub(crate) enum Target {
    Stdio { program: OsString, args: Vec<OsString>, env: Vec<(OsString, OsString)>, directory: Option<PathBuf> },
    Http(String),
    Sse(String),
}

impl Downstream {
    fn new(target: Target) -> Self {
        Self {
            target,
            bearer: None,
            timeout: Duration::from_secs(60),
            max_concurrency: None,
            fallbacks: Vec::new(),
            scopes: &[],
        }
    }

    /// A program started as a child process, spoken to over its stdin and stdout.
    ///
    /// ```
    /// let files = mcp_runtime::compose::Downstream::stdio("target/debug/examples/filesystem");
    /// ```
    pub fn stdio(program: impl Into<OsString>) -> Self {
        Self::new(Target::Stdio { program: program.into(), args: Vec::new(), env: Vec::new(), directory: None })
    }

    /// A server's Streamable HTTP endpoint, e.g. `http://127.0.0.1:9000/mcp`.
    ///
    /// ```
    /// let search = mcp_runtime::compose::Downstream::http("http://127.0.0.1:9000/mcp");
    /// ```
    pub fn http(url: impl Into<String>) -> Self {
        Self::new(Target::Http(url.into()))
    }

    /// A server's legacy HTTP+SSE stream, e.g. `http://127.0.0.1:9001/sse`.
    ///
    /// ```
    /// let legacy = mcp_runtime::compose::Downstream::sse("http://127.0.0.1:9001/sse");
    /// ```
    pub fn sse(url: impl Into<String>) -> Self {
        Self::new(Target::Sse(url.into()))
    }

    /// An argument for the program (stdio).
    ///
    /// ```
    /// let files = mcp_runtime::compose::Downstream::stdio("mcp-files").arg("--read-only");
    /// ```
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        if let Target::Stdio { args, .. } = &mut self.target {
            args.push(arg.into());
        }
        self
    }

    /// An environment variable for the program (stdio).
    ///
    /// ```
    /// let files = mcp_runtime::compose::Downstream::stdio("mcp-files").env("RUST_LOG", "warn");
    /// ```
    pub fn env(mut self, name: impl Into<OsString>, value: impl Into<OsString>) -> Self {
        if let Target::Stdio { env, .. } = &mut self.target {
            env.push((name.into(), value.into()));
        }
        self
    }

    /// The program's working directory (stdio).
    ///
    /// ```
    /// let files = mcp_runtime::compose::Downstream::stdio("mcp-files").current_dir("/srv");
    /// ```
    pub fn current_dir(mut self, directory: impl Into<PathBuf>) -> Self {
        if let Target::Stdio { directory: slot, .. } = &mut self.target {
            *slot = Some(directory.into());
        }
        self
    }

    /// The credential this server presents to the downstream (HTTP): its own, never the
    /// caller's token passed through.
    ///
    /// ```
    /// let search = mcp_runtime::compose::Downstream::http("http://127.0.0.1:9000/mcp").bearer("hub-token");
    /// ```
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// How long one request to the downstream may take (default one minute); then the caller
    /// gets an error naming the downstream.
    ///
    /// ```
    /// let search = mcp_runtime::compose::Downstream::http("http://127.0.0.1:9000/mcp").timeout(std::time::Duration::from_secs(5));
    /// ```
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many requests may be in flight to it at once; more wait up to the timeout, then
    /// fail. Keeps one slow downstream from tying up the server.
    ///
    /// ```
    /// let search = mcp_runtime::compose::Downstream::http("http://127.0.0.1:9000/mcp").max_concurrency(8);
    /// ```
    pub fn max_concurrency(mut self, requests: usize) -> Self {
        self.max_concurrency = Some(requests.max(1));
        self
    }

    /// While this downstream is down, a call of its tool `tool` goes to `instead`, a tool this
    /// server serves (by its served name, e.g. another downstream's `backup_read_file`).
    ///
    /// ```
    /// let files = mcp_runtime::compose::Downstream::http("http://127.0.0.1:9000/mcp").fallback("read_file", "backup_read_file");
    /// ```
    pub fn fallback(mut self, tool: impl Into<String>, instead: impl Into<String>) -> Self {
        self.fallbacks.push((tool.into(), instead.into()));
        self
    }

    /// The scopes a caller must hold, at this server, to see and use the downstream's tools,
    /// prompts and resources (checked before the request leaves; over HTTP a caller without
    /// them gets 403 with the scopes named, as for this server's own items).
    ///
    /// ```
    /// let files = mcp_runtime::compose::Downstream::stdio("mcp-files").scopes(["files:read"]);
    /// ```
    pub fn scopes<S: AsRef<str>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = crate::intern::scopes(scopes);
        self
    }

    /// What to call it in messages: the program or the URL.
    pub(crate) fn describe(&self) -> String {
        match &self.target {
            Target::Stdio { program, args, .. } => std::iter::once(program)
                .chain(args)
                .map(|part| part.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            Target::Http(url) | Target::Sse(url) => url.clone(),
        }
    }
}
