//! The `AuthConfig` value: who may call the server and what each caller sees, shared by every
//! transport.

use std::sync::Arc;

use super::{AnyOf, Authenticator, ListPolicy, Principal, ScopeHierarchy, Scopes};

/// The server's authorization: how bearer tokens are verified, which scopes imply which, who a
/// caller without a token is, what clients are told about getting a token, and whether lists
/// show what a caller may not use.
///
/// Set it whole with [`Server::auth`](crate::Server::auth), or one part at a time with its
/// shorthands ([`Server::authenticator`](crate::Server::authenticator),
/// [`Server::scope_hierarchy`](crate::Server::scope_hierarchy), ...), which edit the same value.
///
/// ```
/// use mcp_runtime::{Server, auth::{ApiKeys, AuthConfig, ListPolicy, Principal}};
///
/// let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["read"]}]}"#).unwrap();
/// let auth = AuthConfig {
///     local_principal: Principal::new("local", ["read"]),
///     list_policy: ListPolicy::ShowAll,
///     ..AuthConfig::default()
/// }
/// .authenticator(keys);
/// assert!(auth.authenticator.is_some());
/// let server = Server::new("demo", "1.0.0").auth(auth);
/// ```
#[derive(Clone)]
pub struct AuthConfig {
    /// Verifies bearer tokens on the HTTP transport. `None` (the default): HTTP callers get
    /// [`local_principal`](Self::local_principal), which is fine on loopback, the default bind.
    pub authenticator: Option<Arc<dyn Authenticator>>,
    /// Scopes that imply others (`files:admin` grants `files:read`), applied to every caller,
    /// the local principal included. None by default.
    pub scope_hierarchy: ScopeHierarchy,
    /// The principal of stdio callers, and of HTTP callers when no authenticator is set
    /// (default: [`Principal::local`], which holds every scope).
    pub local_principal: Principal,
    /// OAuth authorization servers that issue tokens for this server, advertised in the
    /// protected-resource metadata (RFC 9728) so clients know where to get a token. None by
    /// default: no metadata document is served and 401 challenges are a plain `Bearer`.
    pub authorization_servers: Vec<String>,
    /// The public URL of the MCP endpoint (e.g. `https://mcp.example.com/mcp`), named in the
    /// metadata and challenges. `None` (the default): derived from the request's `Host`.
    pub resource_url: Option<String>,
    /// Whether lists hide what the caller lacks scopes for (the default) or show everything.
    pub list_policy: ListPolicy,
    /// Scopes advertised in `scopes_supported` even if no handler requires them yet; filled by
    /// [`scopes`](Self::scopes). Empty by default.
    pub declared_scopes: Vec<&'static str>,
}

impl Default for AuthConfig {
    /// No authenticator, no hierarchy, [`Principal::local`] for every caller, no authorization
    /// server, and lists that hide what a caller may not use.
    ///
    /// ```
    /// use mcp_runtime::auth::{AuthConfig, ListPolicy, Principal};
    ///
    /// let auth = AuthConfig::default();
    /// assert!(auth.authenticator.is_none());
    /// assert_eq!(auth.local_principal, Principal::local());
    /// assert_eq!(auth.list_policy, ListPolicy::Hide);
    /// ```
    fn default() -> Self {
        Self {
            authenticator: None,
            scope_hierarchy: ScopeHierarchy::default(),
            local_principal: Principal::local(),
            authorization_servers: Vec::new(),
            resource_url: None,
            list_policy: ListPolicy::Hide,
            declared_scopes: Vec::new(),
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // An authenticator is any type, often holding secrets: say only whether there is one.
        formatter
            .debug_struct("AuthConfig")
            .field("authenticator", &self.authenticator.as_ref().map(|_| ".."))
            .field("scope_hierarchy", &self.scope_hierarchy)
            .field("local_principal", &self.local_principal)
            .field("authorization_servers", &self.authorization_servers)
            .field("resource_url", &self.resource_url)
            .field("list_policy", &self.list_policy)
            .field("declared_scopes", &self.declared_scopes)
            .finish()
    }
}

impl AuthConfig {
    /// Adds an authenticator: with one already set, a token is accepted by the first of them
    /// that accepts it (see [`AnyOf`]), so API keys and JWTs can share one server.
    ///
    /// ```
    /// use mcp_runtime::auth::{ApiKeys, AuthConfig};
    ///
    /// let ci = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": []}]}"#).unwrap();
    /// let ops = ApiKeys::from_json(r#"{"keys": [{"name": "ops", "key": "0ps-key", "scopes": []}]}"#).unwrap();
    /// let auth = AuthConfig::default().authenticator(ci).authenticator(ops);
    /// assert!(auth.authenticator.is_some());
    /// ```
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> Self {
        let added: Arc<dyn Authenticator> = Arc::new(authenticator);
        self.authenticator = Some(match self.authenticator.take() {
            None => added,
            Some(existing) => Arc::new(AnyOf::new(vec![existing, added])),
        });
        self
    }

    /// Uses an application's declared scopes (`#[derive(Scopes)]`): their hierarchy, replacing
    /// [`scope_hierarchy`](Self::scope_hierarchy), and all of them in `scopes_supported`.
    ///
    /// ```
    /// use mcp_runtime::auth::{AuthConfig, Scopes};
    ///
    /// #[derive(Scopes)]
    /// enum Scope {
    ///     #[scope("notes:read")]
    ///     Read,
    ///     #[scope("notes:admin", implies = [Read])]
    ///     Admin,
    /// }
    ///
    /// let auth = AuthConfig::default().scopes::<Scope>();
    /// assert_eq!(auth.declared_scopes, ["notes:read", "notes:admin"]);
    /// ```
    pub fn scopes<S: Scopes>(mut self) -> Self {
        self.scope_hierarchy = S::hierarchy();
        self.declared_scopes.extend(S::ALL);
        self
    }
}
