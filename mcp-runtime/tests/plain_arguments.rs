//! A tool whose schema asks nothing beyond what decoding its arguments checks (JSON types,
//! required arguments) is served without a validator, in every build: the lean
//! one, which has none, can check its arguments too. Its wrong arguments are still refused, in
//! serde's words; a constraint serde does not know still needs the validator.

use mcp_runtime::{prelude::*, testing::TestClient};
use serde_json::json;

/// Repeat a word.
#[mcp_tool(read_only)]
async fn repeat(
    /// The word.
    word: String,
    /// How many times.
    times: i64,
    /// Between the words.
    separator: Option<String>,
) -> String {
    vec![word; usize::try_from(times).unwrap_or(0)].join(separator.as_deref().unwrap_or(" "))
}

/// Take a number from 1 to 10.
#[mcp_tool(read_only)]
async fn pick(
    /// The number.
    #[schemars(range(min = 1, max = 10))]
    n: u32,
) -> u32 {
    n
}

fn text(result: &mcp_runtime::model::CallToolResult) -> String {
    result.content.iter().filter_map(|content| content.as_text()).map(|text| text.text.as_str()).collect()
}

#[tokio::test]
async fn plain_arguments_are_checked_by_their_types_alone() {
    // Asking for the check is not an error in a build without the `validate` feature: there is
    // nothing for a validator to do.
    let server = Server::new("plain", "1.0.0").validate_arguments(true).register(handlers![repeat]);
    let client = TestClient::connect(server).await.expect("a server with plain arguments needs no validator");

    let served = client.call_tool("repeat", json!({"word": "la", "times": 3})).await.unwrap();
    assert_eq!((served.is_error, text(&served).as_str()), (Some(false), "la la la"));

    for (arguments, problem) in [
        (json!({"word": "la", "times": 1.5}), "`times`: invalid type: floating point `1.5`, expected i64"),
        (json!({"word": "la", "times": "3"}), "`times`: invalid type: string \"3\", expected i64"),
        (json!({"word": 5, "times": 1}), "`word`: invalid type: integer `5`, expected a string"),
        (json!({"times": 1}), "missing field `word`"),
        (json!({"word": "la", "times": 1, "extra": true}), "`extra`: unknown field `extra`"),
    ] {
        let refused = client.call_tool("repeat", arguments.clone()).await.unwrap();
        assert_eq!(refused.is_error, Some(true), "{arguments}");
        let message = text(&refused);
        assert!(message.starts_with("invalid arguments for tool `repeat`: "), "{message}");
        assert!(message.contains(problem), "{arguments}: {message}");
    }
}

#[cfg(feature = "validate")]
#[tokio::test]
async fn a_constraint_serde_does_not_know_is_still_checked() {
    let client = TestClient::connect(Server::new("pick", "1.0.0").register(handlers![pick])).await.unwrap();
    let refused = client.call_tool("pick", json!({"n": 11})).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    assert_eq!(text(&refused), "invalid arguments for tool `pick`: `n`: 11 is greater than the maximum of 10");
}

#[cfg(not(feature = "validate"))]
#[tokio::test]
async fn a_constraint_serde_does_not_know_needs_the_validate_feature() {
    let server = Server::new("pick", "1.0.0").validate_arguments(true).register(handlers![pick]);
    let Err(error) = server.build() else { panic!("a range the build cannot check was accepted") };
    let error = error.to_string();
    assert!(error.contains("tool `pick`") && error.contains("needs the `validate` feature"), "{error}");
}
