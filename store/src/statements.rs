//! A customer's statement of account (`GET /api/customers/{id}/statement`): what they owed at
//! the start of a period, every movement of their balance in it, and what they owed at its end,
//! per currency.
//!
//! The balance is what the customer owes. A sent invoice raises it on its issue date, and
//! lowers it again on the day it is voided; a payment lowers it on the day it was recorded,
//! and what was refunded on it raises it again on that same day (the payments table keeps a
//! payment's refund total, not when it was given, as the dashboard and the aging count it);
//! a write-off lowers it on its date, and a payment recovering a written-off debt raises it by
//! that much, beside the payment that lowers it.
//!
//! A credit note lowers the balance by its gross total on its issue date. What it took beyond
//! the invoice's amount due (its excess: the invoice was paid) went one of two ways:
//! - **refunded** on the invoice's payments: a `refund` movement on the note's issue date
//!   raises the balance again by as much, with the note's number (the refund is dated by its
//!   note, `credit_note_refunds`, so it is taken out of its payment's undated refund);
//! - **to the customer's credit balance** (`customer_credits`): no movement raises the balance
//!   again, so the note's excess stays in it as money the customer has in credit. The balance
//!   is what the customer owes **net of their credit balance**: it goes below zero when the
//!   credit is more than they owe, and a closing balance of −50.00 reads "50.00 in your
//!   favour". That is how a statement of account shows an unapplied credit note, and it keeps
//!   one figure to reconcile with the customer's own books; [`credit_balance`] gives the credit
//!   balance itself, which the statement shows beside the closing balance. Applying that credit
//!   to an invoice later (a payment of method `credit_balance`, with a negative
//!   `customer_credits` row) moves nothing in total: the note already lowered the balance. The
//!   statement lists that payment like any other, and beside it a `credit_applied` movement
//!   that raises the balance by as much (what of it was not given back since: what a later
//!   credit note gives back on it returns to the credit balance, and is its own `refund`
//!   line), so the two lines cancel out.
//!
//! So, per currency, `closing = opening + invoiced − paid + refunded − credited − written off`,
//! each net of its reversals (voids, recoveries). Days are UTC.
//!
//! [`sheets`] runs the balance through the movements, per currency: the JSON statement and the
//! PDF both read it. What they print of a movement is its kind's name (`kind.as_str()`) and the
//! sign of its amount (a debit raises the balance, a credit lowers it), so a new kind of
//! movement needs a label, not a new code path.
//!
//! Both queries read the same movements (spelled out in each, as sqlx needs a literal; a
//! change to one is made to the other, and the statement tests check that the opening and
//! closing balances chain): one sums those before the period, one lists those in it.

use crate::StoreError;
use chrono::NaiveDate;
use invoicing_workflows::domain::Currency;
use sqlx::PgExecutor;
use std::collections::BTreeMap;
use strum::{EnumString, IntoStaticStr, VariantArray};
use uuid::Uuid;

/// What moved a customer's balance, in the order they are listed within a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum MovementKind {
    /// A sent invoice, on its issue date.
    Invoice,
    /// A sent invoice voided.
    Void,
    Payment,
    /// The credit balance applied to an invoice: raises the balance by what its payment (of
    /// method `credit_balance`, beside it) lowers it, as the credit note that filled the
    /// credit balance lowered it already.
    CreditApplied,
    /// A credit note, on its issue date: its gross total.
    CreditNote,
    /// What was refunded on a payment: dated as the payment, or, given back by a credit note
    /// (its excess), as the note.
    Refund,
    /// An amount written off as a bad debt.
    WriteOff,
    /// A payment on a written-off debt: the debt is owed (and paid) after all.
    Recovery,
}

