//! Who may call what: principals, scope hierarchies, and bearer-token verification (API keys,
//! JWT), enforced before any handler runs.

mod api_keys;
mod authenticator;
mod config;
mod hierarchy;
mod jwks;
mod jwt;
mod principal;

pub use api_keys::ApiKeys;
pub use authenticator::{AnyOf, AuthError, AuthFuture, Authenticator};
pub use config::AuthConfig;
pub use hierarchy::{ScopeHierarchy, Scopes};
pub use jwt::{JwtAuthenticator, JwtKeys};
pub use principal::Principal;

/// What a caller sees of the tools it lacks scopes for.
///
/// ```
/// use mcp_runtime::{ListPolicy, Server};
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
