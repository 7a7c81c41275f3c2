//! How a mounted item's name and URI are served, and back.

use std::fmt;

/// A mount's prefix, checked: letters, digits and `-`, so that it fits in a tool name and in a
/// URI's authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Prefix(String);

impl Prefix {
    pub(crate) fn new(prefix: &str) -> Result<Self, String> {
        let valid =
            !prefix.is_empty() && prefix.len() <= 64 && prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if valid {
            Ok(Self(prefix.to_owned()))
        } else {
            Err(format!(
                "mount prefix `{prefix}`: use 1 to 64 letters, digits and `-` (it starts tool names and sits in URIs)"
            ))
        }
    }

    /// `{prefix}_{name}`: a tool's or prompt's served name.
    pub(crate) fn name(&self, name: &str) -> String {
        format!("{}_{name}", self.0)
    }

    /// The upstream's name of a served name, if this prefix serves it.
    pub(crate) fn strip<'a>(&self, served: &'a str) -> Option<&'a str> {
        served.strip_prefix(self.0.as_str())?.strip_prefix('_').filter(|name| !name.is_empty())
    }

    /// The served form of an upstream URI (or URI template).
    pub(crate) fn uri(&self, uri: &str) -> String {
        let (head, rest) = split(uri);
        format!("{head}{}/{rest}", self.0)
    }

    /// The upstream URI of a served one, if this prefix serves it.
    pub(crate) fn strip_uri(&self, served: &str) -> Option<String> {
        let (head, rest) = split(served);
        let rest = rest.strip_prefix(self.0.as_str())?.strip_prefix('/')?;
        Some(format!("{head}{rest}"))
    }

    /// Whether a served name of `self` could also be one of `other`'s. A prefix has no `_`, so
    /// `{a}_{name}` is `{b}_{name}` only when `a` is `b`.
    pub(crate) fn overlaps(&self, other: &Prefix) -> bool {
        self == other
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// `scheme://` or `scheme:` (the part the prefix follows), and the rest; a URI without a scheme
/// is all rest.
fn split(uri: &str) -> (&str, &str) {
    if let Some(at) = uri.find("://") {
        return uri.split_at(at + 3);
    }
    match uri.find(':') {
        Some(at) if uri[..at].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => uri.split_at(at + 1),
        _ => ("", uri),
    }
}

#[cfg(test)]
mod tests {
    use super::Prefix;

    #[test]
    fn names_and_uris_go_there_and_back() {
        let fs = Prefix::new("fs").unwrap();
        assert_eq!(fs.name("read_file"), "fs_read_file");
        assert_eq!(fs.strip("fs_read_file"), Some("read_file"));
        assert_eq!(fs.strip("fs_"), None);
        assert_eq!(fs.strip("fsx_read"), None);
        for (uri, served) in [
            ("notes://latest", "notes://fs/latest"),
            ("files:///etc/hosts", "files://fs//etc/hosts"),
            ("users://{id}/profile", "users://fs/{id}/profile"),
            ("urn:isbn:123", "urn:fs/isbn:123"),
            ("plain", "fs/plain"),
        ] {
            assert_eq!(fs.uri(uri), served);
            assert_eq!(fs.strip_uri(served).as_deref(), Some(uri), "{served}");
        }
        assert_eq!(fs.strip_uri("notes://other/latest"), None);
    }

    #[test]
    fn prefixes_are_checked_and_overlaps_found() {
        assert!(Prefix::new("").is_err() && Prefix::new("a_b").is_err() && Prefix::new("a/b").is_err());
        let (fs, fs_tmp, db) = (Prefix::new("fs").unwrap(), Prefix::new("fs_tmp"), Prefix::new("db").unwrap());
        assert!(fs_tmp.is_err(), "`_` would make names ambiguous");
        let fs_dash = Prefix::new("fs-tmp").unwrap();
        assert!(fs.overlaps(&fs) && !fs.overlaps(&db) && !fs.overlaps(&fs_dash));
    }
}
