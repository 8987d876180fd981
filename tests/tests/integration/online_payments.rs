//! Online payments through the fake Stripe: pay links, signed webhooks as workflow signals,
//! redeliveries, order independence, refunds and mismatches.

use crate::support::{
    TestApp, TestUser, draft_due_in, eventually, id,
    stripe::{self, FakeStripe},
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// A draft of 384.99 USD for a client address of this test's own.
fn draft_for(client: &str) -> Value {
    let mut draft = draft_due_in(30);
    draft["client_email"] = json!(client);
    draft
}

fn client_address() -> String {
    format!("ap-{}@acme.example", Uuid::new_v4().simple())
}

/// A sent invoice and its pay link.
async fn invoice_with_pay_link(app: &TestApp, user: &TestUser, client: &str) -> (String, Value) {
    let invoice_id = id(&app.sent_invoice(user, &draft_for(client)).await);
    let link = app
        .post_empty(&format!("/api/invoices/{invoice_id}/checkout"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    (invoice_id, link)
}

fn session_id(link: &Value) -> &str {
    link["session_id"].as_str().expect("a session id")
}

async fn wait_for_status(app: &TestApp, user: &TestUser, invoice_id: &str, status: &str) -> Value {
    eventually(
        &format!("invoice {invoice_id} to be {status}"),
        Duration::from_secs(60),
        || async {
            let invoice = app.invoice(user, invoice_id).await;
            (invoice["status"] == status).then_some(invoice)
        },
    )
    .await
}

async fn payments(app: &TestApp, user: &TestUser, invoice_id: &str) -> Vec<Value> {
    app.get(&format!("/api/invoices/{invoice_id}/payments"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body["data"]
        .as_array()
        .expect("a list")
        .clone()
}

/// Waits until the workflow has applied every report it was signalled (its inbox is empty
/// and nothing is in hand) by waiting for the expected amount paid.
async fn wait_for_paid_amount(app: &TestApp, user: &TestUser, invoice_id: &str, amount: i64) {
    eventually(
        &format!("invoice {invoice_id} to have {amount} paid"),
        Duration::from_secs(60),
        || async {
            let invoice = app.invoice(user, invoice_id).await;
            (invoice["amount_paid"] == amount).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn a_pay_link_paid_through_checkout_pays_the_invoice_with_a_receipt_and_an_event() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let client = client_address();
    let (invoice_id, link) = invoice_with_pay_link(&app, &user, &client).await;

    // The link is a Checkout Session for the amount due, made with Stripe's wire format.
    assert_eq!(link["amount"], 38_499);
    assert_eq!(link["currency"], "USD");
    let url = link["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://checkout.stripe.com/c/pay/cs_test_"),
        "{url}"
    );
    let requests = app.stripe.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let created = &requests[0];
    assert_eq!(
        (created.method.as_str(), created.path.as_str()),
        ("POST", "/v1/checkout/sessions")
    );
    assert_eq!(created.form["mode"], "payment");
    assert_eq!(
        created.form["line_items[0][price_data][unit_amount]"],
        "38499"
    );
    assert_eq!(created.form["line_items[0][price_data][currency]"], "usd");
    assert_eq!(created.form["metadata[invoice_id]"], invoice_id);
    assert_eq!(created.form["metadata[invoice_number]"], "INV-000001");
    assert_eq!(
        created.form["payment_intent_data[metadata][invoice_id]"],
        invoice_id
    );
    let key = created
        .idempotency_key
        .as_deref()
        .expect("an idempotency key");
    assert!(key.starts_with(&format!("checkout-{invoice_id}-")), "{key}");

    // Asking again gives the same link without a second session.
    let again = app
        .post_empty(&format!("/api/invoices/{invoice_id}/checkout"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(again["session_id"], link["session_id"]);
    assert_eq!(app.stripe.requests().len(), 1);
    assert!(
        app.timeline(&user, &invoice_id)
            .await
            .contains(&"checkout_created".to_owned())
    );

    // The client pays; Stripe's signed webhook marks the invoice paid.
    let session = app.stripe.pay(session_id(&link));
    let intent_id = session["payment_intent"].as_str().unwrap().to_owned();
    let event = app.stripe.event("checkout.session.completed", &session);
    let ack = app.deliver(&event).await.expect(StatusCode::OK).body;
    assert_eq!(ack, json!({ "received": true, "duplicate": false }));

    let invoice = wait_for_status(&app, &user, &invoice_id, "paid").await;
    assert_eq!(invoice["amount_due"], 0);
    let payments = payments(&app, &user, &invoice_id).await;
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0]["method"], "stripe");
    assert_eq!(payments[0]["transaction_id"], intent_id);
    assert_eq!(payments[0]["amount"], 38_499);
    assert_eq!(payments[0]["status"], "succeeded");

    // A receipt reaches the client, and the events say so.
    let subjects = app.aws.email_subjects(&client, 2).await;
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[1].contains("INV-000001"), "{subjects:?}");
    app.completed(&invoice_id).await;
    let types = app.aws.event_types(Duration::from_secs(2)).await;
    for expected in ["invoice.sent", "invoice.payment_recorded", "invoice.paid"] {
        assert!(types.contains(&expected.to_owned()), "{types:?}");
    }
    let timeline = app.timeline(&user, &invoice_id).await;
    assert_eq!(
        timeline,
        [
            "created",
            "sent",
            "checkout_created",
            "payment_recorded",
            "paid"
        ]
    );
}

#[tokio::test]
async fn the_same_event_delivered_five_times_records_one_payment() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (invoice_id, link) = invoice_with_pay_link(&app, &user, &client_address()).await;
    let session = app.stripe.pay(session_id(&link));
    let event = app.stripe.event("checkout.session.completed", &session);

    // Five deliveries at once, as Stripe may retry while the first is still in flight.
    let deliveries = futures::future::join_all((0..5).map(|_| app.deliver(&event))).await;
    let fresh = deliveries
        .into_iter()
        .map(|response| response.expect(StatusCode::OK).body)
        .filter(|ack| ack["duplicate"] == false)
        .count();
    assert_eq!(fresh, 1, "exactly one delivery is new");
    // And once more, afterwards.
    let ack = app.deliver(&event).await.expect(StatusCode::OK).body;
    assert_eq!(ack["duplicate"], true);
    // The intent's own event reports the same payment again: still one payment.
    let intent = app
        .stripe
        .intent(session["payment_intent"].as_str().unwrap());
    let succeeded = app.stripe.event("payment_intent.succeeded", &intent);
    app.deliver(&succeeded).await.expect(StatusCode::OK);

    wait_for_status(&app, &user, &invoice_id, "paid").await;
    app.completed(&invoice_id).await;
    assert_eq!(payments(&app, &user, &invoice_id).await.len(), 1);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM stripe_events WHERE invoice_id = $1 AND outcome = 'signaled'",
            &invoice_id
        )
        .await,
        2
    );
    let recorded = app.timeline(&user, &invoice_id).await;
    assert_eq!(
        recorded
            .iter()
            .filter(|kind| *kind == "payment_recorded")
            .count(),
        1
    );
}

/// Pays an invoice's link, fails an earlier attempt, and refunds part: the events of that
/// story, in the order they happened.
fn story(stripe: &FakeStripe, link: &Value) -> Vec<Value> {
    let declined = stripe.decline(session_id(link));
    let failed = stripe.event("payment_intent.payment_failed", &declined);
    let intent_id = declined["id"].as_str().unwrap().to_owned();
    let succeeded_intent = stripe.succeed(&intent_id);
    let succeeded = stripe.event("payment_intent.succeeded", &succeeded_intent);
    let session = stripe.session(session_id(link));
    let completed = stripe.event("checkout.session.completed", &session);
    let charge = stripe.refund(&intent_id, 10_000);
    let refunded = stripe.event("charge.refunded", &charge);
    vec![failed, succeeded, completed, refunded]
}

#[tokio::test]
async fn events_in_reverse_order_reach_the_same_state() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (forward_id, forward_link) = invoice_with_pay_link(&app, &user, &client_address()).await;
    let (reverse_id, reverse_link) = invoice_with_pay_link(&app, &user, &client_address()).await;

    for event in story(&app.stripe, &forward_link) {
        app.deliver(&event).await.expect(StatusCode::OK);
    }
    for event in story(&app.stripe, &reverse_link).iter().rev() {
        app.deliver(event).await.expect(StatusCode::OK);
    }

    // 384.99 paid, 100.00 refunded: 284.99 paid, 100.00 due, open again.
    for invoice_id in [&forward_id, &reverse_id] {
        wait_for_paid_amount(&app, &user, invoice_id, 28_499).await;
        let invoice = app.invoice(&user, invoice_id).await;
        assert_eq!(invoice["status"], "sent", "{invoice_id}");
        assert_eq!(invoice["amount_due"], 10_000);
        let payments = payments(&app, &user, invoice_id).await;
        assert_eq!(payments.len(), 1);
        assert_eq!(payments[0]["amount"], 38_499);
        assert_eq!(payments[0]["amount_refunded"], 10_000);
        assert_eq!(payments[0]["status"], "partially_refunded");
        let view = app.workflow_view(invoice_id).await;
        assert_eq!(view.amount_paid, 28_499);
    }
    // The failure delivered last (after the success) did not un-pay anything; delivered
    // first, it is on the timeline.
    let forward = app.timeline(&user, &forward_id).await;
    assert!(
        forward.contains(&"payment_failed".to_owned()),
        "{forward:?}"
    );
    let reverse = app.timeline(&user, &reverse_id).await;
    assert!(
        !reverse.contains(&"payment_failed".to_owned()),
        "{reverse:?}"
    );
}

#[tokio::test]
async fn a_refund_reopens_a_paid_invoice_whose_workflow_had_completed() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let client = client_address();
    let (invoice_id, link) = invoice_with_pay_link(&app, &user, &client).await;
    let session = app.stripe.pay(session_id(&link));
    app.deliver(&app.stripe.event("checkout.session.completed", &session))
        .await
        .expect(StatusCode::OK);
    wait_for_status(&app, &user, &invoice_id, "paid").await;
    app.completed(&invoice_id).await;

    let intent_id = session["payment_intent"].as_str().unwrap();
    let charge = app.stripe.refund(intent_id, 5_000);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);

    let invoice = wait_for_status(&app, &user, &invoice_id, "sent").await;
    assert_eq!(invoice["amount_paid"], 33_499);
    assert_eq!(invoice["amount_due"], 5_000);
    // A new run of the workflow holds the reopened invoice, with its timers running again.
    let view = app.workflow_view(&invoice_id).await;
    assert_eq!(view.amount_due, 5_000);
    assert!(view.overdue_at.is_some());
    let timeline = app.timeline(&user, &invoice_id).await;
    assert_eq!(
        timeline.last().map(String::as_str),
        Some("payment_refunded")
    );
    // The whole charge back: nothing paid.
    let charge = app.stripe.refund(intent_id, 33_499);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);
    wait_for_paid_amount(&app, &user, &invoice_id, 0).await;
    let payments = payments(&app, &user, &invoice_id).await;
    assert_eq!(payments[0]["status"], "refunded");
    // An unstamped PDF version follows the PAID one.
    let marks = eventually(
        "a PDF without the stamp",
        Duration::from_secs(60),
        || async {
            let marks: Vec<Value> = app
                .notifications(&user, &invoice_id)
                .await
                .into_iter()
                .filter(|entry| entry["type"] == "document_rendered")
                .map(|entry| entry["data"]["mark"].clone())
                .collect();
            (marks.len() == 3).then_some(marks)
        },
    )
    .await;
    assert_eq!(marks, [Value::Null, json!("paid"), Value::Null]);
}

