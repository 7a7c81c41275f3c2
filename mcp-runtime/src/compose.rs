//! Several servers served as one: [`Server::mount`](crate::Server::mount) serves another
//! `Server` of this process under a prefix, [`Server::proxy`](crate::Server::proxy) a server
//! reached over stdio, Streamable HTTP or the legacy HTTP+SSE transport ([`Downstream`]).
//!
//! Names: a mounted or proxied tool or prompt `name` is served as `{prefix}_{name}`; a resource
//! URI `scheme://rest` as `scheme://{prefix}/rest` (and `scheme:rest`, without `//`, as
//! `scheme:{prefix}/rest`), templates alike, and a read of the served URI reads the original.
//! The prefix (letters, digits and `-`) reserves those names: an item of the server's own named
//! so, or two mounts with one prefix, are refused at start-up, naming both.
//!
//! What a proxied server sends while serving a call goes to the caller who made it. Over
//! Streamable HTTP the stream a message arrives on names the call; over stdio and the legacy
//! transport nothing does, so it goes to the only call in flight, and with several in flight a
//! question is refused and a log message kept in this server's log, never guessed.
//!
//! ```
//! use mcp_runtime::prelude::*;
//!
//! /// Add two integers.
//! #[mcp_tool]
//! async fn add(a: i64, b: i64) -> i64 { a + b }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let math = Server::new("math", "1.0.0").register(handlers![add]);
//! let hub = Server::new("hub", "1.0.0").mount("math", math);
//! let client = mcp_runtime::testing::TestClient::connect(hub).await.unwrap();
//! assert_eq!(client.call_text("math_add", serde_json::json!({"a": 2, "b": 3})).await.unwrap(), "5");
//! # }
//! ```

mod cache;
mod downstream;
mod held;
mod in_order;
mod names;
mod proxied;
mod relay;
mod serve;
mod state;
mod upstream;

pub use downstream::Downstream;
pub use state::{DownstreamState, DownstreamStatus};

pub(crate) use names::Prefix;
pub(crate) use proxied::Proxied;
pub(crate) use serve::{Mount, Mounts, reserved_by};
pub(crate) use upstream::{Answer, Caller, Upstream};
