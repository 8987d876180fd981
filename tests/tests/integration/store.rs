//! The activities' writes are idempotent: an activity Temporal retries (because the worker died
//! after committing, or the completion was lost) records nothing twice.

use crate::support::{TestDatabase, today};
use chrono::Utc;
use invoicing_store::{draft_references, events, invoices, payments, transitions, users};
use invoicing_workflows::{
    contracts::{MarkOverdueInput, MarkSentInput, PaymentRequest, RecordPaymentInput},
    domain::{
        Currency, Draft, DraftFields, InvoiceStatus, LineItemFields, PaymentMethod, PriceBasis,
        Unit, draft::DecimalText,
    },
};
use sqlx::PgPool;
use uuid::Uuid;

async fn account_with_draft(pool: &PgPool) -> (Uuid, Uuid) {
    let user_id = Uuid::new_v4();
    users::insert(
        pool,
        user_id,
        &format!("{user_id}@example.com"),
        "not-a-real-hash",
    )
    .await
    .unwrap();
    let customer_id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO customers (id, user_id, display_name, emails) VALUES ($1, $2, $3, $4)",
    )
    .bind(customer_id)
    .bind(user_id)
    .bind("Acme")
    .bind(vec!["ap@acme.example"])
    .execute(pool)
    .await
    .unwrap();
    let (references, _) = draft_references::references(pool, user_id, customer_id, &[])
        .await
        .unwrap();
    let draft = Draft::parse(
        DraftFields {
            customer_id,
            currency: "USD".into(),
            issue_date: today(),
            due_date: today() + chrono::Days::new(14),
            supply_date: None,
            service_period: None,
            price_basis: PriceBasis::Exclusive,
            notes: None,
            items: vec![LineItemFields {
                description: "Work".into(),
                quantity: DecimalText("1".into()),
                unit: Unit::Hour,
                unit_amount: Some(10_000),
                unit_amount_decimal: None,
                discount: None,
                tax_rate_id: None,
                period: None,
            }],
            adjustments: vec![],
        },
        today(),
        &references,
    )
    .unwrap();
    let invoice_id = Uuid::new_v4();
    invoices::insert_draft(pool, invoice_id, user_id, &draft, Utc::now())
        .await
        .unwrap();
    (user_id, invoice_id)
}

/// The first write of a draft's life: version 1, timeline entry 1.
fn send_input(user_id: Uuid, invoice_id: Uuid) -> MarkSentInput {
    MarkSentInput {
        invoice_id,
        owner_id: user_id,
        version: 1,
        sent_at: Utc::now(),
        event_seq: 1,
    }
}

