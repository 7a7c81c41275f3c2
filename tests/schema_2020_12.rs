//! A type that writes its own JSON Schema in 2020-12's terms (SEP-1613, SEP-2106) is advertised
//! as written (`$schema`, `$defs` with an `$anchor`, composition and conditionals kept) and
//! enforced as written: arguments that break its `anyOf` or its `if`/`then`/`else` are refused
//! before the tool runs, naming the rule.

use std::borrow::Cow;

use mcp_runtime::{
    prelude::*,
    testing::{TestClient, TestError},
};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde_json::{Value, json};

/// How to reach someone: by phone or by email, and by the one `method` names.
#[derive(Deserialize)]
struct Reach {
    method: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

impl JsonSchema for Reach {
    fn schema_name() -> Cow<'static, str> {
        "Reach".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::try_from(reach_schema()).expect("an object")
    }
}

/// `Reach`'s schema, in 2020-12's terms: a `$defs` entry with an `$anchor`, a `$ref` to it,
/// composition, a conditional.
fn reach_schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {"digits": {"$anchor": "digits", "type": "string", "pattern": "^[0-9]+$"}},
        "properties": {
            "method": {"type": "string", "enum": ["phone", "email"]},
            "phone": {"$ref": "#/$defs/digits"},
            "email": {"type": "string"}
        },
        "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
        "if": {"properties": {"method": {"const": "phone"}}, "required": ["method"]},
        "then": {"required": ["phone"]},
        "else": {"required": ["email"]},
        "additionalProperties": false
    })
}

/// Says how someone will be reached.
#[mcp_tool]
async fn reach(Args(reach): Args<Reach>) -> String {
    match reach.method.as_deref() {
        Some("phone") => format!("call {}", reach.phone.unwrap_or_default()),
        _ => format!("write to {}", reach.email.unwrap_or_default()),
    }
}

async fn client() -> TestClient {
    TestClient::connect(Server::new("contacts", "1.0.0").register(handlers![reach])).await.unwrap()
}

#[tokio::test]
async fn a_hand_written_schema_is_advertised_as_written() {
    let tools = client().await.list_tools().await.unwrap();
    let schema = serde_json::to_value(&tools[0].input_schema).unwrap();
    assert_eq!(schema, reach_schema());
}

#[tokio::test]
async fn its_composition_conditionals_and_references_are_enforced() {
    let client = client().await;
    let by_phone = json!({"method": "phone", "phone": "5550100"});
    assert_eq!(client.call_text("reach", by_phone).await.unwrap(), "call 5550100");
    assert_eq!(client.call_text("reach", json!({"email": "a@example.com"})).await.unwrap(), "write to a@example.com");
    let refusals = [
        // Neither phone nor email: the `anyOf` inside `allOf`.
        (json!({}), "{} is not valid under any of the schemas listed in the 'anyOf' keyword"),
        // `method` says phone, and there is none: `then`.
        (json!({"method": "phone", "email": "a@example.com"}), "\"phone\" is a required property"),
        // Digits only, through `$ref` to `$defs`.
        (json!({"method": "phone", "phone": "555-0100"}), "`phone`: \"555-0100\" does not match \"^[0-9]+$\""),
        // Nothing beyond the properties named.
        (json!({"email": "a@example.com", "fax": "1"}), "Additional properties are not allowed ('fax' was unexpected)"),
    ];
    for (arguments, expected) in refusals {
        match client.call_text("reach", arguments.clone()).await {
            Err(TestError::ToolFailed(message)) => {
                assert!(message.starts_with("invalid arguments for tool `reach`: "), "{message}");
                assert!(message.contains(expected), "{arguments}: {message}");
            }
            other => panic!("{arguments}: expected a refusal, got {other:?}"),
        }
    }
}
