//! Taking money out of a customer's credit balance (`customer_credits`): applied to one of their
//! invoices, or paid out by a Stripe refund of the money a credit note had moved there.
//!
//! The balance is shared by all of the customer's invoices, whose workflows run independently,
//! so each taking locks the customer's row first: two invoices taking at once are served one
//! after the other, and the second sees what the first left. A taking is keyed by the row it
//! writes (the applied payment, or the invoice's timeline entry of a refund), so a retried
//! activity answers what the first attempt took and takes nothing more.

use crate::StoreError;
use invoicing_workflows::contracts::{CreditTake, TakeCreditInput, TakenCredit};
use sqlx::PgPool;

/// Takes `input.amount` (applying it: all or nothing) or up to it (a refund) out of the
/// balance of the invoice's customer in the invoice's currency, and writes the negative row.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id, seq = input.event_seq))]
pub async fn take(pool: &PgPool, input: &TakeCreditInput) -> Result<TakenCredit, StoreError> {
    let mut tx = pool.begin().await?;
    let invoice = sqlx::query!(
        "SELECT user_id, customer_id, currency FROM invoices WHERE id = $1",
        input.invoice_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound("invoice"))?;
    // Every taking from this customer's balance waits here for the one before to commit.
    sqlx::query_scalar!(
        "SELECT id FROM customers WHERE id = $1 FOR UPDATE",
        invoice.customer_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound("customer"))?;
    let balance = sqlx::query_scalar!(
        r#"
        SELECT COALESCE(SUM(amount), 0)::int8 AS "balance!"
        FROM customer_credits
        WHERE customer_id = $1 AND currency = $2
        "#,
        invoice.customer_id,
        invoice.currency,
    )
    .fetch_one(&mut *tx)
    .await?;
    let (applied_payment_id, payment_id) = match input.purpose {
        CreditTake::Apply { payment_id } => (Some(payment_id), None),
        CreditTake::Refund { payment_id } => (None, Some(payment_id)),
    };
    // Taken before (a retry): by its payment when applied, by the refund's entry otherwise.
    let earlier = sqlx::query!(
        r#"
        SELECT -amount AS "taken!", invoice_id, event_seq, applied_payment_id
        FROM customer_credits
        WHERE applied_payment_id = $1
           OR (invoice_id = $2 AND event_seq = $3)
        "#,
        applied_payment_id,
        input.invoice_id,
        input.event_seq,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(earlier) = earlier {
        if earlier.invoice_id != input.invoice_id
            || earlier.applied_payment_id != applied_payment_id
            || earlier.taken <= 0
        {
            return Err(StoreError::corrupt(format!(
                "credit for invoice {} entry {} was already taken for another purpose",
                input.invoice_id, input.event_seq
            )));
        }
        return Ok(TakenCredit {
            taken: earlier.taken,
            balance: balance + earlier.taken,
        });
    }
    let taken = match input.purpose {
        CreditTake::Apply { .. } if balance >= input.amount => input.amount,
        CreditTake::Apply { .. } => 0,
        CreditTake::Refund { .. } => input.amount.min(balance).max(0),
    };
    if taken > 0 {
        sqlx::query!(
            r#"
            INSERT INTO customer_credits (
                id, user_id, customer_id, invoice_id, event_seq, currency, amount, payment_id,
                applied_payment_id, occurred_on
            )
            VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)
            "#,
            invoice.user_id,
            invoice.customer_id,
            input.invoice_id,
            input.event_seq,
            invoice.currency,
            -taken,
            payment_id,
            applied_payment_id,
            input.on,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(TakenCredit { taken, balance })
}
