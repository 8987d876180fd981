//! Bad debts: an invoice marked uncollectible, and each later movement of what was written
//! off (a payment that recovers part of it, a refund of such a payment). `write_offs` holds
//! one row per movement, dated as the books date it, for statements and exports.

use crate::{StoreError, events, transitions};
use chrono::NaiveDate;
use invoicing_workflows::{
    contracts::MarkUncollectibleInput,
    domain::{Currency, EventKind},
};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// One movement of a bad debt: positive writes off, negative recovers.
pub(crate) struct Movement<'a> {
    pub invoice_id: Uuid,
    pub event_seq: i32,
    pub user_id: Uuid,
    pub currency: Currency,
    pub amount: i64,
    /// The write-off's date, or the recovering payment's (refund's) day.
    pub occurred_on: NaiveDate,
    pub reason: Option<&'a str>,
    pub payment_id: Option<Uuid>,
}

/// Records a movement in the transaction of the write that makes it; the write's timeline
/// entry is its key, so a retried write (already stored) never reaches here twice, and a
/// row already there is left as it is.
#[tracing::instrument(skip_all, fields(invoice_id = %movement.invoice_id))]
pub(crate) async fn record(
    conn: &mut PgConnection,
    movement: &Movement<'_>,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        INSERT INTO write_offs
            (invoice_id, event_seq, user_id, currency, amount, occurred_on, reason, payment_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (invoice_id, event_seq) DO NOTHING
        "#,
        movement.invoice_id,
        movement.event_seq,
        movement.user_id,
        movement.currency.code(),
        movement.amount,
        movement.occurred_on,
        movement.reason,
        movement.payment_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the invoice uncollectible and writes its amount due off.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn mark_uncollectible(
    pool: &PgPool,
    input: &MarkUncollectibleInput,
) -> Result<(), StoreError> {
    let Some((mut tx, locked)) = transitions::begin(pool, input.invoice_id, input.version).await?
    else {
        return Ok(());
    };
    sqlx::query!(
        r#"
        UPDATE invoices
        SET status = 'uncollectible', uncollectible_on = $2, uncollectible_reason = $3,
            version = $4, updated_at = now()
        WHERE id = $1
        "#,
        input.invoice_id,
        input.on,
        input.reason,
        input.version,
    )
    .execute(&mut *tx)
    .await?;
    let currency = Currency::parse(&locked.currency).map_err(StoreError::corrupt)?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::MarkedUncollectible,
        json!({
            "reason": input.reason,
            "on": input.on,
            "amount": input.amount,
        }),
        input.at,
    )
    .await?;
    if input.amount > 0 {
        record(
            &mut tx,
            &Movement {
                invoice_id: input.invoice_id,
                event_seq: input.event_seq,
                user_id: locked.user_id,
                currency,
                amount: input.amount,
                occurred_on: input.on,
                reason: Some(&input.reason),
                payment_id: None,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
