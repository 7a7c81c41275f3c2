//! The server's [`AuthConfig`], set whole or one part at a time.

use super::Server;
use crate::auth::{AuthConfig, Authenticator, ListPolicy, Principal, ScopeHierarchy, Scopes};

impl Server {
    /// The server's whole authorization configuration, replacing what was set before; see
    /// [`AuthConfig`] for each part and its default. The shorthands below edit the same value,
    /// so one called after this changes one part and keeps the rest.
    ///
    /// ```
    /// use mcp_runtime::{Server, auth::{ApiKeys, AuthConfig}};
    ///
    /// let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["read"]}]}"#).unwrap();
    /// let auth = AuthConfig { resource_url: Some("https://mcp.example.com/mcp".into()), ..AuthConfig::default() };
    /// let server = Server::new("demo", "1.0.0").auth(auth.authenticator(keys));
    /// ```
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = auth;
        self
    }

    /// Verifies bearer tokens on the HTTP transport; without one, HTTP callers get the local
    /// principal (fine on loopback, which is the default bind). Calling it again combines the
    /// authenticators: a token is accepted by the first that accepts it.
    ///
    /// ```
    /// use mcp_runtime::{Server, auth::ApiKeys};
    /// let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["read"]}]}"#).unwrap();
    /// let server = Server::new("demo", "1.0.0").authenticator(keys);
    /// ```
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> Self {
        self.auth = std::mem::take(&mut self.auth).authenticator(authenticator);
        self
    }

    /// Scopes that imply others (`files:admin` grants `files:read`), applied to every caller.
    ///
    /// ```
    /// use mcp_runtime::{Server, auth::ScopeHierarchy};
    /// let server = Server::new("files", "1.0.0").scope_hierarchy(
    ///     ScopeHierarchy::new().implies("files:admin", ["files:read", "files:write"]).superuser("admin"),
    /// );
    /// ```
    pub fn scope_hierarchy(mut self, hierarchy: ScopeHierarchy) -> Self {
        self.auth.scope_hierarchy = hierarchy;
        self
    }

    /// Uses an application's declared scopes (`#[derive(Scopes)]`): their hierarchy, and all of
    /// them in `scopes_supported`. Replaces any [`scope_hierarchy`](Self::scope_hierarchy).
    ///
    /// ```
    /// use mcp_runtime::{Server, auth::Scopes};
    ///
    /// #[derive(Scopes)]
    /// enum Scope {
    ///     #[scope("notes:read")]
    ///     Read,
    ///     #[scope("notes:admin", implies = [Read])]
    ///     Admin,
    /// }
    ///
    /// let server = Server::new("notes", "1.0.0").scopes::<Scope>();
    /// ```
    pub fn scopes<S: Scopes>(mut self) -> Self {
        self.auth = std::mem::take(&mut self.auth).scopes::<S>();
        self
    }

    /// The principal of stdio callers, and of HTTP callers when no authenticator is set
    /// (default: [`Principal::local`], which holds every scope).
    ///
    /// ```
    /// use mcp_runtime::{Server, auth::Principal};
    /// let read_only_locally = Server::new("files", "1.0.0").local_principal(Principal::new("local", ["files:read"]));
    /// ```
    pub fn local_principal(mut self, principal: Principal) -> Self {
        self.auth.local_principal = principal;
        self
    }

    /// An OAuth authorization server that issues tokens for this server, advertised in the
    /// protected-resource metadata (RFC 9728) so clients know where to get a token. Without
    /// one, no metadata document is served and 401 challenges are a plain `Bearer`: clients are
    /// given their token (an API key, say) instead of running an OAuth flow.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").authorization_server("https://idp.example.com");
    /// ```
    pub fn authorization_server(mut self, url: impl Into<String>) -> Self {
        self.auth.authorization_servers.push(url.into());
        self
    }

    /// The public URL of the MCP endpoint (e.g. `https://mcp.example.com/mcp`), named in the
    /// metadata and challenges; by default it is derived from the request's `Host`.
    ///
    /// ```
    /// let server = mcp_runtime::Server::new("demo", "1.0.0").resource_url("https://mcp.example.com/mcp");
    /// ```
    pub fn resource_url(mut self, url: impl Into<String>) -> Self {
        self.auth.resource_url = Some(url.into());
        self
    }

    /// Whether lists hide what the caller lacks scopes for (default) or show everything.
    ///
    /// ```
    /// use mcp_runtime::{Server, auth::ListPolicy};
    /// let server = Server::new("demo", "1.0.0").list_policy(ListPolicy::ShowAll);
    /// ```
    pub fn list_policy(mut self, policy: ListPolicy) -> Self {
        self.auth.list_policy = policy;
        self
    }
}

#[cfg(all(test, feature = "auth"))]
mod tests {
    use super::*;
    use crate::auth::ApiKeys;

    fn keys(name: &str) -> ApiKeys {
        let json = format!(r#"{{"keys": [{{"name": "{name}", "key": "{name}-key", "scopes": []}}]}}"#);
        ApiKeys::from_json(&json).unwrap()
    }

    #[tokio::test]
    async fn the_shorthands_edit_the_auth_set_whole() {
        let whole = AuthConfig { resource_url: Some("https://mcp.example.com/mcp".into()), ..AuthConfig::default() };
        let server = Server::new("t", "1").auth(whole.authenticator(keys("first"))).authenticator(keys("second"));
        assert_eq!(server.auth.resource_url.as_deref(), Some("https://mcp.example.com/mcp"));
        // Both authenticators stay: a token of either is accepted.
        let authenticator = server.auth.authenticator.expect("an authenticator");
        assert!(authenticator.authenticate("first-key").await.is_ok());
        assert!(authenticator.authenticate("second-key").await.is_ok());
    }
}
