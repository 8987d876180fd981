//! The PDF versions of invoices, as stored in the document store (S3), each with the
//! e-invoice its customer received with it, if any.

use crate::{StoreError, events};
use chrono::{DateTime, Utc};
use invoicing_workflows::{
    contracts::DocumentMark,
    domain::{EInvoiceFormat, EventKind},
};
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
    /// The e-invoice stored with this version; `None` for a draft's, a PDF-only customer's,
    /// and every version rendered before e-invoices were stored.
    pub e_invoice: Option<StoredEInvoice>,
}

/// The e-invoice of a version: the EN 16931 model as generated for it (so any format can be
/// written from exactly what was sent), the format the customer received, and where its XML
/// is (none for Factur-X, whose XML is inside the PDF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEInvoice {
    /// `invoicing_einvoice::model::Invoice`, as JSON.
    pub model: serde_json::Value,
    pub format: EInvoiceFormat,
    pub key: Option<String>,
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
    pub e_invoice: Option<&'a StoredEInvoice>,
}

/// Records a stored version and its timeline entry, and makes it the invoice's latest unless a
/// newer one is. Recording it again changes nothing.
#[tracing::instrument(skip_all, fields(invoice_id = %document.invoice_id, version = document.version))]
pub async fn record(pool: &PgPool, document: &NewDocument<'_>) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        INSERT INTO invoice_documents (
            invoice_id, version, storage_key, size_bytes, mark,
            e_invoice, e_invoice_format, e_invoice_key
        )
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (invoice_id, version) DO NOTHING
        "#,
        document.invoice_id,
        document.version,
        document.storage_key,
        document.size_bytes,
        document.mark.map(DocumentMark::as_str),
        document.e_invoice.map(|e_invoice| &e_invoice.model),
        document
            .e_invoice
            .map(|e_invoice| <&str>::from(e_invoice.format)),
        document
            .e_invoice
            .and_then(|e_invoice| e_invoice.key.as_deref()),
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

/// The invoice's latest PDF version, if it has one, with its e-invoice.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn latest(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
) -> Result<Option<Document>, StoreError> {
    let row = sqlx::query_as!(
        DocumentRow,
        r#"
        SELECT d.invoice_id, d.version, d.storage_key, d.size_bytes, d.created_at,
               d.e_invoice, d.e_invoice_format, d.e_invoice_key
        FROM invoice_documents d
        JOIN invoices i ON i.id = d.invoice_id AND i.document_version = d.version
        WHERE d.invoice_id = $1
        "#,
        invoice_id,
    )
    .fetch_optional(db)
    .await?;
    row.map(Document::try_from).transpose()
}

/// Version `version` of the invoice, if it is stored (the invoice e-mail attaches what that
/// version stored).
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, version))]
pub async fn version(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
    version: i32,
) -> Result<Option<Document>, StoreError> {
    let row = sqlx::query_as!(
        DocumentRow,
        r#"
        SELECT invoice_id, version, storage_key, size_bytes, created_at,
               e_invoice, e_invoice_format, e_invoice_key
        FROM invoice_documents
        WHERE invoice_id = $1 AND version = $2
        "#,
        invoice_id,
        version,
    )
    .fetch_optional(db)
    .await?;
    row.map(Document::try_from).transpose()
}

/// A row of `invoice_documents`, as both reads select it.
struct DocumentRow {
    invoice_id: Uuid,
    version: i32,
    storage_key: String,
    size_bytes: i64,
    created_at: DateTime<Utc>,
    e_invoice: Option<serde_json::Value>,
    e_invoice_format: Option<String>,
    e_invoice_key: Option<String>,
}

impl TryFrom<DocumentRow> for Document {
    type Error = StoreError;

    /// The e-invoice columns go together (the migration's constraints keep the model and the
    /// format together); a format this build does not know is corrupt data, not a missing one.
    fn try_from(row: DocumentRow) -> Result<Self, StoreError> {
        let e_invoice = match (row.e_invoice, row.e_invoice_format) {
            (Some(model), Some(format)) => Some(StoredEInvoice {
                model,
                format: format.parse().map_err(|_| {
                    StoreError::Corrupt(format!("an unknown e-invoice format {format:?}"))
                })?,
                key: row.e_invoice_key,
            }),
            _ => None,
        };
        Ok(Document {
            invoice_id: row.invoice_id,
            version: row.version,
            storage_key: row.storage_key,
            size_bytes: row.size_bytes,
            created_at: row.created_at,
            e_invoice,
        })
    }
}
