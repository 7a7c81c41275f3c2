//! The fixtures the official MCP conformance suite (`@modelcontextprotocol/conformance`) expects
//! of a server, written with the framework's macros. `scripts/conformance.sh` serves it over
//! Streamable HTTP and runs the suite's 2025-11-25 and 2026-07-28 requirements against it.
//!
//! Names, texts and schemas come from the suite's own sources; see `scripts/conformance.sh`.

// Sampling is deprecated by SEP-2577 but still part of every protocol version the suite checks.
#![allow(deprecated)]

use std::time::Duration;

use mcp_runtime::{InputRequests, prelude::*, resource::ResourceContents, tool::Content};
use rmcp::model::{
    CreateMessageRequestParams, ElicitationSchema, Role, SamplingContent, SamplingMessage, SamplingMessageContentBlock,
};
use serde_json::json;

/// A 1x1 PNG, base64.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
/// The same PNG, as bytes.
const PNG_BYTES: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xfc, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x05, 0x02, 0x00, 0x5f, 0xc8, 0xf1,
    0xd2, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
/// A minimal WAV file, base64.
const WAV: &str = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

// ---- tools: content of every kind

/// Returns a simple text response.
#[mcp_tool]
async fn test_simple_text() -> &'static str {
    "This is a simple text response for testing."
}

/// Returns an image.
#[mcp_tool]
async fn test_image_content() -> Content {
    Content::image(PNG, "image/png")
}

/// Returns audio.
#[mcp_tool]
async fn test_audio_content() -> Content {
    Content::audio(WAV, "audio/wav")
}

/// Returns an embedded resource.
#[mcp_tool]
async fn test_embedded_resource() -> Content {
    Content::resource(
        ResourceContents::text("This is an embedded resource content.", "test://embedded-resource")
            .with_mime_type("text/plain"),
    )
}

/// Returns text, an image and an embedded resource together.
#[mcp_tool]
async fn test_multiple_content_types() -> Vec<Content> {
    vec![
        Content::text("Multiple content types test:"),
        Content::image(PNG, "image/png"),
        Content::resource(
            ResourceContents::text(r#"{"test":"data","value":123}"#, "test://mixed-content-resource")
                .with_mime_type("application/json"),
        ),
    ]
}

/// Always fails, as a tool error the model can read.
#[mcp_tool]
async fn test_error_handling() -> Result<&'static str, ToolError> {
    Err(ToolError::new("This tool intentionally returns an error for testing"))
}

// ---- tools: progress and logging

/// Reports progress 0, 50 and 100 of 100.
#[mcp_tool]
async fn test_tool_with_progress(ctx: Context) -> &'static str {
    for (step, done) in [0u32, 50, 100].into_iter().enumerate() {
        if step > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ctx.progress(done, 100, format!("{done}% done")).await;
    }
    "Progress test completed"
}

/// Logs three info messages while it works.
#[mcp_tool]
async fn test_tool_with_logging(ctx: Context) -> &'static str {
    for message in ["Tool execution started", "Tool processing data", "Tool execution completed"] {
        ctx.log(LogLevel::Info, message).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    "Logging test completed"
}

/// Logs only when the request asks for logs.
#[mcp_tool]
async fn test_logging_tool(ctx: Context) -> &'static str {
    ctx.log(LogLevel::Info, "test_logging_tool ran").await;
    "logged if asked"
}

// ---- tools: asking the client (2025: server-to-client requests; 2026: input_required results)

/// Asks the client's model to answer `prompt`.
#[mcp_tool]
async fn test_sampling(ctx: Context, prompt: String) -> Result<String, ToolError> {
    let answer = ctx.sample("sampling", sampling_request(prompt, 100)).await?;
    Ok(format!("LLM response: {}", first_text(&answer.message.content)))
}

