//! Checking a call's arguments against the JSON Schema it was promised: ranges, lengths,
//! patterns, enums and formats that serde alone does not enforce.
//!
//! Each validator is compiled once, off the start-up path: the first compilation also compiles
//! the validator's own 2020-12 meta-schema (about 4.4 million instructions, most of a cold
//! start, which `jsonschema` offers no public way to skip), so the registry warms them on a
//! thread of their own while the server answers `initialize`, and a call that comes first
//! compiles its own. What can make a compilation fail, a `pattern` the regex engine rejects,
//! is checked when the server starts, as before.

use std::{fmt::Write, sync::OnceLock};

use rmcp::model::JsonObject;
use serde_json::Value;

/// The longest account of one violation: a value that breaks a length limit may itself be huge,
/// and the message is written back to the model.
const MAX_VIOLATION_CHARS: usize = 300;

/// At most this many violations are named in one message.
const MAX_VIOLATIONS: usize = 5;

/// A JSON Schema that arguments must satisfy, compiled on first use (see the module).
pub(crate) struct ArgumentValidator {
    schema: Value,
    compiled: OnceLock<Result<jsonschema::Validator, String>>,
}

impl ArgumentValidator {
    /// Takes `schema` (draft 2020-12, formats asserted) to compile later; a schema the validator
    /// cannot use (a pattern its regex engine rejects) is a start-up problem, reported with its
    /// cause.
    pub(crate) fn compile(schema: &JsonObject) -> Result<Self, String> {
        let schema = Value::Object(schema.clone());
        patterns_compile(&schema).map_err(unusable)?;
        Ok(Self { schema, compiled: OnceLock::new() })
    }

    /// The compiled validator, compiling it now if no one has.
    fn validator(&self) -> Result<&jsonschema::Validator, &str> {
        let compiled = self.compiled.get_or_init(|| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&self.schema)
                .map_err(|error| unusable(error.to_string()))
        });
        compiled.as_ref().map_err(String::as_str)
    }

    /// Compiles the validator ahead of the first call; what it cannot compile, that call reports.
    pub(crate) fn warm(&self) -> Result<(), &str> {
        self.validator().map(|_| ())
    }

    /// Whether `arguments` satisfy the schema; if not, every violation (up to a few), each
    /// prefixed with the argument it concerns: ``` `limit`: 500 is greater than the maximum of 100```.
    pub(crate) fn check(&self, arguments: &Value) -> Result<(), String> {
        let validator = self.validator().map_err(str::to_owned)?;
        if validator.is_valid(arguments) {
            return Ok(());
        }
        let mut message = String::new();
        for (index, error) in validator.iter_errors(arguments).enumerate() {
            if index == MAX_VIOLATIONS {
                message.push_str("; ...");
                break;
            }
            if index > 0 {
                message.push_str("; ");
            }
            let path = argument_path(error.instance_path().as_str());
            if !path.is_empty() {
                let _ = write!(message, "`{path}`: ");
            }
            message.push_str(&shortened(error.to_string()));
        }
        Err(message)
    }
}

fn unusable(cause: String) -> String {
    format!("its schema cannot be used to check arguments: {cause}")
}

/// Every regular expression of `schema` (`pattern` values, `patternProperties` keys) compiles
/// with the regex engine the validator uses; values that are data, not schemas (`const`,
/// `enum`, `default`, `examples`), are not looked into.
fn patterns_compile(schema: &Value) -> Result<(), String> {
    let Value::Object(keywords) = schema else {
        return match schema {
            Value::Array(items) => items.iter().try_for_each(patterns_compile),
            _ => Ok(()),
        };
    };
    for (keyword, value) in keywords {
        match (keyword.as_str(), value) {
            ("pattern", Value::String(pattern)) => regex_compiles(pattern)?,
            ("patternProperties", Value::Object(properties)) => {
                for (pattern, subschema) in properties {
                    regex_compiles(pattern)?;
                    patterns_compile(subschema)?;
                }
            }
            ("const" | "enum" | "default" | "examples", _) => {}
            _ => patterns_compile(value)?,
        }
    }
    Ok(())
}

