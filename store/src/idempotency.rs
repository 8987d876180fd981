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
    /// The key is new (or expired, or given back by a refused request): this request answers
    /// it. `refusals`: how many requests with this key were refused before.
    Claimed { refusals: i32 },
    /// The key was used for another request.
    Mismatch,
    /// An earlier request with this key has no answer yet: it is still running, or its process
    /// died. The request may run again: everything it does is keyed by the idempotency key
    /// and `refusals`, the same as the earlier request's.
    InProgress { refusals: i32 },
    /// The first request's answer.
    Completed(StoredResponse),
}

/// Claims `key` for a request with `fingerprint`. A key older than 24 hours counts as new;
/// one a refused request gave back is claimed again, its refusals counted.
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
               location = NULL, body = NULL, completed_at = NULL, released = false,
               refusals = CASE WHEN idempotency_keys.created_at < now() - interval '24 hours'
                               THEN 0 ELSE idempotency_keys.refusals END,
               created_at = CASE WHEN idempotency_keys.created_at < now() - interval '24 hours'
                                 THEN now() ELSE idempotency_keys.created_at END
         WHERE idempotency_keys.created_at < now() - interval '24 hours'
            OR idempotency_keys.released
        RETURNING refusals
        "#,
        user_id,
        key,
        fingerprint,
    )
    .fetch_optional(db)
    .await?;
    if let Some(refusals) = claimed {
        return Ok(Claim::Claimed { refusals });
    }
    let Some(existing) = sqlx::query!(
        r#"
        SELECT fingerprint, status_code, content_type, location, body, refusals
        FROM idempotency_keys
        WHERE user_id = $1 AND key = $2
        "#,
        user_id,
        key,
    )
    .fetch_optional(db)
    .await?
    else {
        // Purged between the two statements (24 hours old): this request may run.
        return Ok(Claim::InProgress { refusals: 0 });
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
        _ => Claim::InProgress {
            refusals: existing.refusals,
        },
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

/// Gives a claimed key back (the request was refused), so the corrected request runs, with
/// ids of its own (the refusal is counted).
#[tracing::instrument(skip_all)]
pub async fn release(db: impl PgExecutor<'_>, user_id: Uuid, key: &str) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        UPDATE idempotency_keys SET released = true, refusals = refusals + 1
         WHERE user_id = $1 AND key = $2 AND completed_at IS NULL AND NOT released
        "#,
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
