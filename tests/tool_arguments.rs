//! Tool arguments decode, and are described, exactly as serde's and schemars' derives would
//! have it, although the generated structs reach each parameter's type only through
//! `DeserializeArgument` and `JsonSchemaArgument` (for one-line compile errors): absent and
//! renamed arguments, an `Option` under another name, a parameter with its own
//! `deserialize_with`, `flatten`, and `Args<T>`.

use mcp_runtime::{
    prelude::*,
    testing::{TestClient, TestError},
};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

/// An `Option` under another name: serde's derive lets it be absent, so ours must too.
type MaybeCount = Option<u32>;

/// `"yes"` or `"no"`.
fn yes_no<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    match String::deserialize(deserializer)?.as_str() {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(serde::de::Error::custom(format!("expected `yes` or `no`, not `{other}`"))),
    }
}

/// Report every argument.
#[mcp_tool]
async fn forms(
    /// Required.
    required: String,
    /// Required, under another name on the wire, or an alias.
    #[serde(rename = "wireName", alias = "wire_name")]
    renamed: u8,
    /// Optional, through an alias.
    counted: MaybeCount,
    /// Optional.
    optional: Option<u8>,
    /// Decoded by a function of the user's own.
    #[serde(deserialize_with = "yes_no")]
    #[schemars(with = "String")]
    agreed: bool,
) -> String {
    format!("{required}|{renamed}|{counted:?}|{optional:?}|{agreed}")
}

fn three() -> u8 {
    3
}

/// Report every argument: the serde attributes the macro decodes without serde's derive.
#[mcp_tool]
async fn plain_forms(
    /// Required.
    required: String,
    /// Required, under another name on the wire, or an alias.
    #[serde(rename = "wireName", alias = "wire_name")]
    renamed: u8,
    /// Optional, through an alias.
    counted: MaybeCount,
    /// Optional.
    optional: Option<u8>,
    /// Three unless given.
    #[serde(default = "three")]
    defaulted: u8,
) -> String {
    format!("{required}|{renamed}|{counted:?}|{optional:?}|{defaulted}")
}

/// Options that several tools share.
#[derive(Deserialize, JsonSchema)]
struct Verbosity {
    /// Say more.
    verbose: bool,
}

/// Greet, perhaps at length.
#[mcp_tool]
async fn greet(name: String, #[serde(flatten)] verbosity: Verbosity) -> String {
    if verbosity.verbose { format!("hello, {name}, and welcome") } else { format!("hello, {name}") }
}

/// A point.
#[derive(Deserialize, JsonSchema)]
struct Point {
    x: i32,
    y: i32,
}

/// Add up a point's coordinates.
#[mcp_tool]
async fn sum(Args(point): Args<Point>) -> i32 {
    point.x + point.y
}

async fn client() -> TestClient {
    TestClient::connect(Server::new("arguments", "1.0.0").register(handlers![forms, plain_forms, greet, sum]))
        .await
        .expect("the server starts")
}

async fn failure(client: &TestClient, tool: &str, arguments: Value) -> String {
    match client.call_text(tool, arguments).await {
        Err(TestError::ToolFailed(text)) => text,
        other => panic!("expected a tool error, got {other:?}"),
    }
}

#[tokio::test]
async fn absent_arguments_are_refused_or_none_as_serde_decides() {
    let client = client().await;
    let all = json!({"required": "r", "wireName": 7, "counted": 3, "optional": 4, "agreed": "yes"});
    assert_eq!(client.call_text("forms", all).await.unwrap(), "r|7|Some(3)|Some(4)|true");
    let least = json!({"required": "r", "wire_name": 7, "agreed": "no"});
    assert_eq!(client.call_text("forms", least).await.unwrap(), "r|7|None|None|false");
    let nulls = json!({"required": "r", "wireName": 7, "counted": null, "optional": null, "agreed": "no"});
    assert_eq!(client.call_text("forms", nulls).await.unwrap(), "r|7|None|None|false");

    let without = |name: &str| {
        let mut arguments = json!({"required": "r", "wireName": 7, "agreed": "no"});
        arguments.as_object_mut().unwrap().remove(name);
        arguments
    };
    assert_eq!(
        failure(&client, "forms", without("required")).await,
        "invalid arguments for tool `forms`: missing field `required`"
    );
    assert_eq!(
        failure(&client, "forms", without("wireName")).await,
        "invalid arguments for tool `forms`: missing field `wireName`"
    );
    assert_eq!(
        failure(&client, "forms", without("agreed")).await,
        "invalid arguments for tool `forms`: missing field `agreed`"
    );
}

