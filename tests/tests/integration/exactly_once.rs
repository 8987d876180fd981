//! Money is recorded exactly once: a payment whose API process died mid-request, retried with
//! the same `Idempotency-Key`, is recorded once and answered as soon as the workflow has it;
//! a Stripe payment or refund whose PaymentIntent belongs to another invoice changes neither
//! invoice; `amount_paid` can never disagree with the payment rows, whoever writes it; and a
//! worker killed around the SES call sends the e-mail once wherever SES's answer was recorded.

use crate::support::{
    Stack, TestApp, TestUser, api_process::ApiProcess, dev_server_address, draft, draft_due_in,
    eventually, id, stripe::FakeStripe, worker_process::spawn_worker,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use std::time::Duration;
use uuid::Uuid;

async fn payment_rows(app: &TestApp, invoice_id: &str) -> i64 {
    app.count(
        "SELECT count(*) FROM payments WHERE invoice_id = $1::uuid",
        invoice_id,
    )
    .await
}

#[tokio::test]
async fn a_payment_whose_api_was_killed_is_recorded_once_when_retried_with_its_key() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    // Let the sending's notifications finish (they write to the invoice row too), so that the
    // only write the lock below holds up is the payment's.
    invoice_email_recorded(&app, &invoice_id).await;

    // Hold the invoice row: the payment reaches the workflow, which accepts it, and its write
    // waits on the lock; meanwhile the API process that took the request is killed.
    let mut blocker = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let mut lock = blocker.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM invoices WHERE id = $1 FOR UPDATE")
        .bind(invoice_id.parse::<Uuid>().unwrap())
        .execute(&mut *lock)
        .await
        .unwrap();
    let replica = ApiProcess::replica_of(&app).await;
    let payment = json!({ "amount": 10_000, "method": "bank_transfer", "reference": "TX-77" });
    let path = format!("/api/invoices/{invoice_id}/payments");
    let first = {
        let request = app
            .http
            .post(format!("{}{path}", replica.address))
            .bearer_auth(&user.token)
            .header("idempotency-key", "pay-TX-77")
            .json(&payment);
        tokio::spawn(request.send())
    };
    // The payment's write waits on the row lock.
    app.wait_for_blocked("FOR UPDATE").await;
    drop(replica); // SIGKILL: the request's answer is lost, its key left unanswered.
    assert!(
        first.await.unwrap().is_err(),
        "the killed API never answered"
    );

    // The client retries the same request with the same key at the API that is left. It does
    // not wait out a window: it reaches the same workflow update and answers when it does.
    let retry = {
        let request = app
            .http
            .post(format!("{}{path}", app.address))
            .bearer_auth(&user.token)
            .header("idempotency-key", "pay-TX-77")
            .json(&payment);
        tokio::spawn(request.send())
    };
    lock.rollback().await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(60), retry)
        .await
        .expect("the retry is answered once the write is stored")
        .unwrap()
        .expect("the API answers");
    let status = answer.status();
    let body: Value = answer.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body:#}");
    assert_eq!(body["payment"]["amount"], 10_000);
    assert_eq!(body["invoice"]["amount_paid"], 10_000);
    assert_eq!(payment_rows(&app, &invoice_id).await, 1);

    // Later retries get the stored answer; the payment is still recorded once.
    let again = app
        .http
        .post(format!("{}{path}", app.address))
        .bearer_auth(&user.token)
        .header("idempotency-key", "pay-TX-77")
        .json(&payment)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["payment"]["id"], body["payment"]["id"]);
    assert_eq!(payment_rows(&app, &invoice_id).await, 1);
    assert_eq!(app.invoice(&user, &invoice_id).await["amount_paid"], 10_000);
}

/// Two sent invoices of 384.99 USD.
async fn two_invoices(app: &TestApp, user: &TestUser) -> (String, String) {
    let first = id(&app.sent_invoice(user, &draft_due_in(30)).await);
    let second = id(&app.sent_invoice(user, &draft_due_in(30)).await);
    (first, second)
}

/// `object` with its metadata naming `invoice_id` instead.
fn naming(object: &Value, invoice_id: &str) -> Value {
    let mut object = object.clone();
    object["metadata"] = json!({ "invoice_id": invoice_id });
    object
}

async fn wait_for_paid(app: &TestApp, user: &TestUser, invoice_id: &str, amount: i64) {
    eventually(
        &format!("invoice {invoice_id} to have {amount} paid"),
        Duration::from_secs(60),
        || async { (app.invoice(user, invoice_id).await["amount_paid"] == amount).then_some(()) },
    )
    .await;
}

