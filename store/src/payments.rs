//! Payments recorded against invoices.

use crate::StoreError;
use chrono::{DateTime, Utc};
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
    pub recorded_at: DateTime<Utc>,
}

/// An invoice's payments, oldest first.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn list(db: impl PgExecutor<'_>, invoice_id: Uuid) -> Result<Vec<Payment>, StoreError> {
    let rows = sqlx::query!(
        r#"
        SELECT id, invoice_id, amount, currency, method, reference, recorded_at
        FROM payments
        WHERE invoice_id = $1
        ORDER BY recorded_at, id
        "#,
        invoice_id,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Payment {
                id: row.id,
                invoice_id: row.invoice_id,
                amount: row.amount,
                currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                method: row.method.parse().map_err(StoreError::corrupt)?,
                reference: row.reference,
                recorded_at: row.recorded_at,
            })
        })
        .collect()
}