#[tokio::test]
async fn wrong_arguments_are_named_as_before() {
    let client = client().await;
    let cases = [
        (
            json!({"required": 1, "wireName": 7, "agreed": "no"}),
            "`required`: invalid type: integer `1`, expected a string",
        ),
        (
            json!({"required": "r", "wireName": 7, "counted": -1, "agreed": "no"}),
            "`counted`: invalid value: integer `-1`, expected u32",
        ),
        (json!({"required": "r", "wireName": 7, "agreed": "maybe"}), "`agreed`: expected `yes` or `no`, not `maybe`"),
        (json!({"required": "r", "wireName": 7, "agreed": "no", "extra": 1}), "unknown field `extra`"),
    ];
    for (arguments, expected) in cases {
        let text = failure(&client, "forms", arguments).await;
        assert!(text.starts_with("invalid arguments for tool `forms`: "), "{text}");
        assert!(text.contains(expected), "{text} does not contain {expected}");
    }
}

#[tokio::test]
async fn renamed_aliased_and_defaulted_arguments_decode_without_serdes_derive() {
    let client = client().await;
    let all = json!({"required": "r", "wireName": 7, "counted": 3, "optional": 4, "defaulted": 9});
    assert_eq!(client.call_text("plain_forms", all).await.unwrap(), "r|7|Some(3)|Some(4)|9");
    // An alias passes the schema check too, which schemars alone would refuse.
    let least = json!({"required": "r", "wire_name": 7});
    assert_eq!(client.call_text("plain_forms", least).await.unwrap(), "r|7|None|None|3");
    let nulls = json!({"required": "r", "wireName": 7, "counted": null, "optional": null});
    assert_eq!(client.call_text("plain_forms", nulls).await.unwrap(), "r|7|None|None|3");

    // The messages are serde's derive's (those of `forms`, which keeps it, above).
    let cases = [
        (json!({"wireName": 7}), "missing field `required`"),
        (json!({"required": "r"}), "missing field `wireName`"),
        (json!({"required": 1, "wireName": 7}), "`required`: invalid type: integer `1`, expected a string"),
        (json!({"required": "r", "wire_name": 300}), "`wire_name`: invalid value: integer `300`, expected u8"),
        (json!({"required": "r", "wireName": 7, "wire_name": 8}), "duplicate field `wireName`"),
        (
            json!({"required": "r", "wireName": 7, "counted": -1}),
            "`counted`: invalid value: integer `-1`, expected u32",
        ),
        (
            json!({"required": "r", "wireName": 7, "extra": 1}),
            "`extra`: unknown field `extra`, expected one of `required`, `wireName`, `wire_name`, `counted`, \
             `optional`, `defaulted`",
        ),
    ];
    for (arguments, expected) in cases {
        let text = failure(&client, "plain_forms", arguments).await;
        assert_eq!(text, format!("invalid arguments for tool `plain_forms`: {expected}"));
    }
}

#[tokio::test]
async fn the_schema_says_what_decoding_requires() {
    let client = client().await;
    let tools = client.list_tools().await.unwrap();
    let forms = tools.iter().find(|tool| tool.name == "forms").unwrap();
    assert_eq!(forms.input_schema["required"], json!(["required", "wireName", "agreed"]));
    assert_eq!(forms.input_schema["properties"]["agreed"]["type"], json!("string"));
    assert_eq!(forms.input_schema["properties"]["counted"]["type"], json!("integer"));
    assert_eq!(forms.input_schema["additionalProperties"], json!(false));
    let greet = tools.iter().find(|tool| tool.name == "greet").unwrap();
    assert_eq!(greet.input_schema["required"], json!(["name", "verbose"]));
    let sum = tools.iter().find(|tool| tool.name == "sum").unwrap();
    assert_eq!(sum.input_schema["required"], json!(["x", "y"]));
}

#[tokio::test]
async fn flattened_and_whole_arguments_decode() {
    let client = client().await;
    assert_eq!(
        client.call_text("greet", json!({"name": "Ada", "verbose": true})).await.unwrap(),
        "hello, Ada, and welcome"
    );
    assert_eq!(client.call_text("sum", json!({"x": 2, "y": 3})).await.unwrap(), "5");
    assert_eq!(failure(&client, "sum", json!({"x": 2})).await, "invalid arguments for tool `sum`: missing field `y`");
}