/// Asks the user for a username and an email address.
#[mcp_tool]
async fn test_elicitation(ctx: Context, message: String) -> Result<String, ToolError> {
    let schema = schema(json!({
        "type": "object",
        "properties": {
            "username": {"type": "string", "description": "User's response"},
            "email": {"type": "string", "description": "User's email address"},
        },
        "required": ["username", "email"],
    }))?;
    let answer = ctx.elicit("elicitation", message, schema).await?;
    Ok(format!("User response: action={:?}, content={}", answer.action, json!(answer.content)))
}

/// Asks the user for a form whose fields have defaults (SEP-1034).
#[mcp_tool]
async fn test_elicitation_sep1034_defaults(ctx: Context) -> Result<String, ToolError> {
    let schema = schema(json!({
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "User name", "default": "John Doe"},
            "age": {"type": "integer", "description": "User age", "default": 30},
            "score": {"type": "number", "description": "User score", "default": 95.5},
            "status": {"type": "string", "description": "User status", "enum": ["active", "inactive", "pending"], "default": "active"},
            "verified": {"type": "boolean", "description": "Verification status", "default": true},
        },
    }))?;
    let answer = ctx.elicit("defaults", "Please review and update the form fields with defaults", schema).await?;
    Ok(format!("Elicitation completed: action={:?}, content={}", answer.action, json!(answer.content)))
}

/// Asks the user to choose, in each of the enum forms SEP-1330 defines.
#[mcp_tool]
async fn test_elicitation_sep1330_enums(ctx: Context) -> Result<String, ToolError> {
    let schema = schema(json!({
        "type": "object",
        "properties": {
            "untitledSingle": {"type": "string", "description": "Select one option", "enum": ["option1", "option2", "option3"]},
            "titledSingle": {"type": "string", "description": "Select one option with titles", "oneOf": [
                {"const": "value1", "title": "First Option"},
                {"const": "value2", "title": "Second Option"},
                {"const": "value3", "title": "Third Option"},
            ]},
            "legacyEnum": {"type": "string", "description": "Select one option (legacy)",
                "enum": ["opt1", "opt2", "opt3"], "enumNames": ["Option One", "Option Two", "Option Three"]},
            "untitledMulti": {"type": "array", "description": "Select multiple options",
                "items": {"type": "string", "enum": ["option1", "option2", "option3"]}},
            "titledMulti": {"type": "array", "description": "Select multiple options with titles", "items": {"anyOf": [
                {"const": "value1", "title": "First Choice"},
                {"const": "value2", "title": "Second Choice"},
                {"const": "value3", "title": "Third Choice"},
            ]}},
        },
    }))?;
    let answer = ctx.elicit("enums", "Please select options from the enum fields", schema).await?;
    Ok(format!("Elicitation completed: action={:?}, content={}", answer.action, json!(answer.content)))
}

/// Needs the client's sampling capability; a client without it gets the protocol's error.
#[mcp_tool]
async fn test_missing_capability(ctx: Context) -> Result<String, ToolError> {
    let answer = ctx.sample("needs_sampling", sampling_request("Say anything".into(), 10)).await?;
    Ok(first_text(&answer.message.content))
}

/// Answers at once, sending the client no request of its own.
#[mcp_tool]
async fn test_streaming_elicitation() -> &'static str {
    "No input needed"
}

/// Tells listeners that the tool list changed.
#[mcp_tool]
async fn test_trigger_tool_change(ctx: Context) -> &'static str {
    ctx.notifier().tool_list_changed().await;
    "tools/list_changed sent"
}

/// Tells listeners that the prompt list changed.
#[mcp_tool]
async fn test_trigger_prompt_change(ctx: Context) -> &'static str {
    ctx.notifier().prompt_list_changed().await;
    "prompts/list_changed sent"
}

/// Greets the user by the name it asks for.
#[mcp_tool]
async fn test_input_required_result_elicitation(ctx: Context) -> Result<String, ToolError> {
    let answer = ctx.elicit("user_name", "What is your name?", one_field("name", "string")?).await?;
    Ok(format!("Hello, {}!", field(&answer.content, "name")))
}

