//! Asking the client mid-call (elicitation, sampling, roots) through a real rmcp client: a 2025
//! client is sent requests; a 2026-07-28 client gets `input_required` results and retries with
//! answers and a sealed `requestState`.

#![allow(deprecated)] // sampling and roots (SEP-2577) are deprecated but still in every protocol version.

use mcp_runtime::{
    InputRequests,
    prelude::*,
    testing::{Answers, TestClient, TestError},
};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams,
    ElicitResult, ElicitationAction, ElicitationSchema, ErrorCode, ProtocolVersion, Root, SamplingMessage,
};
use serde_json::json;

const BOTH: [ProtocolVersion; 2] = [ProtocolVersion::V_2025_11_25, ProtocolVersion::V_2026_07_28];

fn name_form() -> ElicitationSchema {
    ElicitationSchema::builder().required_string("name").build().expect("a valid form")
}

/// Asks for the user's name, a draft from the model and the roots, all at once.
#[mcp_tool]
async fn onboard(ctx: Context) -> Result<String, ToolError> {
    let draft = CreateMessageRequestParams::new(vec![SamplingMessage::user_text("Write a greeting")], 50);
    let answers = ctx
        .request_input(
            InputRequests::new()
                .elicit("name", "What is your name?", name_form())
                .sample("draft", draft)
                .list_roots("roots"),
        )
        .await?;
    let name = answers.elicitation("name")?.content.map(|content| content["name"].clone()).unwrap_or_default();
    let draft = answers.sampling("draft")?;
    let draft = draft.message.content.first().and_then(|block| block.as_text()).map(|text| text.text.clone());
    let roots = answers.roots("roots")?.roots.into_iter().map(|root| root.uri).collect::<Vec<_>>();
    Ok(format!("{name} | {} | {}", draft.unwrap_or_default(), roots.join(",")))
}

/// Asks one question, then another that depends on the first answer.
#[mcp_tool]
async fn two_rounds(ctx: Context) -> Result<String, ToolError> {
    let first = ctx.elicit("name", "What is your name?", name_form()).await?;
    let name = first.content.map(|content| content["name"].as_str().unwrap_or_default().to_owned()).unwrap_or_default();
    let request = CreateMessageRequestParams::new(vec![SamplingMessage::user_text(format!("Greet {name}"))], 50);
    let second = ctx.sample("greeting", request).await?;
    let greeting = second.message.content.first().and_then(|block| block.as_text()).map(|text| text.text.clone());
    Ok(greeting.unwrap_or_default())
}

/// A prompt that needs the user's name first.
#[mcp_prompt]
async fn personal(ctx: Context) -> Result<String, ToolError> {
    let answer = ctx.elicit("name", "What is your name?", name_form()).await?;
    Ok(format!("Write to {}.", answer.content.map(|content| content["name"].clone()).unwrap_or_default()))
}

/// A resource that exists per client root.
#[mcp_resource(uri = "workspace://roots")]
async fn workspace_roots(ctx: Context) -> Result<String, ToolError> {
    Ok(ctx.list_roots("roots").await?.roots.into_iter().map(|root| root.uri).collect::<Vec<_>>().join("\n"))
}

fn server() -> Server {
    Server::new("input", "1.0.0").register(handlers![onboard, two_rounds, personal, workspace_roots])
}

fn everything() -> Answers {
    Answers::new()
        .elicit(|request| {
            let ElicitRequestParams::FormElicitationParams { message, .. } = request else {
                return ElicitResult::new(ElicitationAction::Decline);
            };
            assert_eq!(message, "What is your name?");
            ElicitResult::new(ElicitationAction::Accept).with_content(json!({"name": "Ada"}))
        })
        .sample(|request| {
            let asked = request.messages[0].content.first().and_then(|block| block.as_text()).map(|t| t.text.clone());
            let reply = format!("model saw: {}", asked.unwrap_or_default());
            CreateMessageResult::new(SamplingMessage::assistant_text(reply), "test-model".to_owned())
        })
        .roots(vec![Root::new("file:///work"), Root::new("file:///home")])
}

