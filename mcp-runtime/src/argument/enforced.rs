//! Whether decoding a tool's arguments into their Rust types already enforces everything their
//! schema asks, so that checking the schema as well (`validate`) would only repeat it.
//!
//! A schema that schemars derives from plain types says what the types' `Deserialize` checks
//! anyway: the JSON type of each value, the properties that must be present. Only what serde
//! cannot know (`#[schemars(range(..))]`, `length(..)`, `regex(..)`, formats, an `enum` written
//! into the schema) needs the validator. The check is an allowlist of the keywords whose meaning
//! a decode enforces; any other keyword, anywhere in the schema, keeps the validator. That
//! includes `minimum` and `maximum` even where they are a Rust type's own range: the schemas
//! advertise a `u8` as `{"type": "integer", "minimum": 0, "maximum": 255}` without schemars'
//! format (`schema.rs`), and the same schema could be an `i64` with a range. Skipping the
//! validator when nothing is left to check saves compiling it (and, for the first one,
//! jsonschema's meta-schema: most of a cold start) and a second walk over every call's arguments.

use serde_json::{Map, Value};

/// Keywords that describe and constrain nothing.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Whether every keyword of `schema`, a tool's accepted input schema as schemars derives it from
/// its argument types, is one that decoding into those types enforces by itself.
///
/// ```text
/// {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}  -> true
/// {"type": "object", "properties": {"n": {"type": "integer", "minimum": 1}}}        -> false
/// ```
pub(crate) fn decoding_enforces(schema: &Map<String, Value>) -> bool {
    schema.iter().all(|(keyword, value)| match (keyword.as_str(), value) {
        (keyword, _) if ANNOTATIONS.contains(&keyword) => true,
        // The value's JSON type, checked by its type's `Deserialize`.
        ("type", Value::String(_)) => true,
        ("type", Value::Array(types)) => types.iter().all(Value::is_string),
        // A struct's fields (unknown ones are refused by the argument decoder, and by a struct
        // that says `deny_unknown_fields`, which is when schemars writes `false` here); a map's values.
        ("properties" | "$defs" | "definitions", Value::Object(subschemas)) => subschemas.values().all(enforced),
        ("additionalProperties" | "items", subschema) => enforced(subschema),
        ("required", Value::Array(names)) => names.iter().all(Value::is_string),
        // `Option<T>` (`anyOf: [T, null]`), an untagged enum, an argument required under one of
        // its aliases: serde tries the same alternatives.
        ("anyOf" | "allOf", Value::Array(subschemas)) => subschemas.iter().all(enforced),
        // A reference within the schema: what it points at is checked where it is defined.
        ("$ref", Value::String(reference)) => reference == "#" || reference.starts_with("#/"),
        _ => false,
    })
}

/// A subschema: `true`, `false` (refused by the decode as an unknown field) or an object.
fn enforced(schema: &Value) -> bool {
    match schema {
        Value::Object(schema) => decoding_enforces(schema),
        Value::Bool(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use schemars::JsonSchema;
    use serde_json::json;

    use super::decoding_enforces;
    use crate::schema::SchemaOptions;

    fn enforces(schema: serde_json::Value) -> bool {
        decoding_enforces(schema.as_object().expect("an object schema"))
    }

    /// `T`'s schema as a tool's arguments are checked against it.
    fn derived<T: JsonSchema>() -> bool {
        decoding_enforces(&crate::schema::input_schema::<T>(SchemaOptions::default()))
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    struct Plain {
        /// Documented.
        count: i64,
        ratio: f64,
        name: String,
        tags: Vec<String>,
        maybe: Option<Box<Plain>>,
        by_name: std::collections::BTreeMap<String, i64>,
        flag: bool,
        kind: Option<Shape>,
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    #[serde(untagged)]
    enum Shape {
        Circle { radius: f64 },
        Square { side: f64 },
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    struct Ranged {
        #[schemars(range(min = 1, max = 20))]
        limit: u32,
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    struct Long {
        #[schemars(length(min = 1))]
        text: String,
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    struct Nested {
        inner: Vec<Long>,
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    enum Unit {
        On,
        Off,
    }

    #[allow(dead_code)]
    #[derive(JsonSchema)]
    struct Mailed {
        #[schemars(email)]
        to: String,
    }

    #[test]
    fn plain_types_need_no_validator() {
        assert!(derived::<Plain>());
    }

    #[test]
    fn a_constraint_anywhere_keeps_the_validator() {
        assert!(!derived::<Ranged>(), "a range serde does not know");
        assert!(!derived::<Long>(), "a length");
        assert!(!derived::<Nested>(), "a length in a definition the schema refers to");
        assert!(!derived::<Mailed>(), "a format serde does not check");
        assert!(!derived::<Unit>(), "an `enum` may be written into a schema by hand, so it is checked");
        assert!(!derived::<std::collections::HashSet<String>>(), "uniqueItems: serde would drop duplicates");
        assert!(!derived::<char>(), "a string's length");
    }

    #[test]
    fn a_bound_is_checked_even_where_it_is_the_types_own() {
        // `{"type": "integer", "minimum": 0, "maximum": 255}`: a `u8`, or an `i64` with a range.
        #[allow(dead_code)]
        #[derive(JsonSchema)]
        struct Small {
            n: u8,
        }
        assert!(!derived::<Small>());
        assert!(!enforces(json!({"type": "integer", "minimum": 0})));
        assert!(!enforces(json!({"type": "integer", "format": "int64"})), "a format, whatever it is");
    }

    #[test]
    fn unknown_keywords_and_remote_references_keep_the_validator() {
        assert!(!enforces(json!({"type": "string", "pattern": "^a"})));
        assert!(!enforces(json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})));
        assert!(!enforces(json!({"$ref": "https://example.com/schema.json"})));
        assert!(!enforces(json!({"properties": {"a": {"x-custom": 1}}})));
        assert!(!enforces(json!({"type": 5})));
    }
}