/// Asks the client's model a question.
#[mcp_tool]
async fn test_input_required_result_sampling(ctx: Context) -> Result<String, ToolError> {
    let request = sampling_request("What is the capital of France?".into(), 100);
    let answer = ctx.sample("capital_question", request).await?;
    Ok(format!("The model said: {}", first_text(&answer.message.content)))
}

/// Asks for the client's roots.
#[mcp_tool]
async fn test_input_required_result_list_roots(ctx: Context) -> Result<String, ToolError> {
    let roots = ctx.list_roots("client_roots").await?.roots;
    Ok(format!("The client has {} root(s)", roots.len()))
}

/// Asks for a confirmation, carrying state between rounds.
#[mcp_tool]
async fn test_input_required_result_request_state(ctx: Context) -> Result<String, ToolError> {
    let answer = ctx.elicit("confirm", "Please confirm", one_field("ok", "boolean")?).await?;
    Ok(format!("state-ok: confirmed={}", answer.content.as_ref().is_some_and(|content| content["ok"] == true)))
}

/// Asks for a confirmation; a request state altered by the client is refused.
#[mcp_tool]
async fn test_input_required_result_tampered_state(ctx: Context) -> Result<String, ToolError> {
    let answer = ctx.elicit("confirm", "Please confirm", one_field("ok", "boolean")?).await?;
    Ok(format!("confirmed={}", answer.content.as_ref().is_some_and(|content| content["ok"] == true)))
}

/// Asks three questions at once: a form, a completion and the roots.
#[mcp_tool]
async fn test_input_required_result_multiple_inputs(ctx: Context) -> Result<String, ToolError> {
    let questions = InputRequests::new()
        .elicit("user_name", "What is your name?", one_field("name", "string")?)
        .sample("greeting", sampling_request("Generate a greeting".into(), 50))
        .list_roots("client_roots");
    let answers = ctx.request_input(questions).await?;
    let name = field(&answers.elicitation("user_name")?.content, "name");
    let greeting = first_text(&answers.sampling("greeting")?.message.content);
    let roots = answers.roots("client_roots")?.roots.len();
    Ok(format!("{greeting}, {name}! ({roots} root(s))"))
}

/// Asks two questions, one round after the other.
#[mcp_tool]
async fn test_input_required_result_multi_round(ctx: Context) -> Result<String, ToolError> {
    let name = ctx.elicit("step1", "Step 1: What is your name?", one_field("name", "string")?).await?;
    let color = ctx.elicit("step2", "Step 2: What is your favorite color?", one_field("color", "string")?).await?;
    Ok(format!("{} likes {}", field(&name.content, "name"), field(&color.content, "color")))
}

/// Asks only what the client can answer: a form if it can elicit, else its model.
#[mcp_tool]
async fn test_input_required_result_capabilities(ctx: Context) -> Result<String, ToolError> {
    if ctx.client_capabilities().elicitation.is_some() {
        let answer = ctx.elicit("user_name", "What is your name?", one_field("name", "string")?).await?;
        Ok(format!("Hello, {}!", field(&answer.content, "name")))
    } else {
        let answer = ctx.sample("greeting", sampling_request("Generate a greeting".into(), 50)).await?;
        Ok(first_text(&answer.message.content))
    }
}

// ---- resources

/// A static text resource.
#[mcp_resource(uri = "test://static-text")]
async fn static_text() -> &'static str {
    "This is the content of the static text resource."
}

/// A static binary resource (a PNG image).
#[mcp_resource(uri = "test://static-binary", mime_type = "image/png")]
async fn static_binary() -> &'static [u8] {
    PNG_BYTES
}

/// A resource clients may subscribe to.
#[mcp_resource(uri = "test://watched-resource")]
async fn watched_resource() -> &'static str {
    "This resource is watched for changes."
}

/// Data for one id.
#[mcp_resource(uri = "test://template/{id}/data", mime_type = "application/json")]
async fn template_data(id: String) -> Json<serde_json::Value> {
    Json(json!({"id": id, "templateTest": true, "data": format!("Data for ID: {id}")}))
}

