//! The PDF versions of invoices, as stored in the document store (S3).

use crate::{StoreError, events};
use chrono::{DateTime, Utc};
use invoicing_workflows::{contracts::DocumentMark, domain::EventKind};
use serde_json::json;
use sqlx::{PgExecutor, PgPool};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub invoice_id: Uuid,
    pub version: i32,
    pub storage_key: String,
    pub size_bytes: i64,
    pub created_at: DateTime<Utc>,
}

/// A stored version, to record.
pub struct NewDocument<'a> {
    pub invoice_id: Uuid,
    pub version: i32,
    pub storage_key: &'a str,
    pub size_bytes: i64,
    pub mark: Option<DocumentMark>,
    pub event_seq: i32,
    pub at: DateTime<Utc>,
}

/// Records a stored version and its timeline entry, and makes it the invoice's latest unless a
/// newer one is. Recording it again changes nothing.
#[tracing::instrument(skip_all, fields(invoice_id = %document.invoice_id, version = document.version))]
pub async fn record(pool: &PgPool, document: &NewDocument<'_>) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        INSERT INTO invoice_documents (invoice_id, version, storage_key, size_bytes, mark)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (invoice_id, version) DO NOTHING
        "#,
        document.invoice_id,
        document.version,
        document.storage_key,
        document.size_bytes,
        document.mark.map(DocumentMark::as_str),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"
        UPDATE invoices
        SET document_version = GREATEST(COALESCE(document_version, 0), $2)
        WHERE id = $1
        "#,
        document.invoice_id,
        document.version,
    )
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        document.invoice_id,
        document.event_seq,
        EventKind::DocumentRendered,
        json!({ "version": document.version, "mark": document.mark, "size_bytes": document.size_bytes }),
        document.at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether PDF version `version` of the invoice is stored already (a retried delivery does not
/// render it again).
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, version))]
pub async fn stored(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
    version: i32,
) -> Result<bool, StoreError> {
    let stored = sqlx::query_scalar!(
        r#"
        SELECT EXISTS (
            SELECT 1 FROM invoice_documents WHERE invoice_id = $1 AND version = $2
        ) AS "stored!"
        "#,
        invoice_id,
        version,
    )
    .fetch_one(db)
    .await?;
    Ok(stored)
}

/// The invoice's latest PDF version, if it has one.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn latest(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
) -> Result<Option<Document>, StoreError> {
    let document = sqlx::query_as!(
        Document,
        r#"
        SELECT d.invoice_id, d.version, d.storage_key, d.size_bytes, d.created_at
        FROM invoice_documents d
        JOIN invoices i ON i.id = d.invoice_id AND i.document_version = d.version
        WHERE d.invoice_id = $1
        "#,
        invoice_id,
    )
    .fetch_optional(db)
    .await?;
    Ok(document)
}