#[tokio::test]
async fn bad_signatures_are_refused_with_400_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (invoice_id, link) = invoice_with_pay_link(&app, &user, &client_address()).await;
    let session = app.stripe.pay(session_id(&link));
    let event = app.stripe.event("checkout.session.completed", &session);
    let body = event.to_string();
    let now = chrono::Utc::now().timestamp();

    let tampered = body.replace("38499", "38500");
    assert_ne!(tampered, body);
    let cases = [
        (
            "wrong secret",
            body.clone(),
            Some(stripe::signature("whsec_wrong", now, &body)),
        ),
        ("missing header", body.clone(), None),
        (
            "tampered body",
            tampered,
            Some(stripe::signature(stripe::WEBHOOK_SECRET, now, &body)),
        ),
        (
            "301 s old",
            body.clone(),
            Some(stripe::signature(stripe::WEBHOOK_SECRET, now - 301, &body)),
        ),
        ("garbage header", body.clone(), Some("t=,v1=zz".to_owned())),
    ];
    for (case, body, signature) in cases {
        let problem = app
            .webhook(&body, signature.as_deref())
            .await
            .problem(StatusCode::BAD_REQUEST);
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("Stripe signature"),
            "{case}: {problem}"
        );
    }
    assert_eq!(
        app.count(
            "SELECT count(*) FROM stripe_events WHERE $1::uuid IS NOT NULL",
            &invoice_id
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        0
    );
    assert_eq!(app.invoice(&user, &invoice_id).await["status"], "sent");

    // Signed properly at the edge of the tolerance, it is accepted.
    let edge = stripe::signature(stripe::WEBHOOK_SECRET, now - 290, &body);
    app.webhook(&body, Some(&edge)).await.expect(StatusCode::OK);
    wait_for_status(&app, &user, &invoice_id, "paid").await;
}