async fn send(pool: &PgPool, user_id: Uuid, invoice_id: Uuid) {
    transitions::mark_sent(pool, &send_input(user_id, invoice_id))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_retried_send_keeps_its_number_and_takes_no_other() {
    let db = TestDatabase::create().await;
    let (user_id, invoice_id) = account_with_draft(&db.pool).await;
    let input = send_input(user_id, invoice_id);

    let first = transitions::mark_sent(&db.pool, &input).await.unwrap();
    let retried = transitions::mark_sent(&db.pool, &input).await.unwrap();

    assert_eq!(first, retried);
    assert_eq!(first.number.to_string(), "INV-000001");
    let counter: i64 = sqlx::query_scalar("SELECT last_invoice_number FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(counter, 1, "the retry took no second number");
    let kinds: Vec<String> = events::list(&db.pool, invoice_id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.kind.to_string())
        .collect();
    assert_eq!(kinds, ["created", "sent"]);
}

#[tokio::test]
async fn a_retried_payment_is_recorded_once() {
    let db = TestDatabase::create().await;
    let (user_id, invoice_id) = account_with_draft(&db.pool).await;
    send(&db.pool, user_id, invoice_id).await;
    let payment = RecordPaymentInput {
        invoice_id,
        version: 2,
        payment: PaymentRequest {
            payment_id: Uuid::new_v4(),
            amount: 10_000,
            method: PaymentMethod::BankTransfer,
            reference: Some("TX-9".into()),
            transaction_id: None,
        },
        currency: Currency::parse("USD").unwrap(),
        recorded_at: Utc::now(),
        amount_paid: 10_000,
        status: InvoiceStatus::Paid,
        event_seq: 2,
        paid_event_seq: Some(3),
        recovered: 0,
    };

    transitions::record_payment(&db.pool, &payment)
        .await
        .unwrap();
    transitions::record_payment(&db.pool, &payment)
        .await
        .unwrap();

    assert_eq!(payments::list(&db.pool, invoice_id).await.unwrap().len(), 1);
    let invoice = invoices::get_summary(&db.pool, invoice_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invoice.amount_paid, 10_000);
    assert_eq!(invoice.status, InvoiceStatus::Paid);
    let kinds: Vec<String> = events::list(&db.pool, invoice_id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.kind.to_string())
        .collect();
    assert_eq!(kinds, ["created", "sent", "payment_recorded", "paid"]);
}

#[tokio::test]
async fn a_late_retry_of_an_older_write_does_not_undo_a_newer_one() {
    let db = TestDatabase::create().await;
    let (user_id, invoice_id) = account_with_draft(&db.pool).await;
    send(&db.pool, user_id, invoice_id).await;
    let overdue = MarkOverdueInput {
        invoice_id,
        version: 2,
        at: Utc::now(),
        event_seq: 2,
    };
    transitions::mark_overdue(&db.pool, &overdue).await.unwrap();
    let paid = RecordPaymentInput {
        invoice_id,
        version: 3,
        payment: PaymentRequest {
            payment_id: Uuid::new_v4(),
            amount: 10_000,
            method: PaymentMethod::Cash,
            reference: None,
            transaction_id: None,
        },
        currency: Currency::parse("USD").unwrap(),
        recorded_at: Utc::now(),
        amount_paid: 10_000,
        status: InvoiceStatus::Paid,
        event_seq: 3,
        paid_event_seq: Some(4),
        recovered: 0,
    };
    transitions::record_payment(&db.pool, &paid).await.unwrap();

    // The overdue write delivered again, after the payment.
    transitions::mark_overdue(&db.pool, &overdue).await.unwrap();

    let invoice = invoices::get_summary(&db.pool, invoice_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invoice.status, InvoiceStatus::Paid);
    assert_eq!(invoice.version, 3);
    assert_eq!(events::list(&db.pool, invoice_id).await.unwrap().len(), 5);
}

/// A statement's e-mail, as its activity records it: each attempt before SES is called, SES's
/// answer after. A retry finds a failed attempt failed (not sent), an unanswered one possibly
/// sent, and an answered one answered for good.
#[tokio::test]
async fn a_statement_emails_record_keeps_its_first_answer() {
    use invoicing_store::statement_emails::{self, Answer, Delivery, NewStatementEmail};
    use invoicing_workflows::domain::Language;
    let db = TestDatabase::create().await;
    let (user_id, _) = account_with_draft(&db.pool).await;
    let customer_id: Uuid = sqlx::query_scalar("SELECT id FROM customers WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let cc = vec!["controller@acme.example".to_owned()];
    let email = NewStatementEmail {
        id: Uuid::new_v4(),
        user_id,
        customer_id,
        from: today() - chrono::Days::new(30),
        to: today(),
        recipient: "ap@acme.example",
        cc: &cc,
        language: Language::De,
        storage_key: "statements/x/y.pdf",
        requested_at: Utc::now(),
    };
    let stored = || async {
        statement_emails::get(&db.pool, email.id)
            .await
            .unwrap()
            .expect("the statement's record")
    };

    statement_emails::begin_attempt(&db.pool, &email)
        .await
        .unwrap();
    let first = stored().await;
    assert_eq!(first.attempts, 1);
    assert!(
        first.possibly_sent(),
        "an attempt without an answer may have gone"
    );
    assert_eq!(
        (first.recipient.as_str(), first.cc.clone()),
        ("ap@acme.example", cc.clone())
    );

    statement_emails::answer(&db.pool, email.id, Answer::Failed { error: "throttled" })
        .await
        .unwrap();
    let failed = stored().await;
    assert!(!failed.possibly_sent(), "a failed call sent nothing");
    assert_eq!(
        failed.delivery,
        Delivery::Pending {
            failure: Some("throttled".to_owned())
        }
    );

    statement_emails::begin_attempt(&db.pool, &email)
        .await
        .unwrap();
    statement_emails::answer(&db.pool, email.id, Answer::Accepted { message_id: "m-1" })
        .await
        .unwrap();
    // A late retry of the activity changes nothing once SES has answered.
    statement_emails::begin_attempt(&db.pool, &email)
        .await
        .unwrap();
    statement_emails::answer(&db.pool, email.id, Answer::Refused { reason: "late" })
        .await
        .unwrap();
    let sent = stored().await;
    assert_eq!(sent.attempts, 2);
    assert!(matches!(
        sent.delivery,
        Delivery::Accepted { ref message_id, .. } if message_id == "m-1"
    ));
    let listed = statement_emails::list(&db.pool, user_id, customer_id, None, 10)
        .await
        .unwrap();
    assert_eq!(listed, [sent]);
}
