//! The bearer token the gateway sends upstream, kept out of every log line and message.

use std::fmt;

/// A secret that prints as `<redacted>`, so no `{:?}` or `{}` can leak it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Wraps a token; `None` for an empty one, which is the same as none at all.
    pub fn new(token: String) -> Option<Self> {
        let token = token.trim().to_owned();
        (!token.is_empty()).then_some(Self(token))
    }

    /// A fresh random token, for the demo upstream when the operator gave none.
    pub fn random() -> Self {
        Self(std::iter::repeat_with(fastrand::alphanumeric).take(32).collect())
    }

    /// The token itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced, for anything taken from the upstream
    /// (an error body may echo the request's headers back).
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "<redacted>")
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
