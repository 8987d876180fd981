//! HTTP routes, one file per resource, each exposing `router()`.

mod admin;
mod auth;
mod checkout;
mod documents;
mod health;
mod invoices;
mod lifecycle;
mod payments;
mod settings;
mod timeline;
mod users;
mod webhooks;

use crate::{error::ApiError, state::AppState};
use axum::{Router, extract::DefaultBodyLimit, http::StatusCode, response::IntoResponse};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

/// Request bodies larger than this are refused with 413; the largest legitimate body, a draft
/// with 500 long line items, is well under it.
const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::router())
        .merge(users::router())
        .merge(invoices::router())
        .merge(lifecycle::router())
        .merge(payments::router())
        .merge(timeline::router())
        .merge(documents::router())
        .merge(settings::router())
        .merge(checkout::router())
        .merge(webhooks::router())
        .merge(admin::router());
    Router::new()
        .merge(health::router())
        .nest("/api", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("route")
}

async fn method_not_allowed() -> impl IntoResponse {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
        axum::Json(serde_json::json!({
            "type": "/problems/method-not-allowed",
            "title": "Method Not Allowed",
            "status": 405,
            "detail": "This route does not support that HTTP method.",
        })),
    )
}
