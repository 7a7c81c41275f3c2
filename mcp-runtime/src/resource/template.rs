//! Matching a requested URI against a template the macro parsed at compile time.

use std::collections::HashMap;

/// One part of a URI template (see `mcp-macros/src/uri.rs` for the grammar).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Text that must appear as is.
    Literal(&'static str),
    /// `{name}`: one segment, no `/`, `?` or `#`.
    Simple(&'static str),
    /// `{+name}`: may contain `/`.
    Reserved(&'static str),
    /// `{?a,b}`: query parameters, each optional.
    Query(&'static [&'static str]),
}

/// The variables of `uri` if it matches `segments`, percent-decoded.
pub(crate) fn match_uri(segments: &[Segment], uri: &str) -> Option<HashMap<&'static str, String>> {
    let mut values = HashMap::new();
    let mut rest = uri;
    for (index, segment) in segments.iter().enumerate() {
        match *segment {
            Segment::Literal(text) => rest = rest.strip_prefix(text)?,
            Segment::Simple(name) | Segment::Reserved(name) => {
                let reserved = matches!(segment, Segment::Reserved(_));
                let end = match segments.get(index + 1) {
                    // A simple value ends at the first occurrence of the next text; a path may
                    // contain that text, so it ends at the last.
                    Some(Segment::Literal(next)) if reserved => rest.rfind(next)?,
                    Some(Segment::Literal(next)) => rest.find(next)?,
                    _ => rest.find('?').unwrap_or(rest.len()),
                };
                let raw = &rest[..end];
                if raw.is_empty() || raw.contains('#') || (!reserved && (raw.contains('/') || raw.contains('?'))) {
                    return None;
                }
                values.insert(name, percent_decode(raw)?);
                rest = &rest[end..];
            }
            Segment::Query(names) => {
                let query = match rest.strip_prefix('?') {
                    Some(query) => query,
                    None if rest.is_empty() => "",
                    None => return None,
                };
                for pair in query.split('&').filter(|pair| !pair.is_empty()) {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    // Parameters the template does not name are ignored, as on the web.
                    if let Some(name) = names.iter().find(|name| **name == key) {
                        values.insert(*name, percent_decode(value)?);
                    }
                }
                rest = "";
            }
        }
    }
    rest.is_empty().then_some(values)
}

/// `%41` -> `A`; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(segments: &[Segment], uri: &str) -> Option<Vec<(&'static str, String)>> {
        let mut values: Vec<_> = match_uri(segments, uri)?.into_iter().collect();
        values.sort();
        Some(values)
    }

    #[test]
    fn simple_variables_are_one_segment() {
        let profile = [Segment::Literal("users://"), Segment::Simple("id"), Segment::Literal("/profile")];
        assert_eq!(matched(&profile, "users://42/profile"), Some(vec![("id", "42".into())]));
        assert_eq!(matched(&profile, "users://a%20b/profile"), Some(vec![("id", "a b".into())]));
        assert_eq!(matched(&profile, "users://4/2/profile"), None);
        assert_eq!(matched(&profile, "users:///profile"), None);
        assert_eq!(matched(&profile, "users://42/profile/extra"), None);
        assert_eq!(matched(&profile, "users://%zz/profile"), None);
    }

    #[test]
    fn reserved_variables_span_slashes() {
        let file = [Segment::Literal("file:///"), Segment::Reserved("path")];
        assert_eq!(matched(&file, "file:///src/main.rs"), Some(vec![("path", "src/main.rs".into())]));
        let blame = [Segment::Literal("repo://"), Segment::Reserved("path"), Segment::Literal("/blame")];
        assert_eq!(matched(&blame, "repo://a/blame/b/blame"), Some(vec![("path", "a/blame/b".into())]));
    }

    #[test]
    fn query_parameters_are_optional_and_decoded() {
        const NAMES: &[&str] = &["q", "limit"];
        let search = [Segment::Literal("search://items"), Segment::Query(NAMES)];
        assert_eq!(matched(&search, "search://items"), Some(vec![]));
        assert_eq!(
            matched(&search, "search://items?q=red%20shoes&limit=5&utm=x"),
            Some(vec![("limit", "5".into()), ("q", "red shoes".into())])
        );
        assert_eq!(matched(&search, "search://itemsX"), None);
    }
}
