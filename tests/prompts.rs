//! `#[mcp_prompt]` end to end through rmcp's client: the list (snapshotted), arguments parsed
//! from strings, every return form, and each error the spec names.

use mcp_runtime::{
    auth::{FORBIDDEN, Principal},
    prelude::*,
    prompt::GetPromptResult,
    testing::TestClient,
};
use rmcp::model::{ErrorCode, GetPromptRequestParams, Role};
use serde_json::{Value, json};

/// Summarise a text in a given number of sentences.
#[mcp_prompt]
async fn summarize(
    /// The text to summarise.
    text: String,
    /// How many sentences (default 3).
    sentences: Option<u8>,
) -> String {
    format!("Summarise in {} sentences:\n{text}", sentences.unwrap_or(3))
}

/// Review a diff as a senior engineer would.
///
/// # Arguments
///
/// * `language` - Programming language of the code.
/// * `diff` - The unified diff to review.
#[mcp_prompt(title = "Code review")]
async fn code_review(language: String, diff: String) -> Vec<PromptMessage> {
    vec![
        assistant(format!("I am a senior {language} engineer. I point out bugs first, style last.")),
        user(format!("Review this diff:\n{diff}")),
    ]
}

/// A greeting with its own description.
#[mcp_prompt(name = "greet")]
fn greeting(name: String) -> GetPromptResult {
    GetPromptResult::new(vec![user(format!("Say hello to {name}."))]).with_description(format!("Greets {name}"))
}

/// Refuses names that are too long.
#[mcp_prompt]
async fn checked(name: String) -> Result<String, ToolError> {
    if name.len() > 10 {
        return Err(ToolError::invalid_argument("name", "is longer than 10 characters"));
    }
    Ok(format!("Hello {name}"))
}

/// Secret planning, for planners only.
#[mcp_prompt(scopes = ["plans:read"])]
async fn plan(ctx: Context) -> String {
    format!("Plan for {}", ctx.principal().subject())
}

/// Panics, to show the server survives.
#[mcp_prompt]
async fn broken() -> String {
    panic!("a bug in the prompt")
}

/// How deep a review goes.
#[derive(Debug, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Depth {
    /// A quick look.
    Quick,
    /// Line by line.
    Thorough,
}

impl std::str::FromStr for Depth {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "quick" => Ok(Depth::Quick),
            "thorough" => Ok(Depth::Thorough),
            other => Err(format!("`{other}` is neither `quick` nor `thorough`")),
        }
    }
}

/// Languages this server reviews, for completion.
async fn languages(prefix: String) -> Vec<String> {
    ["go", "python", "rust", "ruby"]
        .into_iter()
        .filter(|language| language.starts_with(&prefix))
        .map(String::from)
        .collect()
}

/// Review code in a language, to a depth.
#[mcp_prompt]
async fn review(
    /// The language.
    #[complete(languages)]
    language: String,
    /// How deep to go.
    depth: Option<Depth>,
) -> String {
    format!("Review this {language} code ({depth:?}).")
}

fn server() -> Server {
    Server::new("prompts", "1.0.0").register(handlers![summarize, code_review, greeting, checked, plan, broken, review])
}

async fn get(client: &TestClient, name: &str, arguments: Value) -> Result<GetPromptResult, rmcp::ErrorData> {
    let mut params = GetPromptRequestParams::new(name);
    if let Value::Object(arguments) = arguments {
        params = params.with_arguments(arguments);
    }
    match client.peer().get_prompt(params).await {
        Ok(result) => Ok(result),
        Err(rmcp::ServiceError::McpError(error)) => Err(error),
        Err(other) => panic!("transport failure: {other}"),
    }
}

