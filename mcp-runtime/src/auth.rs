//! Who may call what: principals, scope hierarchies, and bearer-token verification (API keys,
//! JWT), enforced before any handler runs.
//!
//! An item declares the scopes it needs (`#[mcp_tool(scopes = [..])]`, typed with
//! [`derive(Scopes)`](macro@Scopes)); an [`Authenticator`] turns a bearer token into a
//! [`Principal`] holding scopes, which a [`ScopeHierarchy`] may widen. A caller without the
//! scopes gets [`FORBIDDEN`] (403 over HTTP). [`AuthConfig`] holds all of it, set with
//! [`Server::auth`](crate::Server::auth) or its shorthands.
//!
//! ```
//! use mcp_runtime::{Server, auth::{ApiKeys, ListPolicy, ScopeHierarchy}};
//!
//! let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["notes:admin"]}]}"#).unwrap();
//! let server = Server::new("notes", "1.0.0")
//!     .authenticator(keys)
//!     .scope_hierarchy(ScopeHierarchy::new().implies("notes:admin", ["notes:read", "notes:write"]))
//!     .list_policy(ListPolicy::ShowAll);
//! ```

#[cfg(feature = "auth")]
mod api_keys;
mod authenticator;
mod config;
mod hierarchy;
#[cfg(feature = "jwt")]
mod jwks;
#[cfg(feature = "jwt")]
mod jwt;
mod principal;

#[cfg(feature = "auth")]
pub use api_keys::ApiKeys;
pub use authenticator::{AnyOf, AuthError, AuthFuture, Authenticator};
pub use config::AuthConfig;
pub use hierarchy::{ScopeHierarchy, Scopes};
#[cfg(feature = "jwt")]
pub use jwt::{JwtAuthenticator, JwtKeys};
pub use principal::Principal;

/// Derives [`Scopes`](trait@Scopes) for an enum of OAuth scopes (see the trait for an example);
/// one import brings both.
pub use mcp_macros::Scopes;

/// JSON-RPC error code for a call the caller lacks the scopes for (over HTTP, the transport
/// answers 403 before the request gets this far).
pub const FORBIDDEN: i32 = -32003;

/// What a caller sees of the tools it lacks scopes for.
///
/// ```
/// use mcp_runtime::{Server, auth::ListPolicy};
/// let server = Server::new("demo", "1.0.0").list_policy(ListPolicy::ShowAll);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListPolicy {
    /// Lists show only what the caller may use (the default).
    #[default]
    Hide,
    /// Lists show everything; calls without the scopes are refused.
    ShowAll,
}
