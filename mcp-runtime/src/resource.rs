//! Resources: what an [`mcp_resource`](crate::mcp_resource) function may take (URI template
//! variables, see [`UriVariable`]) and return (see [`IntoResourceContents`]; [`FileContents`]
//! for a file read from disk), and the protocol's [`Resource`] and [`ResourceContents`].
//!
//! ```
//! use mcp_runtime::{prelude::*, resource::ResourceContents};
//!
//! /// The application's configuration.
//! #[mcp_resource(uri = "config://app", mime_type = "application/json")]
//! async fn config() -> ResourceContents {
//!     ResourceContents::text(r#"{"debug": false}"#, "config://app").with_mime_type("application/json")
//! }
//!
//! /// One user's display name.
//! #[mcp_resource(uri = "users://{id}/name")]
//! async fn user_name(id: u64) -> String {
//!     format!("user {id}")
//! }
//!
//! let _server = Server::new("demo", "1.0.0").register(handlers![config, user_name]);
//! ```

// Also here, hidden from the docs: fixed URIs and URI templates, matched at read time, and the
// definitions the macro describes; generated code names them through `__private`.

mod contents;
pub(crate) mod definition;
pub(crate) mod listing;
pub(crate) mod macro_support;
pub(crate) mod template;
pub(crate) mod variables;

use std::{future::Future, pin::Pin};

/// A resource as listed in `resources/list`, returned by a template's `list = ...` function.
pub use rmcp::model::Resource;
/// The contents of a resource read: text or a base64 blob, with its URI and MIME type.
pub use rmcp::model::ResourceContents;

pub use contents::{FileContents, IntoResourceContents};
pub(crate) use definition::ResourceDefinition;
pub(crate) use listing::Lister;
pub(crate) use template::Segment;
pub use variables::UriVariable;
pub(crate) use variables::UriVariables;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
