//! Invoices as the API reads them, and drafts as the API creates them.

use crate::{
    StoreError,
    invoice_content::{self, AdjustmentArrays, BreakdownArrays, Details, LineArrays},
};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::{
    InvoiceState, StoredInvoice, StoredStripePayment,
    domain::{
        Currency, Draft, EventKind, InvoiceNumber, InvoiceStatus, LineItem, credit::Credited,
    },
};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::{PgExecutor, PgPool, types::Json};
use uuid::Uuid;

/// An invoice as stored, with its line items in order and what else it bills.
#[derive(Clone, Debug, PartialEq)]
pub struct Invoice {
    pub summary: InvoiceSummary,
    pub items: Vec<LineItem>,
    pub details: Details,
}

/// An invoice without its line items: what a list shows.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceSummary {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: InvoiceStatus,
    pub number: Option<InvoiceNumber>,
    /// The number as it was issued, in the account's format then (`INV-2026-00042`).
    pub number_text: Option<String>,
    pub client_name: String,
    pub client_email: String,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub notes: Option<String>,
    pub subtotal: i64,
    pub total: i64,
    pub amount_paid: i64,
    /// The credit notes' gross totals.
    pub amount_credited: i64,
    /// What of the credit notes' excess went to the customer's credit balance.
    pub amount_to_balance: i64,
    pub version: i64,
    pub sent_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    /// When and why its amount due was written off, while it is uncollectible (and after, if
    /// a payment still came).
    pub uncollectible_on: Option<NaiveDate>,
    pub uncollectible_reason: Option<String>,
    /// The latest PDF version stored, once the invoice was sent.
    pub document_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl InvoiceSummary {
    pub fn amount_due(&self) -> i64 {
        self.total - self.amount_paid - self.amount_credited + self.amount_to_balance
    }
}

