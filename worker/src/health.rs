//! Probes for Kubernetes on `APP_WORKER__HEALTH_ADDRESS`: `/healthz` says the process serves,
//! `/readyz` that what the worker needs answers (Temporal, PostgreSQL).
//!
//! A worker takes no traffic, so readiness only paces a rolling update: a new pod counts as
//! up once it can reach Temporal and the database, and the old one is stopped after that. The
//! Prometheus exporter of the SDK serves only `/metrics` on its own port, hence a port of
//! its own here.

use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use serde::Serialize;
use sqlx::PgPool;
use std::time::Duration;
use temporalio_client::{Client, tonic::IntoRequest};
use temporalio_common::protos::grpc::health::v1::HealthCheckRequest;
use tokio::net::TcpListener;

/// What the readiness probe checks.
#[derive(Clone)]
pub struct Dependencies {
    pub temporal: Client,
    pub db: PgPool,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Health {
    Ok,
    Unavailable,
}

impl Health {
    fn of(up: bool) -> Self {
        if up { Health::Ok } else { Health::Unavailable }
    }
}

#[derive(Serialize)]
struct Liveness {
    status: Health,
}

#[derive(Serialize)]
struct Readiness {
    status: Health,
    checks: Checks,
}

#[derive(Serialize)]
struct Checks {
    temporal: Health,
    database: Health,
}

/// Serves the probes on `listener` until the process ends.
pub async fn serve(listener: TcpListener, dependencies: Dependencies) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
        .with_state(dependencies);
    axum::serve(listener, app).await
}

async fn live() -> Json<Liveness> {
    Json(Liveness { status: Health::Ok })
}

/// 200 when Temporal and PostgreSQL each answer within 2 seconds, 503 otherwise.
async fn ready(State(dependencies): State<Dependencies>) -> (StatusCode, Json<Readiness>) {
    let timeout = Duration::from_secs(2);
    let temporal = tokio::time::timeout(
        timeout,
        dependencies
            .temporal
            .connection()
            .health_service()
            .check(HealthCheckRequest::default().into_request()),
    )
    .await
    .is_ok_and(|result| result.is_ok());
    let database = tokio::time::timeout(timeout, sqlx::query("SELECT 1").execute(&dependencies.db))
        .await
        .is_ok_and(|result| result.is_ok());
    let up = temporal && database;
    (
        if up {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(Readiness {
            status: Health::of(up),
            checks: Checks {
                temporal: Health::of(temporal),
                database: Health::of(database),
            },
        }),
    )
}