/// The `other_invoice` discrepancy an administrator sees for `intent_id`.
async fn other_invoice_discrepancy(app: &TestApp, intent_id: &str) -> Value {
    let admin = app.admin().await;
    let page = app
        .get("/api/admin/reconciliation", &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    page["data"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|row| row["transaction_id"] == intent_id && row["kind"] == "other_invoice")
        .cloned()
        .unwrap_or_else(|| panic!("no other_invoice discrepancy for {intent_id}: {page:#}"))
}

async fn event_outcome(app: &TestApp, event_id: &str) -> String {
    sqlx::query_scalar("SELECT outcome FROM stripe_events WHERE id = $1")
        .bind(event_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_stripe_payment_already_recorded_on_one_invoice_changes_no_other() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let stripe: &FakeStripe = &app.stripe;
    let (first, second) = two_invoices(&app, &user).await;
    let intent = stripe.direct_payment(first.parse().unwrap(), 10_000, "usd");
    app.deliver(&stripe.event("payment_intent.succeeded", &intent))
        .await
        .expect(StatusCode::OK);
    wait_for_paid(&app, &user, &first, 10_000).await;

    // The same PaymentIntent, signed by Stripe, naming the second invoice.
    let replayed = stripe.event("payment_intent.succeeded", &naming(&intent, &second));
    app.deliver(&replayed).await.expect(StatusCode::OK);

    let intent_id = intent["id"].as_str().unwrap();
    let discrepancy = other_invoice_discrepancy(&app, intent_id).await;
    assert_eq!(discrepancy["invoice_id"], second.as_str());
    assert_eq!(discrepancy["other_invoice_id"], first.as_str());
    assert_eq!(discrepancy["actual_amount"], 10_000);
    // Never handed to the second invoice's workflow: neither invoice changed.
    assert_eq!(
        event_outcome(&app, replayed["id"].as_str().unwrap()).await,
        "conflict"
    );
    assert_eq!(app.invoice(&user, &second).await["amount_paid"], 0);
    assert_eq!(payment_rows(&app, &second).await, 0);
    assert_eq!(app.invoice(&user, &first).await["amount_paid"], 10_000);
    assert_eq!(payment_rows(&app, &first).await, 1);
    // A redelivery of the conflicting event is acknowledged and changes nothing either.
    let ack = app.deliver(&replayed).await.expect(StatusCode::OK);
    assert_eq!(ack.body["duplicate"], true);
    assert_eq!(app.invoice(&user, &second).await["amount_paid"], 0);
}

#[tokio::test]
async fn a_refund_naming_another_invoice_changes_neither() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let stripe: &FakeStripe = &app.stripe;
    let (first, second) = two_invoices(&app, &user).await;
    let intent = stripe.direct_payment(first.parse().unwrap(), 10_000, "usd");
    let intent_id = intent["id"].as_str().unwrap().to_owned();
    app.deliver(&stripe.event("payment_intent.succeeded", &intent))
        .await
        .expect(StatusCode::OK);
    wait_for_paid(&app, &user, &first, 10_000).await;

    // Stripe refunds part of the charge; the event's charge names the second invoice.
    let charge = stripe.refund(&intent_id, 4_000);
    let refund = stripe.event("charge.refunded", &naming(&charge, &second));
    app.deliver(&refund).await.expect(StatusCode::OK);

    let discrepancy = other_invoice_discrepancy(&app, &intent_id).await;
    assert_eq!(discrepancy["invoice_id"], second.as_str());
    assert_eq!(discrepancy["other_invoice_id"], first.as_str());
    assert_eq!(
        event_outcome(&app, refund["id"].as_str().unwrap()).await,
        "conflict"
    );
    assert_eq!(app.invoice(&user, &second).await["amount_paid"], 0);
    assert_eq!(payment_rows(&app, &second).await, 0);
    assert_eq!(app.invoice(&user, &first).await["amount_paid"], 10_000);
    let refunded: i64 =
        sqlx::query_scalar("SELECT amount_refunded FROM payments WHERE transaction_id = $1")
            .bind(&intent_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(refunded, 0);
}

#[tokio::test]
async fn postgresql_refuses_an_amount_paid_that_the_payments_do_not_add_up_to() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.record_payment(&user, &invoice_id, 10_000, "bank_transfer")
        .await;
    let invoice: Uuid = invoice_id.parse().unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();

    // The invoice's amount alone, as the defect wrote it (a payment insert skipped).
    let raised = sqlx::query("UPDATE invoices SET amount_paid = amount_paid + 500 WHERE id = $1")
        .bind(invoice)
        .execute(&mut *conn)
        .await;
    let error = raised.expect_err("an amount paid without its payment row is refused");
    assert!(error.to_string().contains("payments add up to"), "{error}");

    // A payment row alone, without the invoice's amount: refused at commit.
    let mut tx = Connection::begin(&mut *conn).await.unwrap();
    insert_cash_payment(&mut tx, invoice, 700).await;
    assert!(tx.commit().await.is_err(), "a payment row alone is refused");

    // Moving a payment to another invoice is refused.
    let other: Uuid = id(&app.sent_invoice(&user, &draft()).await)
        .parse()
        .unwrap();
    let moved = sqlx::query("UPDATE payments SET invoice_id = $2 WHERE invoice_id = $1")
        .bind(invoice)
        .bind(other)
        .execute(&mut *conn)
        .await;
    assert!(moved.is_err(), "a payment never moves between invoices");

    // Both together, in one transaction, as the workflow's writes do: accepted.
    let mut tx = Connection::begin(&mut *conn).await.unwrap();
    insert_cash_payment(&mut tx, invoice, 700).await;
    sqlx::query("UPDATE invoices SET amount_paid = amount_paid + 700 WHERE id = $1")
        .bind(invoice)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT amount_paid FROM invoices WHERE id = $1")
        .bind(invoice)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 10_700);
}