/// A row of `invoices` as the queries select it (see [`InvoiceSummary`]).
pub(crate) struct InvoiceRow {
    pub(crate) id: Uuid,
    pub(crate) user_id: Uuid,
    pub(crate) status: String,
    pub(crate) number: Option<i64>,
    pub(crate) number_text: Option<String>,
    pub(crate) client_name: String,
    pub(crate) client_email: String,
    pub(crate) currency: String,
    pub(crate) issue_date: NaiveDate,
    pub(crate) due_date: NaiveDate,
    pub(crate) notes: Option<String>,
    pub(crate) subtotal: i64,
    pub(crate) total: i64,
    pub(crate) amount_paid: i64,
    pub(crate) amount_credited: i64,
    pub(crate) amount_to_balance: i64,
    pub(crate) version: i64,
    pub(crate) sent_at: Option<DateTime<Utc>>,
    pub(crate) paid_at: Option<DateTime<Utc>>,
    pub(crate) voided_at: Option<DateTime<Utc>>,
    pub(crate) void_reason: Option<String>,
    pub(crate) uncollectible_on: Option<NaiveDate>,
    pub(crate) uncollectible_reason: Option<String>,
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
            number_text: row.number_text,
            client_name: row.client_name,
            client_email: row.client_email,
            currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
            issue_date: row.issue_date,
            due_date: row.due_date,
            notes: row.notes,
            subtotal: row.subtotal,
            total: row.total,
            amount_paid: row.amount_paid,
            amount_credited: row.amount_credited,
            amount_to_balance: row.amount_to_balance,
            version: row.version,
            sent_at: row.sent_at,
            paid_at: row.paid_at,
            voided_at: row.voided_at,
            void_reason: row.void_reason,
            uncollectible_on: row.uncollectible_on,
            uncollectible_reason: row.uncollectible_reason,
            document_version: row.document_version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Stores a new draft with its lines, allowances and charges, tax breakdown and the first
/// timeline entry (`created`, sequence 0).
///
/// One statement, so one round trip, and atomic without a transaction: creating invoices is
/// the busiest write the API does (`scripts/bench`, Create). PostgreSQL checks the rows'
/// foreign keys at the end of the statement, once the invoice is in.
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn insert_draft(
    pool: &PgPool,
    id: Uuid,
    user_id: Uuid,
    draft: &Draft,
    created_at: DateTime<Utc>,
) -> Result<Invoice, StoreError> {
    let lines = LineArrays::of(&draft.items);
    let adjustments = AdjustmentArrays::of(&draft.adjustments);
    let breakdown = BreakdownArrays::of(&draft.totals.breakdown);
    let totals = &draft.totals;
    let row = sqlx::query_as!(
        InvoiceRow,
        r#"
        WITH invoice AS (
            INSERT INTO invoices (
                id, user_id, status, customer_id, client_name, client_email, currency,
                issue_date, due_date, supply_date, period_start, period_end, price_basis, notes,
                subtotal, allowance_total, charge_total, net_total, tax_total, total,
                created_at, updated_at
            )
            VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                    $16, $17, $18, $19, $20, $20)
            RETURNING id, user_id, status, number, number_text, client_name, client_email, currency,
                      issue_date, due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version,
                      sent_at, paid_at, voided_at, void_reason, uncollectible_on, uncollectible_reason,
                      document_version, created_at,
                      updated_at
        ),
        items AS (
            INSERT INTO invoice_items (
                invoice_id, position, description, quantity, unit, unit_price, discount_percent,
                discount_amount, tax_rate_id, tax_category, tax_percent, exemption_reason,
                exemption_code, period_start, period_end, amount
            )
            SELECT $1, * FROM UNNEST(
                $21::int4[], $22::text[], $23::numeric[], $24::text[], $25::numeric[],
                $26::numeric[], $27::int8[], $28::uuid[], $29::text[], $30::numeric[],
                $31::text[], $32::text[], $33::date[], $34::date[], $35::int8[]
            )
        ),
        adjustments AS (
            INSERT INTO invoice_adjustments (
                invoice_id, position, kind, reason, amount, net, tax_rate_id, tax_category,
                tax_percent, exemption_reason, exemption_code
            )
            SELECT $1, * FROM UNNEST(
                $36::int4[], $37::text[], $38::text[], $39::int8[], $40::int8[], $41::uuid[],
                $42::text[], $43::numeric[], $44::text[], $45::text[]
            )
        ),
        breakdown AS (
            INSERT INTO invoice_tax_subtotals (
                invoice_id, position, category, percent, exemption_reason, exemption_code,
                base, tax
            )
            SELECT $1, * FROM UNNEST(
                $46::int4[], $47::text[], $48::numeric[], $49::text[], $50::text[], $51::int8[],
                $52::int8[]
            )
        ),
        created AS (
            INSERT INTO invoice_events (invoice_id, seq, kind, data, occurred_at)
            VALUES ($1, 0, $53, $54, $20)
        )
        SELECT id AS "id!", user_id AS "user_id!", status AS "status!", number, number_text,
               client_name AS "client_name!", client_email AS "client_email!",
               currency AS "currency!", issue_date AS "issue_date!", due_date AS "due_date!",
               notes, subtotal AS "subtotal!", total AS "total!",
               amount_paid AS "amount_paid!", amount_credited AS "amount_credited!",
               amount_to_balance AS "amount_to_balance!", version AS "version!", sent_at, paid_at,
               voided_at, void_reason, uncollectible_on, uncollectible_reason,
               document_version, created_at AS "created_at!",
               updated_at AS "updated_at!"
        FROM invoice
        "#,
        id,
        user_id,
        draft.customer.id,
        draft.customer.name,
        draft.customer.email.as_str(),
        draft.currency.code(),
        draft.issue_date,
        draft.due_date,
        draft.supply_date,
        draft.service_period.map(|p| p.start),
        draft.service_period.map(|p| p.end),
        invoice_content::basis_text(draft.price_basis),
        draft.notes,
        totals.line_total,
        totals.allowance_total,
        totals.charge_total,
        totals.net_total,
        totals.tax_total,
        totals.gross_total,
        created_at,
        &lines.positions,
        &lines.descriptions,
        &lines.quantities,
        &lines.units,
        &lines.unit_prices,
        &lines.discount_percents as &[Option<Decimal>],
        &lines.discount_amounts as &[Option<i64>],
        &lines.tax_rate_ids as &[Option<Uuid>],
        &lines.categories,
        &lines.percents,
        &lines.exemption_reasons as &[Option<String>],
        &lines.exemption_codes as &[Option<String>],
        &lines.period_starts as &[Option<NaiveDate>],
        &lines.period_ends as &[Option<NaiveDate>],
        &lines.amounts,
        &adjustments.positions,
        &adjustments.kinds,
        &adjustments.reasons,
        &adjustments.amounts,
        &adjustments.nets,
        &adjustments.tax_rate_ids as &[Option<Uuid>],
        &adjustments.categories,
        &adjustments.percents,
        &adjustments.exemption_reasons as &[Option<String>],
        &adjustments.exemption_codes as &[Option<String>],
        &breakdown.positions,
        &breakdown.categories,
        &breakdown.percents,
        &breakdown.exemption_reasons as &[Option<String>],
        &breakdown.exemption_codes as &[Option<String>],
        &breakdown.bases,
        &breakdown.taxes,
        EventKind::Created.as_str(),
        json!({ "total": draft.total(), "currency": draft.currency }),
    )
    .fetch_one(pool)
    .await?;
    Ok(Invoice {
        summary: row.try_into()?,
        items: draft.items.clone(),
        details: Details {
            customer_id: draft.customer.id,
            price_basis: draft.price_basis,
            supply_date: draft.supply_date,
            service_period: draft.service_period,
            adjustments: draft.adjustments.clone(),
            totals: draft.totals.clone(),
            buyer: None,
        },
    })
}

