//! Credit notes: issued through the API as Updates on the invoice's workflow, in order with its
//! payments; numbered in their own gapless series; what they take beyond the amount due goes
//! to the customer's credit balance or back on the payments (at Stripe for a Stripe payment).

use crate::support::{TestApp, TestUser, draft, eventually, id};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use temporalio_client::WorkflowExecutionStatus;
use uuid::Uuid;

/// The draft's total: 3 × 125.00 + 9.99 (no tax).
const TOTAL: i64 = 38_499;

async fn issue(app: &TestApp, user: &TestUser, invoice_id: &str, body: &Value) -> Value {
    app.post(
        &format!("/api/invoices/{invoice_id}/credit-notes"),
        &user.token,
        body,
    )
    .await
    .expect(StatusCode::CREATED)
    .body
}

async fn invoice(app: &TestApp, user: &TestUser, invoice_id: &str) -> Value {
    app.get(&format!("/api/invoices/{invoice_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body
}

async fn wait_for_status(app: &TestApp, user: &TestUser, invoice_id: &str, status: &str) -> Value {
    eventually(status, Duration::from_secs(30), || async {
        let invoice = invoice(app, user, invoice_id).await;
        (invoice["status"] == status).then_some(invoice)
    })
    .await
}

fn amounts(invoice: &Value) -> (i64, i64, i64, i64) {
    let field = |name: &str| invoice[name].as_i64().unwrap_or(i64::MIN);
    (
        field("total"),
        field("amount_paid"),
        field("amount_credited"),
        field("amount_due"),
    )
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("the PDF's text")
}

async fn credit_balance(app: &TestApp, invoice_id: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT COALESCE(SUM(c.amount), 0)::int8 FROM customer_credits c
         JOIN invoices i ON i.customer_id = c.customer_id WHERE i.id = $1",
    )
    .bind(invoice_id.parse::<Uuid>().unwrap())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_partial_credit_then_payment_of_the_rest_makes_the_invoice_paid() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let client = format!("credited-{}@acme.example", Uuid::new_v4().simple());
    let mut draft = draft();
    draft["client_email"] = json!(client);
    let sent = app.sent_invoice(&user, &draft).await;
    let invoice_id = id(&sent);
    let body = json!({
        "reason": "One day of design work was not delivered.",
        "scope": { "kind": "lines", "lines": [{ "line": 0, "quantity": "1" }] },
    });

    // The preview says what the note comes to, and stores nothing.
    let preview = app
        .post(
            &format!("/api/invoices/{invoice_id}/credit-notes/preview"),
            &user.token,
            &body,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(preview["gross_total"], 12_500);
    assert_eq!(preview["amount_due"], TOTAL - 12_500);
    assert_eq!(preview["status"], "sent");
    assert_eq!(preview["excess"], 0);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM credit_notes WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        0
    );

    let issued = issue(&app, &user, &invoice_id, &body).await;
    let note = &issued["credit_note"];
    assert_eq!(note["number"], "CN-000001");
    assert_eq!(note["reason"], "One day of design work was not delivered.");
    assert_eq!(note["gross_total"], 12_500);
    assert_eq!(note["lines"][0]["invoice_line"], 0);
    assert_eq!(note["lines"][0]["quantity"], "1");
    assert_eq!(
        (&note["excess"], &note["excess_to"]),
        (&json!(0), &Value::Null)
    );
    assert_eq!(issued["invoice"]["status"], "sent");
    assert_eq!(
        amounts(&issued["invoice"]),
        (TOTAL, 0, 12_500, TOTAL - 12_500)
    );

    // The client gets the credit note by e-mail, its PDF attached; so does its owner's API.
    let emails = app.aws.wait_for_emails(&client, 2).await;
    let email = &emails[1];
    assert!(email.subject.contains("CN-000001"), "{}", email.subject);
    assert!(email.subject.contains("INV-000001"), "{}", email.subject);
    assert!(
        email.text.contains("One day of design work"),
        "{}",
        email.text
    );
    assert!(
        email.text.contains("$259.99"),
        "what remains due: {}",
        email.text
    );
    assert_eq!(email.attachments.len(), 1);
    assert_eq!(email.attachments[0].0, "CN-000001.pdf");
    let text = pdf_text(&email.attachments[0].1);
    for expected in [
        "CREDIT NOTE",
        "CN-000001",
        "INV-000001",
        "One day of design work",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    let note_id = note["id"].as_str().unwrap();
    let pdf_url = eventually("the credit note's PDF", Duration::from_secs(30), || async {
        let note = app
            .get(&format!("/api/credit-notes/{note_id}"), &user.token)
            .await
            .expect(StatusCode::OK)
            .body;
        note["pdf_url"].as_str().map(str::to_owned)
    })
    .await;
    let stranger = app.user().await;
    app.get(&pdf_url, &stranger.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    let events = app.aws.drain_events(Duration::from_secs(2)).await;
    let issued_event = events
        .iter()
        .find(|event| event["type"] == "credit_note.issued")
        .unwrap_or_else(|| panic!("no credit_note.issued in {events:#?}"));
    assert_eq!(issued_event["data"]["number"], "CN-000001");
    assert_eq!(issued_event["data"]["gross_total"], 12_500);
    assert_eq!(issued_event["amount_due"], TOTAL - 12_500);

    // Paying what is left settles it: paid, with exact figures.
    let paid = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": TOTAL - 12_500, "method": "bank_transfer" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    assert_eq!(paid["invoice"]["status"], "paid");
    assert_eq!(
        amounts(&paid["invoice"]),
        (TOTAL, TOTAL - 12_500, 12_500, 0)
    );
    app.completed(&invoice_id).await;
    let view = app.workflow_view(&invoice_id).await;
    assert_eq!((view.amount_credited, view.amount_due), (12_500, 0));

    let timeline = app.timeline(&user, &invoice_id).await;
    assert!(
        timeline.contains(&"credit_note_issued".to_owned()),
        "{timeline:?}"
    );
    let listed = app
        .get(
            &format!("/api/invoices/{invoice_id}/credit-notes"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], note["id"]);
}

#[tokio::test]
async fn crediting_a_paid_invoice_in_full_moves_the_payment_to_the_customers_credit_balance() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.pay(
        &user,
        &invoice_id,
        json!({ "amount": TOTAL, "method": "bank_transfer" }),
    )
    .await
    .expect(StatusCode::CREATED);
    app.completed(&invoice_id).await;

    // Its workflow had completed: the note starts a new run together with it.
    let issued = issue(
        &app,
        &user,
        &invoice_id,
        &json!({ "reason": "The order was cancelled.", "scope": { "kind": "remaining" } }),
    )
    .await;
    assert_eq!(issued["credit_note"]["gross_total"], TOTAL);
    assert_eq!(issued["credit_note"]["excess"], TOTAL);
    assert_eq!(issued["credit_note"]["excess_to"], "credit_balance");
    assert_eq!(issued["invoice"]["status"], "credited");
    assert_eq!(amounts(&issued["invoice"]), (TOTAL, TOTAL, TOTAL, 0));
    assert_eq!(credit_balance(&app, &invoice_id).await, TOTAL);
    app.completed(&invoice_id).await;

    // Nothing more to credit, and a credited invoice takes nothing else.
    let again = app
        .post(
            &format!("/api/invoices/{invoice_id}/credit-notes"),
            &user.token,
            &json!({ "reason": "Again.", "scope": { "kind": "remaining" } }),
        )
        .await;
    again.problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn crediting_a_partly_paid_invoice_in_full_refunds_what_was_paid() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let payment = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 10_000, "method": "bank_transfer" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    let issued = issue(
        &app,
        &user,
        &invoice_id,
        &json!({
            "reason": "Cancelled with a credit note.",
            "scope": { "kind": "remaining" },
            "excess_to": "refund",
        }),
    )
    .await;
    let note = &issued["credit_note"];
    assert_eq!(
        (&note["excess"], &note["excess_to"]),
        (&json!(10_000), &json!("refund"))
    );
    assert_eq!(note["refunds"][0]["payment_id"], payment["payment"]["id"]);
    assert_eq!(note["refunds"][0]["amount"], 10_000);
    assert_eq!(note["refunds"][0]["stripe"], false);
    assert_eq!(issued["invoice"]["status"], "credited");
    assert_eq!(amounts(&issued["invoice"]), (TOTAL, 0, TOTAL, 0));
    assert_eq!(credit_balance(&app, &invoice_id).await, 0);
    assert_eq!(
        app.count(
            "SELECT amount_refunded FROM payments WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        10_000
    );
}

#[tokio::test]
async fn a_credit_notes_excess_on_a_stripe_payment_is_refunded_at_stripe_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let intent = app
        .stripe
        .direct_payment(invoice_id.parse().unwrap(), TOTAL, "usd");
    app.deliver(&app.stripe.event("payment_intent.succeeded", &intent))
        .await
        .expect(StatusCode::OK);
    wait_for_status(&app, &user, &invoice_id, "paid").await;
    app.completed(&invoice_id).await;

    let issued = issue(
        &app,
        &user,
        &invoice_id,
        &json!({
            "reason": "Hosting was not used.",
            "scope": { "kind": "lines", "lines": [{ "line": 1, "quantity": "1" }] },
            "excess_to": "refund",
        }),
    )
    .await;
    assert_eq!(issued["credit_note"]["excess"], 999);
    assert_eq!(issued["credit_note"]["refunds"][0]["stripe"], true);
    assert_eq!(issued["invoice"]["status"], "paid");
    assert_eq!(amounts(&issued["invoice"]), (TOTAL, TOTAL - 999, 999, 0));

    // The money goes back at Stripe, once, keyed by the credit note and the payment.
    let intent_id = intent["id"].as_str().unwrap();
    let refund = eventually("the refund at Stripe", Duration::from_secs(30), || async {
        app.stripe.refunds().into_iter().next()
    })
    .await;
    assert_eq!(refund["payment_intent"], intent_id);
    assert_eq!(refund["amount"], 999);
    app.completed(&invoice_id).await;
    let keys: Vec<Option<String>> = app
        .stripe
        .requests()
        .into_iter()
        .filter(|request| request.path == "/v1/refunds")
        .map(|request| request.idempotency_key)
        .collect();
    let note_id = issued["credit_note"]["id"].as_str().unwrap();
    assert!(
        keys.iter()
            .all(|key| key.as_deref().is_some_and(|key| key.contains(note_id))),
        "{keys:?}"
    );
    assert_eq!(app.stripe.refunds().len(), 1);

    // Stripe's own report of that refund finds it counted already.
    let charge = app.stripe.refund(intent_id, 0);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);
    eventually("the report applied", Duration::from_secs(30), || async {
        (app.count(
            "SELECT count(*) FROM stripe_events WHERE invoice_id = $1 AND type = 'charge.refunded' AND outcome = 'signaled'",
            &invoice_id,
        )
        .await
            == 1)
            .then_some(())
    })
    .await;
    app.completed(&invoice_id).await;
    let after = invoice(&app, &user, &invoice_id).await;
    assert_eq!(after["status"], "paid");
    assert_eq!(amounts(&after), (TOTAL, TOTAL - 999, 999, 0));
}

#[tokio::test]
async fn credit_notes_are_numbered_gaplessly_under_concurrent_requests_across_invoices() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut invoices = Vec::new();
    for _ in 0..20 {
        invoices.push(id(&app.sent_invoice(&user, &draft()).await));
    }
    let body = json!({
        "reason": "Goodwill.",
        "scope": { "kind": "lines", "lines": [{ "line": 1, "quantity": "1" }] },
    });
    let paths: Vec<String> = invoices
        .iter()
        .map(|invoice_id| format!("/api/invoices/{invoice_id}/credit-notes"))
        .collect();
    let requests = paths.iter().map(|path| app.post(path, &user.token, &body));
    let answers = futures::future::join_all(requests).await;
    let mut numbers: Vec<String> = answers
        .into_iter()
        .map(|answer| {
            answer.expect(StatusCode::CREATED).body["credit_note"]["number"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("CN-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test]
async fn bad_credit_notes_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let draft_id = id(&app.create_invoice(&user, &draft()).await);
    let void_id = id(&app.sent_invoice(&user, &draft()).await);
    app.post(
        &format!("/api/invoices/{void_id}/void"),
        &user.token,
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let before = invoice(&app, &user, &invoice_id).await;
    let post = |id: String, body: Value| {
        let app = &app;
        let token = user.token.clone();
        async move {
            app.post(&format!("/api/invoices/{id}/credit-notes"), &token, &body)
                .await
        }
    };
    let lines = |line: i64, quantity: &str| json!({ "reason": "Returned.", "scope": { "kind": "lines", "lines": [{ "line": line, "quantity": quantity }] } });

    // Not creditable: a draft, a void invoice.
    for id in [&draft_id, &void_id] {
        post(id.clone(), lines(0, "1"))
            .await
            .problem(StatusCode::CONFLICT);
    }
    // Bad credits: each names its field.
    let cases = [
        (lines(0, "4"), "scope.lines[0].quantity"),
        (lines(0, "0"), "scope.lines[0].quantity"),
        (lines(0, "-1"), "scope.lines[0].quantity"),
        (lines(0, "abc"), "scope.lines[0].quantity"),
        (lines(7, "1"), "scope.lines[0].line"),
        (
            json!({ "reason": "   ", "scope": { "kind": "remaining" } }),
            "reason",
        ),
        (
            json!({ "reason": "Too much.", "scope": { "kind": "amounts", "amounts": [{ "category": "O", "percent": "0", "amount": TOTAL + 1 }] } }),
            "scope.amounts",
        ),
        (
            json!({ "reason": "Nothing.", "scope": { "kind": "amounts", "amounts": [{ "category": "O", "percent": "0", "amount": 0 }] } }),
            "scope.amounts[0].amount",
        ),
        (
            json!({ "reason": "Nothing.", "scope": { "kind": "amounts", "amounts": [{ "category": "S", "percent": "19", "amount": 100 }] } }),
            "scope.amounts[0].category",
        ),
        (
            json!({ "reason": "None.", "scope": { "kind": "lines", "lines": [] } }),
            "scope.lines",
        ),
    ];
    for (body, field) in cases {
        let problem = post(invoice_id.clone(), body.clone())
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            problem["errors"].get(field).is_some(),
            "{body}: expected an error at {field}: {problem:#}"
        );
    }
    // Crediting more than is left after a first note.
    issue(&app, &user, &invoice_id, &lines(0, "2")).await;
    let problem = post(invoice_id.clone(), lines(0, "2"))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["errors"]["scope.lines[0].quantity"][0]
            .as_str()
            .is_some_and(|message| message.contains("1 left")),
        "{problem:#}"
    );
    // A credited invoice cannot be voided: it is corrected by credit notes now.
    app.post(
        &format!("/api/invoices/{invoice_id}/void"),
        &user.token,
        &json!({}),
    )
    .await
    .problem(StatusCode::CONFLICT);

    let after = invoice(&app, &user, &invoice_id).await;
    assert_eq!(after["amount_credited"], 25_000);
    assert_eq!(
        (after["total"].clone(), after["amount_paid"].clone()),
        (before["total"].clone(), before["amount_paid"].clone())
    );
    for id in [&draft_id, &void_id] {
        assert_eq!(
            app.count(
                "SELECT count(*) FROM credit_notes WHERE invoice_id = $1",
                id
            )
            .await,
            0
        );
    }
    assert_eq!(
        app.count(
            "SELECT count(*) FROM credit_notes WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        1
    );
    assert_eq!(
        app.workflow_status(&invoice_id).await,
        WorkflowExecutionStatus::Running
    );
}
