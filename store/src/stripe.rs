//! What Stripe told us: webhook events by id, the pay links created, and the discrepancies
//! between Stripe's payments and ours.

use crate::{StoreError, events};
use chrono::{DateTime, Utc};
use invoicing_workflows::{
    contracts::{Checkout, Discrepancy, NotePaymentInput, PaymentNote},
    domain::EventKind,
};
use serde_json::json;
use sqlx::{PgExecutor, PgPool};
use strum::{EnumString, IntoStaticStr};
use uuid::Uuid;

/// A verified webhook event as received.
pub struct ReceivedEvent<'a> {
    pub id: &'a str,
    pub event_type: &'a str,
    pub invoice_id: Option<Uuid>,
    pub outcome: EventOutcome,
    pub payload: &'a serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// What became of a webhook event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumString, IntoStaticStr)]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = StoreError,
    parse_err_fn = unknown_outcome
)]
pub enum EventOutcome {
    /// To be handed to the invoice's workflow.
    Pending,
    /// Handed to the invoice's workflow.
    Signaled,
    /// Names no invoice we have: kept for inspection.
    Unmatched,
    /// A type we do not handle.
    Ignored,
    /// Its PaymentIntent already belongs to another invoice: applied to neither, recorded as
    /// a discrepancy.
    Conflict,
}