#[tokio::test]
async fn one_request_asks_three_questions_on_every_protocol_version() {
    for version in BOTH {
        let client = TestClient::connect_answering(server(), version.clone(), everything()).await.unwrap();
        let text = client.call_text("onboard", json!({})).await.unwrap();
        assert_eq!(text, r#""Ada" | model saw: Write a greeting | file:///work,file:///home"#, "{version}");
        let recorded = client.recorded();
        assert_eq!(
            (recorded.elicitations.len(), recorded.sampling_requests.len(), recorded.roots_requests),
            (1, 1, 1),
            "{version}: each question asked once"
        );
    }
}

#[tokio::test]
async fn a_2026_client_answers_all_questions_in_one_round_with_a_sealed_state() {
    let client = TestClient::connect_answering(server(), ProtocolVersion::V_2026_07_28, everything()).await.unwrap();
    let first = client.peer().call_tool_once(CallToolRequestParams::new("onboard")).await.unwrap();
    let CallToolResponse::InputRequired(input) = first else { panic!("expected input_required, got {first:?}") };
    let requests = input.input_requests.as_ref().expect("questions");
    let mut keys = requests.keys().cloned().collect::<Vec<_>>();
    keys.sort();
    assert_eq!(keys, ["draft", "name", "roots"]);
    assert!(input.request_state.as_ref().is_some_and(|state| !state.is_empty()), "state is sealed, never empty");
}

#[tokio::test]
async fn answers_from_earlier_rounds_are_carried_to_the_next() {
    for version in BOTH {
        let client = TestClient::connect_answering(server(), version.clone(), everything()).await.unwrap();
        assert_eq!(client.call_text("two_rounds", json!({})).await.unwrap(), "model saw: Greet Ada", "{version}");
        let recorded = client.recorded();
        assert_eq!((recorded.elicitations.len(), recorded.sampling_requests.len()), (1, 1), "{version}");
    }
}

#[tokio::test]
async fn prompts_and_resources_ask_too() {
    for version in BOTH {
        let client = TestClient::connect_answering(server(), version.clone(), everything()).await.unwrap();
        let prompt = client.get_prompt("personal", &[]).await.unwrap();
        let text = serde_json::to_value(&prompt.messages[0].content).unwrap();
        assert_eq!(text["text"], r#"Write to "Ada"."#, "{version}");
        let read = client.read_resource("workspace://roots").await.unwrap();
        let contents = serde_json::to_value(&read.contents[0]).unwrap();
        assert_eq!(contents["text"], "file:///work\nfile:///home", "{version}");
    }
}

#[tokio::test]
async fn a_client_without_the_capability_is_told_what_is_missing() {
    let only_roots = Answers::new().roots(Vec::new());
    // 2025: the tool fails in-band, naming what the client lacks.
    let client =
        TestClient::connect_answering(server(), ProtocolVersion::V_2025_11_25, only_roots.clone()).await.unwrap();
    let error = client.call_text("onboard", json!({})).await.unwrap_err();
    let TestError::ToolFailed(message) = error else { panic!("expected a tool error, got {error:?}") };
    assert!(message.contains("elicitation") && message.contains("sampling"), "{message}");
    assert!(client.recorded().elicitations.is_empty(), "nothing asked of a client that cannot answer");

    // 2026-07-28: the protocol's missing-capability error, and the server keeps serving.
    let client = TestClient::connect_answering(server(), ProtocolVersion::V_2026_07_28, only_roots).await.unwrap();
    let error = client.call_tool("onboard", json!({})).await.unwrap_err();
    let TestError::Service(rmcp::ServiceError::McpError(error)) = error else {
        panic!("expected an MCP error: {error:?}")
    };
    assert_eq!(error.code, ErrorCode(-32021), "{error:?}");
    let read = client.read_resource("workspace://roots").await.unwrap();
    assert_eq!(serde_json::to_value(&read.contents[0]).unwrap()["text"], "");
}

#[tokio::test]
async fn a_forged_or_misplaced_request_state_is_refused() {
    let client = TestClient::connect_answering(server(), ProtocolVersion::V_2026_07_28, everything()).await.unwrap();
    let forged = CallToolRequestParams::new("two_rounds").with_request_state("not-a-state-this-server-issued");
    let error = client.peer().call_tool_once(forged).await.unwrap_err();
    let rmcp::ServiceError::McpError(error) = error else { panic!("expected an MCP error: {error:?}") };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert!(error.message.contains("`requestState` was not issued by this server"), "{}", error.message);

    // A genuine state, sealed for `two_rounds`, replayed against `onboard`.
    let first = client.peer().call_tool_once(CallToolRequestParams::new("two_rounds")).await.unwrap();
    let CallToolResponse::InputRequired(input) = first else { panic!("expected input_required") };
    let state = input.request_state.expect("a state");
    let misplaced = CallToolRequestParams::new("onboard").with_request_state(state);
    let error = client.peer().call_tool_once(misplaced).await.unwrap_err();
    let rmcp::ServiceError::McpError(error) = error else { panic!("expected an MCP error: {error:?}") };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);

    // The server keeps serving.
    assert_eq!(client.call_text("two_rounds", json!({})).await.unwrap(), "model saw: Greet Ada");
}

#[tokio::test]
async fn an_answer_of_the_wrong_shape_is_a_precise_error() {
    let client = TestClient::connect_answering(server(), ProtocolVersion::V_2026_07_28, everything()).await.unwrap();
    let responses = [("name".to_owned(), json!({"action": "maybe"}))].into_iter().collect();
    let params = CallToolRequestParams::new("two_rounds").with_input_responses(responses);
    let error = client.peer().call_tool_once(params).await.unwrap_err();
    let rmcp::ServiceError::McpError(error) = error else { panic!("expected an MCP error: {error:?}") };
    assert_eq!(error.code, ErrorCode::INVALID_PARAMS);
    assert!(error.message.contains("`inputResponses.name`"), "{}", error.message);
}
