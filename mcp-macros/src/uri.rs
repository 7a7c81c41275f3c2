//! URI templates (the RFC 6570 subset resources need): literal text, `{var}` (one path
//! segment), `{+var}` (may contain `/`, for file paths) and a trailing `{?a,b}` query.
//! Parsed and checked at compile time; the runtime receives the parts ready to match.
//! Every URI starts with a scheme (RFC 3986 §3.1), checked here too.

/// One part of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Literal(String),
    /// `{name}`: no `/`, `?` or `#` in the value.
    Simple(String),
    /// `{+name}`: reserved expansion; the value may contain `/`.
    Reserved(String),
    /// `{?a,b}`: query parameters, each optional on the wire.
    Query(Vec<String>),
}

impl Part {
    pub(crate) fn variables(&self) -> Vec<&str> {
        match self {
            Part::Literal(_) => Vec::new(),
            Part::Simple(name) | Part::Reserved(name) => vec![name],
            Part::Query(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// Parses a template, or says precisely what is wrong with it.
pub(crate) fn parse(template: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    let mut seen: Vec<String> = Vec::new();
    while !rest.is_empty() {
        if let Some(close) = rest.find('}')
            && rest.find('{').is_none_or(|open| close < open)
        {
            return Err(format!("`}}` without a matching `{{` in `{template}`"));
        }
        let Some(open) = rest.find('{') else {
            parts.push(Part::Literal(rest.to_owned()));
            break;
        };
        if open > 0 {
            parts.push(Part::Literal(rest[..open].to_owned()));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| format!("`{{` without a matching `}}` in `{template}`"))?;
        let expression = &after[..close];
        rest = &after[close + 1..];
        // A query may follow a variable (`?` splits them); two path variables need text between.
        if !expression.starts_with('?')
            && matches!(parts.last(), Some(Part::Simple(_) | Part::Reserved(_) | Part::Query(_)))
        {
            return Err(format!(
                "`{{{expression}}}` follows another expression directly; put literal text between them so a URI can be split"
            ));
        }
        let part = match expression.chars().next() {
            None => return Err("empty expression `{}`; name a variable, e.g. `{id}`".into()),
            Some('+') => Part::Reserved(single(&expression[1..], expression)?),
            Some('?') => {
                let names = expression[1..].split(',').map(|name| variable(name.trim(), expression)).collect::<Result<
                    Vec<_>,
                    _,
                >>(
                )?;
                if !rest.is_empty() {
                    return Err(format!("the query expression `{{{expression}}}` must end the template"));
                }
                Part::Query(names)
            }
            Some(operator @ ('#' | '.' | '/' | ';' | '&' | '=' | ',' | '!' | '@' | '|')) => {
                return Err(format!(
                    "the operator `{operator}` in `{{{expression}}}` is not supported; use `{{name}}`, `{{+path}}` or `{{?a,b}}`"
                ));
            }
            Some(_) => Part::Simple(single(expression, expression)?),
        };
        for name in part.variables() {
            if seen.iter().any(|known| known == name) {
                return Err(format!("the variable `{name}` appears twice in `{template}`"));
            }
            seen.push(name.to_owned());
        }
        parts.push(part);
    }
    Ok(parts)
}

/// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, then `:`. Checked on the
/// literal text before the first `{`, where a template's variables cannot reach.
pub(crate) fn check_scheme(template: &str) -> Result<(), String> {
    const EXAMPLES: &str = "such as `config://app` or `file:///{+path}`";
    let literal = &template[..template.find('{').unwrap_or(template.len())];
    let Some(colon) = literal.find(':') else {
        return Err(format!("a resource URI needs a scheme, {EXAMPLES}; `{template}` has none"));
    };
    let scheme = &literal[..colon];
    let valid = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if valid {
        Ok(())
    } else if scheme.is_empty() {
        Err(format!("a resource URI needs a scheme before its `:`, {EXAMPLES}; `{template}` has none"))
    } else {
        Err(format!(
            "`{scheme}` in `{template}` is not a URI scheme: a scheme starts with a letter and continues with \
             letters, digits, `+`, `-` or `.`, {EXAMPLES}"
        ))
    }
}

fn single(name: &str, expression: &str) -> Result<String, String> {
    if name.contains(',') {
        return Err(format!("`{{{expression}}}` names several variables; only a query expression `{{?a,b}}` may"));
    }
    variable(name, expression)
}

/// Variables become Rust parameters, so they must be identifiers.
fn variable(name: &str, expression: &str) -> Result<String, String> {
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "`{name}` in `{{{expression}}}` is not a valid variable name: use letters, digits and `_`, as for a Rust parameter"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_supported_form() {
        assert_eq!(parse("config://app").unwrap(), [Part::Literal("config://app".into())]);
        assert_eq!(
            parse("users://{user_id}/profile").unwrap(),
            [Part::Literal("users://".into()), Part::Simple("user_id".into()), Part::Literal("/profile".into())]
        );
        assert_eq!(
            parse("file:///{+path}{?offset,limit}").unwrap()[2],
            Part::Query(vec!["offset".into(), "limit".into()])
        );
        assert!(parse("a://{x}{y}").err().unwrap().contains("follows another expression directly"));
        assert_eq!(
            parse("search://items{?q,limit}").unwrap(),
            [Part::Literal("search://items".into()), Part::Query(vec!["q".into(), "limit".into()])]
        );
        assert_eq!(parse("file:///{+path}").unwrap()[1], Part::Reserved("path".into()));
    }

    #[test]
    fn a_uri_starts_with_a_scheme() {
        for uri in [
            "config://app",
            "file:///{+path}",
            "users://{id}/profile",
            "urn:isbn:0451450523",
            "a+b-c.d:x",
            "s3://{bucket}",
        ] {
            assert_eq!(check_scheme(uri), Ok(()), "{uri}");
        }
        let error = |uri: &str| check_scheme(uri).unwrap_err();
        assert_eq!(
            error("just some text"),
            "a resource URI needs a scheme, such as `config://app` or `file:///{+path}`; `just some text` has none"
        );
        // A colon inside a variable is not a scheme: only the literal text before `{` counts.
        assert!(error("{+uri}").contains("has none"));
        assert!(error("users/{id:x}").contains("has none"));
        assert!(error("://app").contains("a scheme before its `:`"));
        assert!(error("1password://vault").contains("`1password` in `1password://vault` is not a URI scheme"));
        assert!(error("my_app://x").contains("`my_app`"));
        assert!(error("my app://x").contains("`my app`"));
    }

    #[test]
    fn explains_every_malformed_template() {
        let error = |template: &str| parse(template).err().unwrap();
        assert!(error("a://{id").contains("without a matching `}`"));
        assert!(error("a://id}").contains("without a matching `{`"));
        assert!(error("a://{}").contains("empty expression"));
        assert!(error("a://{#frag}").contains("operator `#`"));
        assert!(error("a://{id}/{id}").contains("appears twice"));
        assert!(error("a://{a,b}").contains("names several variables"));
        assert!(error("a://{user-id}").contains("not a valid variable name"));
        assert!(error("a://x{?q}/more").contains("must end the template"));
    }
}
