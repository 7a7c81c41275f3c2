//! The few JSON-RPC answers the HTTP layers give themselves, before or instead of rmcp.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use rmcp::model::{ErrorData, RequestId, ServerJsonRpcMessage, ServerResult};

/// An error object under `id` (`null` when the request's id could not be read, as JSON-RPC 2.0
/// asks, and as clients of every revision accept).
pub(super) fn error(status: StatusCode, id: Option<RequestId>, error: ErrorData) -> Response {
    (status, Json(serde_json::json!({"jsonrpc": "2.0", "id": id, "error": error}))).into_response()
}

/// A result under `id`, 200 OK.
pub(super) fn result(id: RequestId, result: ServerResult) -> Response {
    Json(ServerJsonRpcMessage::response(result, id)).into_response()
}
