//! `GET /health`: liveness for load balancers and orchestrators, outside authentication.

use std::{sync::Arc, time::Instant};

use axum::{Json, extract::State};
use rmcp::Service;
use serde::Serialize;

use crate::service::McpService;

pub(super) struct Health {
    name: String,
    version: String,
    started: Instant,
}

impl Health {
    pub(super) fn new(service: &McpService, started: Instant) -> Self {
        let info = service.get_info().server_info;
        Self { name: info.name, version: info.version, started }
    }
}

#[derive(Serialize)]
pub(super) struct Report {
    status: &'static str,
    name: String,
    version: String,
    uptime_seconds: u64,
}

pub(super) async fn handler(State(health): State<Arc<Health>>) -> Json<Report> {
    Json(Report {
        status: "ok",
        name: health.name.clone(),
        version: health.version.clone(),
        uptime_seconds: health.started.elapsed().as_secs(),
    })
}
