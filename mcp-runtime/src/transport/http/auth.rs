//! Authentication and scope challenges on the HTTP transport, and the RFC 9728 metadata
//! document. rmcp answers handler errors with HTTP 200, so 401 and 403 must come from here.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    Json,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use crate::{
    auth::{AuthConfig, AuthError, Principal},
    rate_limit::retry_after_seconds,
    service::McpService,
};

/// What the middleware and the metadata document need.
pub(crate) struct Gate {
    pub(crate) service: McpService,
    pub(crate) settings: Arc<AuthConfig>,
    pub(crate) path: String,
}

impl Gate {
    /// Where the RFC 9728 document is, when there is one: only an authorization server makes
    /// it useful. Without one (API keys, or JWTs from an issuer clients cannot reach), a client
    /// that found the document would start an OAuth flow, or try dynamic client registration,
    /// against a server that has neither; a plain `Bearer` challenge has it ask for a header.
    fn metadata_url(&self, headers: &HeaderMap) -> Option<String> {
        if !advertises_metadata(&self.settings) {
            return None;
        }
        let origin = self.public_origin(headers);
        Some(format!("{origin}/.well-known/oauth-protected-resource{}", self.path))
    }

    fn resource_url(&self, headers: &HeaderMap) -> String {
        match &self.settings.resource_url {
            Some(url) => url.clone(),
            None => format!("{}{}", self.public_origin(headers), self.path),
        }
    }

    /// The scheme and authority clients reach us at: from the configured resource URL, else
    /// from the request's `Host` (already validated against the allow-list by then).
    fn public_origin(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.settings.resource_url {
            let after_scheme = url.find("://").map_or(0, |at| at + 3);
            let end = url[after_scheme..].find('/').map_or(url.len(), |at| after_scheme + at);
            return url[..end].to_owned();
        }
        let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or("localhost");
        format!("http://{host}")
    }
}

/// Authenticates the request (or gives the local principal when no authenticator is set) and
/// applies the rate limit: the caller's principal, or the answer that refuses the request.
pub(super) async fn authenticate(gate: &Gate, request: &Parts) -> Result<Arc<Principal>, Response> {
    let principal = match &gate.settings.authenticator {
        // The one the pipeline gives stdio calls too: the hierarchy applied once, shared.
        None => gate.service.shared().local_principal.clone(),
        Some(authenticator) => match bearer_token(&request.headers) {
            Err(error) => {
                gate.service.shared().env.metrics.auth_failure(error.reason());
                return Err(unauthorized(gate, &request.headers, &error));
            }
            Ok(token) => match authenticator.authenticate(token).await {
                Ok(principal) => Arc::new(gate.settings.scope_hierarchy.apply(principal)),
                Err(error) => {
                    tracing::info!(reason = error.reason(), %error, "bearer token refused");
                    gate.service.shared().env.metrics.auth_failure(error.reason());
                    return Err(unauthorized(gate, &request.headers, &error));
                }
            },
        },
    };
    match rate_limited(gate, request, &principal) {
        Some(refused) => Err(refused),
        None => Ok(principal),
    }
}

/// Refuses a call of an item (`method` names it: a tool, prompt or resource) the principal
/// lacks scopes for with 403 `insufficient_scope`, so that clients can step up.
pub(super) fn refuse_unscoped(
    gate: &Gate,
    headers: &HeaderMap,
    principal: &Principal,
    (method, name): &(&'static str, String),
) -> Option<Response> {
    let required = gate.service.required_scopes(method, name)?;
    if principal.missing_scopes(required).is_empty() {
        return None;
    }
    gate.service.shared().env.metrics.auth_failure("insufficient_scope");
    Some(insufficient_scope(gate, headers, principal, name, required))
}

/// 429 with `Retry-After` for a POST over its caller's quota: the principal's when tokens are
/// checked, else the client IP's (unknown when the router is served without `ConnectInfo`,
/// and then not limited here: one shared bucket would let one client starve the rest).
fn rate_limited(gate: &Gate, request: &Parts, principal: &Principal) -> Option<Response> {
    let limiter = gate.service.rate_limiter()?;
    if request.method != axum::http::Method::POST {
        return None;
    }
    let key = if gate.settings.authenticator.is_some() {
        format!("principal:{}", principal.subject())
    } else {
        let ConnectInfo(peer) = request.extensions.get::<ConnectInfo<SocketAddr>>()?;
        format!("ip:{}", peer.ip())
    };
    let wait = limiter.check(&key).err()?;
    gate.service.shared().env.metrics.rate_limited();
    tracing::info!(caller = %key, wait_ms = wait.as_millis(), "request over its rate limit");
    let seconds = retry_after_seconds(wait);
    let error = limiter.error(wait);
    let body = json!({"jsonrpc": "2.0", "id": null, "error": error});
    Some((StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, seconds.to_string())], Json(body)).into_response())
}