impl MovementKind {
    /// The kind's name (`write_off`): the JSON's `kind` and the key of its label in the
    /// documents' messages.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One movement of the balance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub currency: Currency,
    pub day: NaiveDate,
    pub kind: MovementKind,
    pub invoice_id: Uuid,
    /// The credit note of a `credit_note` movement, or of a `refund` its excess made.
    pub credit_note_id: Option<Uuid>,
    /// The document's number as issued: the credit note's where there is one, else the
    /// invoice's.
    pub number: Option<String>,
    /// Positive raises what the customer owes, negative lowers it.
    pub amount: i64,
}

/// The statement in one currency: the balance at the start of the period, every movement in it
/// with the balance after it, and the balance at its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub currency: Currency,
    pub opening: i64,
    /// In the order [`movements`] lists them, each with the balance after it.
    pub lines: Vec<(Movement, i64)>,
    /// `opening` plus every movement.
    pub closing: i64,
}

impl Sheet {
    /// The credit notes' gross totals in the period (positive).
    pub fn credited(&self) -> i64 {
        self.lines
            .iter()
            .filter(|(movement, _)| movement.kind == MovementKind::CreditNote)
            .map(|(movement, _)| -movement.amount)
            .sum()
    }
}

/// Each sheet with the customer's credit balance in its currency ([`credit_balance`]); a
/// currency with a balance and nothing else gets an empty sheet of its own. By currency code,
/// as [`sheets`] are.
pub fn with_credit(sheets: Vec<Sheet>, credit: Vec<(Currency, i64)>) -> Vec<(Sheet, i64)> {
    let mut sheets: Vec<(Sheet, i64)> = sheets.into_iter().map(|sheet| (sheet, 0)).collect();
    for (currency, balance) in credit {
        match sheets
            .iter_mut()
            .find(|(sheet, _)| sheet.currency.code() == currency.code())
        {
            Some((_, credit)) => *credit = balance,
            None => sheets.push((
                Sheet {
                    currency,
                    opening: 0,
                    lines: Vec::new(),
                    closing: 0,
                },
                balance,
            )),
        }
    }
    sheets.sort_by(|(a, _), (b, _)| a.currency.code().cmp(b.currency.code()));
    sheets
}

/// The movements per currency (by currency code) with their running balance, each currency
/// opening at its balance before the period; currencies neither owed at the start nor moved in
/// the period are left out.
pub fn sheets(opening: Vec<(Currency, i64)>, movements: Vec<Movement>) -> Vec<Sheet> {
    let mut sheets: BTreeMap<&'static str, Sheet> = BTreeMap::new();
    let empty = |currency: Currency, opening: i64| Sheet {
        currency,
        opening,
        lines: Vec::new(),
        closing: opening,
    };
    for (currency, balance) in opening {
        sheets
            .entry(currency.code())
            .or_insert_with(|| empty(currency, balance));
    }
    for movement in movements {
        let sheet = sheets
            .entry(movement.currency.code())
            .or_insert_with(|| empty(movement.currency, 0));
        sheet.closing += movement.amount;
        sheet.lines.push((movement, sheet.closing));
    }
    sheets
        .into_values()
        .filter(|sheet| sheet.opening != 0 || !sheet.lines.is_empty())
        .collect()
}