#[tokio::test]
async fn unknown_types_and_unknown_invoices_are_acknowledged_and_kept() {
    let app = TestApp::spawn().await;
    let customer = app.stripe.event(
        "customer.created",
        &json!({ "id": "cus_1", "object": "customer" }),
    );
    let ack = app.deliver(&customer).await.expect(StatusCode::OK).body;
    assert_eq!(ack["received"], true);

    let stranger = Uuid::new_v4();
    let intent = app.stripe.direct_payment(stranger, 1_000, "usd");
    let event = app.stripe.event("payment_intent.succeeded", &intent);
    app.deliver(&event).await.expect(StatusCode::OK);
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT type, outcome FROM stripe_events ORDER BY received_at")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        kept,
        [
            ("customer.created".to_owned(), "ignored".to_owned()),
            (
                "payment_intent.succeeded".to_owned(),
                "unmatched".to_owned()
            )
        ]
    );
    // Money received for no invoice is on the administrators' list.
    let unclaimed: (String, Option<Uuid>, Option<i64>, String) = sqlx::query_as(
        "SELECT kind, invoice_id, actual_amount, transaction_id FROM payment_discrepancies",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        unclaimed,
        (
            "unknown_invoice".to_owned(),
            None,
            Some(1_000),
            intent["id"].as_str().unwrap().to_owned()
        )
    );
}

