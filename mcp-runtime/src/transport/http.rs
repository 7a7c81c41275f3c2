//! Streamable HTTP: rmcp's service mounted in an axum router, with secure defaults.

mod auth;
mod config;
mod deadlines;
mod ended_sessions;
mod event_ids;
mod front;
mod health;
mod in_flight;
mod json_rpc;
mod legacy_sse;
mod message;
mod peek;
mod serve;
mod sessionless;

use std::{sync::Arc, time::Instant};

use axum::{Router, routing::get};
use rmcp::transport::streamable_http_server::{
    StreamableHttpServerConfig, StreamableHttpService,
    session::{local::LocalSessionManager, never::NeverSessionManager},
};
use tokio_util::sync::CancellationToken;

pub use config::{HttpConfig, LegacySse};
pub(crate) use serve::{serve, termination_signal};

use self::auth::Gate;
use crate::service::McpService;

/// The router for one server: the MCP endpoint at `config.path` and `GET /health`.
/// `sessions_closed` ends every session and stream when cancelled.
pub(crate) fn router(service: McpService, config: &HttpConfig, sessions_closed: CancellationToken) -> Router {
    router_with_tracker(service, config, sessions_closed, in_flight::InFlight::default())
}

fn router_with_tracker(
    service: McpService,
    config: &HttpConfig,
    sessions_closed: CancellationToken,
    in_flight: in_flight::InFlight,
) -> Router {
    let legacy_closed = sessions_closed.clone();
    let rmcp_config = rmcp_config(config, sessions_closed);
    let health = Arc::new(health::Health::new(&service, Instant::now()));
    let service_auth = service.auth().clone();
    let gate_service = service.clone();
    let scoped_items = service.has_scoped_items();
    #[cfg(feature = "metrics")]
    let metrics = service.metrics().clone();
    let stateless = config.stateless;
    let service_sessions = service.shared().sessions.clone();
    let (legacy_service, legacy_in_flight) = (service.clone(), in_flight.clone());
    // In session mode each call of the factory opens a session; statelessly, one per request.
    let factory = move || Ok(if stateless { service.for_new_connection() } else { service.for_new_session() });
    let (endpoint, sessions) = if config.stateless {
        let endpoint = StreamableHttpService::new(factory, Arc::new(NeverSessionManager::default()), rmcp_config);
        (axum::routing::any_service(endpoint), None)
    } else {
        let open = Arc::new(event_ids::ResumableSessions(LocalSessionManager::default()));
        let endpoint = StreamableHttpService::new(factory, open.clone(), rmcp_config);
        let sessions = ended_sessions::SessionsToEnd { open, connections: service_sessions };
        (axum::routing::any_service(endpoint), Some(sessions))
    };
    let gate = Arc::new(Gate { settings: service_auth.clone(), service: gate_service, path: config.path.clone() });
    let front = front::Front {
        gate: gate.clone(),
        in_flight,
        deadlines: deadlines::Deadlines::new(config.request_timeout),
        max_body_bytes: config.max_body_bytes,
        stateless,
        scoped_items,
        sessions,
    };
    let endpoint = endpoint.layer(axum::middleware::from_fn_with_state(Arc::new(front), front::serve));
    let mut router = Router::new().route("/health", get(health::handler).with_state(health));
    if config.legacy_sse.serves_streamable() {
        router = router.route(&config.path, endpoint);
    }
    if config.legacy_sse.serves_legacy() {
        // The same stages, without what is Streamable HTTP's own: its sessionless answers (a
        // legacy session answers on its stream) and its `DELETE`.
        let front = front::Front {
            gate: gate.clone(),
            in_flight: legacy_in_flight,
            deadlines: deadlines::Deadlines::new(config.request_timeout),
            max_body_bytes: config.max_body_bytes,
            stateless: false,
            scoped_items,
            sessions: None,
        };
        // `route_layer`: a path the router does not have stays a plain 404, whatever its body.
        let legacy = legacy_sse::routes(legacy_service, config, legacy_closed)
            .route_layer(axum::middleware::from_fn_with_state(Arc::new(front), front::serve));
        router = router.merge(legacy);
    }
    #[cfg(feature = "metrics")]
    if config.metrics {
        router = router.route("/metrics", get(move || std::future::ready(metrics_response(&metrics))));
    }
    if auth::advertises_metadata(&service_auth) {
        let metadata = get(auth::protected_resource_metadata).with_state(gate);
        router = router
            .route("/.well-known/oauth-protected-resource", metadata.clone())
            .route(&format!("/.well-known/oauth-protected-resource{}", config.path), metadata);
    }
    router
}

#[cfg(feature = "metrics")]
/// The metrics in the Prometheus text exposition format (OpenMetrics flavour, which Prometheus
/// negotiates by this content type).
fn metrics_response(metrics: &crate::observe::Metrics) -> axum::response::Response {
    use axum::response::IntoResponse;
    let content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    ([(axum::http::header::CONTENT_TYPE, content_type)], metrics.render()).into_response()
}

fn rmcp_config(config: &HttpConfig, sessions_closed: CancellationToken) -> StreamableHttpServerConfig {
    let mut rmcp_config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(!config.stateless)
        .with_json_response(config.stateless)
        .with_max_request_body_bytes(config.max_body_bytes)
        .with_cancellation_token(sessions_closed);
    rmcp_config = if config.allowed_hosts.iter().any(|host| host == "*") {
        rmcp_config.disable_allowed_hosts()
    } else {
        rmcp_config.with_allowed_hosts(config.allowed_hosts.clone())
    };
    if config.allowed_origins.iter().any(|origin| origin == "*") {
        rmcp_config.disable_allowed_origins()
    } else {
        // An empty list still validates: only requests without `Origin` (non-browser clients) pass.
        rmcp_config.with_allowed_origins(config.allowed_origins.clone()).enforce_origin_validation()
    }
}

/// The endpoints served at `address`, for the announcement.
fn endpoints(address: std::net::SocketAddr, config: &HttpConfig) -> String {
    let (stream, messages) = (legacy_sse::STREAM_PATH, legacy_sse::MESSAGES_PATH);
    let legacy = format!("HTTP+SSE (2024-11-05) at http://{address}{stream} (POST to {messages})");
    match config.legacy_sse {
        config::LegacySse::Off => format!("Streamable HTTP at http://{address}{}", config.path),
        config::LegacySse::Only => legacy,
        _ => format!("Streamable HTTP at http://{address}{}, and {legacy}", config.path),
    }
}

/// Tells a person on the terminal where the server is, since nothing else on stderr will.
pub(crate) fn announce(service: &McpService, listener: &tokio::net::TcpListener, config: &HttpConfig) {
    use rmcp::Service;
    let info = service.get_info().server_info;
    match listener.local_addr() {
        Ok(address) => crate::observe::announce(&format!(
            "{} {}: MCP over {} ({} tool(s), {} resource(s), {} prompt(s); health at /health)",
            info.name,
            info.version,
            endpoints(address, config),
            service.tool_count(),
            service.resource_count(),
            service.prompt_count()
        )),
        Err(error) => tracing::warn!(%error, "the listener has no local address"),
    }
}
