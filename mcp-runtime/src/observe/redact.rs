//! What the protocol trace prints of a message: secrets blanked, long bodies cut.

use serde_json::Value;

/// Object keys whose values are never logged, matched case-insensitively as substrings.
const SECRET_KEYS: [&str; 9] =
    ["password", "passwd", "secret", "token", "authorization", "api_key", "apikey", "credential", "cookie"];

/// The longest text a traced message is cut to, in bytes.
pub(crate) const MAX_TRACED_BYTES: usize = 4096;

/// `value` as compact JSON with secrets replaced by `"[redacted]"`, cut to `MAX_TRACED_BYTES`.
pub(crate) fn traced(mut value: Value) -> String {
    redact(&mut value);
    let mut text = value.to_string();
    if text.len() > MAX_TRACED_BYTES {
        let mut end = MAX_TRACED_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let total = text.len();
        text.truncate(end);
        text.push_str(&format!("... ({total} bytes in all)"));
    }
    text
}

fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                let key = key.to_ascii_lowercase();
                if SECRET_KEYS.iter().any(|secret| key.contains(secret)) {
                    *value = Value::String("[redacted]".into());
                } else {
                    redact(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_blanked_at_any_depth() {
        let traced = traced(json!({
            "name": "login",
            "arguments": {"user": "ada", "Password": "hunter2", "nested": [{"apiKey": "k", "refresh_token": "t"}]}
        }));
        assert!(!traced.contains("hunter2") && !traced.contains("\"k\"") && !traced.contains("\"t\""), "{traced}");
        assert!(traced.contains(r#""user":"ada""#) && traced.contains(r#""Password":"[redacted]""#), "{traced}");
    }

    #[test]
    fn long_messages_are_cut_on_a_character_boundary() {
        let traced = traced(json!({"text": "é".repeat(MAX_TRACED_BYTES)}));
        assert!(traced.len() < MAX_TRACED_BYTES + 40, "{}", traced.len());
        assert!(traced.ends_with(&format!("... ({} bytes in all)", 2 * MAX_TRACED_BYTES + 11)), "{traced}");
    }
}