#[tokio::test]
async fn a_payment_in_another_currency_is_flagged_not_applied() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft_for(&client_address())).await);
    let euros = app
        .stripe
        .direct_payment(invoice_id.parse().unwrap(), 38_499, "eur");
    app.deliver(&app.stripe.event("payment_intent.succeeded", &euros))
        .await
        .expect(StatusCode::OK);
    eventually(
        "the payment to be flagged",
        Duration::from_secs(60),
        || async {
            app.timeline(&user, &invoice_id)
                .await
                .contains(&"payment_flagged".to_owned())
                .then_some(())
        },
    )
    .await;
    let invoice = app.invoice(&user, &invoice_id).await;
    assert_eq!(invoice["status"], "sent");
    assert_eq!(invoice["amount_paid"], 0);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payment_discrepancies WHERE invoice_id = $1 AND kind = 'currency_mismatch'",
            &invoice_id
        )
        .await,
        1
    );
}

#[tokio::test]
async fn pay_links_are_only_for_open_invoices_and_only_for_their_owner() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let draft = id(&app
        .create_invoice(&user, &draft_for(&client_address()))
        .await);
    let problem = app
        .post_empty(&format!("/api/invoices/{draft}/checkout"), &user.token)
        .await
        .problem(StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().unwrap().contains("pay link"));
    let (invoice_id, _) = invoice_with_pay_link(&app, &user, &client_address()).await;
    let stranger = app.user().await;
    app.post_empty(
        &format!("/api/invoices/{invoice_id}/checkout"),
        &stranger.token,
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    // Only the sent invoice's pay link reached Stripe.
    assert_eq!(app.stripe.requests().len(), 1);
}

