//! The rows of the CSV exports (`GET /api/exports/{kind}.csv`), streamed from PostgreSQL a row
//! at a time (`fetch`, not `fetch_all`), so an export of any size never sits in memory. Each
//! query reads one account's rows of one date range, inclusive, in a stable order.
//!
//! Which invoices: those ever sent (`sent_at` set: numbered documents; drafts and drafts voided
//! before sending are not documents) whose issue date is in the range. The invoice and line
//! exports keep voided ones, with their status; the tax report leaves them out, as the
//! dashboard does. Which credit notes: those issued in the range (every credit note is a
//! numbered document; its invoice, being sent and not void, is one too). The customer is the
//! buyer as the invoice was sent (`invoices.buyer`, which its credit notes copy): the legal name
//! where the customer had one, else the display name.

use crate::StoreError;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use futures::{StreamExt, TryStreamExt, stream::BoxStream};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

/// An invoice as the invoice export writes it.
#[derive(Clone, Debug)]
pub struct InvoiceExport {
    pub id: Uuid,
    pub number: Option<String>,
    pub status: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub supply_date: Option<NaiveDate>,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub customer_email: String,
    pub customer_tax_id: Option<String>,
    pub customer_country: Option<String>,
    pub currency: String,
    pub net: i64,
    pub tax: i64,
    pub gross: i64,
    pub amount_paid: i64,
    /// The credit notes' gross totals, and what of their excess went to the customer's credit
    /// balance: `amount_due = gross − amount_paid − amount_credited + amount_to_balance`.
    pub amount_credited: i64,
    pub amount_to_balance: i64,
    pub amount_due: i64,
    pub paid_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
}

/// The account's invoices issued from `from` to `to`, by issue date and number.
pub fn invoices(
    db: &PgPool,
    user_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> BoxStream<'_, Result<InvoiceExport, StoreError>> {
    sqlx::query_as!(
        InvoiceExport,
        r#"
        SELECT id, number_text AS number, status, issue_date, due_date, supply_date, customer_id,
               COALESCE(buyer->>'legal_name', buyer->>'display_name', client_name) AS "customer_name!",
               COALESCE(buyer->'emails'->>0, client_email) AS "customer_email!",
               buyer->>'tax_id' AS customer_tax_id,
               buyer->>'country' AS customer_country,
               currency, net_total AS net, tax_total AS tax, total AS gross, amount_paid,
               amount_credited, amount_to_balance, amount_due AS "amount_due!", paid_at,
               voided_at
        FROM invoices
        WHERE user_id = $1 AND sent_at IS NOT NULL AND issue_date BETWEEN $2 AND $3
        ORDER BY issue_date, number_year NULLS FIRST, number, id
        "#,
        user_id,
        from,
        to,
    )
    .fetch(db)
    .map_err(StoreError::from)
    .boxed()
}

/// An invoice line as the line export writes it, with its invoice's number and buyer.
#[derive(Clone, Debug)]
pub struct LineExport {
    pub invoice_id: Uuid,
    pub number: Option<String>,
    pub status: String,
    pub issue_date: NaiveDate,
    pub customer_name: String,
    pub currency: String,
    /// From 0.
    pub position: i32,
    pub description: String,
    pub quantity: Decimal,
    /// UN/ECE Recommendation 20 (`C62` one, `HUR` hour).
    pub unit: String,
    /// In minor units, possibly finer (`12.5` cents).
    pub unit_price: Decimal,
    pub discount_percent: Option<Decimal>,
    pub discount_amount: Option<i64>,
    pub tax_category: String,
    pub tax_percent: Decimal,
    pub exemption_reason: Option<String>,
    /// The line's net amount, in minor units.
    pub net: i64,
}

/// The lines of the invoices [`invoices`] lists, in its order, each invoice's in position.
pub fn lines(
    db: &PgPool,
    user_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> BoxStream<'_, Result<LineExport, StoreError>> {
    sqlx::query_as!(
        LineExport,
        r#"
        SELECT i.id AS invoice_id, i.number_text AS number, i.status, i.issue_date,
               COALESCE(i.buyer->>'legal_name', i.buyer->>'display_name', i.client_name)
                   AS "customer_name!",
               i.currency, l.position, l.description, l.quantity, l.unit, l.unit_price,
               l.discount_percent, l.discount_amount, l.tax_category, l.tax_percent,
               l.exemption_reason, l.amount AS net
        FROM invoices i
        JOIN invoice_items l ON l.invoice_id = i.id
        WHERE i.user_id = $1 AND i.sent_at IS NOT NULL AND i.issue_date BETWEEN $2 AND $3
        ORDER BY i.issue_date, i.number_year NULLS FIRST, i.number, i.id, l.position
        "#,
        user_id,
        from,
        to,
    )
    .fetch(db)
    .map_err(StoreError::from)
    .boxed()
}

/// A payment as the payment export writes it.
#[derive(Clone, Debug)]
pub struct PaymentExport {
    pub id: Uuid,
    pub recorded_at: DateTime<Utc>,
    pub invoice_id: Uuid,
    pub number: Option<String>,
    pub customer_name: String,
    pub currency: String,
    pub amount: i64,
    pub amount_refunded: i64,
    pub method: String,
    pub reference: Option<String>,
    pub transaction_id: Option<String>,
    pub status: String,
}

