//! Reading a POST's body, once. A body that is not one JSON-RPC message is answered here with a
//! JSON-RPC error and 400 (rmcp answers 415 and plain text), one over the size limit with 413.
//! What the stages after this one need to know of the message is read here ([`Incoming`]);
//! rmcp gets the bytes unchanged.

use axum::{
    body::{Body, Bytes},
    http::{HeaderMap, Method, StatusCode, header, request::Parts},
    response::Response,
};
use futures::StreamExt;
use rmcp::model::ErrorData;

use super::{
    json_rpc,
    peek::{Incoming, Refusal, peek},
};

/// Reads the body of a POST that says it is JSON, and what the layers need to know of its
/// message; any other request goes on as it came (rmcp's to answer: 405, or 415 for a body
/// that does not say it is JSON). `Err` is the answer to a body that is not one message.
pub(super) async fn read(parts: &Parts, body: Body, limit: usize) -> Result<(Body, Option<Incoming>), Response> {
    if parts.method != Method::POST || !declares_json(&parts.headers) {
        return Ok((body, None));
    }
    let bytes = read_within(body, limit).await?;
    match peek(&bytes) {
        Ok(incoming) => Ok((Body::from(bytes), Some(incoming))),
        Err(Refusal { id, error }) => Err(json_rpc::error(StatusCode::BAD_REQUEST, id, error)),
    }
}

/// rmcp's answer to a message that was read, with its 415 explained: the body said it was
/// JSON and is one message, so that is rmcp failing to read the message as MCP (`params` that
/// do not fit the method, or an answer without its id).
pub(super) fn explained(response: Response, incoming: &Incoming) -> Response {
    if response.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE { unreadable(incoming) } else { response }
}

/// What rmcp checks before reading a body: `Content-Type: application/json`, parameters aside.
pub(super) fn declares_json(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
        value.split(';').next().is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// The body, or the answer to a body over `limit` bytes (413) or one that broke off (400).
async fn read_within(body: Body, limit: usize) -> Result<Bytes, Response> {
    let mut chunks: Vec<Bytes> = Vec::new();
    let mut length = 0;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| {
            let error = ErrorData::invalid_request(format!("the request body could not be read: {error}"), None);
            json_rpc::error(StatusCode::BAD_REQUEST, None, error)
        })?;
        length += chunk.len();
        if length > limit {
            let error = ErrorData::invalid_request(
                format!("the request body is larger than this server's limit of {limit} bytes; send a smaller message"),
                None,
            );
            return Err(json_rpc::error(StatusCode::PAYLOAD_TOO_LARGE, None, error));
        }
        chunks.push(chunk);
    }
    // Bodies usually arrive in one chunk, kept without a copy.
    Ok(match chunks.as_slice() {
        [only] => only.clone(),
        _ => chunks.concat().into(),
    })
}

fn unreadable(incoming: &Incoming) -> Response {
    let error = match &incoming.method {
        Some(method) => ErrorData::invalid_params(
            format!(
                "the `params` of `{method}` are not what the method takes; see its parameters in the MCP specification"
            ),
            None,
        ),
        None => ErrorData::invalid_request(
            "the answer is not a JSON-RPC response: it needs the `id` of the request it answers and a `result`, \
             or an `error` with a `code` and a `message`",
            None,
        ),
    };
    json_rpc::error(StatusCode::BAD_REQUEST, incoming.id.clone(), error)
}
