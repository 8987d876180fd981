//! Administrators' views.

use crate::{
    auth::AdminUser,
    cursor::{Page, PageJson},
    error::ApiError,
    extract::Query,
    openapi::{BadRequest, Forbidden, Unauthorized, Unavailable},
    state::AppState,
};
use axum::extract::State;
use chrono::{DateTime, Utc};
use invoicing_store::{invoices::PageKey, stripe};
use invoicing_workflows::{contracts::ReportSource, domain::DiscrepancyKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(reconciliation))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PageParams {
    /// Discrepancies per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before.
    cursor: Option<String>,
}

/// Something Stripe and the books disagree on.
#[derive(Serialize, ToSchema)]
#[schema(as = Discrepancy)]
struct DiscrepancyJson {
    id: Uuid,
    #[schema(value_type = DiscrepancyKind)]
    kind: String,
    /// Stripe's PaymentIntent id.
    transaction_id: String,
    /// The invoice the report named, if we have it.
    #[schema(required = true)]
    invoice_id: Option<Uuid>,
    /// For `other_invoice`: the invoice the PaymentIntent already belongs to, which keeps it.
    #[schema(required = true)]
    other_invoice_id: Option<Uuid>,
    #[schema(value_type = ReportSource)]
    source: String,
    /// Minor units of `currency`.
    #[schema(required = true)]
    expected_amount: Option<i64>,
    /// Minor units of `currency`.
    #[schema(required = true)]
    actual_amount: Option<i64>,
    /// ISO 4217, as Stripe reported it.
    #[schema(required = true)]
    currency: Option<String>,
    detail: String,
    detected_at: DateTime<Utc>,
}

/// The payment reconciliation
///
/// What Stripe and the books disagree on, newest first: found by webhooks, pay-link watchdogs
/// and the nightly reconciliation. Administrators only.
#[utoipa::path(
    get,
    path = "/admin/reconciliation",
    operation_id = "reconciliation",
    tag = "admin",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of discrepancies.", body = PageJson<DiscrepancyJson>),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    ),
)]
async fn reconciliation(
    State(state): State<AppState>,
    _: AdminUser,
    Query(params): Query<PageParams>,
) -> Result<axum::Json<PageJson<DiscrepancyJson>>, ApiError> {
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let after = page.after.map(|key| (key.created_at, key.id));
    let mut rows = stripe::discrepancies(&state.db, after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.detected_at,
        id: last.id,
    });
    Ok(axum::Json(PageJson {
        data: rows
            .into_iter()
            .map(|row| DiscrepancyJson {
                id: row.id,
                kind: row.kind,
                transaction_id: row.transaction_id,
                invoice_id: row.invoice_id,
                other_invoice_id: row.other_invoice_id,
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
