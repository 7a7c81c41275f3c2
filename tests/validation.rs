//! Schemas promised are schemas enforced: a tool's arguments are checked against its own input
//! schema before it runs, and optional arguments are advertised with their plain type.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use mcp_runtime::{
    prelude::*,
    testing::{TestClient, TestError},
    tool::SchemaOptions,
};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

/// How many times `search` actually ran, so a test can tell a refused call from a served one.
#[derive(Default)]
struct Runs(AtomicUsize);

impl Runs {
    fn count(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Whether to look at titles or bodies.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Field {
    Title,
    Body,
}

/// Search the notes.
#[mcp_tool(read_only)]
async fn search(
    runs: State<Arc<Runs>>,
    /// Words to look for.
    #[schemars(length(min = 1, max = 20))]
    query: String,
    /// How many results, 1 to 100.
    #[schemars(range(min = 1, max = 100))]
    limit: u32,
    /// A tag, lowercase letters only.
    #[schemars(regex(pattern = r"^[a-z]+$"))]
    tag: Option<String>,
    /// Where to look.
    field: Option<Field>,
    /// Who to tell.
    #[schemars(email)]
    notify: Option<String>,
) -> String {
    runs.count();
    format!("{query} {limit} {tag:?} {field:?} {notify:?}")
}

fn server(runs: &Arc<Runs>) -> Server {
    Server::new("notes", "1.0.0").state(runs.clone()).register(handlers![search])
}

async fn refusal(client: &TestClient, arguments: Value) -> String {
    match client.call_text("search", arguments).await {
        Err(TestError::ToolFailed(message)) => message,
        other => panic!("expected a tool error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_constraint_of_the_schema_is_enforced_before_the_function_runs() {
    let runs = Arc::new(Runs::default());
    let client = TestClient::connect(server(&runs)).await.unwrap();

    for (arguments, expected) in [
        (
            json!({"query": "milk", "limit": 500}),
            "invalid arguments for tool `search`: `limit`: 500 is greater than the maximum of 100",
        ),
        (
            json!({"query": "milk", "limit": 0}),
            "invalid arguments for tool `search`: `limit`: 0 is less than the minimum of 1",
        ),
        (
            json!({"query": "", "limit": 5}),
            r#"invalid arguments for tool `search`: `query`: "" is shorter than 1 character"#,
        ),
        (
            json!({"query": "milk", "limit": 5, "tag": "Milk!"}),
            r#"invalid arguments for tool `search`: `tag`: "Milk!" does not match "^[a-z]+$""#,
        ),
        (
            json!({"query": "milk", "limit": 5, "notify": "nobody"}),
            r#"invalid arguments for tool `search`: `notify`: "nobody" is not a "email""#,
        ),
    ] {
        assert_eq!(refusal(&client, arguments).await, expected);
    }
    // Wrong types and unknown values are still serde's to explain, as precisely as before.
    assert_eq!(
        refusal(&client, json!({"query": "milk", "limit": 5, "field": "author"})).await,
        "invalid arguments for tool `search`: `field`: unknown variant `author`, expected `title` or `body`"
    );
    assert_eq!(runs.0.load(Ordering::SeqCst), 0, "no refused call reached the function");

    let served = client
        .call_text("search", json!({"query": "milk", "limit": 100, "tag": "dairy", "notify": "a@example.com"}))
        .await
        .unwrap();
    assert_eq!(served, r#"milk 100 Some("dairy") None Some("a@example.com")"#);
    // `null` for an optional argument is still accepted, though the schema no longer says so.
    let served = client.call_text("search", json!({"query": "milk", "limit": 1, "tag": null, "field": null})).await;
    assert_eq!(served.unwrap(), "milk 1 None None None");
    assert_eq!(runs.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_server_may_turn_the_check_off() {
    let runs = Arc::new(Runs::default());
    let client = TestClient::connect(server(&runs).validate_arguments(false)).await.unwrap();
    let served = client.call_text("search", json!({"query": "milk", "limit": 500})).await.unwrap();
    assert_eq!(served, "milk 500 None None None");
    // Serde's own checks remain.
    let refused = refusal(&client, json!({"query": "milk", "limit": "many"})).await;
    assert!(refused.starts_with("invalid arguments for tool `search`: `limit`: invalid type"), "{refused}");
}

#[tokio::test]
async fn optional_arguments_are_advertised_with_their_plain_type_unless_asked_otherwise() {
    let runs = Arc::new(Runs::default());
    let plain = TestClient::connect(server(&runs)).await.unwrap().list_tools().await.unwrap();
    let schema = Value::Object((*plain[0].input_schema).clone());
    assert_eq!(schema["properties"]["tag"]["type"], "string");
    assert_eq!(schema["properties"]["field"]["type"], "string");
    assert_eq!(schema["properties"]["field"]["enum"], json!(["title", "body"]));
    assert_eq!(schema["required"], json!(["query", "limit"]));

    let options = SchemaOptions { optional_as_nullable: true, ..SchemaOptions::default() };
    let nullable =
        TestClient::connect(server(&runs).schema_options(options)).await.unwrap().list_tools().await.unwrap();
    let schema = Value::Object((*nullable[0].input_schema).clone());
    assert_eq!(schema["properties"]["tag"]["type"], json!(["string", "null"]));
    assert_eq!(schema["required"], json!(["query", "limit"]));
}

/// A pattern the validator's regex engine cannot compile.
#[mcp_tool]
async fn broken(#[schemars(regex(pattern = "("))] text: String) -> String {
    text
}

#[tokio::test]
async fn a_schema_the_validator_cannot_use_stops_the_server_at_start_up() {
    let error = Server::new("bad", "1.0.0").register(handlers![broken]).build().unwrap_err().to_string();
    assert!(error.contains("tool `broken`"), "{error}");
    assert!(error.contains("its schema cannot be used to check arguments"), "{error}");
    // Without the check, the server starts (and the schema is the user's business).
    assert!(Server::new("bad", "1.0.0").register(handlers![broken]).validate_arguments(false).build().is_ok());
}

/// Review a diff.
#[mcp_prompt]
async fn review(
    /// The language, in at most 12 characters.
    #[schemars(length(max = 12))]
    language: String,
    /// How many issues to list, 1 to 10.
    #[schemars(range(min = 1, max = 10))]
    #[serde(rename = "maxIssues")]
    max_issues: Option<u8>,
) -> String {
    format!("review {language}, {max_issues:?} issues")
}

/// One note, by its number (from 1).
#[mcp_resource(uri = "notes://{id}")]
async fn note(#[schemars(range(min = 1))] id: u64) -> String {
    format!("note {id}")
}

fn with_prompt_and_resource() -> Server {
    Server::new("notes", "1.0.0").register(handlers![review, note])
}

fn prompt_arguments(pairs: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    pairs.iter().map(|(name, value)| ((*name).to_owned(), Value::from(*value))).collect()
}

#[tokio::test]
async fn prompt_arguments_and_uri_variables_are_held_to_their_constraints() {
    use mcp_runtime::model::{GetPromptRequestParams, ReadResourceRequestParams};

    let client = TestClient::connect(with_prompt_and_resource()).await.unwrap();
    let get = |pairs: &[(&str, &str)]| {
        client.peer().get_prompt(GetPromptRequestParams::new("review").with_arguments(prompt_arguments(pairs)))
    };
    assert!(get(&[("language", "rust"), ("maxIssues", "3")]).await.is_ok());
    let refused = get(&[("language", "rust"), ("maxIssues", "50")]).await.unwrap_err().to_string();
    assert!(
        refused.contains("prompt `review`: invalid arguments: `maxIssues`: 50 is greater than the maximum of 10"),
        "{refused}"
    );
    let refused = get(&[("language", "a language with a long name")]).await.unwrap_err().to_string();
    assert!(refused.contains("`language`: \"a language with a long name\" is longer than 12 characters"), "{refused}");
    // A value that is not even a number is `FromStr`'s to explain, as before.
    let refused = get(&[("language", "rust"), ("maxIssues", "many")]).await.unwrap_err().to_string();
    assert!(refused.contains("invalid argument `maxIssues`: expected u8"), "{refused}");

    assert!(client.read_resource("notes://7").await.is_ok());
    let refused =
        client.peer().read_resource(ReadResourceRequestParams::new("notes://0")).await.unwrap_err().to_string();
    assert!(
        refused.contains("resource `notes://0`: invalid variables: `id`: 0 is less than the minimum of 1"),
        "{refused}"
    );

    let unchecked = TestClient::connect(with_prompt_and_resource().validate_arguments(false)).await.unwrap();
    assert!(unchecked.read_resource("notes://0").await.is_ok());
}