/// The account's payments recorded from the start of `from` to the end of `to` (UTC), oldest
/// first. A refund has no date of its own (the payment keeps its cumulative refund): it shows
/// on its payment's row.
pub fn payments(
    db: &PgPool,
    user_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> BoxStream<'_, Result<PaymentExport, StoreError>> {
    let start = from.and_time(NaiveTime::MIN).and_utc();
    // After the range, a day past `to`; the last representable day has no day after it.
    let end = to.succ_opt().map_or(DateTime::<Utc>::MAX_UTC, |day| {
        day.and_time(NaiveTime::MIN).and_utc()
    });
    sqlx::query_as!(
        PaymentExport,
        r#"
        SELECT p.id, p.recorded_at, p.invoice_id, i.number_text AS number,
               COALESCE(i.buyer->>'legal_name', i.buyer->>'display_name', i.client_name)
                   AS "customer_name!",
               p.currency, p.amount, p.amount_refunded, p.method, p.reference,
               p.transaction_id, p.status AS "status!"
        FROM payments p
        JOIN invoices i ON i.id = p.invoice_id
        WHERE i.user_id = $1 AND p.recorded_at >= $2 AND p.recorded_at < $3
        ORDER BY p.recorded_at, p.id
        "#,
        user_id,
        start,
        end,
    )
    .fetch(db)
    .map_err(StoreError::from)
    .boxed()
}

/// One line of the tax report: a kind of document's amounts in one period, currency and VAT
/// category and rate. A credit note's amounts are negative: it takes back turnover and tax an
/// invoice declared, so a period's lines add up to what its documents come to.
#[derive(Clone, Debug)]
pub struct TaxLine {
    /// The first day of the calendar month of the documents' issue dates.
    pub period: NaiveDate,
    /// `invoice` or `credit_note`.
    pub document_type: String,
    pub currency: String,
    /// EN 16931's VAT category (`S`, `Z`, `E`, `AE`, `K`, `G`, `O`).
    pub category: String,
    pub percent: Decimal,
    /// The taxable amount (BT-116) and the tax (BT-117), summed, in minor units.
    pub net: i64,
    pub tax: i64,
    /// How many documents have an amount in this line.
    pub documents: i64,
}

/// The tax report of the account's documents issued from `from` to `to`: per month, kind of
/// document, currency, category and rate, the sums of the documents' tax breakdowns (each
/// rounded once per document, as the document states it). Voided invoices are left out.
///
/// Each kind of document is a branch of `documents`: invoices over `invoice_tax_subtotals`,
/// credit notes (`credit_note`, negated) over `credit_note_tax_subtotals`, dated by their own
/// issue date (the tax point of the correction, not the invoice's); each kind comes out as
/// lines of its own. A credited invoice stays in the report as issued: its credit notes take
/// it back in their own period.
pub fn tax_report(
    db: &PgPool,
    user_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> BoxStream<'_, Result<TaxLine, StoreError>> {
    sqlx::query_as!(
        TaxLine,
        r#"
        WITH documents AS (
            SELECT 'invoice' AS document_type, i.id AS document_id, i.issue_date, i.currency,
                   t.category, t.percent, t.base, t.tax
            FROM invoices i
            JOIN invoice_tax_subtotals t ON t.invoice_id = i.id
            WHERE i.user_id = $1 AND i.sent_at IS NOT NULL AND i.status <> 'void'
              AND i.issue_date BETWEEN $2 AND $3
            UNION ALL
            SELECT 'credit_note', n.id, n.issue_date, n.currency, t.category, t.percent,
                   -t.taxable_amount, -t.tax_amount
            FROM credit_notes n
            JOIN credit_note_tax_subtotals t ON t.credit_note_id = n.id
            WHERE n.user_id = $1 AND n.issue_date BETWEEN $2 AND $3
        )
        SELECT date_trunc('month', issue_date)::date AS "period!",
               document_type AS "document_type!", currency AS "currency!",
               category AS "category!", percent AS "percent!",
               SUM(base)::int8 AS "net!", SUM(tax)::int8 AS "tax!",
               COUNT(DISTINCT document_id) AS "documents!"
        FROM documents
        GROUP BY 1, document_type, currency, category, percent
        ORDER BY 1, document_type, currency, category, percent
        "#,
        user_id,
        from,
        to,
    )
    .fetch(db)
    .map_err(StoreError::from)
    .boxed()
}

/// A credit note as the credit-note export writes it.
#[derive(Clone, Debug)]
pub struct CreditNoteExport {
    pub id: Uuid,
    pub number: String,
    pub issue_date: NaiveDate,
    pub invoice_id: Uuid,
    pub invoice_number: Option<String>,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub currency: String,
    pub reason: String,
    pub net: i64,
    pub tax: i64,
    pub gross: i64,
    /// What it took beyond the invoice's amount due, and where that went (`refund` or
    /// `credit_balance`; `None` without an excess).
    pub excess: i64,
    pub excess_to: Option<String>,
}

/// The account's credit notes issued from `from` to `to`, by issue date and number.
pub fn credit_notes(
    db: &PgPool,
    user_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> BoxStream<'_, Result<CreditNoteExport, StoreError>> {
    sqlx::query_as!(
        CreditNoteExport,
        r#"
        SELECT n.id, n.number_text AS number, n.issue_date, n.invoice_id,
               i.number_text AS invoice_number, n.customer_id,
               COALESCE(i.buyer->>'legal_name', i.buyer->>'display_name', i.client_name)
                   AS "customer_name!",
               n.currency, n.reason, n.net_total AS net, n.tax_total AS tax,
               n.gross_total AS gross, n.excess, n.excess_to
        FROM credit_notes n
        JOIN invoices i ON i.id = n.invoice_id
        WHERE n.user_id = $1 AND n.issue_date BETWEEN $2 AND $3
        ORDER BY n.issue_date, n.number_year NULLS FIRST, n.number, n.id
        "#,
        user_id,
        from,
        to,
    )
    .fetch(db)
    .map_err(StoreError::from)
    .boxed()
}