// ---- prompts

/// A simple prompt without arguments.
#[mcp_prompt]
async fn test_simple_prompt() -> &'static str {
    "This is a simple prompt for testing."
}

/// Values `arg1` completes to.
async fn arg1_values(prefix: String) -> Vec<String> {
    ["test", "testing", "tested"].into_iter().filter(|value| value.starts_with(&prefix)).map(String::from).collect()
}

/// A prompt with two required arguments.
#[mcp_prompt]
async fn test_prompt_with_arguments(
    /// First test argument.
    #[complete(arg1_values)]
    arg1: String,
    /// Second test argument.
    arg2: String,
) -> String {
    format!("Prompt with arguments: arg1='{arg1}', arg2='{arg2}'")
}

/// A prompt that embeds a resource.
#[mcp_prompt]
async fn test_prompt_with_embedded_resource(
    /// URI of the resource to embed.
    #[serde(rename = "resourceUri")]
    resource_uri: String,
) -> Vec<PromptMessage> {
    let resource =
        ResourceContents::text("Embedded resource content for testing.", resource_uri).with_mime_type("text/plain");
    vec![
        PromptMessage::new(Role::User, Content::resource(resource)),
        user("Please process the embedded resource above."),
    ]
}

/// A prompt with an image.
#[mcp_prompt]
async fn test_prompt_with_image() -> Vec<PromptMessage> {
    vec![PromptMessage::new(Role::User, Content::image(PNG, "image/png")), user("Please analyze the image above.")]
}

/// A prompt that asks the user for context before it is built.
#[mcp_prompt]
async fn test_input_required_result_prompt(ctx: Context) -> Result<String, ToolError> {
    let answer =
        ctx.elicit("user_context", "What context should the prompt use?", one_field("context", "string")?).await?;
    Ok(format!("Use this context: {}", field(&answer.content, "context")))
}

// ---- helpers

fn schema(value: serde_json::Value) -> Result<ElicitationSchema, ToolError> {
    Ok(serde_json::from_value(value)?)
}

fn one_field(name: &str, kind: &str) -> Result<ElicitationSchema, ToolError> {
    schema(json!({"type": "object", "properties": {name: {"type": kind}}, "required": [name]}))
}

fn field(content: &Option<serde_json::Value>, name: &str) -> String {
    content.as_ref().and_then(|content| content.get(name)).map_or_else(String::new, |value| match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}

// ---- a parameter mirrored into an HTTP header (SEP-2243)

/// Names the region a request is for; clients also send it as the `Mcp-Param-Region` header,
/// which the server checks against the body.
#[mcp_tool]
async fn test_custom_header(
    /// The region, mirrored into the `Mcp-Param-Region` header.
    #[header("Region")]
    region: String,
) -> String {
    format!("region: {region}")
}

// ---- a schema in JSON Schema 2020-12's own terms (SEP-1613, SEP-2106)

/// Contact details, as the suite's `json-schema-2020-12` fixture describes them: `$defs` with
/// an `$anchor`, composition (`allOf`/`anyOf`), a conditional (`if`/`then`/`else`). The schema
/// is written by hand (a `JsonSchema` impl), so the server advertises it as written, `$schema`
/// included; serde reads the same shape.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Contact {
    name: Option<String>,
    address: Option<Address>,
    contact_method: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(serde::Deserialize)]
struct Address {
    street: Option<String>,
    city: Option<String>,
}

impl schemars::JsonSchema for Contact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Contact".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "$defs": {
                "address": {
                    "$anchor": "addressDef",
                    "type": "object",
                    "properties": {"street": {"type": "string"}, "city": {"type": "string"}}
                }
            },
            "properties": {
                "name": {"type": "string"},
                "address": {"$ref": "#/$defs/address"},
                "contactMethod": {"type": "string", "enum": ["phone", "email"]},
                "phone": {"type": "string"},
                "email": {"type": "string"}
            },
            "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
            "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
            "then": {"required": ["phone"]},
            "else": {"required": ["email"]},
            "additionalProperties": false
        })
    }
}

