//! Accounts' logos: where the image is in the document store, and what it is.

use crate::StoreError;
use chrono::{DateTime, Utc};
use invoicing_workflows::domain::LogoFormat;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// A logo as recorded: the image itself is in S3 at `storage_key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLogo {
    pub storage_key: String,
    pub format: LogoFormat,
    pub width: u32,
    pub height: u32,
    pub size_bytes: u32,
    pub uploaded_at: DateTime<Utc>,
}

/// The S3 key of an account's logo: named by its content, so a new upload never replaces the
/// object a PDF render in flight may be reading, and the same upload twice is one object.
pub fn storage_key(user_id: Uuid, sha256_hex: &str, format: LogoFormat) -> String {
    format!("logos/{user_id}/{sha256_hex}.{}", format.extension())
}

/// The account's logo, if it has one.
#[tracing::instrument(skip_all)]
pub async fn logo(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<StoredLogo>, StoreError> {
    let row = sqlx::query!(
        r#"
        SELECT storage_key, content_type, width, height, size_bytes, uploaded_at
        FROM seller_logos
        WHERE user_id = $1
        "#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    row.map(|row| {
        Ok(StoredLogo {
            storage_key: row.storage_key,
            format: row.content_type.parse().map_err(StoreError::corrupt)?,
            width: u32::try_from(row.width).map_err(StoreError::corrupt)?,
            height: u32::try_from(row.height).map_err(StoreError::corrupt)?,
            size_bytes: u32::try_from(row.size_bytes).map_err(StoreError::corrupt)?,
            uploaded_at: row.uploaded_at,
        })
    })
    .transpose()
}

/// Records the account's logo; returns the key of the one it replaces, whose object the caller
/// removes once this is committed.
#[tracing::instrument(skip_all)]
pub async fn set_logo(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    logo: &StoredLogo,
) -> Result<Option<String>, StoreError> {
    // The old key is read in the same statement (a CTE sees the row as it was).
    let replaced = sqlx::query_scalar!(
        r#"
        WITH old AS (SELECT storage_key FROM seller_logos WHERE user_id = $1)
        INSERT INTO seller_logos
            (user_id, storage_key, content_type, width, height, size_bytes, uploaded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (user_id) DO UPDATE
        SET storage_key = EXCLUDED.storage_key, content_type = EXCLUDED.content_type,
            width = EXCLUDED.width, height = EXCLUDED.height,
            size_bytes = EXCLUDED.size_bytes, uploaded_at = EXCLUDED.uploaded_at
        RETURNING (SELECT storage_key FROM old)
        "#,
        user_id,
        logo.storage_key,
        logo.format.content_type(),
        i32::try_from(logo.width).unwrap_or(i32::MAX),
        i32::try_from(logo.height).unwrap_or(i32::MAX),
        i32::try_from(logo.size_bytes).unwrap_or(i32::MAX),
        logo.uploaded_at,
    )
    .fetch_one(db)
    .await?;
    Ok(replaced.filter(|old| *old != logo.storage_key))
}

/// Forgets the account's logo; returns its key, for the caller to remove the object.
#[tracing::instrument(skip_all)]
pub async fn delete_logo(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<String>, StoreError> {
    let key = sqlx::query_scalar!(
        "DELETE FROM seller_logos WHERE user_id = $1 RETURNING storage_key",
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(key)
}

/// Takes the account's row lock for the rest of the transaction: a logo's changes (storing the
/// object, recording it, removing the one it replaces) run one at a time per account.
#[tracing::instrument(skip_all)]
pub async fn lock_account(conn: &mut PgConnection, user_id: Uuid) -> Result<(), StoreError> {
    sqlx::query_scalar!("SELECT id FROM users WHERE id = $1 FOR UPDATE", user_id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("account"))?;
    Ok(())
}
