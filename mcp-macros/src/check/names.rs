//! Rules for names taken from outside Rust, each from the specification that defines it.

/// The MCP specification's rule for tool names (2025-11-25): 1 to 128 of `A-Za-z0-9_-.`.
pub(crate) fn valid_tool_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 128 {
        return Err(format!("a tool name must be 1 to 128 characters long; `{name}` has {}", name.len()));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))) {
        return Err(format!(
            "a tool name may use only ASCII letters, digits, `_`, `-` and `.`; `{name}` contains {bad:?}"
        ));
    }
    Ok(())
}

/// OAuth 2.0 scope tokens (RFC 6749 §3.3): printable ASCII without space, `"` or `\`.
pub(crate) fn valid_scope(scope: &str) -> Result<(), String> {
    if scope.is_empty() {
        return Err("a scope cannot be empty".into());
    }
    if let Some(bad) = scope.chars().find(|c| !matches!(c, '\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e')) {
        return Err(format!(
            "a scope is one OAuth token without spaces, quotes or backslashes; `{scope}` contains {bad:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_name_rule() {
        assert!(valid_tool_name("get_user.v2-beta").is_ok());
        assert!(valid_tool_name("").is_err());
        assert!(valid_tool_name(&"x".repeat(129)).is_err());
        assert!(valid_tool_name("naïve").is_err());
    }
}
