//! Administrators' views.

use crate::{auth::AuthUser, cursor::Page, error::ApiError, extract::Query, state::AppState};
use axum::{Router, extract::State, routing::get};
use chrono::{DateTime, Utc};
use invoicing_store::{invoices::PageKey, stripe};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/reconciliation", get(reconciliation))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageParams {
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Serialize)]
struct DiscrepancyJson {
    id: Uuid,
    kind: String,
    transaction_id: String,
    invoice_id: Option<Uuid>,
    source: String,
    expected_amount: Option<i64>,
    actual_amount: Option<i64>,
    currency: Option<String>,
    detail: String,
    detected_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Discrepancies {
    data: Vec<DiscrepancyJson>,
    next_cursor: Option<String>,
}

/// What Stripe and the books disagree on, newest first: found by webhooks, pay-link watchdogs
/// and the nightly reconciliation.
async fn reconciliation(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<PageParams>,
) -> Result<axum::Json<Discrepancies>, ApiError> {
    if !caller.is_admin() {
        return Err(ApiError::Forbidden(
            "Only administrators can see the payment reconciliation.",
        ));
    }
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let after = page.after.map(|key| (key.created_at, key.id));
    let mut rows = stripe::discrepancies(&state.db, after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.detected_at,
        id: last.id,
    });
    Ok(axum::Json(Discrepancies {
        data: rows
            .into_iter()
            .map(|row| DiscrepancyJson {
                id: row.id,
                kind: row.kind,
                transaction_id: row.transaction_id,
                invoice_id: row.invoice_id,
                source: row.source,
                expected_amount: row.expected_amount,
                actual_amount: row.actual_amount,
                currency: row.currency,
                detail: row.detail,
                detected_at: row.detected_at,
            })
            .collect(),
        next_cursor,
    }))
}
