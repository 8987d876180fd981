//! The lifecycle writes the invoice workflow decides, as its activities perform them.
//!
//! Each write runs in one transaction that first locks the invoice row and compares its
//! `version` with the write's: a write already applied (an activity retried after the worker
//! died between commit and report) changes nothing, so no payment, number or timeline entry
//! is ever recorded twice.

use crate::{
    StoreError, events, invoice_content, numbering, reminders, stripe,
    write_offs::{self, Movement},
};
use invoicing_workflows::{
    contracts::{
        ChangeDueDateInput, DeleteDraftInput, MarkOverdueInput, MarkSentInput, MarkVoidInput,
        RecordPaymentInput, RecordRefundInput, ReviseDraftInput, SentInvoice,
    },
    domain::{Currency, EventKind, InvoiceNumber, InvoiceStatus, ReminderPolicy},
};
use serde_json::json;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

/// The locked invoice row, as far as the writes need it.
pub(crate) struct Locked {
    pub(crate) user_id: Uuid,
    pub(crate) status: String,
    number: Option<i64>,
    pub(crate) currency: String,
    pub(crate) total: i64,
    /// What the credit notes took off the amount due (their totals less the excess moved to
    /// the customer's balance).
    credit: i64,
    issue_date: chrono::NaiveDate,
    due_date: chrono::NaiveDate,
    version: i64,
    reminder_days: Option<Vec<i32>>,
}

async fn lock(conn: &mut PgConnection, invoice_id: Uuid) -> Result<Locked, StoreError> {
    sqlx::query_as!(
        Locked,
        r#"
        SELECT user_id, status, number, currency, total,
               amount_credited - amount_to_balance AS "credit!", issue_date, due_date, version,
               reminder_days
        FROM invoices
        WHERE id = $1
        FOR UPDATE
        "#,
        invoice_id,
    )
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound("invoice"))
}

/// Begins the transaction of write `version`, or returns `None` if that write is already stored.
pub(crate) async fn begin(
    pool: &PgPool,
    invoice_id: Uuid,
    version: i64,
) -> Result<Option<(Transaction<'static, Postgres>, Locked)>, StoreError> {
    let mut tx = pool.begin().await?;
    let locked = lock(&mut tx, invoice_id).await?;
    if locked.version >= version {
        tracing::info!(%invoice_id, version, stored = locked.version, "write already applied");
        return Ok(None);
    }
    Ok(Some((tx, locked)))
}

/// Numbers the invoice with its account's next number, marks it sent, and freezes the account's
/// reminder schedule onto it. A retry returns what the first attempt assigned.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn mark_sent(pool: &PgPool, input: &MarkSentInput) -> Result<SentInvoice, StoreError> {
    let mut tx = pool.begin().await?;
    let locked = lock(&mut tx, input.invoice_id).await?;
    let (number, reminder_days) = match (locked.number, locked.reminder_days) {
        (Some(number), Some(days)) => (number, days),
        (Some(_), None) | (None, _) if locked.status != InvoiceStatus::Draft.as_str() => {
            return Err(StoreError::corrupt(format!(
                "invoice {} is {}, not a draft, and was never fully sent",
                input.invoice_id, locked.status
            )));
        }
        _ => {
            // Gapless: the number is given in this transaction (see numbering::allocate).
            let issued = numbering::allocate(
                &mut tx,
                numbering::Series::Invoices,
                locked.user_id,
                locked.issue_date,
            )
            .await?;
            let number = issued.sequence;
            let policy = reminders::policy(&mut *tx, locked.user_id).await?;
            sqlx::query!(
                r#"
                UPDATE invoices
                SET status = 'sent', number = $2, sent_at = $3, version = $4, reminder_days = $5,
                    buyer = (
                        SELECT to_jsonb(customer) - 'user_id' - 'created_at' - 'updated_at'
                        FROM customers customer WHERE customer.id = invoices.customer_id
                    ),
                    number_year = $6, number_text = $7, updated_at = now()
                WHERE id = $1
                "#,
                input.invoice_id,
                number,
                input.sent_at,
                input.version,
                policy.days(),
                issued.year,
                issued.text,
            )
            .execute(&mut *tx)
            .await?;
            events::append(
                &mut tx,
                input.invoice_id,
                input.event_seq,
                EventKind::Sent,
                json!({ "number": issued.text }),
                input.sent_at,
            )
            .await?;
            (number, policy.days().to_vec())
        }
    };
    tx.commit().await?;
    Ok(SentInvoice {
        number: InvoiceNumber::new(number),
        currency: Currency::parse(&locked.currency).map_err(StoreError::corrupt)?,
        total: locked.total,
        issue_date: locked.issue_date,
        due_date: locked.due_date,
        reminders: ReminderPolicy::parse(reminder_days).map_err(StoreError::corrupt)?,
    })
}