fn texts(result: &GetPromptResult) -> Vec<(Role, String)> {
    result
        .messages
        .iter()
        .map(|message| (message.role.clone(), message.content.as_text().map(|t| t.text.clone()).unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn prompts_list_snapshot() {
    let client = TestClient::connect(server()).await.unwrap();
    let prompts = client.peer().list_all_prompts().await.unwrap();
    insta::assert_json_snapshot!("prompts_list", prompts);
}

#[tokio::test]
async fn arguments_are_parsed_and_every_return_form_works() {
    let client = TestClient::connect(server()).await.unwrap();
    let summary = get(&client, "summarize", json!({"text": "A long story.", "sentences": "2"})).await.unwrap();
    assert_eq!(texts(&summary), [(Role::User, "Summarise in 2 sentences:\nA long story.".to_owned())]);
    let default = get(&client, "summarize", json!({"text": "Short."})).await.unwrap();
    assert_eq!(texts(&default)[0].1, "Summarise in 3 sentences:\nShort.");

    let review = get(&client, "code_review", json!({"language": "Rust", "diff": "+ fn main() {}"})).await.unwrap();
    assert_eq!(
        texts(&review),
        [
            (Role::Assistant, "I am a senior Rust engineer. I point out bugs first, style last.".to_owned()),
            (Role::User, "Review this diff:\n+ fn main() {}".to_owned()),
        ]
    );

    let greeting = get(&client, "greet", json!({"name": "Ada"})).await.unwrap();
    assert_eq!(greeting.description.as_deref(), Some("Greets Ada"));
    assert_eq!(texts(&greeting)[0].1, "Say hello to Ada.");
}

#[tokio::test]
async fn each_error_is_the_one_the_spec_names() {
    let client = TestClient::connect(server()).await.unwrap();
    let invalid_params = |error: &rmcp::ErrorData| error.code == ErrorCode::INVALID_PARAMS;

    let missing = get(&client, "code_review", json!({"language": "Rust"})).await.unwrap_err();
    assert!(invalid_params(&missing));
    assert_eq!(missing.message, "prompt `code_review`: missing required argument `diff`");

    let unparsable = get(&client, "summarize", json!({"text": "x", "sentences": "many"})).await.unwrap_err();
    assert!(invalid_params(&unparsable));
    assert_eq!(
        unparsable.message,
        "prompt `summarize`: invalid argument `sentences`: expected u8: invalid digit found in string"
    );

    let unknown_argument = get(&client, "greet", json!({"name": "Ada", "tone": "warm"})).await.unwrap_err();
    assert!(invalid_params(&unknown_argument));
    assert_eq!(unknown_argument.message, "prompt `greet`: unknown argument `tone`; this prompt takes: name");

    let unknown = get(&client, "sumarize", json!({})).await.unwrap_err();
    assert!(invalid_params(&unknown));
    assert!(
        unknown.message.starts_with("unknown prompt `sumarize`; available prompts: broken, checked"),
        "{unknown:?}"
    );

    // `ToolError::invalid_argument` blames the caller, as it does for tools and resources.
    let refused = get(&client, "checked", json!({"name": "a very long name"})).await.unwrap_err();
    assert!(invalid_params(&refused), "{refused:?}");
    assert_eq!(refused.message, "prompt `checked`: invalid argument `name`: is longer than 10 characters");

    let panicked = get(&client, "broken", json!({})).await.unwrap_err();
    assert_eq!(panicked.code, ErrorCode::INTERNAL_ERROR);
    assert_eq!(texts(&get(&client, "checked", json!({"name": "Ada"})).await.unwrap())[0].1, "Hello Ada");
}

#[tokio::test]
async fn prompt_scopes_filter_the_list_and_refuse_the_get() {
    let client = TestClient::connect(server()).await.unwrap();
    let all = client.peer().list_all_prompts().await.unwrap();
    assert!(all.iter().any(|prompt| prompt.name == "plan"));
    assert_eq!(texts(&get(&client, "plan", json!({})).await.unwrap())[0].1, "Plan for local");

    let limited =
        TestClient::connect(server().local_principal(Principal::new("intern", ["notes:read"]))).await.unwrap();
    let visible = limited.peer().list_all_prompts().await.unwrap();
    assert!(visible.iter().all(|prompt| prompt.name != "plan"));
    let refused = get(&limited, "plan", json!({})).await.unwrap_err();
    assert_eq!(refused.code.0, FORBIDDEN);
    assert_eq!(refused.message, "prompt `plan` requires the scopes [\"plans:read\"]; `intern` lacks [\"plans:read\"]");
}

#[tokio::test]
async fn the_prompts_capability_is_advertised_only_with_prompts() {
    let with = TestClient::connect(server()).await.unwrap();
    assert!(with.peer().peer_info().unwrap().capabilities.prompts.is_some());
    let without = TestClient::connect(Server::new("none", "1.0.0")).await.unwrap();
    assert!(without.peer().peer_info().unwrap().capabilities.prompts.is_none());
    assert!(without.peer().peer_info().unwrap().capabilities.completions.is_none(), "nothing completes");
}

#[tokio::test]
async fn arguments_complete_from_a_function_or_their_enum() {
    let client = TestClient::connect(server()).await.unwrap();
    assert!(client.peer().peer_info().unwrap().capabilities.completions.is_some());
    let languages = client.peer().complete_prompt_argument("review", "language", "r", None).await.unwrap();
    assert_eq!(languages.values, ["rust", "ruby"]);
    assert_eq!((languages.total, languages.has_more), (Some(2), Some(false)));
    let depths = client.peer().complete_prompt_argument("review", "depth", "T", None).await.unwrap();
    assert_eq!(depths.values, ["thorough"]);
    // An argument without a completion source has no suggestions; an unknown prompt is an error.
    let none = client.peer().complete_prompt_argument("summarize", "text", "a", None).await.unwrap();
    assert!(none.values.is_empty());
    let unknown = client.peer().complete_prompt_argument("nope", "x", "", None).await;
    assert!(format!("{unknown:?}").contains("unknown prompt `nope`"), "{unknown:?}");
    // The parsed enum reaches the prompt.
    let rendered = get(&client, "review", json!({"language": "rust", "depth": "quick"})).await.unwrap();
    assert_eq!(texts(&rendered)[0].1, "Review this rust code (Some(Quick)).");
}
