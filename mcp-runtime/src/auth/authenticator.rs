//! Turning a bearer token into a [`Principal`], or a precise reason why not.

use std::{future::Future, pin::Pin, sync::Arc};

use super::Principal;

/// A boxed future, as returned by [`Authenticator::authenticate`].
pub type AuthFuture<'a> = Pin<Box<dyn Future<Output = Result<Principal, AuthError>> + Send + 'a>>;

/// Verifies bearer tokens. Implemented by `ApiKeys` (the `auth` feature) and `JwtAuthenticator`
/// (the `jwt` feature); implement it for any other scheme.
///
/// ```
/// use mcp_runtime::auth::{AuthError, AuthFuture, Authenticator, Principal};
///
/// /// Accepts one fixed token (a test double; use `ApiKeys` for real keys).
/// struct OneToken;
///
/// impl Authenticator for OneToken {
///     fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a> {
///         Box::pin(async move {
///             if token == "let-me-in" { Ok(Principal::new("tester", ["read"])) } else { Err(AuthError::UnknownKey) }
///         })
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync + 'static {
    /// Verifies `token` (the part after `Bearer `).
    fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a>;
}

/// Why a token was refused. The message is safe to show the client: it names the problem,
/// never the expected secret.
///
/// ```
/// use mcp_runtime::auth::AuthError;
/// assert_eq!(AuthError::Expired.to_string(), "the token has expired");
/// assert_eq!(AuthError::Expired.reason(), "expired");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// No `Authorization: Bearer` header.
    #[error("no bearer token was given")]
    Missing,
    /// The token is not in a form this server accepts.
    #[error("the token is malformed: {0}")]
    Malformed(String),
    /// The token is no API key this server knows.
    #[error("the token is not a valid API key")]
    UnknownKey,
    /// The JWT's signature does not verify.
    #[error("the token's signature is invalid")]
    BadSignature,
    /// The JWT names a key (`kid`) the server does not have.
    #[error("the token was signed with an unknown key `{0}`")]
    UnknownKeyId(String),
    /// The JWT's algorithm is not one the server accepts.
    #[error("the token's algorithm {0} is not accepted")]
    Algorithm(String),
    /// `exp` is in the past.
    #[error("the token has expired")]
    Expired,
    /// `nbf` is in the future.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `iss` is not the expected issuer.
    #[error("the token was issued by another issuer")]
    WrongIssuer,
    /// `aud` does not name this server.
    #[error("the token is meant for another audience")]
    WrongAudience,
    /// A required claim is missing.
    #[error("the token lacks the `{0}` claim")]
    MissingClaim(String),
    /// The keys to verify with could not be obtained (e.g. the JWKS endpoint is down).
    #[error("the server cannot verify tokens right now: {0}")]
    KeysUnavailable(String),
}

impl AuthError {
    /// A short, stable label for logs and metrics.
    ///
    /// ```
    /// assert_eq!(mcp_runtime::auth::AuthError::WrongAudience.reason(), "wrong_audience");
    /// ```
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Malformed(_) => "malformed",
            Self::UnknownKey => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::UnknownKeyId(_) => "unknown_kid",
            Self::Algorithm(_) => "algorithm",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::WrongIssuer => "wrong_issuer",
            Self::WrongAudience => "wrong_audience",
            Self::MissingClaim(_) => "missing_claim",
            Self::KeysUnavailable(_) => "keys_unavailable",
        }
    }
}

/// Several authenticators, tried in turn: a token is accepted by the first that accepts it.
/// JWTs (three dot-separated parts) and API keys can therefore share one server.
///
/// ```
/// use std::sync::Arc;
/// use mcp_runtime::auth::{AnyOf, ApiKeys, Authenticator};
///
/// let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["read"]}]}"#).unwrap();
/// let any: Arc<dyn Authenticator> = Arc::new(AnyOf::new(vec![Arc::new(keys)]));
/// ```
pub struct AnyOf(Vec<Arc<dyn Authenticator>>);

impl AnyOf {
    /// Tries `authenticators` in order.
    pub fn new(authenticators: Vec<Arc<dyn Authenticator>>) -> Self {
        Self(authenticators)
    }
}

impl Authenticator for AnyOf {
    fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a> {
        Box::pin(async move {
            let looks_like_jwt = token.split('.').count() == 3;
            let mut first_error = None;
            for authenticator in &self.0 {
                match authenticator.authenticate(token).await {
                    Ok(principal) => return Ok(principal),
                    // Report the error of the scheme the token belongs to, not of the others.
                    Err(AuthError::UnknownKey) if looks_like_jwt => {}
                    Err(AuthError::Malformed(_)) if !looks_like_jwt => {}
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            Err(first_error.unwrap_or(if looks_like_jwt { AuthError::BadSignature } else { AuthError::UnknownKey }))
        })
    }
}
