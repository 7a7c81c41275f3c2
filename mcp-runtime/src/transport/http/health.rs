//! `GET /health`: liveness and readiness for load balancers and orchestrators, outside
//! authentication. 200 while every readiness check the application registered passes, 503 with
//! the failing checks named otherwise.

use std::{collections::BTreeMap, sync::Arc, time::Instant};

use axum::{Json, extract::State, http::StatusCode};
use rmcp::Service;
use serde::Serialize;

use crate::{
    compose::{DownstreamState, DownstreamStatus},
    observe::readiness::{CHECK_TIMEOUT, CheckReport, ReadinessChecks},
    service::McpService,
};

pub(super) struct Health {
    name: String,
    version: String,
    started: Instant,
    checks: ReadinessChecks,
    /// For the proxied servers' states.
    service: McpService,
}

impl Health {
    pub(super) fn new(service: &McpService, started: Instant) -> Self {
        let info = service.get_info().server_info;
        let checks = service.readiness_checks().clone();
        Self { name: info.name, version: info.version, started, checks, service: service.clone() }
    }
}

#[derive(Serialize)]
pub(super) struct Report {
    status: &'static str,
    name: String,
    version: String,
    uptime_seconds: u64,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    checks: BTreeMap<String, CheckReport>,
    /// Proxied servers, by prefix.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    downstreams: BTreeMap<String, DownstreamState>,
}

pub(super) async fn handler(State(health): State<Arc<Health>>) -> (StatusCode, Json<Report>) {
    let (checks_pass, checks) =
        if health.checks.is_empty() { (true, BTreeMap::new()) } else { health.checks.run(CHECK_TIMEOUT).await };
    let downstreams: BTreeMap<String, DownstreamState> =
        health.service.downstreams().into_iter().map(|state| (state.prefix.clone(), state)).collect();
    // A server of proxies is ready while one of them is up (its clients get that one's items),
    // or, with `Server::require_every_downstream`, while all are.
    let up = |state: &DownstreamState| state.status == DownstreamStatus::Up;
    let downstreams_ready = downstreams.is_empty()
        || if health.service.requires_every_downstream() {
            downstreams.values().all(up)
        } else {
            downstreams.values().any(up)
        };
    let ready = checks_pass && downstreams_ready;
    let (code, status) = if ready { (StatusCode::OK, "ok") } else { (StatusCode::SERVICE_UNAVAILABLE, "unavailable") };
    let report = Report {
        status,
        name: health.name.clone(),
        version: health.version.clone(),
        uptime_seconds: health.started.elapsed().as_secs(),
        checks,
        downstreams,
    };
    (code, Json(report))
}