fn bearer_token(headers: &HeaderMap) -> Result<&str, AuthError> {
    let value = headers.get(header::AUTHORIZATION).ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| AuthError::Malformed("the Authorization header is not ASCII".into()))?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::Malformed(format!("expected `Authorization: Bearer <token>`, got scheme `{scheme}`")));
    }
    let token = token.trim();
    if token.is_empty() { Err(AuthError::Missing) } else { Ok(token) }
}

/// Whether the server serves the RFC 9728 document and names it in challenges.
pub(crate) fn advertises_metadata(settings: &AuthConfig) -> bool {
    settings.authenticator.is_some() && !settings.authorization_servers.is_empty()
}

/// `Bearer` followed by its parameters, comma-separated (RFC 6750 section 3).
fn bearer_challenge(parameters: &[String]) -> String {
    if parameters.is_empty() { "Bearer".to_owned() } else { format!("Bearer {}", parameters.join(", ")) }
}

fn resource_metadata(gate: &Gate, headers: &HeaderMap) -> Option<String> {
    gate.metadata_url(headers).map(|url| format!(r#"resource_metadata="{url}""#))
}

fn unauthorized(gate: &Gate, headers: &HeaderMap, error: &AuthError) -> Response {
    let mut parameters: Vec<String> = resource_metadata(gate, headers).into_iter().collect();
    if !matches!(error, AuthError::Missing) {
        parameters.push(r#"error="invalid_token""#.to_owned());
        parameters.push(format!(r#"error_description="{}""#, quote_safe(&error.to_string())));
    }
    let challenge = bearer_challenge(&parameters);
    let body = json!({"error": if matches!(error, AuthError::Missing) { "unauthorized" } else { "invalid_token" },
                      "error_description": error.to_string()});
    with_challenge(StatusCode::UNAUTHORIZED, &challenge, body)
}

fn insufficient_scope(
    gate: &Gate,
    headers: &HeaderMap,
    principal: &Principal,
    item: &str,
    required: &[&str],
) -> Response {
    let scope = required.join(" ");
    let mut parameters = vec![r#"error="insufficient_scope""#.to_owned(), format!(r#"scope="{scope}""#)];
    parameters.extend(resource_metadata(gate, headers));
    parameters.push(format!(r#"error_description="`{}` requires scope {}""#, quote_safe(item), quote_safe(&scope)));
    let challenge = bearer_challenge(&parameters);
    tracing::info!(subject = principal.subject(), item, required = %scope, "request refused: insufficient scope");
    let body = json!({"error": "insufficient_scope",
                      "error_description": format!("`{item}` requires the scopes {required:?}; `{}` lacks {:?}",
                                                   principal.subject(), principal.missing_scopes(required))});
    with_challenge(StatusCode::FORBIDDEN, &challenge, body)
}

fn with_challenge(status: StatusCode, challenge: &str, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// Header parameters are quoted strings: keep them printable and free of quotes.
fn quote_safe(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii() && !c.is_ascii_control() && !matches!(c, '"' | '\\')).collect()
}

/// `GET /.well-known/oauth-protected-resource[/mcp]` (RFC 9728), served only when
/// [`advertises_metadata`].
pub(crate) async fn protected_resource_metadata(State(gate): State<Arc<Gate>>, headers: HeaderMap) -> Json<Value> {
    Json(json!({
        "resource": gate.resource_url(&headers),
        "authorization_servers": gate.settings.authorization_servers,
        "scopes_supported": gate.service.scopes_supported(&gate.settings.scope_hierarchy),
        "bearer_methods_supported": ["header"],
        "resource_name": gate.service.name(),
    }))
}
