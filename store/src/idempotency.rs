//! Idempotency keys: claim a key before answering, store the answer after, replay it to
//! retries. The rules (what is stored, for how long) are the API's; see
//! `api/src/idempotency.rs`.

use crate::StoreError;
use sqlx::PgExecutor;
use uuid::Uuid;

/// A stored answer.
#[derive(Clone, Debug)]
pub struct StoredResponse {
    pub status_code: i16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Debug)]
pub enum Claim {
    /// The key is new (or expired): this request answers it.
    Claimed,
    /// The key was used for another request.
    Mismatch,
    /// An earlier request with this key has no answer yet: it is still running, or its process
    /// died. The request may run again: everything it does is keyed by the idempotency key.
    InProgress,
    /// The first request's answer.
    Completed(StoredResponse),
}

/// Claims `key` for a request with `fingerprint`. A key older than 24 hours counts as new.
#[tracing::instrument(skip_all)]
pub async fn claim(
    db: impl PgExecutor<'_> + Copy,
    user_id: Uuid,
    key: &str,
    fingerprint: &[u8],
) -> Result<Claim, StoreError> {
    let claimed = sqlx::query_scalar!(
        r#"
        INSERT INTO idempotency_keys (user_id, key, fingerprint)
        VALUES ($1, $2, $3)
        ON CONFLICT (user_id, key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, content_type = NULL,
               location = NULL, body = NULL, created_at = now(), completed_at = NULL
         WHERE idempotency_keys.created_at < now() - interval '24 hours'
        RETURNING true AS "claimed!"
        "#,
        user_id,
        key,
        fingerprint,
    )
    .fetch_optional(db)
    .await?;
    if claimed.is_some() {
        return Ok(Claim::Claimed);
    }
    let Some(existing) = sqlx::query!(
        r#"
        SELECT fingerprint, status_code, content_type, location, body
        FROM idempotency_keys
        WHERE user_id = $1 AND key = $2
        "#,
        user_id,
        key,
    )
    .fetch_optional(db)
    .await?
    else {
        // Released between the two statements: the first request failed; this one may run.
        return Ok(Claim::InProgress);
    };
    if existing.fingerprint != fingerprint {
        return Ok(Claim::Mismatch);
    }
    Ok(match (existing.status_code, existing.body) {
        (Some(status_code), Some(body)) => Claim::Completed(StoredResponse {
            status_code,
            content_type: existing.content_type,
            location: existing.location,
            body,
        }),
        _ => Claim::InProgress,
    })
}

/// Stores the answer to a claimed key. When two requests with one key both ran (a retry of
/// one whose process died), the first answer stored is the one kept.
#[tracing::instrument(skip_all)]
pub async fn complete(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    key: &str,
    response: &StoredResponse,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        UPDATE idempotency_keys
           SET status_code = $3, content_type = $4, location = $5, body = $6, completed_at = now()
         WHERE user_id = $1 AND key = $2 AND completed_at IS NULL
        "#,
        user_id,
        key,
        response.status_code,
        response.content_type,
        response.location,
        response.body,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives a claimed key back (the request failed), so a retry runs again.
#[tracing::instrument(skip_all)]
pub async fn release(db: impl PgExecutor<'_>, user_id: Uuid, key: &str) -> Result<(), StoreError> {
    sqlx::query!(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND completed_at IS NULL",
        user_id,
        key,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes keys older than 24 hours; returns how many.
#[tracing::instrument(skip_all)]
pub async fn purge_expired(db: impl PgExecutor<'_>) -> Result<u64, StoreError> {
    let done =
        sqlx::query!("DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'")
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}
