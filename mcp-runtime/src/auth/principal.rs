//! Who is calling, and what they may do.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The authenticated caller of a request: a subject, the scopes granted to it (after the
/// server's scope hierarchy is applied), and the token's other claims.
///
/// Over HTTP it comes from the bearer token; over stdio it is the server's local principal
/// (by default allowed everything). Tools read it through [`Context::principal`](crate::Context::principal).
///
/// ```
/// use mcp_runtime::auth::Principal;
///
/// let alice = Principal::new("alice", ["files:read"]);
/// assert!(alice.has_scope("files:read"));
/// assert!(!alice.has_scope("files:write"));
/// assert!(Principal::local().has_scope("anything"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    subject: String,
    scopes: BTreeSet<String>,
    all_scopes: bool,
    claims: Map<String, Value>,
}

impl Principal {
    /// A principal with exactly these scopes.
    ///
    /// ```
    /// let bot = mcp_runtime::auth::Principal::new("ci-bot", ["builds:read", "builds:write"]);
    /// assert_eq!(bot.subject(), "ci-bot");
    /// ```
    pub fn new(subject: impl Into<String>, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            subject: subject.into(),
            scopes: scopes.into_iter().map(Into::into).collect(),
            all_scopes: false,
            claims: Map::new(),
        }
    }

    /// The person running a local (stdio) server: every scope is granted.
    ///
    /// ```
    /// assert_eq!(mcp_runtime::auth::Principal::local().subject(), "local");
    /// ```
    pub fn local() -> Self {
        Self { subject: "local".into(), scopes: BTreeSet::new(), all_scopes: true, claims: Map::new() }
    }

    /// Adds the token's claims, for tools that need more than subject and scopes.
    ///
    /// ```
    /// let user = mcp_runtime::auth::Principal::new("u1", ["read"])
    ///     .with_claims(serde_json::json!({"email": "u1@example.com"}).as_object().unwrap().clone());
    /// assert_eq!(user.claim("email").unwrap(), "u1@example.com");
    /// ```
    pub fn with_claims(mut self, claims: Map<String, Value>) -> Self {
        self.claims = claims;
        self
    }

    /// Who the caller is (`sub` of a JWT, the name of an API key, `local` on stdio).
    ///
    /// ```
    /// assert_eq!(mcp_runtime::auth::Principal::new("alice", ["read"]).subject(), "alice");
    /// ```
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The scopes granted, with those implied by the hierarchy already added.
    ///
    /// ```
    /// let p = mcp_runtime::auth::Principal::new("alice", ["b", "a"]);
    /// assert_eq!(p.scopes().collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().map(String::as_str)
    }

    /// Whether every scope is granted (the local principal, or a superuser scope).
    ///
    /// ```
    /// assert!(mcp_runtime::auth::Principal::local().has_all_scopes());
    /// ```
    pub fn has_all_scopes(&self) -> bool {
        self.all_scopes
    }

    /// Whether the caller holds `scope`.
    ///
    /// ```
    /// assert!(mcp_runtime::auth::Principal::new("a", ["x"]).has_scope("x"));
    /// ```
    pub fn has_scope(&self, scope: &str) -> bool {
        self.all_scopes || self.scopes.contains(scope)
    }

    /// The scopes in `required` the caller lacks, in order.
    ///
    /// ```
    /// let p = mcp_runtime::auth::Principal::new("a", ["x"]);
    /// assert_eq!(p.missing_scopes(&["x", "y", "z"]), ["y", "z"]);
    /// ```
    pub fn missing_scopes<'a>(&self, required: &[&'a str]) -> Vec<&'a str> {
        required.iter().copied().filter(|scope| !self.has_scope(scope)).collect()
    }

    /// One claim of the token, if present.
    ///
    /// ```
    /// assert!(mcp_runtime::auth::Principal::local().claim("email").is_none());
    /// ```
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    pub(crate) fn grant_all(&mut self) {
        self.all_scopes = true;
    }

    pub(crate) fn grant(&mut self, scope: String) -> bool {
        self.scopes.insert(scope)
    }

    pub(crate) fn granted(&self) -> Vec<String> {
        self.scopes.iter().cloned().collect()
    }
}
