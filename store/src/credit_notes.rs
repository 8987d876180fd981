//! Credit notes: what the invoice workflow needs to compute them, the write that records one
//! (numbered in the account's credit-note series, with its tax breakdown, the refunds or the
//! customer credit its excess makes, and the invoice's amounts after it), and the reads.

use crate::{StoreError, events, invoice_content, numbering, transitions};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::{
    contracts::{ExcessTo, IssueCreditNoteInput, IssuedCreditNote, RefundShare},
    domain::{
        Adjustment, Currency, EventKind, PaymentMethod, PricedLine,
        credit::{CreditBasis, CreditNote, CreditScope, Credited},
    },
};
use serde_json::json;
use sqlx::{PgConnection, PgExecutor, PgPool, types::Json};
use uuid::Uuid;

/// The sent invoice's content as its credit notes need it: the lines and adjustments as
/// priced, and the totals as stored.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn basis(conn: &mut PgConnection, invoice_id: Uuid) -> Result<CreditBasis, StoreError> {
    let (items, details) = invoice_content::read(conn, invoice_id)
        .await?
        .ok_or(StoreError::NotFound("invoice"))?;
    Ok(CreditBasis {
        basis: details.price_basis,
        lines: items
            .into_iter()
            .map(|item| PricedLine {
                quantity: item.quantity,
                unit_price: item.unit_price,
                discount: item.discount,
                rate: item.rate,
            })
            .collect(),
        adjustments: details
            .adjustments
            .into_iter()
            .map(|adjustment| Adjustment {
                kind: adjustment.kind,
                amount: adjustment.amount,
                rate: adjustment.rate,
            })
            .collect(),
        totals: details.totals,
    })
}

/// Records a credit note the workflow accepted. A retried write (already stored) returns what
/// the first one stored.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id, credit_note_id = %input.credit_note_id))]
pub async fn issue(
    pool: &PgPool,
    input: &IssueCreditNoteInput,
) -> Result<IssuedCreditNote, StoreError> {
    let Some((mut tx, locked)) = transitions::begin(pool, input.invoice_id, input.version).await?
    else {
        return issued(pool, input.credit_note_id).await;
    };
    let customer_id = sqlx::query_scalar!(
        "SELECT customer_id FROM invoices WHERE id = $1",
        input.invoice_id
    )
    .fetch_one(&mut *tx)
    .await?;
    // The note's date is the day it was issued, in UTC like every stored date.
    let issue_date = input.at.date_naive();
    let number = numbering::allocate(
        &mut tx,
        numbering::Series::CreditNotes,
        locked.user_id,
        issue_date,
    )
    .await?;
    let note = &input.note;
    let excess_to = (input.excess > 0).then(|| input.excess_to.as_str());
    sqlx::query!(
        r#"
        INSERT INTO credit_notes (
            id, invoice_id, user_id, customer_id, event_seq, number, number_year, number_text,
            issue_date, reason, scope, content, currency, net_total, tax_total, gross_total,
            excess, excess_to, issued_at
        )
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19)
        "#,
        input.credit_note_id,
        input.invoice_id,
        locked.user_id,
        customer_id,
        input.event_seq,
        number.sequence,
        number.year,
        number.text,
        issue_date,
        input.reason,
        Json(&input.scope) as _,
        Json(note) as _,
        locked.currency,
        note.net_total,
        note.tax_total,
        note.gross_total,
        input.excess,
        excess_to,
        input.at,
    )
    .execute(&mut *tx)
    .await?;
    let positions: Vec<i32> = (0..note.breakdown.len())
        .map(|index| i32::try_from(index).unwrap_or(i32::MAX))
        .collect();
    sqlx::query!(
        r#"
        INSERT INTO credit_note_tax_subtotals
            (credit_note_id, position, category, percent, taxable_amount, tax_amount)
        SELECT $1, * FROM UNNEST($2::int4[], $3::text[], $4::numeric[], $5::int8[], $6::int8[])
        "#,
        input.credit_note_id,
        &positions,
        &note
            .breakdown
            .iter()
            .map(|row| row.category.code().to_owned())
            .collect::<Vec<_>>(),
        &note
            .breakdown
            .iter()
            .map(|row| row.percent)
            .collect::<Vec<_>>(),
        &note
            .breakdown
            .iter()
            .map(|row| row.base)
            .collect::<Vec<_>>(),
        &note.breakdown.iter().map(|row| row.tax).collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    let refunds = match input.excess_to {
        ExcessTo::Refund if input.excess > 0 => {
            refund(&mut tx, input, customer_id, &locked).await?
        }
        _ => Vec::new(),
    };
    if input.excess_to == ExcessTo::CreditBalance && input.excess > 0 {
        sqlx::query!(
            r#"
            INSERT INTO customer_credits (
                id, user_id, customer_id, invoice_id, event_seq, currency, amount,
                credit_note_id, occurred_on
            )
            VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $8)
            "#,
            input.credit_note_id,
            locked.user_id,
            customer_id,
            input.invoice_id,
            input.event_seq,
            locked.currency,
            input.excess,
            issue_date,
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        r#"
        UPDATE invoices
        SET amount_paid = $2, amount_credited = $3, amount_to_balance = $4, credited = $5,
            status = $6,
            paid_at = CASE WHEN $6 = 'paid' THEN COALESCE(paid_at, $7) ELSE paid_at END,
            version = $8, updated_at = now()
        WHERE id = $1
        "#,
        input.invoice_id,
        input.amount_paid,
        input.amount_credited,
        input.amount_to_balance,
        Json(&note.credited) as _,
        input.status.as_str(),
        input.at,
        input.version,
    )
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::CreditNoteIssued,
        json!({
            "credit_note_id": input.credit_note_id,
            "number": number.text,
            "reason": input.reason,
            "gross_total": note.gross_total,
            "excess": input.excess,
            "excess_to": excess_to,
            "amount_due": locked.total - input.amount_paid - input.amount_credited
                + input.amount_to_balance,
            "status": input.status,
        }),
        input.at,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedCreditNote {
        number: number.text,
        issue_date,
        refunds,
    })
}