/// The customer's statement from `from` to `to`: [`opening`] and [`movements`] as [`sheets`],
/// both read from one snapshot, so a payment recorded meanwhile is in both or in neither.
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %customer_id))]
pub async fn statement(
    db: &sqlx::PgPool,
    user_id: Uuid,
    customer_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Sheet>, StoreError> {
    let mut tx = db.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let opening = opening(&mut *tx, user_id, customer_id, from).await?;
    let movements = movements(&mut *tx, user_id, customer_id, from, to).await?;
    tx.commit().await?;
    Ok(sheets(opening, movements))
}

/// The customer's balance per currency at the start of `from`: every movement before it.
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %customer_id))]
pub async fn opening(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    customer_id: Uuid,
    from: NaiveDate,
) -> Result<Vec<(Currency, i64)>, StoreError> {
    let rows = sqlx::query!(
        r#"
        WITH note_refunds AS (
            -- What the customer's credit notes refunded, per payment.
            SELECT r.payment_id, SUM(r.amount) AS amount
            FROM credit_note_refunds r
            JOIN credit_notes n ON n.id = r.credit_note_id
            WHERE n.user_id = $1 AND n.customer_id = $2
            GROUP BY r.payment_id
        ),
        movements AS (
            SELECT i.currency, i.issue_date AS day, i.total AS amount
            FROM invoices i
            WHERE i.user_id = $1 AND i.customer_id = $2 AND i.number IS NOT NULL
            UNION ALL
            SELECT i.currency, (i.voided_at AT TIME ZONE 'UTC')::date, -i.total
            FROM invoices i
            WHERE i.user_id = $1 AND i.customer_id = $2 AND i.number IS NOT NULL
              AND i.voided_at IS NOT NULL
            UNION ALL
            -- Payments, net of their refunds but those of credit notes.
            SELECT i.currency, (p.recorded_at AT TIME ZONE 'UTC')::date,
                   p.amount_refunded - COALESCE(r.amount, 0) - p.amount
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            LEFT JOIN note_refunds r ON r.payment_id = p.id
            WHERE i.user_id = $1 AND i.customer_id = $2
            UNION ALL
            -- The credit balance applied: its payment (above) moves nothing in total.
            SELECT i.currency, (p.recorded_at AT TIME ZONE 'UTC')::date,
                   p.amount - p.amount_refunded
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            WHERE i.user_id = $1 AND i.customer_id = $2 AND p.method = 'credit_balance'
            UNION ALL
            -- Credit notes, net of what they refunded.
            SELECT n.currency, n.issue_date,
                   COALESCE((SELECT SUM(r.amount) FROM credit_note_refunds r
                             WHERE r.credit_note_id = n.id), 0) - n.gross_total
            FROM credit_notes n
            WHERE n.user_id = $1 AND n.customer_id = $2
            UNION ALL
            SELECT w.currency, w.occurred_on, -w.amount
            FROM write_offs w
            JOIN invoices i ON i.id = w.invoice_id
            WHERE i.user_id = $1 AND i.customer_id = $2
        )
        SELECT currency AS "currency!", SUM(amount)::int8 AS "balance!"
        FROM movements
        WHERE day < $3
        GROUP BY currency
        ORDER BY currency
        "#,
        user_id,
        customer_id,
        from,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                row.balance,
            ))
        })
        .collect()
}