/// Records a contact, reachable by phone or email.
#[mcp_tool]
async fn json_schema_2020_12_tool(Args(contact): Args<Contact>) -> String {
    let reach = match contact.contact_method.as_deref() {
        Some("phone") => contact.phone.unwrap_or_default(),
        _ => contact.email.or(contact.phone).unwrap_or_default(),
    };
    let city = contact.address.and_then(|address| address.city.or(address.street)).unwrap_or_default();
    format!("{} ({city}): {reach}", contact.name.unwrap_or_else(|| "someone".into()))
}

// ---- tasks (SEP-2663, the `io.modelcontextprotocol/tasks` extension)

/// Greets someone by name; never a task.
#[mcp_tool]
async fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

/// Sleeps `seconds`, then reports; a task for a client that supports tasks, unless `seconds` is
/// 0 (then it answers at once).
#[mcp_tool(task = "optional")]
async fn slow_compute(
    /// How long to work.
    seconds: u64,
    /// Named in the result.
    label: Option<String>,
) -> String {
    if seconds > 0 {
        tokio::time::sleep(Duration::from_secs(seconds)).await;
    }
    format!("computed {} after {seconds}s", label.unwrap_or_else(|| "something".into()))
}

/// Fails as a tool (`isError`) after about a second; only ever a task.
#[mcp_tool(task = "required")]
async fn failing_job() -> Result<String, ToolError> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    Err(ToolError::new("the job failed, as it always does"))
}

/// Panics after a moment: the task fails with a protocol error.
#[mcp_tool(task = "optional")]
async fn protocol_error_job() -> String {
    tokio::time::sleep(Duration::from_millis(100)).await;
    panic!("protocol_error_job always panics")
}

/// Deletes a file once the user confirms, asking through the task.
#[mcp_tool(task = "optional", destructive)]
async fn confirm_delete(ctx: Context, filename: String) -> Result<String, ToolError> {
    ctx.start_task().await;
    let answer = ctx.elicit("confirm", format!("Delete {filename}?"), one_field("confirm", "boolean")?).await?;
    let confirmed = answer.content.as_ref().is_some_and(|content| content["confirm"] == true);
    Ok(if confirmed { format!("deleted {filename}") } else { format!("kept {filename}") })
}

/// Asks two questions at once, through the task.
#[mcp_tool(task = "optional")]
async fn multi_input(ctx: Context) -> Result<String, ToolError> {
    ctx.start_task().await;
    let questions = InputRequests::new().elicit("name", "What is your name?", one_field("name", "string")?).elicit(
        "confirm",
        "Go ahead?",
        one_field("confirm", "boolean")?,
    );
    let answers = ctx.request_input(questions).await?;
    let name = field(&answers.elicitation("name")?.content, "name");
    let confirm = field(&answers.elicitation("confirm")?.content, "confirm");
    Ok(format!("name: {name}, confirm: {confirm}"))
}

/// Asks the user's name with the call (an `input_required` result), then greets them from a task.
#[mcp_tool(task = "required")]
async fn test_tool_with_task(ctx: Context) -> Result<String, ToolError> {
    let answer = ctx.elicit("user_name", "What is your name?", one_field("name", "string")?).await?;
    let name = field(&answer.content, "name");
    ctx.start_task().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(format!("Hello, {name}!"))
}

fn sampling_request(prompt: String, max_tokens: u32) -> CreateMessageRequestParams {
    CreateMessageRequestParams::new(vec![SamplingMessage::user_text(prompt)], max_tokens)
}

fn first_text(content: &SamplingContent<SamplingMessageContentBlock>) -> String {
    content.iter().find_map(|block| block.as_text()).map(|text| text.text.clone()).unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), ServeError> {
    Server::new("mcp-runtime-conformance", env!("CARGO_PKG_VERSION"))
        .instructions("Fixtures for the MCP conformance suite.")
        .discover()
        .run()
        .await
}
