//! Figures about one account's invoices, for its dashboard (`GET /api/dashboard`): what is
//! outstanding and overdue per currency, the invoices that need attention, and what was
//! invoiced, paid and credited month by month.
//!
//! "Open" invoices are the receivables (`InvoiceStatus::is_receivable`): `sent` and `overdue`,
//! partly paid or partly credited or not. What is outstanding of each is its `amount_due`,
//! which credit notes lower too; a `credited` invoice (fully credited) owes nothing. An
//! `uncollectible` invoice still takes payments but was written off: it is not outstanding.
//! Payments count net of what was refunded on them (`amount - amount_refunded`); the payments
//! table keeps the cumulative refund, not when it happened, so a refund counts in the month of
//! the payment it returns, except a refund a credit note made (its excess), which counts in the
//! month of the note, as the aging and the statements date it.

use crate::{
    StoreError,
    invoices::{InvoiceRow, InvoiceSummary},
};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::domain::Currency;
use sqlx::PgExecutor;
use uuid::Uuid;

/// What an account is owed in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outstanding {
    pub currency: Currency,
    /// The amount due (`amount_due`) of the open invoices, and how many there are.
    pub outstanding: i64,
    pub outstanding_count: i64,
    /// The same, of the overdue invoices only.
    pub overdue: i64,
    pub overdue_count: i64,
}

/// The account's open and overdue amounts, one entry per currency it has a non-draft invoice
/// in (with zeros where nothing is open), by currency code. Payments are recorded in their
/// invoice's currency, so these are also every currency the account has payments in.
#[tracing::instrument(skip_all, fields(owner_id = %user_id))]
pub async fn outstanding(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Vec<Outstanding>, StoreError> {
    let rows = sqlx::query!(
        r#"
        SELECT currency AS "currency!",
               COALESCE(SUM(amount_due) FILTER (WHERE status IN ('sent', 'overdue')), 0)::int8
                   AS "outstanding!",
               COUNT(*) FILTER (WHERE status IN ('sent', 'overdue')) AS "outstanding_count!",
               COALESCE(SUM(amount_due) FILTER (WHERE status = 'overdue'), 0)::int8
                   AS "overdue!",
               COUNT(*) FILTER (WHERE status = 'overdue') AS "overdue_count!"
        FROM invoices
        WHERE user_id = $1 AND status <> 'draft'
        GROUP BY currency
        ORDER BY currency
        "#,
        user_id,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Outstanding {
                currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                outstanding: row.outstanding,
                outstanding_count: row.outstanding_count,
                overdue: row.overdue,
                overdue_count: row.overdue_count,
            })
        })
        .collect()
}

/// What was invoiced and paid in one currency in one calendar month (UTC).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthAmounts {
    /// The month's first day.
    pub month: NaiveDate,
    pub currency: Currency,
    /// The totals of the invoices sent that month and not voided since.
    pub invoiced: i64,
    /// The money received that month: the payments recorded, net of refunds (those of credit
    /// notes: the refunds the month's credit notes made), but not those paid from a customer's
    /// credit balance (received once already, with the payment a credit note moved there).
    pub paid: i64,
    /// The gross totals of the credit notes issued that month.
    pub credited: i64,
}

