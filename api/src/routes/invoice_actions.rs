//! What happens to a sent invoice: send it, void it, move its due date, write it off. Each is a command to
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
use invoicing_workflows::{UncollectibleRequest, VoidRequest};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send))
        .routes(openapi::body_optional(routes!(void)))
        .routes(routes!(change_due_date))
        .routes(routes!(mark_uncollectible))
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

/// A reason as typed: trimmed, blank as none, at most [`MAX_REASON_CHARS`].
fn reason(raw: Option<String>) -> Result<Option<String>, ApiError> {
    let reason = raw
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
    Ok(reason)
}

impl VoidBody {
    /// The request: the reason as typed, if any.
    fn parse(self) -> Result<VoidRequest, ApiError> {
        Ok(VoidRequest {
            reason: reason(self.reason)?,
        })
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

/// Why and when the amount due is written off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MarkUncollectible)]
struct UncollectibleBody {
    /// Why the money will not come, for the books; required.
    #[schema(example = "The customer is insolvent.")]
    reason: String,
    /// The write-off's date: from the issue date to today (UTC). Left out, today.
    #[schema(value_type = Option<NaiveDate>, example = "2026-12-07")]
    on: Option<NaiveDate>,
}

impl UncollectibleBody {
    /// The request: the reason as typed, not blank; the date, today if left out (the
    /// workflow checks it against the issue date and the clock).
    fn parse(self, today: NaiveDate) -> Result<UncollectibleRequest, ApiError> {
        let reason = reason(Some(self.reason))?
            .ok_or_else(|| ApiError::invalid("reason", "must not be blank"))?;
        Ok(UncollectibleRequest {
            reason,
            on: self.on.unwrap_or(today),
        })
    }
}

/// Marks an invoice uncollectible
///
/// Writes the amount due of a sent or overdue invoice off as a bad debt: its reminders stop,
/// it leaves the receivables (the dashboard's outstanding figures and the aging report), and
/// the timeline and a lifecycle event say so; the client is not told. A payment that still
/// comes is recorded as usual and recovers that much of the debt; paid in full, the invoice
/// is paid.
#[utoipa::path(
    post,
    path = "/invoices/{id}/uncollectible",
    operation_id = "mark_invoice_uncollectible",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body = UncollectibleBody,
    responses(
        (status = 200, description = "The invoice as stored once written off.", body = InvoiceJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn mark_uncollectible(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
    Json(body): Json<UncollectibleBody>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    let command = Command::MarkUncollectible(body.parse(chrono::Utc::now().date_naive())?);
    commands::apply(&state, caller, id, command, key.as_ref()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(reason: &str, on: Option<&str>) -> UncollectibleBody {
        UncollectibleBody {
            reason: reason.to_owned(),
            on: on.map(|on| on.parse().unwrap()),
        }
    }

    #[test]
    fn a_write_off_needs_a_reason_and_is_dated_today_unless_told() {
        let today: NaiveDate = "2026-12-07".parse().unwrap();
        let request = body("  Insolvent  ", None).parse(today).unwrap();
        assert_eq!(request.reason, "Insolvent");
        assert_eq!(request.on, today);
        let request = body("Gone", Some("2026-11-30")).parse(today).unwrap();
        assert_eq!(request.on, "2026-11-30".parse::<NaiveDate>().unwrap());
        for reason in ["", "   "] {
            assert!(matches!(
                body(reason, None).parse(today),
                Err(ApiError::Validation(_))
            ));
        }
        assert!(
            body(&"x".repeat(MAX_REASON_CHARS), None)
                .parse(today)
                .is_ok()
        );
        assert!(
            body(&"x".repeat(MAX_REASON_CHARS + 1), None)
                .parse(today)
                .is_err()
        );
    }
}
