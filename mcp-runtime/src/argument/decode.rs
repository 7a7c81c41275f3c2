//! Decoding a tool's argument object: through one shared path for the usual tool, instead of a
//! serde derive per tool.
//!
//! A derived `Deserialize` is some 350 lines per tool (a visitor, a field enum and its own
//! visitor, for every tool), compiled and borrow-checked for each. Yet the arguments arrive as a
//! JSON object the runtime already holds, so the macro needs none of it: it writes one call of
//! [`ArgumentObject::value`] per parameter, and the code behind that call is shared by every tool
//! with a parameter of the same type. Decoding and its errors are the derive's: each present
//! argument is decoded by its type's `Deserialize` from the same JSON value, an absent one is
//! what the derive makes of it (`None` for an `Option`, else "missing field"), unknown and
//! duplicated keys are refused in serde's words, and a failure names the path to the value at
//! fault. A parameter with a serde attribute beyond `rename`, `alias` and `default` keeps the
//! derive ([`decode_with_serde`]), as does `Args<T>`.

use serde::de::{DeserializeOwned, Error as _};
use serde_json::Value;

use super::{DeserializeArgument, Whole, WholeArguments};

/// A tool's whole argument type, decoded from the call's argument object.
#[doc(hidden)]
pub trait DecodeArguments: Sized {
    /// Decodes `arguments` (a JSON object), or says what is wrong with it, without the tool's name.
    fn decode(arguments: &Value) -> Result<Self, String>;
}

impl<M: WholeArguments> DecodeArguments for Whole<M> {
    fn decode(arguments: &Value) -> Result<Self, String> {
        decode_with_serde(arguments)
    }
}

/// Decodes `arguments` with `A`'s own `Deserialize`. Only a failed decode is repeated, tracking
/// the path to the value at fault for the message, which costs an allocation per key.
#[doc(hidden)]
pub fn decode_with_serde<A: DeserializeOwned>(arguments: &Value) -> Result<A, String> {
    if let Ok(decoded) = A::deserialize(arguments) {
        return Ok(decoded);
    }
    serde_path_to_error::deserialize(arguments).map_err(|error| {
        let path = error.path().to_string();
        at(if path == "." { "" } else { &path }, &error.into_inner())
    })
}

/// `error` at `path` (empty: the object itself), as the messages say it.
fn at(path: &str, error: &serde_json::Error) -> String {
    if path.is_empty() { error.to_string() } else { format!("`{path}`: {error}") }
}

/// A tool call's argument object, read one parameter at a time by the decoder the macro writes.
#[doc(hidden)]
pub struct ArgumentObject<'a> {
    object: &'a serde_json::Map<String, Value>,
}

impl<'a> ArgumentObject<'a> {
    /// `arguments`, which has no key but one of `known` (the parameters' names on the wire and
    /// their aliases, each parameter's in alphabetical order as serde's derive lists them).
    pub fn new(arguments: &'a Value, known: &'static [&'static str]) -> Result<Self, String> {
        let Value::Object(object) = arguments else {
            let error = serde_json::Error::invalid_type(unexpected(arguments), &"an object of named arguments");
            return Err(error.to_string());
        };
        if let Some(unknown) = object.keys().find(|key| !known.contains(&key.as_str())) {
            return Err(at(unknown, &serde_json::Error::unknown_field(unknown, known)));
        }
        Ok(Self { object })
    }

    /// The parameter under `names` (its name on the wire, then its aliases); absent, what serde's
    /// derive makes of an absent field of its type.
    pub fn value<T: DeserializeArgument<Hint>, Hint: ?Sized>(
        &self,
        names: &'static [&'static str],
    ) -> Result<T, String> {
        match self.find(names)? {
            Some((key, value)) => decode(key, value),
            None => T::__missing::<serde_json::Error>(names[0]).map_err(|error| error.to_string()),
        }
    }

