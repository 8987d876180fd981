//! Probes for Kubernetes: liveness says the process serves; readiness says its dependencies
//! answer (PostgreSQL, Temporal, Redis).

use crate::state::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use std::time::Duration;
use temporalio_client::tonic::IntoRequest;
use temporalio_common::protos::grpc::health::v1::HealthCheckRequest;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(live))
        .routes(routes!(ready))
}

/// `ok` or `unavailable`; overall, `degraded` when only Redis is down (no cache, no rate
/// limits, no new sessions, but the API serves).
#[derive(Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum Health {
    Ok,
    Degraded,
    Unavailable,
}

impl Health {
    fn of(up: bool) -> Self {
        if up { Health::Ok } else { Health::Unavailable }
    }
}

/// The process serves.
#[derive(Serialize, ToSchema)]
struct Liveness {
    status: Health,
}

/// Whether the API's dependencies answer, each and together.
#[derive(Serialize, ToSchema)]
struct Readiness {
    status: Health,
    checks: Checks,
}

#[derive(Serialize, ToSchema)]
struct Checks {
    database: Health,
    temporal: Health,
    redis: Health,
}

/// Liveness
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "liveness",
    tag = "health",
    responses((status = 200, description = "The process serves.", body = Liveness)),
)]
async fn live() -> Json<Liveness> {
    Json(Liveness { status: Health::Ok })
}

/// Readiness
///
/// PostgreSQL and Temporal each answer within 2 seconds (503 otherwise). Redis is reported but
/// does not fail the probe: without it the API still serves, degraded.
#[utoipa::path(
    get,
    path = "/readyz",
    operation_id = "readiness",
    tag = "health",
    responses(
        (status = 200, description = "Ready: every dependency answers.", body = Readiness),
        (status = 503, description = "Not ready: a dependency does not answer.", body = Readiness),
    ),
)]
async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let timeout = Duration::from_secs(2);
    let database = tokio::time::timeout(timeout, sqlx::query("SELECT 1").execute(&state.db))
        .await
        .is_ok_and(|result| result.is_ok());
    let temporal = tokio::time::timeout(
        timeout,
        state
            .workflows
            .client()
            .connection()
            .health_service()
            .check(HealthCheckRequest::default().into_request()),
    )
    .await
    .is_ok_and(|result| result.is_ok());
    // Redis down degrades the API (no cache, no rate limits, no new sign-ins) but does not stop
    // it serving: reported, not failing the probe, so Kubernetes keeps the replicas in service.
    let redis = state.redis.ping().await;
    let status = if database && temporal {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            status: match (database && temporal, redis) {
                (false, _) => Health::Unavailable,
                (true, false) => Health::Degraded,
                (true, true) => Health::Ok,
            },
            checks: Checks {
                database: Health::of(database),
                temporal: Health::of(temporal),
                redis: Health::of(redis),
            },
        }),
    )
}
