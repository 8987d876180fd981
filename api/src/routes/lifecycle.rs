//! Lifecycle commands on one invoice: send, void, move the due date. Each is an Update to the
//! invoice's workflow; the answer is the invoice as stored once the workflow has recorded it.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::{Json, JsonOrEmpty, Path},
    idempotency::Keyed,
    lifecycle::Command,
    openapi::{
        self, BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized,
        Unavailable, UnsupportedMediaType, ValidationFailed,
    },
    routes::invoices::{InvoiceJson, stored},
    state::AppState,
};
use axum::extract::State;
use chrono::NaiveDate;
use invoicing_workflows::VoidRequest;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send))
        .routes(openapi::body_optional(routes!(void)))
        .routes(routes!(change_due_date))
}

/// Sends a draft
///
/// The invoice gets the account's next number, its PDF is rendered and e-mailed to the client,
/// and its due date starts running.
#[utoipa::path(
    post,
    path = "/invoices/{id}/send",
    operation_id = "send_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 200, description = "The invoice as stored once sent.", body = InvoiceJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    ),
)]
async fn send(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Change).await?;
    commands::run(&state, id, Command::Send, key.as_ref()).await?;
    tracing::info!(invoice_id = %id, "invoice sent");
    stored(&state, id).await
}

pub(super) const MAX_REASON_CHARS: usize = 500;

/// Why the invoice is void; the whole body may be left out.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = VoidInvoice)]
struct VoidBody {
    /// Blank is no reason.
    #[schema(example = "Issued in error.")]
    reason: Option<String>,
}

/// Voids an invoice
///
/// A draft, sent or overdue invoice without payments. The body is optional.
#[utoipa::path(
    post,
    path = "/invoices/{id}/void",
    operation_id = "void_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body(content = VoidBody, description = "Optional: an empty body is no reason."),
    responses(
        (status = 200, description = "The invoice as stored once void.", body = InvoiceJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn void(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
    JsonOrEmpty(body): JsonOrEmpty<VoidBody>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    let reason = body
        .reason
        .map(|reason| reason.trim().to_owned())
        .filter(|reason| !reason.is_empty());
    if reason
        .as_ref()
        .is_some_and(|reason| reason.chars().count() > MAX_REASON_CHARS)
    {
        return Err(ApiError::invalid(
            "reason",
            format!("must be at most {MAX_REASON_CHARS} characters"),
        ));
    }
    commands::load_summary(&state, caller, id, Access::Change).await?;
    let request = VoidRequest { reason };
    commands::run(&state, id, Command::Void(request), key.as_ref()).await?;
    tracing::info!(invoice_id = %id, "invoice voided");
    stored(&state, id).await
}

/// The new due date.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ChangeDueDate)]
struct DueDateBody {
    /// On or after the issue date and within five years of it.
    due_date: NaiveDate,
}

/// Moves the due date
///
/// Of a sent or overdue invoice; its overdue timer moves with it (an overdue invoice whose due
/// date moves into the future is sent again).
#[utoipa::path(
    patch,
    path = "/invoices/{id}/due-date",
    operation_id = "change_due_date",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body = DueDateBody,
    responses(
        (status = 200, description = "The invoice as stored with its new due date.", body = InvoiceJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn change_due_date(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<DueDateBody>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Change).await?;
    commands::run(&state, id, Command::ChangeDueDate(body.due_date), None).await?;
    tracing::info!(invoice_id = %id, due_date = %body.due_date, "due date changed");
    stored(&state, id).await
}