/// The invoice with this id, whoever owns it; callers check access.
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn get(pool: &PgPool, id: Uuid) -> Result<Option<Invoice>, StoreError> {
    let Some(summary) = get_summary(pool, id).await? else {
        return Ok(None);
    };
    let mut conn = pool.acquire().await?;
    let Some((items, details)) = invoice_content::read(&mut conn, id).await? else {
        return Ok(None);
    };
    Ok(Some(Invoice {
        summary,
        items,
        details,
    }))
}

#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn get_summary(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<InvoiceSummary>, StoreError> {
    sqlx::query_as!(
        InvoiceRow,
        r#"
        SELECT id, user_id, status, number, number_text, client_name, client_email, currency, issue_date,
               due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version, sent_at, paid_at,
               voided_at, void_reason, uncollectible_on, uncollectible_reason,
               document_version, created_at, updated_at
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
        SELECT id, user_id, status, number, number_text, client_name, client_email, currency, issue_date,
               due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version, sent_at, paid_at,
               voided_at, void_reason, uncollectible_on, uncollectible_reason,
               document_version, created_at, updated_at
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
    // Past the timeline and the credit taken for an entry not written yet (the run was lost
    // between taking a customer's credit and recording its payment): no later entry reuses it.
    let next_event_seq = sqlx::query_scalar!(
        r#"
        SELECT GREATEST(
            (SELECT COALESCE(MAX(seq) + 1, 0) FROM invoice_events WHERE invoice_id = $1),
            (SELECT COALESCE(MAX(event_seq) + 1, 0) FROM customer_credits WHERE invoice_id = $1)
        ) AS "next!"
        "#,
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
    let credited = sqlx::query_scalar!(
        r#"SELECT credited AS "credited: Json<Credited>" FROM invoices WHERE id = $1"#,
        id
    )
    .fetch_one(pool)
    .await?
    .0;
    let credit_note_ids = sqlx::query_scalar!(
        "SELECT id FROM credit_notes WHERE invoice_id = $1 ORDER BY number",
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
            amount_credited: invoice.amount_credited,
            amount_to_balance: invoice.amount_to_balance,
        },
        version: invoice.version,
        document_version: invoice.document_version,
        next_event_seq,
        payment_ids,
        reminder_days,
        side_effect_steps,
        stripe_payments,
        credited,
        credit_note_ids,
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