fn regex_compiles(pattern: &str) -> Result<(), String> {
    fancy_regex::Regex::new(pattern).map(drop).map_err(|error| format!("\"{pattern}\" is not a valid regex: {error}"))
}

/// Constraints on arguments that arrive as strings (prompt arguments, URI variables): each value
/// is read as the JSON type its schema names (a number for a numeric parameter, say) and the
/// whole is checked against the schema. A value that does not read as that type is left out:
/// parsing it (`FromStr`) reports that more precisely, afterwards.
pub(crate) struct StringConstraints {
    validator: ArgumentValidator,
    kinds: Vec<(String, Kind)>,
}

/// The JSON type a string value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Boolean,
    Text,
}

impl StringConstraints {
    /// Compiles `schema`, an object schema whose properties are the constrained values.
    pub(crate) fn compile(schema: &JsonObject) -> Result<Self, String> {
        let kinds = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, property)| (name.clone(), Kind::of(property)))
            .collect();
        Ok(Self { validator: ArgumentValidator::compile(schema)?, kinds })
    }

    /// Compiles the validator ahead of the first use.
    pub(crate) fn warm(&self) -> Result<(), &str> {
        self.validator.warm()
    }

    /// Checks the values `value_of` gives for the constrained names (`None`: absent).
    pub(crate) fn check(&self, value_of: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        let mut values = JsonObject::new();
        for (name, kind) in &self.kinds {
            let Some(text) = value_of(name) else { continue };
            let value = match kind {
                Kind::Number => serde_json::from_str::<serde_json::Number>(&text).ok().map(Value::Number),
                Kind::Boolean => text.parse::<bool>().ok().map(Value::Bool),
                Kind::Text => Some(Value::String(text)),
            };
            if let Some(value) = value {
                values.insert(name.clone(), value);
            }
        }
        self.validator.check(&Value::Object(values))
    }
}

impl Kind {
    /// What `{"type": ...}` (a name, or several, `null` among them for an `Option`) calls for.
    fn of(property: &Value) -> Self {
        let types: Vec<&str> = match property.get("type") {
            Some(Value::String(kind)) => vec![kind.as_str()],
            Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.iter().any(|kind| matches!(*kind, "integer" | "number")) {
            Self::Number
        } else if types.contains(&"boolean") {
            Self::Boolean
        } else {
            Self::Text
        }
    }
}

/// `/filter/tags/0` -> `filter.tags[0]`, the way serde's errors name a place in the arguments.
fn argument_path(pointer: &str) -> String {
    let mut path = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|byte| byte.is_ascii_digit()) {
            let _ = write!(path, "[{segment}]");
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&segment);
        }
    }
    path
}

