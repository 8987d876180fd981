//! Invoices as the API reads them, and drafts as the API creates them.

use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::{
    InvoiceState, StoredInvoice, StoredStripePayment,
    domain::{Currency, Draft, EventKind, InvoiceNumber, InvoiceStatus, LineItem},
};
use serde_json::json;
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

/// An invoice as stored, with its line items in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoice {
    pub summary: InvoiceSummary,
    pub items: Vec<LineItem>,
}

/// An invoice without its line items: what a list shows.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceSummary {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: InvoiceStatus,
    pub number: Option<InvoiceNumber>,
    pub client_name: String,
    pub client_email: String,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub notes: Option<String>,
    pub subtotal: i64,
    pub total: i64,
    pub amount_paid: i64,
    pub version: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    /// The latest PDF version stored, once the invoice was sent.
    pub document_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl InvoiceSummary {
    pub fn amount_due(&self) -> i64 {
        self.total - self.amount_paid
    }
}

/// A row of `invoices` as the queries select it (see [`InvoiceSummary`]).
pub(crate) struct InvoiceRow {
    pub(crate) id: Uuid,
    pub(crate) user_id: Uuid,
    pub(crate) status: String,
    pub(crate) number: Option<i64>,
    pub(crate) client_name: String,
    pub(crate) client_email: String,
    pub(crate) currency: String,
    pub(crate) issue_date: NaiveDate,
    pub(crate) due_date: NaiveDate,
    pub(crate) notes: Option<String>,
    pub(crate) subtotal: i64,
    pub(crate) total: i64,
    pub(crate) amount_paid: i64,
    pub(crate) version: i64,
    pub(crate) sent_at: Option<DateTime<Utc>>,
    pub(crate) paid_at: Option<DateTime<Utc>>,
    pub(crate) voided_at: Option<DateTime<Utc>>,
    pub(crate) void_reason: Option<String>,
    pub(crate) document_version: Option<i32>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl TryFrom<InvoiceRow> for InvoiceSummary {
    type Error = StoreError;
    fn try_from(row: InvoiceRow) -> Result<Self, Self::Error> {
        Ok(InvoiceSummary {
            id: row.id,
            user_id: row.user_id,
            status: row.status.parse().map_err(StoreError::corrupt)?,
            number: row.number.map(InvoiceNumber::new),
            client_name: row.client_name,
            client_email: row.client_email,
            currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
            issue_date: row.issue_date,
            due_date: row.due_date,
            notes: row.notes,
            subtotal: row.subtotal,
            total: row.total,
            amount_paid: row.amount_paid,
            version: row.version,
            sent_at: row.sent_at,
            paid_at: row.paid_at,
            voided_at: row.voided_at,
            void_reason: row.void_reason,
            document_version: row.document_version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Stores a new draft with its items and the first timeline entry (`created`, sequence 0).
///
/// One statement, so one round trip, and atomic without a transaction: creating invoices is
/// the busiest write the API does (`scripts/bench`, Create). PostgreSQL checks the items' and
/// the entry's foreign keys at the end of the statement, once the invoice is in.
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn insert_draft(
    pool: &PgPool,
    id: Uuid,
    user_id: Uuid,
    draft: &Draft,
    created_at: DateTime<Utc>,
) -> Result<Invoice, StoreError> {
    let positions: Vec<i32> = (0..draft.items.len() as i32).collect();
    let descriptions: Vec<&str> = draft.items.iter().map(|i| i.description.as_str()).collect();
    let quantities: Vec<i64> = draft.items.iter().map(|i| i.quantity).collect();
    let unit_amounts: Vec<i64> = draft.items.iter().map(|i| i.unit_amount).collect();
    let amounts: Vec<i64> = draft.items.iter().map(|i| i.amount).collect();
    let row = sqlx::query_as!(
        InvoiceRow,
        r#"
        WITH invoice AS (
            INSERT INTO invoices (
                id, user_id, status, client_name, client_email, currency, issue_date, due_date,
                notes, subtotal, total, created_at, updated_at
            )
            VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
            RETURNING id, user_id, status, number, client_name, client_email, currency,
                      issue_date, due_date, notes, subtotal, total, amount_paid, version,
                      sent_at, paid_at, voided_at, void_reason, document_version, created_at,
                      updated_at
        ),
        items AS (
            INSERT INTO invoice_items (
                invoice_id, position, description, quantity, unit_amount, amount
            )
            SELECT $1, * FROM UNNEST($12::int4[], $13::text[], $14::int8[], $15::int8[], $16::int8[])
        ),
        created AS (
            INSERT INTO invoice_events (invoice_id, seq, kind, data, occurred_at)
            VALUES ($1, 0, $17, $18, $11)
        )
        SELECT id AS "id!", user_id AS "user_id!", status AS "status!", number,
               client_name AS "client_name!", client_email AS "client_email!",
               currency AS "currency!", issue_date AS "issue_date!", due_date AS "due_date!",
               notes, subtotal AS "subtotal!", total AS "total!",
               amount_paid AS "amount_paid!", version AS "version!", sent_at, paid_at,
               voided_at, void_reason, document_version, created_at AS "created_at!",
               updated_at AS "updated_at!"
        FROM invoice
        "#,
        id,
        user_id,
        draft.client_name,
        draft.client_email.as_str(),
        draft.currency.code(),
        draft.issue_date,
        draft.due_date,
        draft.notes,
        draft.subtotal(),
        draft.total(),
        created_at,
        &positions,
        &descriptions as &[&str],
        &quantities,
        &unit_amounts,
        &amounts,
        EventKind::Created.as_str(),
        json!({ "total": draft.total(), "currency": draft.currency }),
    )
    .fetch_one(pool)
    .await?;
    Ok(Invoice {
        summary: row.try_into()?,
        items: draft.items.clone(),
    })
}

/// Replaces a draft's line items.
pub(crate) async fn insert_items(
    conn: &mut PgConnection,
    invoice_id: Uuid,
    items: &[LineItem],
) -> Result<(), StoreError> {
    let positions: Vec<i32> = (0..items.len() as i32).collect();
    let descriptions: Vec<String> = items.iter().map(|i| i.description.clone()).collect();
    let quantities: Vec<i64> = items.iter().map(|i| i.quantity).collect();
    let unit_amounts: Vec<i64> = items.iter().map(|i| i.unit_amount).collect();
    let amounts: Vec<i64> = items.iter().map(|i| i.amount).collect();
    sqlx::query!(
        "DELETE FROM invoice_items WHERE invoice_id = $1",
        invoice_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        INSERT INTO invoice_items (invoice_id, position, description, quantity, unit_amount, amount)
        SELECT $1, * FROM UNNEST($2::int4[], $3::text[], $4::int8[], $5::int8[], $6::int8[])
        "#,
        invoice_id,
        &positions,
        &descriptions,
        &quantities,
        &unit_amounts,
        &amounts,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The invoice with this id, whoever owns it; callers check access.
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Option<Invoice>, StoreError> {
    let Some(summary) = get_summary(pool, id).await? else {
        return Ok(None);
    };
    let items = sqlx::query_as!(
        LineItem,
        r#"
        SELECT description, quantity, unit_amount, amount
        FROM invoice_items
        WHERE invoice_id = $1
        ORDER BY position
        "#,
        id,
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(Invoice { summary, items }))
}

#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn get_summary(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<InvoiceSummary>, StoreError> {
    sqlx::query_as!(
        InvoiceRow,
        r#"
        SELECT id, user_id, status, number, client_name, client_email, currency, issue_date,
               due_date, notes, subtotal, total, amount_paid, version, sent_at, paid_at,
               voided_at, void_reason, document_version, created_at, updated_at
        FROM invoices
        WHERE id = $1
        "#,
        id,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// Where a page of a newest-first list (accounts, payments, the administrators' invoice list)
/// starts: just after the row with this creation time and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageKey {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

/// Every account's invoices, newest first, optionally of one owner and one status: the
/// administrators' view.
#[tracing::instrument(skip_all)]
pub async fn list_all(
    db: impl PgExecutor<'_>,
    owner: Option<Uuid>,
    status: Option<InvoiceStatus>,
    after: Option<PageKey>,
    limit: i64,
) -> Result<Vec<InvoiceSummary>, StoreError> {
    sqlx::query_as!(
        InvoiceRow,
        r#"
        SELECT id, user_id, status, number, client_name, client_email, currency, issue_date,
               due_date, notes, subtotal, total, amount_paid, version, sent_at, paid_at,
               voided_at, void_reason, document_version, created_at, updated_at
        FROM invoices
        WHERE ($1::uuid IS NULL OR user_id = $1)
          AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
        ORDER BY created_at DESC, id DESC
        LIMIT $5
        "#,
        owner,
        status.map(InvoiceStatus::as_str),
        after.map(|key| key.created_at),
        after.map(|key| key.id),
        limit,
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(TryInto::try_into)
    .collect()
}

/// The rows a workflow run needs to take over an invoice from its stored state, as stored
/// (`InvoiceWorkflowInput::resume` reads them): used to restart an invoice's workflow when none
/// is running (an operator terminated it, or the process that created the invoice died before
/// starting it).
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn for_workflow(pool: &PgPool, id: Uuid) -> Result<StoredInvoice, StoreError> {
    let invoice = get_summary(pool, id)
        .await?
        .ok_or(StoreError::NotFound("invoice"))?;
    let next_event_seq = sqlx::query_scalar!(
        r#"SELECT COALESCE(MAX(seq) + 1, 0) AS "next!" FROM invoice_events WHERE invoice_id = $1"#,
        id,
    )
    .fetch_one(pool)
    .await?;
    let payment_ids = sqlx::query_scalar!(
        "SELECT id FROM payments WHERE invoice_id = $1 ORDER BY recorded_at, id",
        id
    )
    .fetch_all(pool)
    .await?;
    let reminder_days = sqlx::query_scalar!("SELECT reminder_days FROM invoices WHERE id = $1", id)
        .fetch_one(pool)
        .await?
        .unwrap_or_default();
    let side_effect_steps = sqlx::query_scalar!(
        "SELECT step FROM side_effects WHERE invoice_id = $1 ORDER BY step",
        id
    )
    .fetch_all(pool)
    .await?;
    let stripe_payments = sqlx::query_as!(
        StoredStripePayment,
        r#"
        SELECT id AS payment_id, transaction_id AS "intent_id!", amount, amount_refunded
        FROM payments
        WHERE invoice_id = $1 AND transaction_id IS NOT NULL
        ORDER BY recorded_at, id
        "#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(StoredInvoice {
        invoice_id: invoice.id,
        owner_id: invoice.user_id,
        invoice: InvoiceState {
            status: invoice.status,
            number: invoice.number,
            currency: invoice.currency,
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            total: invoice.total,
            amount_paid: invoice.amount_paid,
        },
        version: invoice.version,
        document_version: invoice.document_version,
        next_event_seq,
        payment_ids,
        reminder_days,
        side_effect_steps,
        stripe_payments,
    })
}

/// Removes an invoice that never got a workflow (the workflow could not be started).
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn delete_unstarted_draft(pool: &PgPool, id: Uuid) -> Result<(), StoreError> {
    sqlx::query!(
        "DELETE FROM invoices WHERE id = $1 AND status = 'draft' AND version = 0",
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}