#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn record_payment(pool: &PgPool, input: &RecordPaymentInput) -> Result<(), StoreError> {
    let Some((mut tx, locked)) = begin(pool, input.invoice_id, input.version).await? else {
        return Ok(());
    };
    let payment = &input.payment;
    // The webhook claimed the intent for this invoice before any workflow saw it; a report that
    // reached the workflow some other way (the pay link's watchdog) claims it here. An intent
    // of another invoice is never counted twice: the write fails, loudly, and changes nothing.
    if let Some(transaction_id) = &payment.transaction_id {
        let owner = stripe::claim_transaction(&mut *tx, transaction_id, input.invoice_id).await?;
        if owner != input.invoice_id {
            return Err(StoreError::Conflict {
                constraint: format!(
                    "stripe_transactions: {transaction_id} belongs to invoice {owner}"
                ),
            });
        }
    }
    let inserted = sqlx::query!(
        r#"
        INSERT INTO payments
            (id, invoice_id, amount, currency, method, reference, transaction_id, recorded_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (id) DO NOTHING
        "#,
        payment.payment_id,
        input.invoice_id,
        payment.amount,
        input.currency.code(),
        payment.method.as_str(),
        payment.reference,
        payment.transaction_id,
        input.recorded_at,
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        // The same id recorded before: a retried write, which must be this invoice's.
        let owner = sqlx::query_scalar!(
            "SELECT invoice_id FROM payments WHERE id = $1",
            payment.payment_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if owner != input.invoice_id {
            return Err(StoreError::Conflict {
                constraint: format!("payments_pkey: {} is invoice {owner}'s", payment.payment_id),
            });
        }
    }
    let paid = input.status == InvoiceStatus::Paid;
    sqlx::query!(
        r#"
        UPDATE invoices
        SET amount_paid = $2,
            status = $3,
            paid_at = CASE WHEN $4 THEN $5 ELSE paid_at END,
            version = $6,
            updated_at = now()
        WHERE id = $1
        "#,
        input.invoice_id,
        input.amount_paid,
        input.status.as_str(),
        paid,
        input.recorded_at,
        input.version,
    )
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::PaymentRecorded,
        json!({
            "payment_id": payment.payment_id,
            "amount": payment.amount,
            "method": payment.method,
            "reference": payment.reference,
            "transaction_id": payment.transaction_id,
            "amount_due": locked.total - locked.credit - input.amount_paid,
        }),
        input.recorded_at,
    )
    .await?;
    if input.recovered > 0 {
        write_offs::record(
            &mut tx,
            &Movement {
                invoice_id: input.invoice_id,
                event_seq: input.event_seq,
                user_id: locked.user_id,
                currency: input.currency,
                amount: -input.recovered,
                // The payment's day in UTC, like every stored date.
                occurred_on: input.recorded_at.date_naive(),
                reason: None,
                payment_id: Some(payment.payment_id),
            },
        )
        .await?;
    }
    if let Some(seq) = input.paid_event_seq {
        events::append(
            &mut tx,
            input.invoice_id,
            seq,
            EventKind::Paid,
            json!({ "amount_paid": input.amount_paid }),
            input.recorded_at,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives `refunded` back on a payment (its refund total only grows) and stores the invoice's
/// amount paid and status after it: a paid invoice is open again. What of it the customer's
/// credit balance paid (`from_balance`) was taken out of the balance before, by
/// [`crate::customer_credits::take`].
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn record_refund(pool: &PgPool, input: &RecordRefundInput) -> Result<(), StoreError> {
    let Some((mut tx, locked)) = begin(pool, input.invoice_id, input.version).await? else {
        return Ok(());
    };
    let updated = sqlx::query!(
        r#"
        UPDATE payments
        SET amount_refunded = GREATEST(amount_refunded, LEAST($3, amount))
        WHERE id = $1 AND invoice_id = $2
        "#,
        input.payment_id,
        input.invoice_id,
        input.amount_refunded,
    )
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::corrupt(format!(
            "refund of payment {} which invoice {} does not have",
            input.payment_id, input.invoice_id
        )));
    }
    sqlx::query!(
        r#"
        UPDATE invoices
        SET amount_paid = $2,
            amount_to_balance = $5,
            status = $3,
            paid_at = CASE WHEN $3 = 'paid' THEN paid_at END,
            version = $4,
            updated_at = now()
        WHERE id = $1
        "#,
        input.invoice_id,
        input.amount_paid,
        input.status.as_str(),
        input.version,
        input.amount_to_balance,
    )
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::PaymentRefunded,
        json!({
            "payment_id": input.payment_id,
            "charge_id": input.charge_id,
            "refunded": input.refunded,
            "amount_refunded": input.amount_refunded,
            "amount_due": locked.total - locked.credit - input.from_balance - input.amount_paid,
            "from_balance": input.from_balance,
            "status": input.status,
        }),
        input.at,
    )
    .await?;
    if input.written_off > 0 {
        write_offs::record(
            &mut tx,
            &Movement {
                invoice_id: input.invoice_id,
                event_seq: input.event_seq,
                user_id: locked.user_id,
                currency: input.currency,
                amount: input.written_off,
                occurred_on: input.at.date_naive(),
                reason: None,
                payment_id: Some(input.payment_id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn mark_overdue(pool: &PgPool, input: &MarkOverdueInput) -> Result<(), StoreError> {
    let Some((mut tx, locked)) = begin(pool, input.invoice_id, input.version).await? else {
        return Ok(());
    };
    let amount_paid = sqlx::query_scalar!(
        r#"
        UPDATE invoices SET status = 'overdue', version = $2, updated_at = now()
        WHERE id = $1
        RETURNING amount_paid
        "#,
        input.invoice_id,
        input.version,
    )
    .fetch_one(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::Overdue,
        json!({ "due_date": locked.due_date, "amount_due": locked.total - locked.credit - amount_paid }),
        input.at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn mark_void(pool: &PgPool, input: &MarkVoidInput) -> Result<(), StoreError> {
    let Some((mut tx, _)) = begin(pool, input.invoice_id, input.version).await? else {
        return Ok(());
    };
    sqlx::query!(
        r#"
        UPDATE invoices
        SET status = 'void', voided_at = $2, void_reason = $3, version = $4, updated_at = now()
        WHERE id = $1
        "#,
        input.invoice_id,
        input.at,
        input.reason,
        input.version,
    )
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::Voided,
        json!({ "reason": input.reason }),
        input.at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn change_due_date(pool: &PgPool, input: &ChangeDueDateInput) -> Result<(), StoreError> {
    let Some((mut tx, locked)) = begin(pool, input.invoice_id, input.version).await? else {
        return Ok(());
    };
    let amount_paid = sqlx::query_scalar!(
        r#"
        UPDATE invoices SET due_date = $2, status = $3, version = $4, updated_at = now()
        WHERE id = $1
        RETURNING amount_paid
        "#,
        input.invoice_id,
        input.to,
        input.status.as_str(),
        input.version,
    )
    .fetch_one(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::DueDateChanged,
        json!({ "from": input.from, "to": input.to, "status": input.status }),
        input.at,
    )
    .await?;
    if let Some(seq) = input.overdue_event_seq {
        events::append(
            &mut tx,
            input.invoice_id,
            seq,
            EventKind::Overdue,
            json!({ "due_date": input.to, "amount_due": locked.total - locked.credit - amount_paid }),
            input.at,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn revise_draft(pool: &PgPool, input: &ReviseDraftInput) -> Result<(), StoreError> {
    let Some((mut tx, locked)) = begin(pool, input.invoice_id, input.version).await? else {
        return Ok(());
    };
    if locked.status != InvoiceStatus::Draft.as_str() {
        return Err(StoreError::corrupt(format!(
            "invoice {} is {}, not a draft",
            input.invoice_id, locked.status
        )));
    }
    let draft = &input.draft;
    let totals = &draft.totals;
    sqlx::query!(
        r#"
        UPDATE invoices
        SET customer_id = $2, client_name = $3, client_email = $4, currency = $5,
            issue_date = $6, due_date = $7, supply_date = $8, period_start = $9,
            period_end = $10, price_basis = $11, notes = $12, subtotal = $13,
            allowance_total = $14, charge_total = $15, net_total = $16, tax_total = $17,
            total = $18, version = $19, updated_at = now()
        WHERE id = $1
        "#,
        input.invoice_id,
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
        input.version,
    )
    .execute(&mut *tx)
    .await?;
    invoice_content::replace(&mut tx, input.invoice_id, draft).await?;
    events::append(
        &mut tx,
        input.invoice_id,
        input.event_seq,
        EventKind::Updated,
        json!({ "total": draft.total(), "currency": draft.currency }),
        input.at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft with its items and timeline; deleting it again does nothing.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id))]
pub async fn delete_draft(pool: &PgPool, input: &DeleteDraftInput) -> Result<(), StoreError> {
    sqlx::query!(
        "DELETE FROM invoices WHERE id = $1 AND status = 'draft'",
        input.invoice_id
    )
    .execute(pool)
    .await?;
    Ok(())
}
