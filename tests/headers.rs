//! `#[header("Name")]`: a tool argument clients also send as the `Mcp-Param-Name` header
//! (SEP-2243), advertised as the schema's `x-mcp-header`; rmcp's HTTP transport checks the
//! header against the body (scripts/conformance.sh's http-custom-header-server-validation).
//! An argument no client could mirror is refused at start-up.

use mcp_runtime::{prelude::*, testing::TestClient};
use serde_json::json;

/// Lists the instances of a region.
#[mcp_tool(read_only)]
async fn instances(
    /// The region, also sent as `Mcp-Param-Region`.
    #[header("Region")]
    region: String,
    /// At most this many.
    #[header("Limit")]
    limit: Option<u32>,
    /// Only running ones.
    running: bool,
) -> String {
    format!("{region} {limit:?} {running}")
}

/// Scores a region.
#[mcp_tool]
async fn score(
    /// The score.
    #[header("Score")]
    score: f64,
) -> f64 {
    score
}

#[tokio::test]
async fn header_arguments_are_advertised_and_still_arguments() {
    let client = TestClient::connect(Server::new("regions", "1.0.0").register(handlers![instances])).await.unwrap();
    let tools = client.list_tools().await.unwrap();
    let properties = serde_json::to_value(&tools[0].input_schema).unwrap()["properties"].clone();
    assert_eq!(
        properties["region"],
        json!({"description": "The region, also sent as `Mcp-Param-Region`.",
                                           "type": "string", "x-mcp-header": "Region"})
    );
    assert_eq!(properties["limit"]["x-mcp-header"], "Limit");
    assert_eq!(properties["running"].get("x-mcp-header"), None);
    let text = client.call_text("instances", json!({"region": "eu-west", "running": true})).await.unwrap();
    assert_eq!(text, "eu-west None true");
}

#[test]
fn an_argument_no_client_can_mirror_is_a_start_up_error() {
    let error = Server::new("regions", "1.0.0").register(handlers![score]).build().expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains(
            "argument `score` is mirrored into the header `Mcp-Param-Score`, but its type is number; only a string, \
             an integer or a boolean can travel in a header (SEP-2243)"
        ),
        "{message}"
    );
    assert!(message.contains("tool `score` (`headers::score` at tests/headers.rs:26)"), "{message}");
}
