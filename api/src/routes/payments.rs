//! Payments: recorded by the account owner (bank transfers, cash, cheques) or reported by
//! Stripe; an invoice's payments and the account's payment history.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    cursor::{Page, PageJson},
    error::ApiError,
    extract::{Json, Path, Query},
    idempotency::Keyed,
    openapi::{
        BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized, Unavailable,
        UnsupportedMediaType, ValidationFailed,
    },
    state::AppState,
    views::InvoiceJson,
};
use axum::{extract::State, http::StatusCode};
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
use utoipa::{
    IntoParams, ToSchema,
    openapi::{ObjectBuilder, Type},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, record))
        .routes(routes!(history))
}

pub(super) const MAX_REFERENCE_CHARS: usize = 200;

/// An offline payment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "amount": 12_500, "method": "bank_transfer", "reference": "Transfer 4471" }))]
struct RecordPayment {
    /// Minor units of the invoice's currency: more than zero, at most the amount due.
    amount: i64,
    #[schema(schema_with = offline_method)]
    method: String,
    /// The payer's reference (a transfer's remittance information, a cheque number).
    reference: Option<String>,
}

/// A payment: offline, or online through Stripe.
#[derive(Serialize, ToSchema)]
#[schema(as = Payment)]
struct PaymentJson {
    id: Uuid,
    invoice_id: Uuid,
    /// Minor units of `currency`.
    amount: i64,
    /// ISO 4217.
    #[schema(example = "USD")]
    currency: String,
    method: PaymentMethod,
    #[schema(required = true)]
    reference: Option<String>,
    /// Stripe's PaymentIntent id, for online payments.
    #[schema(required = true)]
    transaction_id: Option<String>,
    amount_refunded: i64,
    #[schema(schema_with = payment_status)]
    status: String,
    recorded_at: DateTime<Utc>,
}

/// The methods an account owner may record: every [`PaymentMethod`] but `stripe`.
fn offline_method() -> ObjectBuilder {
    let offline = PaymentMethod::ALL
        .into_iter()
        .filter(|method| method.is_offline())
        .map(PaymentMethod::as_str);
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(offline))
        .description(Some(
            "How the payment was made; `stripe` payments are recorded from Stripe's own reports \
             only. `credit_balance` applies the customer's credit balance in the invoice's \
             currency (what credit notes moved there): a balance smaller than the amount is 409 \
             `insufficient-credit`, and nothing is recorded.",
        ))
}

/// A payment's status: one of [`payments::STATUSES`].
fn payment_status() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(payments::STATUSES))
        .description(Some("Whether, and how much of, the payment was refunded."))
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

/// The payment recorded and the invoice as stored with it.
#[derive(Serialize, ToSchema)]
#[schema(as = RecordedPayment)]
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
                     payment as bank_transfer, card, cash, check or other, or apply the \
                     customer's credit_balance",
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

/// Records an offline payment
///
/// A partial payment lowers the amount due; paying it in full makes the invoice paid. More than
/// the amount due is refused (422). Method `credit_balance` pays from the customer's credit
/// balance in the invoice's currency (`GET /customers/{id}/credit-balance`); more than that
/// balance is refused (409 `insufficient-credit`). With an `Idempotency-Key`, the payment's id is derived from
/// it: a retry, even of a request whose answer was lost, records the payment once and answers
/// with it.
#[utoipa::path(
    post,
    path = "/invoices/{id}/payments",
    operation_id = "record_payment",
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body = RecordPayment,
    responses(
        (status = 201, description = "The payment was recorded.", body = Recorded),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn record(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
    Json(body): Json<RecordPayment>,
) -> Result<(StatusCode, axum::Json<Recorded>), ApiError> {
    let payment_id = key
        .as_ref()
        .map_or_else(Uuid::new_v4, |key| key.id("payment"));
    let payment = body.parse(payment_id)?;
    let (recorded, invoice) =
        commands::record_payment(&state, caller, id, payment, key.as_ref()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Recorded {
            payment: recorded.into(),
            invoice,
        }),
    ))
}

/// An invoice's payments, oldest first.
#[derive(Serialize, ToSchema)]
struct PaymentList {
    data: Vec<PaymentJson>,
}

/// Lists an invoice's payments
#[utoipa::path(
    get,
    path = "/invoices/{id}/payments",
    operation_id = "list_invoice_payments",
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 200, description = "The invoice's payments.", body = PaymentList),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
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

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct HistoryParams {
    /// Only payments with this status.
    #[param(schema_with = payment_status)]
    status: Option<String>,
    /// Recorded on or after this day (UTC).
    #[param(value_type = Option<NaiveDate>)]
    from: Option<String>,
    /// Recorded on or before this day (UTC).
    #[param(value_type = Option<NaiveDate>)]
    to: Option<String>,
    /// Payments per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before.
    cursor: Option<String>,
}

/// A payment with its invoice's number.
#[derive(Serialize, ToSchema)]
#[schema(as = PaymentHistoryEntry)]
struct HistoryEntry {
    #[serde(flatten)]
    payment: PaymentJson,
    /// The invoice's number.
    #[schema(required = true, example = "INV-000001")]
    number: Option<String>,
}

fn day(name: &str, raw: Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    raw.filter(|raw| !raw.is_empty())
        .map(|raw| {
            NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                .map_err(|_| ApiError::BadRequest(format!("{name} must be a date like 2026-11-24")))
        })
        .transpose()
}

/// Lists the caller's payments
///
/// Across invoices, newest first; filterable by status and by the day they were recorded.
#[utoipa::path(
    get,
    path = "/payments",
    operation_id = "list_payments",
    tag = "payments",
    security(("bearer" = [])),
    params(HistoryParams),
    responses(
        (status = 200, description = "A page of the caller's payments.", body = PageJson<HistoryEntry>),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn history(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<HistoryParams>,
) -> Result<axum::Json<PageJson<HistoryEntry>>, ApiError> {
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
    Ok(axum::Json(PageJson {
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
