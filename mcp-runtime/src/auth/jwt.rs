//! JSON Web Tokens: HS256 with a shared secret, RS256/ES256 with a PEM public key or a JWKS
//! document (file, or URL fetched and cached), with `exp`/`nbf`/`iss`/`aud` checks.

use std::{path::PathBuf, sync::Arc, time::Duration};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde_json::{Map, Value};

use super::{
    AuthError, AuthFuture, Authenticator, Principal,
    jwks::{JwksSource, KeySet, VerificationKey},
};

/// Where the keys that verify signatures come from.
///
/// Needs the `jwt` feature.
///
/// ```
/// use mcp_runtime::auth::JwtKeys;
/// let keys = JwtKeys::Secret(b"a shared secret of at least 32 bytes!".to_vec());
/// let jwks = JwtKeys::JwksUrl("https://idp.example.com/.well-known/jwks.json".into());
/// ```
#[derive(Debug, Clone)]
pub enum JwtKeys {
    /// HS256 with this shared secret.
    Secret(Vec<u8>),
    /// RS256 or ES256 (P-256) with this PEM-encoded public key.
    PublicKeyPem(Vec<u8>),
    /// A JWKS document in a file, read once at start-up.
    JwksFile(PathBuf),
    /// A JWKS document at a URL, fetched at start-up, cached, refreshed every ten minutes and when
    /// a token names an unknown key (at most every 30 s).
    JwksUrl(String),
}

/// Verifies JWT bearer tokens.
///
/// Needs the `jwt` feature.
///
/// ```
/// use mcp_runtime::auth::{Authenticator, JwtAuthenticator, JwtKeys};
///
/// let secret = b"0123456789abcdef0123456789abcdef".to_vec();
/// let jwt = JwtAuthenticator::new(JwtKeys::Secret(secret.clone()))
///     .issuer("https://idp.example.com")
///     .audience("https://mcp.example.com/mcp");
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let jwt = jwt.load().await.unwrap();
/// assert!(jwt.authenticate("not.a.jwt").await.is_err());
/// # });
/// ```
pub struct JwtAuthenticator {
    keys: JwtKeys,
    issuer: Option<String>,
    audience: Option<String>,
    leeway: Duration,
    loaded: Option<Arc<KeySet>>,
}

impl JwtAuthenticator {
    /// Verifies with `keys`; call [`load`](Self::load) before use.
    pub fn new(keys: JwtKeys) -> Self {
        Self { keys, issuer: None, audience: None, leeway: Duration::from_secs(30), loaded: None }
    }

    /// Requires `iss` to be exactly `issuer`.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Requires `aud` to contain `audience` (the MCP endpoint's own URL, per RFC 8707).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Clock skew tolerated on `exp` and `nbf` (default 30 s).
    pub fn leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Reads or fetches the keys, so a bad key source stops the server at start-up.
    pub async fn load(mut self) -> Result<Self, String> {
        let source = match &self.keys {
            JwtKeys::Secret(secret) => {
                if secret.len() < 32 {
                    return Err("the HS256 secret must be at least 32 bytes long".into());
                }
                JwksSource::Static(vec![VerificationKey::new(None, Algorithm::HS256, DecodingKey::from_secret(secret))])
            }
            JwtKeys::PublicKeyPem(pem) => JwksSource::Static(vec![VerificationKey::from_pem(pem)?]),
            JwtKeys::JwksFile(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|error| format!("cannot read the JWKS file {}: {error}", path.display()))?;
                JwksSource::Static(super::jwks::parse_jwks(&text)?)
            }
            JwtKeys::JwksUrl(url) => JwksSource::Url(url.clone()),
        };
        self.loaded = Some(Arc::new(KeySet::load(source).await?));
        Ok(self)
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.leeway = self.leeway.as_secs();
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp"]);
        if let Some(issuer) = &self.issuer {
            validation.set_issuer(&[issuer]);
        }
        match &self.audience {
            Some(audience) => validation.set_audience(&[audience]),
            None => validation.validate_aud = false,
        }
        validation
    }
}

impl Authenticator for JwtAuthenticator {
    fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a> {
        Box::pin(async move {
            let keys = self.loaded.as_ref().ok_or_else(|| AuthError::KeysUnavailable("keys not loaded".into()))?;
            let header = jsonwebtoken::decode_header(token).map_err(|error| AuthError::Malformed(error.to_string()))?;
            let key = keys.find(header.kid.as_deref()).await?;
            if key.algorithm != header.alg {
                return Err(AuthError::Algorithm(format!("{:?}", header.alg)));
            }
            let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key.key, &self.validation(key.algorithm))
                .map_err(|error| map_error(error.into_kind()))?;
            principal_from_claims(data.claims)
        })
    }
}

fn map_error(kind: ErrorKind) -> AuthError {
    match kind {
        ErrorKind::ExpiredSignature => AuthError::Expired,
        ErrorKind::ImmatureSignature => AuthError::NotYetValid,
        ErrorKind::InvalidIssuer => AuthError::WrongIssuer,
        ErrorKind::InvalidAudience => AuthError::WrongAudience,
        ErrorKind::InvalidSignature => AuthError::BadSignature,
        ErrorKind::InvalidAlgorithm => AuthError::Algorithm("not the key's".into()),
        ErrorKind::MissingRequiredClaim(claim) => AuthError::MissingClaim(claim),
        other => AuthError::Malformed(format!("{other:?}")),
    }
}

/// `sub` names the principal; scopes come from `scope` (OAuth's space-separated string), `scp`
/// (string or array) or `scopes` (array).
fn principal_from_claims(claims: Map<String, Value>) -> Result<Principal, AuthError> {
    let subject =
        claims.get("sub").and_then(Value::as_str).ok_or_else(|| AuthError::MissingClaim("sub".into()))?.to_owned();
    let mut scopes = Vec::new();
    for name in ["scope", "scp", "scopes"] {
        match claims.get(name) {
            Some(Value::String(text)) => scopes.extend(text.split_whitespace().map(str::to_owned)),
            Some(Value::Array(items)) => scopes.extend(items.iter().filter_map(Value::as_str).map(str::to_owned)),
            _ => {}
        }
    }
    Ok(Principal::new(subject, scopes).with_claims(claims))
}
