//! Arguments mirrored into HTTP headers (`#[header("Name")]`, the schema's `x-mcp-header`,
//! SEP-2243): a client sends such an argument again as `Mcp-Param-Name`, and rmcp's HTTP
//! transport checks the header against the body. Clients refuse a tool whose header argument is
//! not a string, an integer or a boolean, so a server offering one fails at start-up instead.

use rmcp::model::JsonObject;
use serde_json::Value;

/// The schema keyword naming the header an argument is mirrored into.
const HEADER_KEYWORD: &str = "x-mcp-header";

/// Says which header argument of an input schema has a type clients refuse, if one does.
pub(crate) fn check_header_arguments(input: &JsonObject) -> Result<(), String> {
    let Some(properties) = input.get("properties").and_then(Value::as_object) else { return Ok(()) };
    for (argument, property) in properties {
        let Some(header) = property.get(HEADER_KEYWORD) else { continue };
        let types = property_types(property);
        let mirrorable = !types.is_empty()
            && types.iter().all(|ty| matches!(*ty, "string" | "integer" | "boolean" | "null"))
            && types.iter().any(|ty| *ty != "null");
        if !mirrorable {
            let found = if types.is_empty() { "not one plain type".to_owned() } else { types.join(" or ") };
            return Err(format!(
                "argument `{argument}` is mirrored into the header `Mcp-Param-{}`, but its type is {found}; \
                 only a string, an integer or a boolean can travel in a header (SEP-2243), so remove \
                 `#[header]` or change the type",
                header.as_str().unwrap_or_default()
            ));
        }
    }
    Ok(())
}

/// `"type": "string"` or `"type": ["string", "null"]`; nothing for a schema without a plain type
/// (a `$ref`, an `anyOf`, ...), which a client cannot mirror either.
fn property_types(property: &Value) -> Vec<&str> {
    match property.get("type") {
        Some(Value::String(ty)) => vec![ty.as_str()],
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema(property: Value) -> JsonObject {
        match json!({"type": "object", "properties": {"region": property}}) {
            Value::Object(object) => object,
            _ => unreachable!(),
        }
    }

    #[test]
    fn strings_integers_and_booleans_travel_in_headers_optional_or_not() {
        for ty in [json!("string"), json!("integer"), json!("boolean"), json!(["string", "null"])] {
            assert_eq!(check_header_arguments(&schema(json!({"type": ty, HEADER_KEYWORD: "Region"}))), Ok(()));
        }
        // Arguments without a header may be anything.
        assert_eq!(check_header_arguments(&schema(json!({"type": "object"}))), Ok(()));
    }

    #[test]
    fn other_types_are_refused_naming_the_argument_header_and_type() {
        let refused = check_header_arguments(&schema(json!({"type": "number", HEADER_KEYWORD: "Region"})));
        assert_eq!(
            refused.unwrap_err(),
            "argument `region` is mirrored into the header `Mcp-Param-Region`, but its type is number; only a \
             string, an integer or a boolean can travel in a header (SEP-2243), so remove `#[header]` or change the type"
        );
        for property in [json!({"type": "array"}), json!({"$ref": "#/$defs/Region"}), json!({"type": "null"})] {
            let mut property = property;
            property[HEADER_KEYWORD] = json!("Region");
            assert!(check_header_arguments(&schema(property)).is_err());
        }
    }
}
