//! What a server bounds so that one slow, crowded, buggy or greedy caller cannot take it down
//! for everyone else: the [`Limits`] a program configures (timeouts, concurrency, result sizes),
//! and the [`RateLimit`] of each caller, whose refusals carry [`RATE_LIMITED`].
//!
//! ```
//! use std::time::Duration;
//! use mcp_runtime::{Server, limit::RateLimit};
//!
//! let server = Server::new("demo", "1.0.0")
//!     .tool_timeout(Duration::from_secs(30))
//!     .max_concurrency(16)
//!     .rate_limit(RateLimit::per_minute(120).burst(20));
//! ```

// Also here: the machinery that holds calls to the limits (concurrency slots, the size of a
// result).

mod concurrency;
mod limits;
mod result_size;

pub(crate) use concurrency::Limiter;
pub use limits::Limits;
pub(crate) use result_size::result_exceeds;

pub use crate::rate_limit::{RATE_LIMITED, RateLimit};