impl EventOutcome {
    /// The outcome as stored (`stripe_events.outcome`): `pending`, `signaled`, ….
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A stored outcome that is none of [`EventOutcome`]'s.
fn unknown_outcome(text: &str) -> StoreError {
    StoreError::corrupt(format!("unknown stripe event outcome '{text}'"))
}

/// Records a webhook event the first time it arrives. Returns `None` for a new event, or
/// the outcome recorded when it arrived before (a redelivery): a `Pending` one was never
/// handed over and must be again.
#[tracing::instrument(skip_all, fields(event_id = event.id))]
pub async fn receive_event(
    db: impl PgExecutor<'_>,
    event: &ReceivedEvent<'_>,
) -> Result<Option<EventOutcome>, StoreError> {
    // DO UPDATE (a no-op) rather than DO NOTHING: it waits for a concurrent delivery of the
    // same event to commit and returns that row, so exactly one delivery sees a new event.
    let row = sqlx::query!(
        r#"
        INSERT INTO stripe_events (id, type, invoice_id, outcome, payload, created_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
        RETURNING outcome, (xmax = 0) AS "inserted!"
        "#,
        event.id,
        event.event_type,
        event.invoice_id,
        event.outcome.as_str(),
        event.payload,
        event.created_at,
    )
    .fetch_one(db)
    .await?;
    if row.inserted {
        return Ok(None);
    }
    row.outcome.parse().map(Some)
}

/// The event has been handed to its invoice's workflow.
pub async fn mark_signaled(db: impl PgExecutor<'_>, event_id: &str) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        UPDATE stripe_events SET outcome = 'signaled', signaled_at = now()
        WHERE id = $1 AND outcome = 'pending'
        "#,
        event_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The invoice a PaymentIntent pays, if a report claimed it for one (a refund's charge names
/// only its intent).
pub async fn invoice_for_transaction(
    db: impl PgExecutor<'_>,
    transaction_id: &str,
) -> Result<Option<Uuid>, StoreError> {
    let invoice_id = sqlx::query_scalar!(
        "SELECT invoice_id FROM stripe_transactions WHERE transaction_id = $1",
        transaction_id
    )
    .fetch_optional(db)
    .await?;
    Ok(invoice_id)
}

/// Which invoice PaymentIntent `transaction_id` pays: the first invoice a report names for it
/// claims it for good. Returns the invoice it belongs to, `invoice_id` unless another invoice
/// claimed it first (then the report must change neither invoice).
#[tracing::instrument(skip_all, fields(transaction_id, invoice_id = %invoice_id))]
pub async fn claim_transaction(
    db: impl PgExecutor<'_>,
    transaction_id: &str,
    invoice_id: Uuid,
) -> Result<Uuid, StoreError> {
    // DO UPDATE (a no-op) rather than DO NOTHING: it waits for a concurrent claim to commit and
    // returns the row either way.
    let owner = sqlx::query_scalar!(
        r#"
        INSERT INTO stripe_transactions (transaction_id, invoice_id)
        VALUES ($1, $2)
        ON CONFLICT (transaction_id) DO UPDATE SET transaction_id = EXCLUDED.transaction_id
        RETURNING invoice_id
        "#,
        transaction_id,
        invoice_id,
    )
    .fetch_one(db)
    .await?;
    Ok(owner)
}

/// Whether the invoice exists (events for invoices we do not have are kept, not signaled).
pub async fn invoice_exists(db: impl PgExecutor<'_>, invoice_id: Uuid) -> Result<bool, StoreError> {
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM invoices WHERE id = $1) AS "exists!""#,
        invoice_id
    )
    .fetch_one(db)
    .await?;
    Ok(exists)
}

/// Stores a pay link with its timeline entry; storing it again does nothing.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn insert_checkout(
    pool: &PgPool,
    invoice_id: Uuid,
    checkout: &Checkout,
    at: DateTime<Utc>,
    event_seq: i32,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        INSERT INTO stripe_checkouts (session_id, invoice_id, amount, currency, url, expires_at, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (session_id) DO NOTHING
        "#,
        checkout.session_id,
        invoice_id,
        checkout.amount,
        checkout.currency.code(),
        checkout.url,
        checkout.expires_at,
        at,
    )
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        invoice_id,
        event_seq,
        EventKind::CheckoutCreated,
        json!({
            "session_id": checkout.session_id,
            "amount": checkout.amount,
            "expires_at": checkout.expires_at,
        }),
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A failed attempt or a flagged payment on the timeline; a flagged one is also kept as a
/// discrepancy.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn note_payment(pool: &PgPool, input: &NotePaymentInput) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    let (kind, data) = match &input.note {
        PaymentNote::Failed {
            intent_id,
            amount,
            currency,
            reason,
        } => (
            EventKind::PaymentFailed,
            json!({
                "transaction_id": intent_id,
                "amount": amount,
                "currency": currency,
                "reason": reason,
            }),
        ),
        PaymentNote::Flagged(discrepancy) => {
            record_discrepancy(&mut *tx, discrepancy).await?;
            (
                EventKind::PaymentFlagged,
                json!({
                    "kind": discrepancy.kind,
                    "transaction_id": discrepancy.transaction_id,
                    "expected_amount": discrepancy.expected_amount,
                    "actual_amount": discrepancy.actual_amount,
                    "currency": discrepancy.currency,
                    "detail": discrepancy.detail,
                    "source": discrepancy.source,
                }),
            )
        }
    };
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        kind,
        data,
        input.at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a discrepancy once per kind and transaction. Returns whether it is new.
pub async fn record_discrepancy(
    db: impl PgExecutor<'_>,
    discrepancy: &Discrepancy,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query!(
        r#"
        INSERT INTO payment_discrepancies
            (kind, transaction_id, invoice_id, source, expected_amount, actual_amount, currency,
             detail, other_invoice_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (kind, transaction_id) DO NOTHING
        "#,
        discrepancy.kind.as_str(),
        discrepancy.transaction_id,
        discrepancy.invoice_id,
        discrepancy.source.as_str(),
        discrepancy.expected_amount,
        discrepancy.actual_amount,
        discrepancy.currency,
        discrepancy.detail,
        discrepancy.other_invoice_id,
    )
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A payment as the payments table knows it, for reconciliation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownPayment {
    pub transaction_id: String,
    pub amount: i64,
    pub currency: String,
}

/// The recorded payments among `transaction_ids`.
pub async fn known_payments(
    db: impl PgExecutor<'_>,
    transaction_ids: &[String],
) -> Result<Vec<KnownPayment>, StoreError> {
    let rows = sqlx::query_as!(
        KnownPayment,
        r#"
        SELECT transaction_id AS "transaction_id!", amount, currency
        FROM payments
        WHERE transaction_id = ANY($1)
        "#,
        transaction_ids,
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

/// A discrepancy as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscrepancyRow {
    pub id: Uuid,
    pub kind: String,
    pub transaction_id: String,
    pub invoice_id: Option<Uuid>,
    /// For `other_invoice`: the invoice the transaction already belongs to.
    pub other_invoice_id: Option<Uuid>,
    pub source: String,
    pub expected_amount: Option<i64>,
    pub actual_amount: Option<i64>,
    pub currency: Option<String>,
    pub detail: String,
    pub detected_at: DateTime<Utc>,
}

/// Discrepancies, newest first, after the (`detected_at`, `id`) cursor if given.
pub async fn discrepancies(
    db: impl PgExecutor<'_>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<DiscrepancyRow>, StoreError> {
    let (after_at, after_id) = after.unzip();
    let rows = sqlx::query_as!(
        DiscrepancyRow,
        r#"
        SELECT id, kind, transaction_id, invoice_id, other_invoice_id, source, expected_amount,
               actual_amount, currency, detail, detected_at
        FROM payment_discrepancies
        WHERE $1::timestamptz IS NULL OR (detected_at, id) < ($1, $2)
        ORDER BY detected_at DESC, id DESC
        LIMIT $3
        "#,
        after_at,
        after_id,
        limit,
    )
    .fetch_all(db)
    .await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_stored_by_name() {
        let outcomes = [
            (EventOutcome::Pending, "pending"),
            (EventOutcome::Signaled, "signaled"),
            (EventOutcome::Unmatched, "unmatched"),
            (EventOutcome::Ignored, "ignored"),
            (EventOutcome::Conflict, "conflict"),
        ];
        for (outcome, text) in outcomes {
            assert_eq!(outcome.as_str(), text);
            assert_eq!(text.parse::<EventOutcome>().unwrap(), outcome);
        }
        let error = "lost".parse::<EventOutcome>().unwrap_err();
        assert!(
            error
                .to_string()
                .contains("unknown stripe event outcome 'lost'"),
            "{error}"
        );
    }
}
