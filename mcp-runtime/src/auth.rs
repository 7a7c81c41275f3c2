//! Who may call what: principals, scope hierarchies, and bearer-token verification (API keys,
//! JWT), enforced before any handler runs.

mod api_keys;
mod authenticator;
mod hierarchy;
mod jwks;
mod jwt;
mod principal;

use std::sync::Arc;

pub use api_keys::ApiKeys;
pub use authenticator::{AnyOf, AuthError, AuthFuture, Authenticator};
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

/// The server's authorization configuration, shared by every transport.
pub(crate) struct AuthSettings {
    pub(crate) authenticator: Option<Arc<dyn Authenticator>>,
    pub(crate) hierarchy: ScopeHierarchy,
    /// The principal of stdio callers and of HTTP callers when no authenticator is set.
    pub(crate) local_principal: Principal,
    pub(crate) authorization_servers: Vec<String>,
    pub(crate) resource_url: Option<String>,
    pub(crate) list_policy: ListPolicy,
    /// Scopes declared with [`Scopes`], advertised even if no handler uses them yet.
    pub(crate) declared: Vec<&'static str>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            authenticator: None,
            hierarchy: ScopeHierarchy::default(),
            local_principal: Principal::local(),
            authorization_servers: Vec::new(),
            resource_url: None,
            list_policy: ListPolicy::Hide,
            declared: Vec::new(),
        }
    }
}
