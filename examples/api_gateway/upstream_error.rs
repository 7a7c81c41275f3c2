//! What can go wrong between the gateway and the upstream API, and how each case reads to the
//! model: precise enough to act on (fix an argument, wait, tell the operator), and never
//! carrying the gateway's token.

use std::{fmt, time::Duration};

use mcp_runtime::ToolError;
use reqwest::StatusCode;

use crate::retry::RetryAfter;

/// One failed exchange with the upstream, as classified from its status, body or transport.
#[derive(Debug)]
pub enum UpstreamError {
    /// 401: the gateway's own credentials are wrong or missing.
    Unauthorized { token_configured: bool },
    /// 403: the credentials are valid but not allowed to do this.
    Forbidden { detail: Option<String> },
    /// 404.
    NotFound { detail: Option<String> },
    /// 400 or 422: the upstream refused the request's content, and says why.
    Rejected { status: StatusCode, message: String },
    /// 429, with the upstream's `Retry-After` if it sent one.
    RateLimited { retry_after: Option<RetryAfter> },
    /// A 5xx, with the start of the body.
    ServerError { status: StatusCode, excerpt: String, retry_after: Option<RetryAfter> },
    /// Any other status the gateway has no better word for.
    UnexpectedStatus { status: StatusCode, excerpt: String },
    /// The whole exchange took longer than `--request-timeout`.
    Timeout { after: Duration },
    /// No connection within `--connect-timeout`.
    ConnectTimeout { base_url: String, after: Duration },
    /// No connection at all: refused, unknown host, TLS failure.
    Unreachable { base_url: String, reason: String },
    /// A 2xx whose body is not the JSON the gateway expects.
    InvalidJson { problem: String, excerpt: String },
    /// A body larger than the gateway reads.
    TooLarge { limit: usize },
    /// Anything else the HTTP client reports.
    Transport { reason: String },
}

impl UpstreamError {
    /// Whether sending the same idempotent request again may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout { .. } | Self::ConnectTimeout { .. } => true,
            Self::Unreachable { .. } | Self::Transport { .. } => true,
            // 500 too: for a GET a retry is harmless, and most 500s are a passing fault.
            Self::ServerError { status, .. } => matches!(status.as_u16(), 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// The wait the upstream asked for, if it did.
    pub fn retry_after(&self) -> Option<&RetryAfter> {
        match self {
            Self::RateLimited { retry_after } | Self::ServerError { retry_after, .. } => retry_after.as_ref(),
            _ => None,
        }
    }
}

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unauthorized { token_configured: true } => f.write_str(
                "the upstream API rejected the gateway's API token (401 Unauthorized): the token set with \
                 --token or API_GATEWAY_TOKEN is wrong or expired, which only the gateway's operator can fix",
            ),
            Self::Unauthorized { token_configured: false } => f.write_str(
                "the upstream API requires a token (401 Unauthorized) and the gateway has none: the operator \
                 must set --token or API_GATEWAY_TOKEN",
            ),
            Self::Forbidden { detail } => {
                f.write_str("the upstream API refused (403 Forbidden): the gateway's token is not allowed to do this")?;
                detail.iter().try_for_each(|detail| write!(f, " ({detail})"))
            }
            Self::NotFound { detail } => {
                f.write_str("not found (404)")?;
                detail.iter().try_for_each(|detail| write!(f, ": {detail}"))
            }
            Self::Rejected { status, message } => {
                write!(f, "the upstream API rejected the request ({status}): {message}")
            }
            Self::RateLimited { retry_after: Some(after) } => {
                let asked = "the upstream API is rate limiting the gateway (429 Too Many Requests) and asks to retry";
                write!(f, "{asked} after {after}")
            }
            Self::RateLimited { retry_after: None } => f.write_str(
                "the upstream API is rate limiting the gateway (429 Too Many Requests) without saying for how long",
            ),
            Self::ServerError { status, excerpt, .. } | Self::UnexpectedStatus { status, excerpt } => {
                write!(f, "the upstream API answered {status}")?;
                if excerpt.is_empty() { Ok(()) } else { write!(f, ": {excerpt}") }
            }
            Self::Timeout { after } => {
                write!(
                    f,
                    "the upstream API did not answer within {} (--request-timeout)",
                    mcp_runtime::duration::HumanDuration(*after)
                )
            }
            Self::ConnectTimeout { base_url, after } => write!(
                f,
                "could not connect to the upstream API at {base_url} within {} (--connect-timeout)",
                mcp_runtime::duration::HumanDuration(*after)
            ),
            Self::Unreachable { base_url, reason } => write!(
                f,
                "cannot connect to the upstream API at {base_url}: {reason}; is it running, and is --base-url right?"
            ),
            Self::InvalidJson { problem, excerpt } => {
                write!(f, "the upstream API's answer is not the JSON the gateway expects ({problem})")?;
                if excerpt.is_empty() {
                    f.write_str("; the body is empty")
                } else {
                    write!(f, "; it begins: {excerpt}")
                }
            }
            Self::TooLarge { limit } => {
                write!(f, "the upstream API's answer is larger than the {limit} bytes the gateway reads")
            }
            Self::Transport { reason } => write!(f, "the request to the upstream API failed: {reason}"),
        }
    }
}

/// An [`UpstreamError`] with the request it ended and the retries spent on it.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong the last time.
    pub error: UpstreamError,
    /// `GET /items/7`: the method and the URL's path and query (never its credentials).
    pub request: String,
    /// How many times the request was sent again before giving up.
    pub retries: u32,
    /// Why the gateway stopped retrying early, if it did.
    pub stopped: Option<String>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.request, self.error)?;
        if let Some(stopped) = &self.stopped {
            write!(f, "; {stopped}")?;
        }
        match self.retries {
            0 => Ok(()),
            1 => f.write_str(" (gave up after 1 retry)"),
            retries => write!(f, " (gave up after {retries} retries)"),
        }
    }
}

// Not `std::error::Error`, so this impl does not overlap the runtime's blanket conversion, and
// a 404 stays a not-found error through `?`.
impl From<Failure> for ToolError {
    fn from(failure: Failure) -> Self {
        if matches!(failure.error, UpstreamError::NotFound { .. }) {
            ToolError::not_found(failure.to_string())
        } else {
            ToolError::new(failure.to_string())
        }
    }
}