/// The account's invoiced, paid and credited amounts per month and currency from `since` (the
/// first instant of a month) on; months and currencies with nothing are left out.
#[tracing::instrument(skip_all, fields(owner_id = %user_id))]
pub async fn months(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    since: DateTime<Utc>,
) -> Result<Vec<MonthAmounts>, StoreError> {
    let rows = sqlx::query!(
        r#"
        WITH note_refunds AS (
            -- The refunds the credit notes of the months made, per payment (a refund is made
            -- on a payment recorded before it, in these months or earlier).
            SELECT r.payment_id, SUM(r.amount) AS amount
            FROM credit_note_refunds r
            JOIN credit_notes n ON n.id = r.credit_note_id
            WHERE n.user_id = $1 AND n.issue_date >= ($2 AT TIME ZONE 'UTC')::date
            GROUP BY r.payment_id
        )
        SELECT month AS "month!", currency AS "currency!",
               SUM(invoiced)::int8 AS "invoiced!", SUM(paid)::int8 AS "paid!",
               SUM(credited)::int8 AS "credited!"
        FROM (
            SELECT date_trunc('month', sent_at AT TIME ZONE 'UTC')::date AS month, currency,
                   total AS invoiced, 0::numeric AS paid, 0::int8 AS credited
            FROM invoices
            WHERE user_id = $1 AND sent_at >= $2 AND status <> 'void'
            UNION ALL
            -- Payments, net of their refunds but those credit notes made. Not those made from
            -- the customer's credit balance: that money was received once already, with the
            -- payment a credit note moved to the balance.
            SELECT date_trunc('month', p.recorded_at AT TIME ZONE 'UTC')::date, p.currency,
                   0, p.amount - p.amount_refunded + COALESCE(r.amount, 0), 0
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            LEFT JOIN note_refunds r ON r.payment_id = p.id
            WHERE i.user_id = $1 AND p.recorded_at >= $2 AND p.method <> 'credit_balance'
            UNION ALL
            -- Credit notes, and the money they gave back, in the month of their issue date (a
            -- refund on a payment from the credit balance went back to that balance).
            SELECT date_trunc('month', n.issue_date)::date, n.currency, 0,
                   -COALESCE(SUM(r.amount), 0), n.gross_total
            FROM credit_notes n
            LEFT JOIN (
                credit_note_refunds r
                JOIN payments rp ON rp.id = r.payment_id AND rp.method <> 'credit_balance'
            ) ON r.credit_note_id = n.id
            WHERE n.user_id = $1 AND n.issue_date >= ($2 AT TIME ZONE 'UTC')::date
            GROUP BY n.id
        ) AS amounts
        GROUP BY month, currency
        ORDER BY month, currency
        "#,
        user_id,
        since,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(MonthAmounts {
                month: row.month,
                currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                invoiced: row.invoiced,
                paid: row.paid,
                credited: row.credited,
            })
        })
        .collect()
}

/// The account's invoices that need attention, at most `limit`: every overdue invoice (the
/// longest overdue first), then the sent invoices due on or before `due_by`, soonest first. A
/// sent invoice already past its due date (its workflow has not marked it overdue yet) counts
/// among the latter.
#[tracing::instrument(skip_all, fields(owner_id = %user_id))]
pub async fn attention(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    due_by: NaiveDate,
    limit: i64,
) -> Result<Vec<InvoiceSummary>, StoreError> {
    sqlx::query_as!(
        InvoiceRow,
        r#"
        SELECT id, user_id, status, number, number_text, client_name, client_email, currency, issue_date,
               due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version,
               sent_at, paid_at,
               voided_at, void_reason, uncollectible_on, uncollectible_reason,
               document_version, created_at, updated_at
        FROM invoices
        WHERE user_id = $1
          AND (status = 'overdue' OR (status = 'sent' AND due_date <= $2))
        ORDER BY CASE status WHEN 'overdue' THEN 0 ELSE 1 END, due_date, id
        LIMIT $3
        "#,
        user_id,
        due_by,
        limit,
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(TryInto::try_into)
    .collect()
}

#[cfg(test)]
mod tests {
    use invoicing_workflows::domain::InvoiceStatus;

    /// The queries above spell the open statuses out; they must be the receivables.
    #[test]
    fn open_invoices_are_the_receivables() {
        let open: Vec<&str> = InvoiceStatus::ALL
            .into_iter()
            .filter(|status| status.is_receivable())
            .map(InvoiceStatus::as_str)
            .collect();
        assert_eq!(open, ["sent", "overdue"]);
    }
}
