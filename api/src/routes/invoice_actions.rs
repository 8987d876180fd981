//! What happens to a sent invoice: send it, void it, move its due date. Each is a command to
//! the invoice's workflow (`commands::apply`); the answer is the invoice as stored once the
//! workflow has recorded it.

use crate::{
    auth::AuthUser,
    commands::{self, Command},
    error::ApiError,
    extract::{Json, JsonOrEmpty, Path},
    idempotency::Keyed,
    openapi::{
        self, BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized,
        Unavailable, UnsupportedMediaType, ValidationFailed,
    },
    state::AppState,
    views::InvoiceJson,
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
    commands::apply(&state, caller, id, Command::Send, key.as_ref()).await
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

impl VoidBody {
    /// The request: the reason trimmed, blank as none, at most [`MAX_REASON_CHARS`].
    fn parse(self) -> Result<VoidRequest, ApiError> {
        let reason = self
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
        Ok(VoidRequest { reason })
    }
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
    let command = Command::Void(body.parse()?);
    commands::apply(&state, caller, id, command, key.as_ref()).await
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
    let command = Command::ChangeDueDate(body.due_date);
    commands::apply(&state, caller, id, command, None).await
}
