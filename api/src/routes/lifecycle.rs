//! Lifecycle commands on one invoice: send, void, move the due date. Each is an Update to the
//! invoice's workflow; the answer is the invoice as stored once the workflow has recorded it.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::{Json, JsonOrEmpty, Path},
    lifecycle::Command,
    routes::invoices::{InvoiceJson, stored},
    state::AppState,
};
use axum::{
    Router,
    extract::State,
    routing::{patch, post},
};
use chrono::NaiveDate;
use invoicing_workflows::VoidRequest;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}/send", post(send))
        .route("/invoices/{id}/void", post(void))
        .route("/invoices/{id}/due-date", patch(change_due_date))
}

/// Sends a draft: it gets the account's next invoice number and its due date starts running.
async fn send(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Change).await?;
    commands::run(&state, id, Command::Send).await?;
    tracing::info!(invoice_id = %id, "invoice sent");
    stored(&state, id).await
}

const MAX_REASON_CHARS: usize = 500;

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoidBody {
    reason: Option<String>,
}

/// Voids a draft, sent or overdue invoice that has no payments. The body is optional.
async fn void(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
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
    commands::run(&state, id, Command::Void(request)).await?;
    tracing::info!(invoice_id = %id, "invoice voided");
    stored(&state, id).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DueDateBody {
    due_date: NaiveDate,
}

/// Moves the due date of a sent or overdue invoice; its overdue timer moves with it.
async fn change_due_date(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<DueDateBody>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Change).await?;
    commands::run(&state, id, Command::ChangeDueDate(body.due_date)).await?;
    tracing::info!(invoice_id = %id, due_date = %body.due_date, "due date changed");
    stored(&state, id).await
}
