//! Side effects outside PostgreSQL, recorded by idempotency key (invoice + step): checked before
//! acting, written after, so a retried activity does not e-mail or publish twice.

use crate::{StoreError, events};
use chrono::{DateTime, Utc};
use invoicing_workflows::domain::EventKind;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

/// The recorded outcome of `step`, if it was already performed.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, step))]
pub async fn outcome(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
    step: &str,
) -> Result<Option<serde_json::Value>, StoreError> {
    let outcome = sqlx::query_scalar!(
        "SELECT outcome FROM side_effects WHERE invoice_id = $1 AND step = $2",
        invoice_id,
        step
    )
    .fetch_optional(db)
    .await?;
    Ok(outcome)
}

/// A timeline entry to append with a side effect's record.
pub struct Entry {
    pub seq: i32,
    pub kind: EventKind,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

/// Records that `step` was performed, with its timeline entry, in one transaction. Recording it
/// again keeps the first record.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, step))]
pub async fn record(
    pool: &PgPool,
    invoice_id: Uuid,
    step: &str,
    outcome: &serde_json::Value,
    entry: Option<Entry>,
) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        INSERT INTO side_effects (invoice_id, step, outcome)
        VALUES ($1, $2, $3)
        ON CONFLICT (invoice_id, step) DO NOTHING
        "#,
        invoice_id,
        step,
        outcome,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(entry) = entry {
        events::append(
            &mut tx,
            invoice_id,
            entry.seq,
            entry.kind,
            entry.data,
            entry.occurred_at,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
