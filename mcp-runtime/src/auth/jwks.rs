//! Verification keys: static ones, or a JWKS document fetched from a URL and kept fresh.

use std::time::{Duration, Instant};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{AlgorithmParameters, EllipticCurve, JwkSet, KeyAlgorithm},
};
use tokio::sync::RwLock;

use super::AuthError;

const REFRESH_EVERY: Duration = Duration::from_secs(600);
const REFRESH_AT_MOST_EVERY: Duration = Duration::from_secs(30);
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// One key and the one algorithm it may verify (never chosen by the token alone).
#[derive(Clone)]
pub(crate) struct VerificationKey {
    pub(crate) kid: Option<String>,
    pub(crate) algorithm: Algorithm,
    pub(crate) key: DecodingKey,
}

impl VerificationKey {
    pub(crate) fn new(kid: Option<String>, algorithm: Algorithm, key: DecodingKey) -> Self {
        Self { kid, algorithm, key }
    }

    /// An RSA key verifies RS256; an EC key, ES256.
    pub(crate) fn from_pem(pem: &[u8]) -> Result<Self, String> {
        if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
            return Ok(Self::new(None, Algorithm::RS256, key));
        }
        DecodingKey::from_ec_pem(pem)
            .map(|key| Self::new(None, Algorithm::ES256, key))
            .map_err(|error| format!("the public key is neither an RSA nor a P-256 EC key in PEM form: {error}"))
    }
}

pub(crate) enum JwksSource {
    Static(Vec<VerificationKey>),
    Url(String),
}

pub(crate) struct KeySet {
    source: JwksSource,
    fetched: RwLock<Fetched>,
    client: reqwest::Client,
}

struct Fetched {
    keys: Vec<VerificationKey>,
    at: Instant,
}

impl KeySet {
    pub(crate) async fn load(source: JwksSource) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|error| format!("cannot build an HTTP client for the JWKS: {error}"))?;
        let keys = match &source {
            JwksSource::Static(keys) => keys.clone(),
            JwksSource::Url(url) => {
                if url.starts_with("https://") && !cfg!(feature = "https-jwks") {
                    return Err(format!(
                        "{url}: fetching JWKS over https needs the `https-jwks` feature of mcp-runtime (TLS), \
                         which this program was built without; or give the key set as a file"
                    ));
                }
                fetch(&client, url).await?
            }
        };
        if keys.is_empty() {
            return Err("the key set holds no usable key".into());
        }
        Ok(Self { source, fetched: RwLock::new(Fetched { keys, at: Instant::now() }), client })
    }

    /// The key for `kid`; without a `kid`, the only key. Refetches a URL source when stale or
    /// when `kid` is unknown (key rotation).
    pub(crate) async fn find(&self, kid: Option<&str>) -> Result<VerificationKey, AuthError> {
        let (found, age) = {
            let fetched = self.fetched.read().await;
            (pick(&fetched.keys, kid), fetched.at.elapsed())
        };
        let JwksSource::Url(url) = &self.source else {
            return found;
        };
        let stale = age > REFRESH_EVERY;
        let may_refresh = age > REFRESH_AT_MOST_EVERY;
        if !(stale || (found.is_err() && may_refresh)) {
            return found;
        }
        match fetch(&self.client, url).await {
            Ok(keys) => {
                let mut fetched = self.fetched.write().await;
                *fetched = Fetched { keys, at: Instant::now() };
                pick(&fetched.keys, kid)
            }
            Err(error) => {
                tracing::warn!(%url, %error, "could not refresh the JWKS; keeping the keys we have");
                found.map_err(|_| AuthError::KeysUnavailable(error))
            }
        }
    }
}

fn pick(keys: &[VerificationKey], kid: Option<&str>) -> Result<VerificationKey, AuthError> {
    match kid {
        Some(kid) => keys
            .iter()
            .find(|key| key.kid.as_deref() == Some(kid))
            .cloned()
            .ok_or_else(|| AuthError::UnknownKeyId(kid.to_owned())),
        None if keys.len() == 1 => Ok(keys[0].clone()),
        None => Err(AuthError::MissingClaim("kid (header; the key set has several keys)".into())),
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<VerificationKey>, String> {
    let response =
        client.get(url).send().await.map_err(|error| format!("cannot fetch the JWKS from {url}: {error}"))?;
    if !response.status().is_success() {
        return Err(format!("fetching the JWKS from {url} answered {}", response.status()));
    }
    let text = response.text().await.map_err(|error| format!("cannot read the JWKS from {url}: {error}"))?;
    parse_jwks(&text)
}

/// Keys of a JWKS document usable for RS256 or ES256; others are skipped with a log line.
pub(crate) fn parse_jwks(text: &str) -> Result<Vec<VerificationKey>, String> {
    let set: JwkSet = serde_json::from_str(text).map_err(|error| format!("invalid JWKS document: {error}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let kid = jwk.common.key_id.clone();
        let algorithm = match (&jwk.algorithm, jwk.common.key_algorithm) {
            (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
            (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES256))
                if ec.curve == EllipticCurve::P256 =>
            {
                Algorithm::ES256
            }
            _ => {
                tracing::info!(?kid, "skipping a JWKS key that is neither RS256 nor ES256");
                continue;
            }
        };
        match DecodingKey::from_jwk(jwk) {
            Ok(key) => keys.push(VerificationKey::new(kid, algorithm, key)),
            Err(error) => tracing::warn!(?kid, %error, "skipping an unusable JWKS key"),
        }
    }
    Ok(keys)
}
