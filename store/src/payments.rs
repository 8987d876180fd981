//! Payments recorded against invoices.

use crate::{StoreError, invoices::PageKey};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::domain::{Currency, PaymentMethod};
use sqlx::PgExecutor;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
pub struct Payment {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount: i64,
    pub currency: Currency,
    pub method: PaymentMethod,
    pub reference: Option<String>,
    /// The processor's id (a Stripe PaymentIntent) of an online payment.
    pub transaction_id: Option<String>,
    pub amount_refunded: i64,
    /// `succeeded`, `partially_refunded` or `refunded`.
    pub status: String,
    pub recorded_at: DateTime<Utc>,
}

/// The payment statuses `GET /api/payments` filters on.
pub const STATUSES: [&str; 3] = ["succeeded", "partially_refunded", "refunded"];

/// Which of an account's payments to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    /// Recorded on or after this day (UTC).
    pub from: Option<NaiveDate>,
    /// Recorded on or before this day (UTC).
    pub to: Option<NaiveDate>,
}

/// An account's payments, newest first, after the cursor if given.
#[tracing::instrument(skip_all, fields(owner_id = %owner_id))]
pub async fn list_for_owner(
    db: impl PgExecutor<'_>,
    owner_id: Uuid,
    filter: &Filter,
    after: Option<PageKey>,
    limit: i64,
) -> Result<Vec<(Payment, Option<String>)>, StoreError> {
    let from = filter
        .from
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|start| start.and_utc());
    let until = filter
        .to
        .and_then(|day| day.succ_opt())
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|end| end.and_utc());
    let rows = sqlx::query!(
        r#"
        SELECT p.id, p.invoice_id, p.amount, p.currency, p.method, p.reference,
               p.transaction_id, p.amount_refunded, p.status AS "status!", p.recorded_at,
               i.number_text
        FROM payments p
        JOIN invoices i ON i.id = p.invoice_id
        WHERE i.user_id = $1
          AND ($2::text IS NULL OR p.status = $2)
          AND ($3::timestamptz IS NULL OR p.recorded_at >= $3)
          AND ($4::timestamptz IS NULL OR p.recorded_at < $4)
          AND ($5::timestamptz IS NULL OR (p.recorded_at, p.id) < ($5, $6))
        ORDER BY p.recorded_at DESC, p.id DESC
        LIMIT $7
        "#,
        owner_id,
        filter.status,
        from,
        until,
        after.map(|key| key.created_at),
        after.map(|key| key.id),
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let payment = Payment::try_from(PaymentRow {
                id: row.id,
                invoice_id: row.invoice_id,
                amount: row.amount,
                currency: row.currency,
                method: row.method,
                reference: row.reference,
                transaction_id: row.transaction_id,
                amount_refunded: row.amount_refunded,
                status: row.status,
                recorded_at: row.recorded_at,
            })?;
            let number = row.number_text;
            Ok((payment, number))
        })
        .collect()
}

/// A payment row as stored, before its text columns are parsed.
struct PaymentRow {
    id: Uuid,
    invoice_id: Uuid,
    amount: i64,
    currency: String,
    method: String,
    reference: Option<String>,
    transaction_id: Option<String>,
    amount_refunded: i64,
    status: String,
    recorded_at: DateTime<Utc>,
}

impl TryFrom<PaymentRow> for Payment {
    type Error = StoreError;

    fn try_from(row: PaymentRow) -> Result<Self, StoreError> {
        Ok(Payment {
            id: row.id,
            invoice_id: row.invoice_id,
            amount: row.amount,
            currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
            method: row.method.parse().map_err(StoreError::corrupt)?,
            reference: row.reference,
            transaction_id: row.transaction_id,
            amount_refunded: row.amount_refunded,
            status: row.status,
            recorded_at: row.recorded_at,
        })
    }
}

/// An invoice's payments, oldest first.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn list(db: impl PgExecutor<'_>, invoice_id: Uuid) -> Result<Vec<Payment>, StoreError> {
    let rows = sqlx::query_as!(
        PaymentRow,
        r#"
        SELECT id, invoice_id, amount, currency, method, reference, transaction_id,
               amount_refunded, status AS "status!", recorded_at
        FROM payments
        WHERE invoice_id = $1
        ORDER BY recorded_at, id
        "#,
        invoice_id,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(Payment::try_from).collect()
}

/// One payment by its id.
#[tracing::instrument(skip_all, fields(payment_id = %payment_id))]
pub async fn get(db: impl PgExecutor<'_>, payment_id: Uuid) -> Result<Option<Payment>, StoreError> {
    let row = sqlx::query_as!(
        PaymentRow,
        r#"
        SELECT id, invoice_id, amount, currency, method, reference, transaction_id,
               amount_refunded, status AS "status!", recorded_at
        FROM payments
        WHERE id = $1
        "#,
        payment_id,
    )
    .fetch_optional(db)
    .await?;
    row.map(Payment::try_from).transpose()
}
