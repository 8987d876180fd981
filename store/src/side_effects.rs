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

/// What an e-mail step's attempts found, before the next one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmailAttempts {
    /// Attempts made so far.
    pub made: i32,
    /// Attempts whose worker died around the SES call: each may have been sent.
    pub unanswered: i32,
    /// SES's answer to one of them: the message id it accepted, or why it refused.
    pub answer: Option<EmailAnswer>,
}

/// What SES said to an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailAnswer {
    Accepted {
        message_id: String,
    },
    Refused {
        reason: String,
    },
    /// The call failed (an error answer, or SES could not be reached): not sent.
    Failed {
        error: String,
    },
}

/// The attempts recorded for e-mail `step` of the invoice.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, step))]
pub async fn email_attempts(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
    step: &str,
) -> Result<EmailAttempts, StoreError> {
    let rows = sqlx::query!(
        r#"
        SELECT attempt, message_id, refusal, failure
        FROM email_attempts
        WHERE invoice_id = $1 AND step = $2
        ORDER BY attempt
        "#,
        invoice_id,
        step,
    )
    .fetch_all(db)
    .await?;
    let made = rows.last().map_or(0, |row| row.attempt);
    let unanswered = rows
        .iter()
        .filter(|row| row.message_id.is_none() && row.refusal.is_none() && row.failure.is_none())
        .count() as i32;
    let answer = rows
        .into_iter()
        .find_map(|row| match (row.message_id, row.refusal) {
            (Some(message_id), _) => Some(EmailAnswer::Accepted { message_id }),
            (None, Some(reason)) => Some(EmailAnswer::Refused { reason }),
            (None, None) => None,
        });
    Ok(EmailAttempts {
        made,
        unanswered,
        answer,
    })
}

/// Records that attempt `attempt` of e-mail `step` is about to call SES. Recording the same
/// attempt again (a retried activity that found none answered) keeps the first.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, step, attempt))]
pub async fn start_email_attempt(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
    step: &str,
    attempt: i32,
    recipient: &str,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        INSERT INTO email_attempts (invoice_id, step, attempt, recipient)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (invoice_id, step, attempt) DO NOTHING
        "#,
        invoice_id,
        step,
        attempt,
        recipient,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records SES's answer to an attempt.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, step, attempt))]
pub async fn answer_email_attempt(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
    step: &str,
    attempt: i32,
    answer: &EmailAnswer,
) -> Result<(), StoreError> {
    let (message_id, refusal, failure) = match answer {
        EmailAnswer::Accepted { message_id } => (Some(message_id.as_str()), None, None),
        EmailAnswer::Refused { reason } => (None, Some(reason.as_str()), None),
        EmailAnswer::Failed { error } => (None, None, Some(error.as_str())),
    };
    sqlx::query!(
        r#"
        UPDATE email_attempts
           SET message_id = $4, refusal = $5, failure = $6, answered_at = now()
         WHERE invoice_id = $1 AND step = $2 AND attempt = $3
        "#,
        invoice_id,
        step,
        attempt,
        message_id,
        refusal,
        failure,
    )
    .execute(db)
    .await?;
    Ok(())
}