/// Gives the note's excess back on the invoice's payments, newest first, each up to what is
/// left of it; records which payment gave back how much. What goes back on a payment made from
/// the customer's credit balance goes back into that balance, not out in cash.
async fn refund(
    conn: &mut PgConnection,
    input: &IssueCreditNoteInput,
    customer_id: Uuid,
    locked: &transitions::Locked,
) -> Result<Vec<RefundShare>, StoreError> {
    let (invoice_id, credit_note_id, excess) =
        (input.invoice_id, input.credit_note_id, input.excess);
    let payments = sqlx::query!(
        r#"
        SELECT id, amount - amount_refunded AS "refundable!", transaction_id, method
        FROM payments
        WHERE invoice_id = $1 AND amount > amount_refunded
        ORDER BY recorded_at DESC, id DESC
        FOR UPDATE
        "#,
        invoice_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut left = excess;
    let mut shares = Vec::new();
    let mut to_balance = 0;
    for payment in payments {
        if left == 0 {
            break;
        }
        let amount = left.min(payment.refundable);
        left -= amount;
        sqlx::query!(
            "UPDATE payments SET amount_refunded = amount_refunded + $2 WHERE id = $1",
            payment.id,
            amount,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"
            INSERT INTO credit_note_refunds (credit_note_id, payment_id, amount)
            VALUES ($1, $2, $3)
            "#,
            credit_note_id,
            payment.id,
            amount,
        )
        .execute(&mut *conn)
        .await?;
        if payment.method == PaymentMethod::CreditBalance.as_str() {
            to_balance += amount;
        }
        shares.push(RefundShare {
            payment_id: payment.id,
            amount,
            intent_id: payment.transaction_id,
        });
    }
    if to_balance > 0 {
        sqlx::query!(
            r#"
            INSERT INTO customer_credits (
                id, user_id, customer_id, invoice_id, event_seq, currency, amount,
                credit_note_id, occurred_on
            )
            VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $8)
            "#,
            credit_note_id,
            locked.user_id,
            customer_id,
            invoice_id,
            input.event_seq,
            locked.currency,
            to_balance,
            input.at.date_naive(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if left > 0 {
        return Err(StoreError::corrupt(format!(
            "invoice {invoice_id}'s payments cannot give back a credit note's excess of {excess}"
        )));
    }
    Ok(shares)
}

/// What an earlier attempt of the write stored.
async fn issued(pool: &PgPool, credit_note_id: Uuid) -> Result<IssuedCreditNote, StoreError> {
    let note = sqlx::query!(
        "SELECT number_text, issue_date FROM credit_notes WHERE id = $1",
        credit_note_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound("credit note"))?;
    let refunds = sqlx::query!(
        r#"
        SELECT r.payment_id, r.amount, p.transaction_id
        FROM credit_note_refunds r JOIN payments p ON p.id = r.payment_id
        WHERE r.credit_note_id = $1
        ORDER BY p.recorded_at DESC, p.id DESC
        "#,
        credit_note_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| RefundShare {
        payment_id: row.payment_id,
        amount: row.amount,
        intent_id: row.transaction_id,
    })
    .collect();
    Ok(IssuedCreditNote {
        number: note.number_text,
        issue_date: note.issue_date,
        refunds,
    })
}

/// A credit note as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCreditNote {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub user_id: Uuid,
    pub customer_id: Uuid,
    pub number: String,
    pub issue_date: NaiveDate,
    pub reason: String,
    pub scope: CreditScope,
    pub note: CreditNote,
    pub currency: Currency,
    pub excess: i64,
    pub excess_to: Option<ExcessTo>,
    pub refunds: Vec<RefundShare>,
    /// The stored PDF, once rendered.
    pub pdf_key: Option<String>,
    /// The e-invoice's format (`factur_x`, `xrechnung_ubl`, …), once rendered for a customer
    /// who receives one.
    pub e_invoice_format: Option<String>,
    /// The stored XML e-invoice, for a customer who receives one in XML.
    pub e_invoice_key: Option<String>,
    pub issued_at: DateTime<Utc>,
}

struct Row {
    id: Uuid,
    invoice_id: Uuid,
    user_id: Uuid,
    customer_id: Uuid,
    number_text: String,
    issue_date: NaiveDate,
    reason: String,
    scope: Json<CreditScope>,
    content: Json<CreditNote>,
    currency: String,
    excess: i64,
    excess_to: Option<String>,
    refunds: Json<Vec<RefundShare>>,
    pdf_key: Option<String>,
    e_invoice_format: Option<String>,
    e_invoice_key: Option<String>,
    issued_at: DateTime<Utc>,
}

impl TryFrom<Row> for StoredCreditNote {
    type Error = StoreError;

    fn try_from(row: Row) -> Result<Self, StoreError> {
        Ok(StoredCreditNote {
            id: row.id,
            invoice_id: row.invoice_id,
            user_id: row.user_id,
            customer_id: row.customer_id,
            number: row.number_text,
            issue_date: row.issue_date,
            reason: row.reason,
            scope: row.scope.0,
            note: row.content.0,
            currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
            excess: row.excess,
            excess_to: row
                .excess_to
                .map(|text| text.parse().map_err(StoreError::corrupt))
                .transpose()?,
            refunds: row.refunds.0,
            pdf_key: row.pdf_key,
            e_invoice_format: row.e_invoice_format,
            e_invoice_key: row.e_invoice_key,
            issued_at: row.issued_at,
        })
    }
}

/// An invoice's credit notes, oldest first.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn for_invoice(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
) -> Result<Vec<StoredCreditNote>, StoreError> {
    sqlx::query_as!(
        Row,
        r#"
        SELECT n.id, n.invoice_id, n.user_id, n.customer_id, n.number_text, n.issue_date,
               n.reason, n.scope AS "scope: Json<CreditScope>",
               n.content AS "content: Json<CreditNote>", n.currency, n.excess, n.excess_to,
               COALESCE(
                   (SELECT jsonb_agg(jsonb_build_object(
                               'payment_id', r.payment_id, 'amount', r.amount,
                               'intent_id', p.transaction_id)
                           ORDER BY p.recorded_at DESC, p.id DESC)
                    FROM credit_note_refunds r JOIN payments p ON p.id = r.payment_id
                    WHERE r.credit_note_id = n.id),
                   '[]'::jsonb
               ) AS "refunds!: Json<Vec<RefundShare>>",
               n.pdf_key, n.e_invoice_format, n.e_invoice_key, n.issued_at
        FROM credit_notes n
        WHERE n.invoice_id = $1
        ORDER BY n.number
        "#,
        invoice_id,
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(StoredCreditNote::try_from)
    .collect()
}

/// One credit note; `None` when there is none with this id.
#[tracing::instrument(skip_all, fields(credit_note_id = %id))]
pub async fn get(
    db: impl PgExecutor<'_>,
    id: Uuid,
) -> Result<Option<StoredCreditNote>, StoreError> {
    sqlx::query_as!(
        Row,
        r#"
        SELECT n.id, n.invoice_id, n.user_id, n.customer_id, n.number_text, n.issue_date,
               n.reason, n.scope AS "scope: Json<CreditScope>",
               n.content AS "content: Json<CreditNote>", n.currency, n.excess, n.excess_to,
               COALESCE(
                   (SELECT jsonb_agg(jsonb_build_object(
                               'payment_id', r.payment_id, 'amount', r.amount,
                               'intent_id', p.transaction_id)
                           ORDER BY p.recorded_at DESC, p.id DESC)
                    FROM credit_note_refunds r JOIN payments p ON p.id = r.payment_id
                    WHERE r.credit_note_id = n.id),
                   '[]'::jsonb
               ) AS "refunds!: Json<Vec<RefundShare>>",
               n.pdf_key, n.e_invoice_format, n.e_invoice_key, n.issued_at
        FROM credit_notes n
        WHERE n.id = $1
        "#,
        id,
    )
    .fetch_optional(db)
    .await?
    .map(StoredCreditNote::try_from)
    .transpose()
}

/// Records where a credit note's PDF (and XML e-invoice) were stored.
#[tracing::instrument(skip_all, fields(credit_note_id = %id))]
pub async fn record_documents(
    db: impl PgExecutor<'_>,
    id: Uuid,
    pdf_key: &str,
    e_invoice: Option<(&str, Option<&str>)>,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        UPDATE credit_notes SET pdf_key = $2, e_invoice_format = $3, e_invoice_key = $4
        WHERE id = $1
        "#,
        id,
        pdf_key,
        e_invoice.map(|(format, _)| format),
        e_invoice.and_then(|(_, key)| key),
    )
    .execute(db)
    .await?;
    Ok(())
}

/// What the invoice's credit notes have credited so far (`invoices.credited`).
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn credited(db: impl PgExecutor<'_>, invoice_id: Uuid) -> Result<Credited, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT credited AS "credited: Json<Credited>" FROM invoices WHERE id = $1"#,
        invoice_id
    )
    .fetch_optional(db)
    .await?
    .ok_or(StoreError::NotFound("invoice"))?
    .0)
}
