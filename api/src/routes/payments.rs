//! Payments recorded by the account owner (bank transfers, cash, cheques).

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::{Json, Path},
    lifecycle::Command,
    routes::invoices::{InvoiceJson, stored},
    state::AppState,
};
use axum::{Router, extract::State, http::StatusCode, routing::get};
use chrono::{DateTime, Utc};
use invoicing_store::payments::{self, Payment};
use invoicing_workflows::{
    contracts::PaymentRequest,
    domain::{FieldErrors, MAX_AMOUNT, PaymentMethod},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/invoices/{id}/payments", get(list).post(record))
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
    amount: i64,
    currency: String,
    method: PaymentMethod,
    reference: Option<String>,
    recorded_at: DateTime<Utc>,
}

impl From<Payment> for PaymentJson {
    fn from(payment: Payment) -> Self {
        Self {
            id: payment.id,
            amount: payment.amount,
            currency: payment.currency.code().to_owned(),
            method: payment.method,
            reference: payment.reference,
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
        let method = self
            .method
            .parse::<PaymentMethod>()
            .map_err(|error| errors.add("method", error.to_string()))
            .ok();
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
