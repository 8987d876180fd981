//! Prometheus metrics (`GET /metrics`) and the per-request span that puts the request id in
//! every log line.
//!
//! Metrics: `http_requests_total` and `http_request_duration_seconds` by method, route
//! template and status; `invoice_cache_hits_total` / `invoice_cache_misses_total`;
//! `rate_limit_rejections_total` by policy; `rate_limit_unavailable_total`;
//! `idempotent_replays_total`.

use crate::state::AppState;
use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::{sync::OnceLock, time::Instant};

/// Latency buckets in seconds: from a cache hit (sub-millisecond) to a command that waits on
/// a workflow (seconds).
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide recorder (tests build several APIs in one process; they share it).
pub fn recorder() -> anyhow::Result<PrometheusHandle> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("http_request_duration_seconds".to_owned()),
            LATENCY_BUCKETS,
        )?
        .build_recorder();
    let handle = recorder.handle();
    if HANDLE.set(handle.clone()).is_ok() {
        // Ours is the only recorder this process installs; losing a race means another
        // thread installed the same kind just now.
        let _ = metrics::set_global_recorder(recorder);
    }
    Ok(HANDLE.get().cloned().unwrap_or(handle))
}

/// Counts and times every request by its route template (`/api/invoices/{id}`, never the
/// concrete path, which would make one series per invoice).
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Prometheus metrics
///
/// In the Prometheus text format: requests and latencies by route and status, cache hits and
/// misses, rate-limit rejections, idempotent replays.
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "health",
    responses(
        (status = 200, description = "The process's metrics.", body = String, content_type = "text/plain"),
    ),
)]
pub async fn render(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        state.metrics.render(),
    )
        .into_response()
}
