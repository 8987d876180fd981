//! Payments: recorded by the account owner (bank transfers, cash, cheques) or reported by
//! Stripe; an invoice's payments and the account's payment history.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    cursor::Page,
    error::ApiError,
    extract::{Json, Path, Query},
    lifecycle::Command,
    routes::invoices::{InvoiceJson, stored},
    state::AppState,
};
use axum::{Router, extract::State, http::StatusCode, routing::get};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::{
    invoices::PageKey,
    payments::{self, Filter, Payment},
};
use invoicing_workflows::{
    contracts::PaymentRequest,
    domain::{FieldErrors, MAX_AMOUNT, PaymentMethod},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}/payments", get(list).post(record))
        .route("/payments", get(history))
}

const MAX_REFERENCE_CHARS: usize = 200;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordPayment {
    /// Minor units of the invoice's currency.
    amount: i64,
    method: String,
    reference: Option<String>,
}

#[derive(Serialize)]
struct PaymentJson {
    id: Uuid,
    invoice_id: Uuid,
    amount: i64,
    currency: String,
    method: PaymentMethod,
    reference: Option<String>,
    /// Stripe's PaymentIntent id, for online payments.
    transaction_id: Option<String>,
    amount_refunded: i64,
    /// `succeeded`, `partially_refunded` or `refunded`.
    status: String,
    recorded_at: DateTime<Utc>,
}

impl From<Payment> for PaymentJson {
    fn from(payment: Payment) -> Self {
        Self {
            id: payment.id,
            invoice_id: payment.invoice_id,
            amount: payment.amount,
            currency: payment.currency.code().to_owned(),
            method: payment.method,
            reference: payment.reference,
            transaction_id: payment.transaction_id,
            amount_refunded: payment.amount_refunded,
            status: payment.status,
            recorded_at: payment.recorded_at,
        }
    }
}

#[derive(Serialize)]
struct Recorded {
    payment: PaymentJson,
    invoice: InvoiceJson,
}

impl RecordPayment {
    fn parse(self, payment_id: Uuid) -> Result<PaymentRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.amount <= 0 {
            errors.add("amount", "must be greater than zero");
        } else if self.amount > MAX_AMOUNT {
            errors.add("amount", format!("must be at most {MAX_AMOUNT}"));
        }
        let method = match self.method.parse::<PaymentMethod>() {
            Ok(method) if method.is_offline() => Some(method),
            Ok(_) => {
                errors.add(
                    "method",
                    "stripe payments are recorded from Stripe's own reports; record an offline \
                     payment as bank_transfer, card, cash, check or other",
                );
                None
            }
            Err(error) => {
                errors.add("method", error.to_string());
                None
            }
        };
        let reference = self
            .reference
            .map(|reference| reference.trim().to_owned())
            .filter(|reference| !reference.is_empty());
        if reference
            .as_ref()
            .is_some_and(|reference| reference.chars().count() > MAX_REFERENCE_CHARS)
        {
            errors.add(
                "reference",
                format!("must be at most {MAX_REFERENCE_CHARS} characters"),
            );
        }
        match method {
            Some(method) if errors.is_empty() => Ok(PaymentRequest {
                payment_id,
                amount: self.amount,
                method,
                reference,
                transaction_id: None,
            }),
            _ => Err(errors),
        }
    }
}

/// Records an offline payment. A partial payment lowers the amount due; paying it in full makes
/// the invoice paid. More than the amount due is refused (422).
async fn record(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<RecordPayment>,
) -> Result<(StatusCode, axum::Json<Recorded>), ApiError> {
    let payment = body.parse(Uuid::new_v4())?;
    commands::load_summary(&state, caller, id, Access::Change).await?;
    let payment_id = payment.payment_id;
    commands::run(&state, id, Command::RecordPayment(payment)).await?;
    tracing::info!(invoice_id = %id, %payment_id, "payment recorded");
    let recorded = payments::list(&state.db, id)
        .await?
        .into_iter()
        .find(|payment| payment.id == payment_id)
        .ok_or_else(|| {
            ApiError::internal(anyhow::anyhow!("payment {payment_id} was not stored"))
        })?;
    let axum::Json(invoice) = stored(&state, id).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Recorded {
            payment: recorded.into(),
            invoice,
        }),
    ))
}

#[derive(Serialize)]
struct PaymentList {
    data: Vec<PaymentJson>,
}

async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<PaymentList>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Read).await?;
    let data = payments::list(&state.db, id)
        .await?
        .into_iter()
        .map(PaymentJson::from)
        .collect();
    Ok(axum::Json(PaymentList { data }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryParams {
    status: Option<String>,
    /// `YYYY-MM-DD`: recorded on or after this day (UTC).
    from: Option<String>,
    /// `YYYY-MM-DD`: recorded on or before this day (UTC).
    to: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Serialize)]
struct HistoryEntry {
    #[serde(flatten)]
    payment: PaymentJson,
    /// The invoice's number.
    number: Option<String>,
}

#[derive(Serialize)]
struct History {
    data: Vec<HistoryEntry>,
    next_cursor: Option<String>,
}

fn day(name: &str, raw: Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    raw.filter(|raw| !raw.is_empty())
        .map(|raw| {
            NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                .map_err(|_| ApiError::BadRequest(format!("{name} must be a date like 2026-11-24")))
        })
        .transpose()
}

/// The caller's payments across invoices, newest first; filterable by status and by the day
/// they were recorded.
async fn history(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<HistoryParams>,
) -> Result<axum::Json<History>, ApiError> {
    let status = params.status.filter(|status| !status.is_empty());
    if let Some(status) = &status
        && !payments::STATUSES.contains(&status.as_str())
    {
        return Err(ApiError::BadRequest(format!(
            "status must be one of {}",
            payments::STATUSES.join(", ")
        )));
    }
    let filter = Filter {
        status,
        from: day("from", params.from)?,
        to: day("to", params.to)?,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        return Err(ApiError::BadRequest("from must not be after to".to_owned()));
    }
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let mut rows =
        payments::list_for_owner(&state.db, caller.id, &filter, page.after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |(last, _)| PageKey {
        created_at: last.recorded_at,
        id: last.id,
    });
    Ok(axum::Json(History {
        data: rows
            .into_iter()
            .map(|(payment, number)| HistoryEntry {
                payment: payment.into(),
                number,
            })
            .collect(),
        next_cursor,
    }))
}
