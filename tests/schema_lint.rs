//! Every example's `tools/list` passes a strict schema lint, as a picky client or a schema linter
//! would apply it: each schema is valid JSON Schema 2020-12, every input schema is an object
//! schema, no subschema is a bare `true` or `{}` (which says nothing and which strict linters
//! reject), and no optional input argument is declared nullable.

use mcp_runtime::testing::TestClient;
use serde_json::Value;

mod support;

/// The keywords whose values are one subschema.
const ONE_SUBSCHEMA: [&str; 11] = [
    "additionalProperties",
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// The keywords whose values are arrays of subschemas.
const SUBSCHEMA_ARRAYS: [&str; 4] = ["prefixItems", "anyOf", "oneOf", "allOf"];
/// The keywords whose values map names to subschemas.
const SUBSCHEMA_MAPS: [&str; 5] = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Every problem the lint finds in `schema`, each with its JSON path.
fn lint(schema: &Value, path: &str, problems: &mut Vec<String>) {
    match schema {
        // `false` is meaningful (`"additionalProperties": false`); `true` allows anything.
        Value::Bool(true) => problems.push(format!("{path}: a bare `true` subschema")),
        Value::Bool(false) => {}
        Value::Object(object) if object.is_empty() => problems.push(format!("{path}: an empty `{{}}` subschema")),
        Value::Object(object) => {
            for keyword in ONE_SUBSCHEMA {
                if let Some(subschema) = object.get(keyword) {
                    lint(subschema, &format!("{path}.{keyword}"), problems);
                }
            }
            for keyword in SUBSCHEMA_ARRAYS {
                for (index, subschema) in
                    object.get(keyword).and_then(Value::as_array).into_iter().flatten().enumerate()
                {
                    lint(subschema, &format!("{path}.{keyword}[{index}]"), problems);
                }
            }
            for keyword in SUBSCHEMA_MAPS {
                for (name, subschema) in object.get(keyword).and_then(Value::as_object).into_iter().flatten() {
                    lint(subschema, &format!("{path}.{keyword}.{name}"), problems);
                }
            }
        }
        other => problems.push(format!("{path}: {other} is not a schema")),
    }
}

/// Optional properties of an input schema's object schemas declared as `T or null`.
fn nullable_optionals(schema: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(object) = schema.as_object() else { return };
    let required: Vec<&str> =
        object.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for (name, property) in object.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let nullable =
            property.get("type").and_then(Value::as_array).is_some_and(|types| types.contains(&"null".into()))
                || property.get("anyOf").and_then(Value::as_array).is_some_and(|alternatives| {
                    alternatives.iter().any(|alternative| alternative.get("type") == Some(&"null".into()))
                });
        if nullable && !required.contains(&name.as_str()) {
            problems.push(format!("{path}.properties.{name}: an optional argument declared nullable"));
        }
        nullable_optionals(property, &format!("{path}.properties.{name}"), problems);
        if let Some(items) = property.get("items") {
            nullable_optionals(items, &format!("{path}.properties.{name}.items"), problems);
        }
    }
}

/// Lints every tool `command` serves; returns how many it checked.
async fn lint_example(label: &str, command: tokio::process::Command) -> usize {
    let client = TestClient::spawn(command).await.unwrap_or_else(|error| panic!("{label} starts: {error}"));
    let tools = client.list_tools().await.unwrap();
    assert!(!tools.is_empty(), "{label} serves tools");
    let mut problems = Vec::new();
    for tool in &tools {
        let input = Value::Object((*tool.input_schema).clone());
        let mut schemas = vec![("inputSchema", input.clone())];
        schemas.extend(tool.output_schema.as_ref().map(|output| ("outputSchema", Value::Object((**output).clone()))));
        for (kind, schema) in &schemas {
            let path = format!("{label}: {}.{kind}", tool.name);
            if let Err(error) = jsonschema::meta::validate(schema) {
                problems.push(format!("{path}: not valid JSON Schema 2020-12: {error}"));
            }
            if schema.get("type") != Some(&Value::from("object")) {
                problems.push(format!("{path}: the root is not an object schema"));
            }
            lint(schema, &path, &mut problems);
        }
        nullable_optionals(&input, &format!("{label}: {}.inputSchema", tool.name), &mut problems);
    }
    assert!(problems.is_empty(), "the schema lint found:\n{}", problems.join("\n"));
    tools.len()
}

#[tokio::test]
async fn every_example_passes_the_schema_lint() {
    let scratch = tempfile::tempdir().unwrap();
    let examples = [
        ("quickstart", support::quickstart()),
        ("dev_assistant", {
            let mut command = support::example("dev_assistant");
            command.args(["--root", env!("CARGO_MANIFEST_DIR")]);
            command
        }),
        ("filesystem", {
            let mut command = support::example("filesystem");
            command.args(["--root", env!("CARGO_MANIFEST_DIR"), "--allow-write"]);
            command
        }),
        ("database", {
            let mut command = support::example("database");
            command.arg("--demo-path").arg(scratch.path().join("demo.db")).arg("--allow-write");
            command
        }),
        ("api_gateway", support::example("api_gateway")),
        ("conformance", support::example("conformance")),
    ];
    let mut checked = 0;
    for (label, command) in examples {
        checked += lint_example(label, command).await;
    }
    assert!(checked > 30, "only {checked} tools were linted");
}

#[test]
fn the_lint_finds_what_it_is_for() {
    let mut problems = Vec::new();
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "rows": {"type": "array", "items": {"type": "array", "items": true}},
            "any": {},
            "closed": {"type": "object", "additionalProperties": false},
            "either": {"anyOf": [{"type": "string"}, {}]}
        }
    });
    lint(&schema, "t", &mut problems);
    problems.sort();
    assert_eq!(
        problems,
        [
            "t.properties.any: an empty `{}` subschema",
            "t.properties.either.anyOf[1]: an empty `{}` subschema",
            "t.properties.rows.items.items: a bare `true` subschema",
        ]
    );
    let mut problems = Vec::new();
    nullable_optionals(
        &serde_json::json!({"type": "object", "properties": {"a": {"type": ["integer", "null"]}, "b": {"type": ["string", "null"]}}, "required": ["b"]}),
        "t",
        &mut problems,
    );
    assert_eq!(problems, ["t.properties.a: an optional argument declared nullable"]);
}