#[tokio::test]
async fn the_payment_history_lists_the_accounts_payments_with_filters() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (online_id, link) = invoice_with_pay_link(&app, &user, &client_address()).await;
    let session = app.stripe.pay(session_id(&link));
    app.deliver(&app.stripe.event("checkout.session.completed", &session))
        .await
        .expect(StatusCode::OK);
    wait_for_status(&app, &user, &online_id, "paid").await;
    let intent_id = session["payment_intent"].as_str().unwrap();
    let charge = app.stripe.refund(intent_id, 38_499);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);
    wait_for_paid_amount(&app, &user, &online_id, 0).await;
    let offline_id = id(&app.sent_invoice(&user, &draft_for(&client_address())).await);
    for amount in [1_000, 2_000] {
        app.pay(
            &user,
            &offline_id,
            json!({ "amount": amount, "method": "bank_transfer" }),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    // Someone else's payments are not listed.
    let other = app.user().await;
    let theirs = id(&app
        .sent_invoice(&other, &draft_for(&client_address()))
        .await);
    app.record_payment(&other, &theirs, 500, "cash").await;

    let all = app
        .get("/api/payments?limit=2", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
    assert_eq!(all["data"][0]["amount"], 2_000, "newest first");
    let cursor = all["next_cursor"].as_str().expect("a second page");
    let rest = app
        .get(
            &format!("/api/payments?limit=2&cursor={cursor}"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(rest["data"].as_array().unwrap().len(), 1);
    assert_eq!(rest["data"][0]["method"], "stripe");
    assert_eq!(rest["data"][0]["number"], "INV-000001");
    assert!(rest["next_cursor"].is_null());

    let refunded = app
        .get("/api/payments?status=refunded", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(refunded["data"].as_array().unwrap().len(), 1);
    assert_eq!(refunded["data"][0]["transaction_id"], intent_id);
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let dated = app
        .get(
            &format!("/api/payments?from={today}&to={today}"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(dated["data"].as_array().unwrap().len(), 3);
    let none = app
        .get(&format!("/api/payments?from={tomorrow}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);

    for bad in [
        "status=pending",
        "from=yesterday",
        "from=2026-11-30&to=2026-11-01",
        "limit=0",
        "cursor=nope",
        "colour=blue",
    ] {
        app.get(&format!("/api/payments?{bad}"), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
    // Recording a Stripe payment by hand is refused at its field.
    let problem = app
        .pay(
            &user,
            &offline_id,
            json!({ "amount": 100, "method": "stripe" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["method"].is_array());
}

#[tokio::test]
async fn a_pay_link_that_no_longer_fits_is_expired_at_stripe() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (invoice_id, first) = invoice_with_pay_link(&app, &user, &client_address()).await;

    // A partial payment by bank transfer: the link for the whole amount must not stay payable.
    app.record_payment(&user, &invoice_id, 10_000, "bank_transfer")
        .await;
    eventually(
        "the first link to expire",
        Duration::from_secs(60),
        || async { (app.stripe.session(session_id(&first))["status"] == "expired").then_some(()) },
    )
    .await;
    let second = app
        .post_empty(&format!("/api/invoices/{invoice_id}/checkout"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_ne!(second["session_id"], first["session_id"]);
    assert_eq!(second["amount"], 28_499);

    // Paid in full another way: the second link is expired too.
    app.record_payment(&user, &invoice_id, 28_499, "check")
        .await;
    eventually(
        "the second link to expire",
        Duration::from_secs(60),
        || async { (app.stripe.session(session_id(&second))["status"] == "expired").then_some(()) },
    )
    .await;
    app.completed(&invoice_id).await;
    // A link paid in the meantime cannot be expired; Stripe says so and nothing breaks.
    let (other_id, third) = invoice_with_pay_link(&app, &user, &client_address()).await;
    app.stripe.pay(session_id(&third));
    app.post(
        &format!("/api/invoices/{other_id}/void"),
        &user.token,
        &json!({ "reason": "Duplicate" }),
    )
    .await
    .expect(StatusCode::OK);
    app.completed(&other_id).await;
    assert_eq!(app.stripe.session(session_id(&third))["status"], "complete");
    let expiries = app
        .stripe
        .requests()
        .iter()
        .filter(|request| request.path.ends_with("/expire"))
        .count();
    assert_eq!(expiries, 3);
}