fn shortened(text: String) -> String {
    if text.chars().count() <= MAX_VIOLATION_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_VIOLATION_CHARS).collect();
    cut.push_str("...");
    cut
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn validator(schema: Value) -> ArgumentValidator {
        let Value::Object(schema) = schema else { panic!("an object schema") };
        ArgumentValidator::compile(&schema).unwrap()
    }

    #[test]
    fn names_each_argument_and_its_constraint() {
        let validator = validator(json!({
            "type": "object",
            "properties": {
                "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                "filter": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string", "maxLength": 3}}}},
                "email": {"type": "string", "format": "email"}
            }
        }));
        assert_eq!(validator.check(&json!({"limit": 5, "filter": {"tags": ["ok"]}})), Ok(()));
        assert_eq!(
            validator.check(&json!({"limit": 500})).unwrap_err(),
            "`limit`: 500 is greater than the maximum of 100"
        );
        assert_eq!(
            validator.check(&json!({"filter": {"tags": ["fine", "x"]}})).unwrap_err(),
            r#"`filter.tags[0]`: "fine" is longer than 3 characters"#
        );
        assert_eq!(
            validator.check(&json!({"email": "not an address"})).unwrap_err(),
            r#"`email`: "not an address" is not a "email""#
        );
        let both = validator.check(&json!({"limit": 0, "email": "x"})).unwrap_err();
        assert!(both.contains("`limit`: 0 is less than the minimum of 1"), "{both}");
        assert!(both.contains("; "), "{both}");
    }

    #[test]
    fn a_huge_value_is_not_echoed_whole() {
        let validator = validator(json!({"type": "object", "properties": {"q": {"type": "string", "maxLength": 3}}}));
        let message = validator.check(&json!({"q": "x".repeat(100_000)})).unwrap_err();
        assert!(message.len() < MAX_VIOLATION_CHARS + 20, "{}", message.len());
        assert!(message.ends_with("..."), "{message}");
    }

    #[test]
    fn an_unusable_schema_is_a_startup_problem() {
        let Value::Object(schema) = json!({"type": "object", "properties": {"q": {"type": "string", "pattern": "("}}})
        else {
            unreachable!()
        };
        let problem = ArgumentValidator::compile(&schema).err().unwrap();
        assert!(problem.starts_with("its schema cannot be used to check arguments"), "{problem}");
        assert!(problem.contains(r#""(" is not a valid regex"#), "{problem}");
    }

    #[test]
    fn patterns_are_found_where_schemas_are_and_only_there() {
        let refused = |schema: Value| patterns_compile(&schema).is_err();
        assert!(refused(json!({"patternProperties": {"[": {}}})));
        assert!(refused(json!({"items": [{"pattern": "a)"}]})));
        assert!(refused(json!({"$defs": {"Tag": {"anyOf": [{"pattern": "(?<"}]}}})));
        // Data that merely looks like a schema is not compiled.
        assert!(!refused(
            json!({"default": {"pattern": "("}, "examples": [{"pattern": "("}], "const": {"pattern": "("}})
        ));
        // Lookaround and backreferences, which the validator's engine supports, pass.
        assert!(!refused(json!({"pattern": "^(?=.*[a-z])(\\w)\\1$"})));
    }

    #[test]
    fn the_validator_compiles_on_first_use_or_when_warmed() {
        let lazy = validator(json!({"type": "object", "properties": {"n": {"type": "integer", "maximum": 3}}}));
        assert!(lazy.compiled.get().is_none());
        assert!(lazy.check(&json!({"n": 9})).is_err());
        assert!(lazy.compiled.get().is_some());
        let warmed = validator(json!({"type": "object"}));
        assert_eq!(warmed.warm(), Ok(()));
        assert!(warmed.compiled.get().is_some());
    }

    #[test]
    fn string_values_are_read_as_their_schema_says_then_checked() {
        let Value::Object(schema) = json!({
            "type": "object",
            "properties": {
                "depth": {"type": ["integer", "null"], "maximum": 10},
                "strict": {"type": "boolean", "const": true},
                "name": {"type": "string", "maxLength": 3}
            }
        }) else {
            unreachable!()
        };
        let constraints = StringConstraints::compile(&schema).unwrap();
        let values = |depth: Option<&'static str>, name: Option<&'static str>| {
            move |key: &str| {
                match key {
                    "depth" => depth,
                    "name" => name,
                    _ => None,
                }
                .map(str::to_owned)
            }
        };
        assert_eq!(constraints.check(values(Some("7"), Some("ada"))), Ok(()));
        assert_eq!(constraints.check(values(None, None)), Ok(()));
        assert_eq!(
            constraints.check(values(Some("50"), None)).unwrap_err(),
            "`depth`: 50 is greater than the maximum of 10"
        );
        assert_eq!(
            constraints.check(values(None, Some("grace"))).unwrap_err(),
            r#"`name`: "grace" is longer than 3 characters"#
        );
        // Not a number at all: left to `FromStr`, which names the type it expected.
        assert_eq!(constraints.check(values(Some("deep"), None)), Ok(()));
        let strict = |key: &str| (key == "strict").then(|| "false".to_owned());
        assert_eq!(constraints.check(strict).unwrap_err(), "`strict`: true was expected");
    }

    #[test]
    fn pointers_become_argument_paths() {
        assert_eq!(argument_path(""), "");
        assert_eq!(argument_path("/a"), "a");
        assert_eq!(argument_path("/a/b/12/c"), "a.b[12].c");
        assert_eq!(argument_path("/a~1b/c~0d"), "a/b.c~d");
    }
}
