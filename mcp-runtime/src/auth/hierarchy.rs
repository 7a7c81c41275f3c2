//! Scopes that imply other scopes: `files:admin` grants `files:read` and `files:write`;
//! a superuser scope such as `admin` grants everything.

use std::collections::HashMap;

use super::Principal;

/// Which scopes imply which, applied to every principal once, when it is authenticated.
///
/// ```
/// use mcp_runtime::auth::{Principal, ScopeHierarchy};
///
/// let hierarchy = ScopeHierarchy::new()
///     .implies("files:admin", ["files:read", "files:write"])
///     .implies("files:write", ["files:read"])
///     .superuser("admin");
///
/// let admin_of_files = hierarchy.apply(Principal::new("a", ["files:admin"]));
/// assert!(admin_of_files.has_scope("files:write") && admin_of_files.has_scope("files:read"));
/// assert!(!admin_of_files.has_scope("db:read"));
/// assert!(hierarchy.apply(Principal::new("root", ["admin"])).has_scope("db:read"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ScopeHierarchy {
    implied: HashMap<String, Vec<String>>,
    superusers: Vec<String>,
}

impl ScopeHierarchy {
    /// No scope implies another.
    ///
    /// ```
    /// let hierarchy = mcp_runtime::auth::ScopeHierarchy::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Holding `scope` also grants each of `implied` (and, transitively, what they imply).
    ///
    /// ```
    /// let h = mcp_runtime::auth::ScopeHierarchy::new().implies("write", ["read"]);
    /// ```
    pub fn implies(mut self, scope: impl Into<String>, implied: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.implied.entry(scope.into()).or_default().extend(implied.into_iter().map(Into::into));
        self
    }

    /// Holding `scope` grants every scope.
    ///
    /// ```
    /// let h = mcp_runtime::auth::ScopeHierarchy::new().superuser("admin");
    /// ```
    pub fn superuser(mut self, scope: impl Into<String>) -> Self {
        self.superusers.push(scope.into());
        self
    }

    /// The principal with every implied scope added.
    ///
    /// ```
    /// use mcp_runtime::auth::{Principal, ScopeHierarchy};
    /// let p = ScopeHierarchy::new().implies("a", ["b"]).implies("b", ["c"]).apply(Principal::new("x", ["a"]));
    /// assert!(p.has_scope("c"));
    /// ```
    pub fn apply(&self, mut principal: Principal) -> Principal {
        let mut pending = principal.granted();
        while let Some(scope) = pending.pop() {
            if self.superusers.contains(&scope) {
                principal.grant_all();
            }
            for implied in self.implied.get(&scope).into_iter().flatten() {
                if principal.grant(implied.clone()) {
                    pending.push(implied.clone());
                }
            }
        }
        principal
    }

    /// Every scope the hierarchy names, for `scopes_supported` in the server's metadata.
    #[cfg(feature = "http")]
    pub(crate) fn named_scopes(&self) -> impl Iterator<Item = &str> {
        self.implied
            .iter()
            .flat_map(|(scope, implied)| std::iter::once(scope).chain(implied))
            .chain(&self.superusers)
            .map(String::as_str)
    }
}

/// An application's scopes, declared once with `#[derive(Scopes)]` on an enum: tools name them
/// as `scopes = [Scope::FilesWrite]` (a misspelt variant does not compile), and the same
/// declaration gives the hierarchy and the `scopes_supported` of the metadata document.
///
/// ```
/// use mcp_runtime::{auth::Scopes, prelude::*};
///
/// #[derive(Scopes)]
/// enum Scope {
///     #[scope("files:read")]
///     FilesRead,
///     #[scope("files:write", implies = [FilesRead])]
///     FilesWrite,
///     #[scope("admin", superuser)]
///     Admin,
/// }
///
/// /// Delete a file.
/// #[mcp_tool(destructive, scopes = [Scope::FilesWrite])]
/// async fn delete(path: String) -> String { format!("deleted {path}") }
///
/// assert_eq!(Scope::FilesWrite.as_str(), "files:write");
/// assert_eq!(Scope::ALL, ["files:read", "files:write", "admin"]);
/// let server = Server::new("files", "1.0.0").scopes::<Scope>().register(handlers![delete]);
/// ```
pub trait Scopes {
    /// Every scope's name, in declaration order.
    const ALL: &'static [&'static str];

    /// Which scopes imply which, as declared with `implies` and `superuser`.
    fn hierarchy() -> ScopeHierarchy;
}
