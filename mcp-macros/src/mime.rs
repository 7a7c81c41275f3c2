//! `mime_type = "..."`: a media type (RFC 6838 §4.2 `type/subtype`, with RFC 9110 §8.3.1
//! parameters such as `; charset=utf-8`), checked at compile time because a client that cannot
//! parse it may refuse to show the resource at all.

const EXAMPLES: &str = "such as `application/json` or `text/plain; charset=utf-8`";

/// Checks `text`, or says what is wrong with it and shows a valid one.
pub(crate) fn check(text: &str) -> Result<(), String> {
    let (essence, mut rest) = text.split_once(';').map_or((text, None), |(essence, rest)| (essence, Some(rest)));
    let Some((kind, subtype)) = essence.trim().split_once('/') else {
        return Err(format!("`{text}` is not a MIME type: expected `type/subtype`, {EXAMPLES}"));
    };
    for name in [kind, subtype] {
        if !is_restricted_name(name) {
            return Err(format!(
                "`{text}` is not a MIME type: `{name}` must be 1 to 127 letters, digits or `!#$&-^_.+`, \
                 starting with a letter or digit, {EXAMPLES}"
            ));
        }
    }
    while let Some(parameters) = rest {
        let (parameter, after) = split_parameter(parameters.trim_start());
        // RFC 9110 allows an empty parameter (`text/plain;`), so a stray `;` is not refused.
        if !parameter.trim().is_empty() && !is_parameter(parameter.trim_end()) {
            return Err(format!(
                "`{text}` has a malformed parameter `{}`: a parameter is `name=value`, as in `text/plain; charset=utf-8`",
                parameter.trim()
            ));
        }
        rest = after;
    }
    Ok(())
}

/// The first parameter and what follows its `;`, skipping any `;` inside a quoted string.
fn split_parameter(text: &str) -> (&str, Option<&str>) {
    let (mut quoted, mut escaped) = (false, false);
    for (index, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return (&text[..index], Some(&text[index + 1..])),
            _ => {}
        }
    }
    (text, None)
}

/// RFC 6838 §4.2 `restricted-name`.
fn is_restricted_name(name: &str) -> bool {
    name.len() <= 127
        && name.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
}

/// RFC 9110 §5.6.6 `parameter = token "=" ( token / quoted-string )`.
fn is_parameter(parameter: &str) -> bool {
    let Some((name, value)) = parameter.split_once('=') else { return false };
    is_token(name) && (is_token(value) || is_quoted_string(value))
}

/// RFC 9110 §5.6.4 `quoted-string`: a backslash escapes the next character.
fn is_quoted_string(value: &str) -> bool {
    let Some(inner) = value.strip_prefix('"').and_then(|value| value.strip_suffix('"')) else { return false };
    let mut escaped = false;
    for c in inner.chars() {
        if c != '\t' && c.is_ascii_control() || (c == '"' && !escaped) {
            return false;
        }
        escaped = !escaped && c == '\\';
    }
    !escaped
}

/// RFC 9110 §5.6.2 `token`.
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_media_types_with_parameters() {
        for text in [
            "application/json",
            "image/png",
            "text/plain; charset=utf-8",
            "text/plain;charset=UTF-8",
            "text/plain; version=0.0.4",
            "application/vnd.api+json",
            "application/x-ndjson",
            "multipart/form-data; boundary=\"a b;c\"",
            "text/markdown; charset=utf-8; variant=GFM",
            "text/plain;",
            "text/plain; ; charset=utf-8",
            "text/plain; title=\"a \\\"quoted\\\" word\"",
        ] {
            assert_eq!(check(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn explains_what_is_not_a_media_type() {
        let error = |text: &str| check(text).unwrap_err();
        assert_eq!(
            error("not a mime"),
            "`not a mime` is not a MIME type: expected `type/subtype`, such as `application/json` or \
             `text/plain; charset=utf-8`"
        );
        assert!(error("json").contains("expected `type/subtype`"));
        assert!(error("").contains("expected `type/subtype`"));
        assert!(error("application/").contains("`` must be 1 to 127"));
        assert!(error("/json").contains("`` must be 1 to 127"));
        assert!(error("text/plain text").contains("`plain text` must be"));
        assert!(error("text/plain/extra").contains("`plain/extra` must be"));
        assert!(error("-text/plain").contains("`-text` must be"));
        assert!(error(&format!("text/{}", "x".repeat(128))).contains("must be 1 to 127"));
        assert!(error("text/plain; charset").contains("malformed parameter `charset`"));
        assert!(error("text/plain; charset=").contains("malformed parameter `charset=`"));
        assert!(error("text/plain; a b=c").contains("malformed parameter `a b=c`"));
        assert!(error("text/plain; a=\"b\"c\"").contains("malformed parameter"));
        assert!(error("text/plain; a=\"b\\\"").contains("malformed parameter"));
        assert!(error("text/plain; a=\"b").contains("malformed parameter `a=\"b`"));
    }
}
