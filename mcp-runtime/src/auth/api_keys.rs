//! Static API keys, each with a name and scopes, compared by hash in constant time.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{AuthError, AuthFuture, Authenticator, Principal};

/// API keys loaded from a JSON document:
///
/// Needs the `auth` feature.
///
/// ```json
/// {"keys": [
///   {"name": "ci-bot", "sha256": "<hex SHA-256 of the key>", "scopes": ["builds:read"]},
///   {"name": "alice",  "key": "plain-text-key",              "scopes": ["files:admin"]}
/// ]}
/// ```
///
/// Prefer `sha256` (`printf %s "$KEY" | sha256sum`) so the file holds no secret. Only hashes are
/// kept in memory, and a presented key is compared with every entry in constant time.
///
/// ```
/// use mcp_runtime::auth::{ApiKeys, Authenticator};
///
/// let keys = ApiKeys::from_json(r#"{"keys": [{"name": "ci", "key": "s3cret", "scopes": ["read"]}]}"#).unwrap();
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let ci = keys.authenticate("s3cret").await.unwrap();
/// assert_eq!(ci.subject(), "ci");
/// assert!(keys.authenticate("guess").await.is_err());
/// # });
/// ```
pub struct ApiKeys {
    entries: Vec<Entry>,
}

struct Entry {
    name: String,
    hash: [u8; 32],
    scopes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    keys: Vec<FileEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    name: String,
    key: Option<String>,
    sha256: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
}

impl ApiKeys {
    /// Reads the JSON document at `path`.
    ///
    /// ```no_run
    /// let keys = mcp_runtime::auth::ApiKeys::from_file("api-keys.json").unwrap();
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        Self::from_json(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// Parses the JSON document described above.
    ///
    /// ```
    /// let error = mcp_runtime::auth::ApiKeys::from_json(r#"{"keys": [{"name": "x"}]}"#).err().unwrap();
    /// assert!(error.contains("`x` needs either `key` or `sha256`"));
    /// ```
    pub fn from_json(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|error| format!("invalid API key file: {error}"))?;
        let entries = file
            .keys
            .into_iter()
            .map(|entry| {
                let hash = match (&entry.key, &entry.sha256) {
                    (Some(key), None) if !key.is_empty() => Sha256::digest(key.as_bytes()).into(),
                    (None, Some(hex)) => parse_hex(hex)
                        .ok_or_else(|| format!("API key `{}`: `sha256` must be 64 hexadecimal digits", entry.name))?,
                    _ => return Err(format!("API key `{}` needs either `key` or `sha256`, not both", entry.name)),
                };
                Ok(Entry { name: entry.name, hash, scopes: entry.scopes })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { entries })
    }
}

impl Authenticator for ApiKeys {
    fn authenticate<'a>(&'a self, token: &'a str) -> AuthFuture<'a> {
        let presented: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        // Compare against every entry, so timing does not reveal which one (or whether one) matched.
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.hash.ct_eq(&presented)) {
                found = Some(entry);
            }
        }
        let result = found.map(|entry| Principal::new(&entry.name, &entry.scopes)).ok_or(AuthError::UnknownKey);
        Box::pin(std::future::ready(result))
    }
}

fn parse_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (index, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(index * 2..index * 2 + 2)?, 16).ok()?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[tokio::test]
    async fn hashed_entries_match_their_key_only() {
        let hash = hex(&Sha256::digest(b"ops-key"));
        let keys =
            ApiKeys::from_json(&format!(r#"{{"keys": [{{"name": "ops", "sha256": "{hash}", "scopes": ["admin"]}}]}}"#))
                .unwrap();
        let ops = keys.authenticate("ops-key").await.unwrap();
        assert_eq!((ops.subject(), ops.scopes().collect::<Vec<_>>()), ("ops", vec!["admin"]));
        assert_eq!(keys.authenticate("ops-key ").await, Err(AuthError::UnknownKey));
        assert_eq!(keys.authenticate(&hash).await, Err(AuthError::UnknownKey), "the hash itself is no key");
    }

    #[test]
    fn malformed_files_are_explained() {
        let both = ApiKeys::from_json(r#"{"keys": [{"name": "a", "key": "k", "sha256": "00"}]}"#).err().unwrap();
        assert!(both.contains("either `key` or `sha256`, not both"), "{both}");
        let short = ApiKeys::from_json(r#"{"keys": [{"name": "a", "sha256": "abc"}]}"#).err().unwrap();
        assert!(short.contains("64 hexadecimal digits"), "{short}");
        let unknown = ApiKeys::from_json(r#"{"keys": [{"name": "a", "key": "k", "scope": "x"}]}"#).err().unwrap();
        assert!(unknown.contains("unknown field `scope`"), "{unknown}");
    }
}
