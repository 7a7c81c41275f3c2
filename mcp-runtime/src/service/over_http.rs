//! What the Streamable HTTP transport attached to a request (rmcp puts the request's
//! `http::request::Parts` in its extensions): the caller it authenticated and its session.
//! Without the `http` feature no request came over HTTP, and each answer is "none".

use std::sync::Arc;

use rmcp::{RoleServer, service::RequestContext};

use crate::auth::Principal;

#[cfg(feature = "http")]
fn parts(context: &RequestContext<RoleServer>) -> Option<&axum::http::request::Parts> {
    context.extensions.get::<axum::http::request::Parts>()
}

/// Whether the request came over HTTP.
#[cfg(feature = "http")]
pub(crate) fn over_http(context: &RequestContext<RoleServer>) -> bool {
    parts(context).is_some()
}

/// The principal the HTTP layer authenticated, if any.
#[cfg(feature = "http")]
pub(crate) fn authenticated(context: &RequestContext<RoleServer>) -> Option<&Arc<Principal>> {
    parts(context).and_then(|parts| parts.extensions.get::<Arc<Principal>>())
}

/// The `Mcp-Session-Id` the request named.
#[cfg(feature = "http")]
pub(crate) fn session_id(context: &RequestContext<RoleServer>) -> Option<&str> {
    parts(context).and_then(|parts| parts.headers.get("mcp-session-id")).and_then(|id| id.to_str().ok())
}

#[cfg(not(feature = "http"))]
pub(crate) fn over_http(_: &RequestContext<RoleServer>) -> bool {
    false
}

#[cfg(not(feature = "http"))]
pub(crate) fn authenticated(_: &RequestContext<RoleServer>) -> Option<&Arc<Principal>> {
    None
}

#[cfg(not(feature = "http"))]
pub(crate) fn session_id(_: &RequestContext<RoleServer>) -> Option<&str> {
    None
}