/// Sends a new invoice to `client` while `table` is locked against writes, so that its
/// delivery stops at the first write to it; waits until it does and `stopped` holds, then
/// kills the worker, gives the table back, and starts another worker. Returns the invoice.
async fn crash_mid_email(
    app: &TestApp,
    user: &TestUser,
    client: &str,
    table: &str,
    stopped: &str,
) -> String {
    let mut worker = spawn_worker(app, &dev_server_address());
    let mut body = draft();
    body["client_email"] = json!(client);
    let draft = app.create_invoice(user, &body).await;
    let invoice_id = id(&draft);
    let mut blocker = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let mut lock = Connection::begin(&mut blocker).await.unwrap();
    sqlx::query(&format!("LOCK TABLE {table} IN SHARE MODE"))
        .execute(&mut *lock)
        .await
        .unwrap();
    app.post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await
        .expect(StatusCode::OK);
    app.wait_for_blocked(table).await;
    let holds: bool = sqlx::query_scalar(stopped)
        .bind(invoice_id.parse::<Uuid>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(holds, "the delivery stopped at {table} with {stopped}");
    worker.kill();
    lock.rollback().await.unwrap();
    // The delivery's heartbeats stopped with the worker: Temporal retries it on this one.
    let _next = spawn_worker(app, &dev_server_address());
    invoice_email_recorded(app, &invoice_id).await;
    invoice_id
}

/// Waits until the invoice's e-mail is recorded as sent (its side effect's step).
async fn invoice_email_recorded(app: &TestApp, invoice_id: &str) {
    eventually(
        "the invoice e-mail to be recorded",
        Duration::from_secs(90),
        || async {
            let recorded = app
                .count(
                    "SELECT count(*) FROM side_effects WHERE invoice_id = $1::uuid AND step = 'email:invoice_sent'",
                    invoice_id,
                )
                .await;
            (recorded == 1).then_some(())
        },
    )
    .await;
}

async fn email_entry(app: &TestApp, user: &TestUser, invoice_id: &str) -> Value {
    let sent: Vec<Value> = app
        .notifications(user, invoice_id)
        .await
        .into_iter()
        .filter(|entry| entry["type"] == "email_sent")
        .collect();
    assert_eq!(sent.len(), 1, "{sent:#?}");
    sent[0].clone()
}

#[tokio::test]
async fn a_worker_killed_around_the_ses_call_sends_the_email_once_where_ses_answered() {
    let app = TestApp::spawn_with(Stack {
        in_process_worker: false,
        ..Stack::default()
    })
    .await;
    let user = app.user().await;

    // SES accepted the e-mail and its answer was recorded; the worker died before recording
    // the step. The retry finds the answer: no second e-mail.
    let answered = format!("ap-{}@acme.example", Uuid::new_v4().simple());
    let invoice_id = crash_mid_email(
        &app,
        &user,
        &answered,
        "side_effects",
        "SELECT EXISTS (SELECT 1 FROM email_attempts WHERE invoice_id = $1 AND message_id IS NOT NULL)",
    )
    .await;
    assert_eq!(app.aws.emails_to(&answered).await.len(), 1, "sent once");
    assert_eq!(
        app.count(
            "SELECT count(*) FROM email_attempts WHERE invoice_id = $1::uuid",
            &invoice_id
        )
        .await,
        1,
        "one attempt, answered"
    );
    let entry = email_entry(&app, &user, &invoice_id).await;
    assert!(
        entry["data"].get("possibly_sent_before").is_none(),
        "{entry:#}"
    );

    // The worker died before calling SES (its attempt was never recorded): not sent, so the
    // retry sends it, once.
    let unsent = format!("ap-{}@acme.example", Uuid::new_v4().simple());
    let invoice_id = crash_mid_email(
        &app,
        &user,
        &unsent,
        "email_attempts",
        "SELECT EXISTS (SELECT 1 FROM invoice_documents WHERE invoice_id = $1)",
    )
    .await;
    assert_eq!(
        app.aws.wait_for_emails(&unsent, 1).await.len(),
        1,
        "sent once"
    );
    let entry = email_entry(&app, &user, &invoice_id).await;
    assert!(
        entry["data"].get("possibly_sent_before").is_none(),
        "{entry:#}"
    );
}

/// A payment row of `amount` alone, as only the workflow's write should insert it.
async fn insert_cash_payment(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    invoice: Uuid,
    amount: i64,
) {
    sqlx::query(
        "INSERT INTO payments (id, invoice_id, amount, currency, method, recorded_at)
         VALUES ($1, $2, $3, 'USD', 'cash', now())",
    )
    .bind(Uuid::new_v4())
    .bind(invoice)
    .bind(amount)
    .execute(&mut **tx)
    .await
    .unwrap();
}
