//! `GET /health`: liveness and readiness for load balancers and orchestrators, outside
//! authentication. 200 while every readiness check the application registered passes, 503 with
//! the failing checks named otherwise.

use std::{collections::BTreeMap, sync::Arc, time::Instant};

use axum::{Json, extract::State, http::StatusCode};
use rmcp::Service;
use serde::Serialize;

use crate::{
    observe::readiness::{CHECK_TIMEOUT, CheckReport, ReadinessChecks},
    service::McpService,
};

pub(super) struct Health {
    name: String,
    version: String,
    started: Instant,
    checks: ReadinessChecks,
}

impl Health {
    pub(super) fn new(service: &McpService, started: Instant) -> Self {
        let info = service.get_info().server_info;
        Self { name: info.name, version: info.version, started, checks: service.readiness_checks().clone() }
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
}

pub(super) async fn handler(State(health): State<Arc<Health>>) -> (StatusCode, Json<Report>) {
    let (ready, checks) =
        if health.checks.is_empty() { (true, BTreeMap::new()) } else { health.checks.run(CHECK_TIMEOUT).await };
    let (code, status) = if ready { (StatusCode::OK, "ok") } else { (StatusCode::SERVICE_UNAVAILABLE, "unavailable") };
    let report = Report {
        status,
        name: health.name.clone(),
        version: health.version.clone(),
        uptime_seconds: health.started.elapsed().as_secs(),
        checks,
    };
    (code, Json(report))
}