/// Every movement of the customer's balance from `from` to `to`, both included: by currency,
/// then day, then kind (in [`MovementKind`]'s order: an invoice before what settles it), then
/// invoice number, then credit note number.
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %customer_id))]
pub async fn movements(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    customer_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Movement>, StoreError> {
    let rows = sqlx::query!(
        r#"
        WITH note_refunds AS (
            -- What the customer's credit notes refunded, per payment.
            SELECT r.payment_id, SUM(r.amount) AS amount
            FROM credit_note_refunds r
            JOIN credit_notes n ON n.id = r.credit_note_id
            WHERE n.user_id = $1 AND n.customer_id = $2
            GROUP BY r.payment_id
        ),
        movements AS (
            SELECT i.currency, i.issue_date AS day, 0 AS rank, 'invoice' AS kind, i.id,
                   NULL::uuid AS credit_note_id, i.number_text, i.number, 0::int8 AS note,
                   i.total AS amount
            FROM invoices i
            WHERE i.user_id = $1 AND i.customer_id = $2 AND i.number IS NOT NULL
            UNION ALL
            SELECT i.currency, (i.voided_at AT TIME ZONE 'UTC')::date, 1, 'void', i.id, NULL,
                   i.number_text, i.number, 0, -i.total
            FROM invoices i
            WHERE i.user_id = $1 AND i.customer_id = $2 AND i.number IS NOT NULL
              AND i.voided_at IS NOT NULL
            UNION ALL
            SELECT i.currency, (p.recorded_at AT TIME ZONE 'UTC')::date, 2, 'payment', i.id,
                   NULL, i.number_text, i.number, 0, -p.amount
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            WHERE i.user_id = $1 AND i.customer_id = $2
            UNION ALL
            SELECT i.currency, (p.recorded_at AT TIME ZONE 'UTC')::date, 3, 'credit_applied',
                   i.id, NULL, i.number_text, i.number, 0, p.amount - p.amount_refunded
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            WHERE i.user_id = $1 AND i.customer_id = $2 AND p.method = 'credit_balance'
              AND p.amount > p.amount_refunded
            UNION ALL
            SELECT n.currency, n.issue_date, 4, 'credit_note', i.id, n.id, n.number_text,
                   i.number, n.number, -n.gross_total
            FROM credit_notes n
            JOIN invoices i ON i.id = n.invoice_id
            WHERE n.user_id = $1 AND n.customer_id = $2
            UNION ALL
            -- Refunds dated as their payment: all but those of credit notes.
            SELECT i.currency, (p.recorded_at AT TIME ZONE 'UTC')::date, 5, 'refund', i.id,
                   NULL, i.number_text, i.number, 0,
                   p.amount_refunded - COALESCE(r.amount, 0)
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            LEFT JOIN note_refunds r ON r.payment_id = p.id
            WHERE i.user_id = $1 AND i.customer_id = $2
              AND p.amount_refunded > COALESCE(r.amount, 0)
            UNION ALL
            -- A credit note's refunded excess, on the note's day.
            SELECT n.currency, n.issue_date, 5, 'refund', i.id, n.id, n.number_text, i.number,
                   n.number, SUM(r.amount)
            FROM credit_notes n
            JOIN invoices i ON i.id = n.invoice_id
            JOIN credit_note_refunds r ON r.credit_note_id = n.id
            WHERE n.user_id = $1 AND n.customer_id = $2
            GROUP BY n.id, i.id
            UNION ALL
            SELECT w.currency, w.occurred_on, CASE WHEN w.amount > 0 THEN 6 ELSE 7 END,
                   CASE WHEN w.amount > 0 THEN 'write_off' ELSE 'recovery' END, i.id, NULL,
                   i.number_text, i.number, 0, -w.amount
            FROM write_offs w
            JOIN invoices i ON i.id = w.invoice_id
            WHERE i.user_id = $1 AND i.customer_id = $2
        )
        SELECT currency AS "currency!", day AS "day!", kind AS "kind!", id AS "invoice_id!",
               credit_note_id, number_text, amount::int8 AS "amount!"
        FROM movements
        WHERE day BETWEEN $3 AND $4
        ORDER BY currency, day, rank, number, id, note
        "#,
        user_id,
        customer_id,
        from,
        to,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Movement {
                currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                day: row.day,
                kind: row.kind.parse().map_err(StoreError::corrupt)?,
                invoice_id: row.invoice_id,
                credit_note_id: row.credit_note_id,
                number: row.number_text,
                amount: row.amount,
            })
        })
        .collect()
}

/// The customer's credit balance per currency at the end of `to`: the credit notes' excess
/// moved to it, less what was applied since (only currencies with a balance).
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %customer_id))]
pub async fn credit_balance(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    customer_id: Uuid,
    to: NaiveDate,
) -> Result<Vec<(Currency, i64)>, StoreError> {
    let rows = sqlx::query!(
        r#"
        SELECT currency AS "currency!", SUM(amount)::int8 AS "balance!"
        FROM customer_credits
        WHERE user_id = $1 AND customer_id = $2 AND occurred_on <= $3
        GROUP BY currency
        HAVING SUM(amount) <> 0
        ORDER BY currency
        "#,
        user_id,
        customer_id,
        to,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                row.balance,
            ))
        })
        .collect()
}