    /// The parameter under `names`; absent, `default()` (`#[serde(default)]`).
    pub fn value_or<T: DeserializeArgument<Hint>, Hint: ?Sized>(
        &self,
        names: &'static [&'static str],
        default: impl FnOnce() -> T,
    ) -> Result<T, String> {
        match self.find(names)? {
            Some((key, value)) => decode(key, value),
            None => Ok(default()),
        }
    }

    /// The key present among `names`, and its value; two of them present is serde's
    /// "duplicate field".
    fn find(&self, names: &'static [&'static str]) -> Result<Option<(&'a str, &'a Value)>, String> {
        let mut found = None;
        for name in names {
            if let Some((key, value)) = self.object.get_key_value(*name) {
                if found.is_some() {
                    return Err(serde_json::Error::duplicate_field(names[0]).to_string());
                }
                found = Some((key.as_str(), value));
            }
        }
        Ok(found)
    }
}

/// One argument's value, decoded by its type; a failure is decoded again, tracking the path
/// inside the value for the message.
fn decode<T: DeserializeArgument<Hint>, Hint: ?Sized>(key: &str, value: &Value) -> Result<T, String> {
    T::__deserialize(value).or_else(|_| {
        let mut track = serde_path_to_error::Track::new();
        let tracked = T::__deserialize(serde_path_to_error::Deserializer::new(value, &mut track));
        tracked.map_err(|error| {
            let inner = track.path().to_string();
            let path = match inner.as_str() {
                "." => key.to_owned(),
                _ if inner.starts_with('[') => format!("{key}{inner}"),
                _ => format!("{key}.{inner}"),
            };
            at(&path, &error)
        })
    })
}

fn unexpected(value: &Value) -> serde::de::Unexpected<'_> {
    use serde::de::Unexpected;
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(value) => Unexpected::Bool(*value),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(value) => Unexpected::Str(value),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Point {
        x: i32,
        y: i32,
    }

    /// What serde's derive makes of the same parameters, for comparison.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Derived {
        count: u32,
        #[serde(rename = "wireName", alias = "wire")]
        renamed: Option<String>,
        #[serde(default)]
        flag: bool,
        points: Vec<Point>,
    }

    const KNOWN: &[&str] = &["count", "wire", "wireName", "flag", "points"];

    fn ours(arguments: &Value) -> Result<Derived, String> {
        let object = ArgumentObject::new(arguments, KNOWN)?;
        Ok(Derived {
            count: object.value::<u32, u32>(&["count"])?,
            renamed: object.value::<Option<String>, String>(&["wireName", "wire"])?,
            flag: object.value_or::<bool, bool>(&["flag"], Default::default)?,
            points: object.value::<Vec<Point>, Point>(&["points"])?,
        })
    }

    #[test]
    fn decodes_and_refuses_as_serdes_derive() {
        let cases = [
            json!({"count": 1, "wireName": "a", "flag": true, "points": [{"x": 1, "y": 2}]}),
            json!({"count": 1, "wire": "a", "points": []}),
            json!({"count": 1, "points": []}),
            json!({"count": 1, "wireName": null, "points": []}),
            json!({"points": []}),
            json!({"count": -1, "points": []}),
            json!({"count": 1, "points": [{"x": 1}]}),
            json!({"count": 1, "points": [{"x": 1, "y": "2"}]}),
            json!({"count": 1, "points": [], "extra": 0}),
            json!({"count": 1, "wireName": "a", "wire": "b", "points": []}),
        ];
        for arguments in cases {
            let derived = decode_with_serde::<Derived>(&arguments);
            assert_eq!(ours(&arguments), derived, "{arguments}");
        }
    }

    #[test]
    fn a_failure_names_the_path_to_the_value_at_fault() {
        let wrong = json!({"count": 1, "points": [{"x": 1, "y": "2"}]});
        assert_eq!(ours(&wrong).unwrap_err(), r#"`points[0].y`: invalid type: string "2", expected i32"#);
        assert_eq!(ours(&json!({"points": []})).unwrap_err(), "missing field `count`");
        let unknown = ours(&json!({"count": 1, "points": [], "extra": 0})).unwrap_err();
        assert!(unknown.starts_with("`extra`: unknown field `extra`, expected one of `count`, `wire`, "), "{unknown}");
        // rmcp hands over an object; anything else is refused, not decoded as serde would a sequence.
        let listed = ours(&json!([1, 2])).unwrap_err();
        assert_eq!(listed, "invalid type: sequence, expected an object of named arguments");
    }
}
