//! Probes for Kubernetes: liveness says the process serves; readiness says its dependencies
//! answer.

use crate::state::AppState;
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use serde_json::{Value, json};
use std::time::Duration;
use temporalio_client::tonic::IntoRequest;
use temporalio_common::protos::grpc::health::v1::HealthCheckRequest;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
}

async fn live() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let timeout = Duration::from_secs(2);
    let database = tokio::time::timeout(timeout, sqlx::query("SELECT 1").execute(&state.db))
        .await
        .is_ok_and(|result| result.is_ok());
    let temporal = tokio::time::timeout(
        timeout,
        state
            .lifecycle
            .client()
            .connection()
            .health_service()
            .check(HealthCheckRequest::default().into_request()),
    )
    .await
    .is_ok_and(|result| result.is_ok());
    let status = if database && temporal {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let word = |up: bool| if up { "ok" } else { "unavailable" };
    (
        status,
        Json(json!({
            "status": word(database && temporal),
            "checks": { "database": word(database), "temporal": word(temporal) },
        })),
    )
}
