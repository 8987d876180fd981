//! A customer's credit balance (what credit notes moved there) applied to another of their
//! invoices: a payment of method `credit_balance`, taken out of the balance exactly once, never
//! more than the balance holds, even by two invoices at once; and a Stripe refund of the money
//! the balance came from, after it was spent, leaves the invoice owing what the balance no
//! longer holds.

use crate::support::{TestApp, TestUser, draft, eventually, id};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// The draft's total: 3 × 125.00 + 9.99 (no tax).
const TOTAL: i64 = 38_499;

async fn invoice(app: &TestApp, user: &TestUser, invoice_id: &str) -> Value {
    app.get(&format!("/api/invoices/{invoice_id}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body
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

/// The customer's credit balance, summed from its rows.
async fn balance(app: &TestApp, customer_id: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT COALESCE(SUM(amount), 0)::int8 FROM customer_credits WHERE customer_id = $1",
    )
    .bind(customer_id.parse::<Uuid>().unwrap())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn credit_rows(app: &TestApp, customer_id: &str) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM customer_credits WHERE customer_id = $1")
        .bind(customer_id.parse::<Uuid>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// An invoice of the customer, paid in full by bank transfer and then credited in full: its
/// payment goes to the customer's credit balance. Returns the invoice's id and the customer's.
async fn credited_in_full(app: &TestApp, user: &TestUser) -> (String, String) {
    let sent = app.sent_invoice(user, &draft()).await;
    let invoice_id = id(&sent);
    app.pay(
        user,
        &invoice_id,
        json!({ "amount": TOTAL, "method": "bank_transfer" }),
    )
    .await
    .expect(StatusCode::CREATED);
    credit_remaining(app, user, &invoice_id).await;
    (invoice_id, sent["customer_id"].as_str().unwrap().to_owned())
}

async fn credit_remaining(app: &TestApp, user: &TestUser, invoice_id: &str) -> Value {
    app.post(
        &format!("/api/invoices/{invoice_id}/credit-notes"),
        &user.token,
        &json!({ "reason": "The order was cancelled.", "scope": { "kind": "remaining" } }),
    )
    .await
    .expect(StatusCode::CREATED)
    .body
}

fn from_credit(amount: i64) -> Value {
    json!({ "amount": amount, "method": "credit_balance" })
}

#[tokio::test]
async fn a_credit_balance_pays_another_invoice_of_the_same_customer_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (credited, customer_id) = credited_in_full(&app, &user).await;
    assert_eq!(balance(&app, &customer_id).await, TOTAL);
    let other = app.sent_invoice(&user, &draft()).await;
    assert_eq!(other["customer_id"], customer_id.as_str());
    let other_id = id(&other);

    // Applied with an Idempotency-Key, twice: one payment, one taking from the balance.
    let key = Uuid::new_v4().to_string();
    let apply = || {
        app.http
            .post(format!("{}/api/invoices/{other_id}/payments", app.address))
            .bearer_auth(&user.token)
            .header("Idempotency-Key", &key)
            .json(&from_credit(TOTAL))
            .send()
    };
    let first = apply().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again: Value = apply().await.unwrap().json().await.unwrap();
    assert_eq!(again["payment"]["id"], first["payment"]["id"]);
    assert_eq!(first["payment"]["method"], "credit_balance");
    assert_eq!(first["payment"]["amount"], TOTAL);
    assert_eq!(first["invoice"]["status"], "paid");
    assert_eq!(amounts(&first["invoice"]), (TOTAL, TOTAL, 0, 0));
    assert_eq!(balance(&app, &customer_id).await, 0);
    let applied = sqlx::query_as::<_, (i64, Option<Uuid>, Uuid)>(
        "SELECT amount, applied_payment_id, invoice_id FROM customer_credits
         WHERE customer_id = $1 AND amount < 0",
    )
    .bind(customer_id.parse::<Uuid>().unwrap())
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        applied,
        [(
            -TOTAL,
            Some(first["payment"]["id"].as_str().unwrap().parse().unwrap()),
            other_id.parse().unwrap()
        )]
    );

    // The payment lists show it like any other.
    let listed = app
        .get(&format!("/api/invoices/{other_id}/payments"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(listed["data"][0]["method"], "credit_balance");
    assert_eq!(listed["data"][0]["status"], "succeeded");

    // The statement lists the payment, and beside it the credit applied: what the customer
    // owes net of their credit does not move, and their credit balance is spent.
    let statement = app
        .get(
            &format!("/api/customers/{customer_id}/statement"),
            &user.token,
        )
        .await
        .expect(StatusCode::OK)
        .body;
    let usd = &statement["currencies"][0];
    assert_eq!(usd["currency"], "USD");
    assert_eq!(usd["credit_balance"], 0);
    assert_eq!(usd["closing_balance"], 0);
    let kinds: Vec<(&str, &str, i64)> = usd["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["invoice_id"] == other_id.as_str())
        .map(|entry| {
            (
                entry["kind"].as_str().unwrap(),
                entry["number"].as_str().unwrap(),
                entry["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    let number = other["number"].as_str().unwrap();
    assert_eq!(
        kinds,
        [
            ("invoice", number, TOTAL),
            ("payment", number, -TOTAL),
            ("credit_applied", number, TOTAL)
        ]
    );
    assert_eq!(
        usd["paid"], TOTAL,
        "the bank transfer; the credit moved no money"
    );

    // So does the dashboard: this month, two invoices, one credited in full, and one payment's
    // money received.
    let dashboard = app
        .get("/api/dashboard", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let month = dashboard["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|month| {
            month["currency"] == "USD"
                && month["month"] == dashboard["as_of"].as_str().unwrap()[..7]
        })
        .unwrap_or_else(|| panic!("this month's USD figures: {dashboard:#}"));
    assert_eq!(
        (&month["invoiced"], &month["paid"], &month["credited"]),
        (&json!(2 * TOTAL), &json!(TOTAL), &json!(TOTAL)),
        "{month:#}"
    );
    let _ = credited;
}

#[tokio::test]
async fn more_than_the_credit_balance_is_refused_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    // Paid in full, then the hosting line credited: 9.99 goes to the balance.
    let paid = id(&app.sent_invoice(&user, &draft()).await);
    app.pay(&user, &paid, json!({ "amount": TOTAL, "method": "cash" }))
        .await
        .expect(StatusCode::CREATED);
    app.post(
        &format!("/api/invoices/{paid}/credit-notes"),
        &user.token,
        &json!({
            "reason": "Hosting was not used.",
            "scope": { "kind": "lines", "lines": [{ "line": 1, "quantity": "1" }] },
        }),
    )
    .await
    .expect(StatusCode::CREATED);
    let other = app.sent_invoice(&user, &draft()).await;
    let other_id = id(&other);
    let customer_id = other["customer_id"].as_str().unwrap().to_owned();
    assert_eq!(balance(&app, &customer_id).await, 999);
    let rows = credit_rows(&app, &customer_id).await;

    let refused = app
        .pay(&user, &other_id, from_credit(1_000))
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(refused["type"], "/problems/insufficient-credit");
    assert_eq!(
        refused["detail"],
        "The customer's credit balance in USD is 9.99 USD, less than 10.00 USD."
    );
    // More than the invoice's amount due is refused as for any payment.
    app.pay(&user, &other_id, from_credit(TOTAL + 1))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &other_id
        )
        .await,
        0
    );
    assert_eq!(credit_rows(&app, &customer_id).await, rows);
    assert_eq!(balance(&app, &customer_id).await, 999);
    let stored = invoice(&app, &user, &other_id).await;
    assert_eq!(stored["status"], "sent");
    assert_eq!(amounts(&stored), (TOTAL, 0, 0, TOTAL));

    // What the balance holds is taken.
    app.pay(&user, &other_id, from_credit(999))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(balance(&app, &customer_id).await, 0);
    assert_eq!(
        amounts(&invoice(&app, &user, &other_id).await),
        (TOTAL, 999, 0, TOTAL - 999)
    );
}

#[tokio::test]
async fn two_invoices_applying_the_same_credit_at_once_take_it_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (_, customer_id) = credited_in_full(&app, &user).await;
    let first = id(&app.sent_invoice(&user, &draft()).await);
    let second = id(&app.sent_invoice(&user, &draft()).await);

    // Each asks for 300.00 of the 384.99: together more than the balance. Both requests are in
    // flight together, each on its own invoice's workflow.
    let (a, b) = tokio::join!(
        app.pay(&user, &first, from_credit(30_000)),
        app.pay(&user, &second, from_credit(30_000)),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{:#} {:#}",
        a.body,
        b.body
    );
    assert_eq!(balance(&app, &customer_id).await, TOTAL - 30_000);
    let payments = sqlx::query_scalar::<_, i64>(
        "SELECT count(*) FROM payments WHERE invoice_id = ANY($1) AND method = 'credit_balance'",
    )
    .bind([
        first.parse::<Uuid>().unwrap(),
        second.parse::<Uuid>().unwrap(),
    ])
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(payments, 1);
}

#[tokio::test]
async fn a_stripe_refund_after_the_credit_was_spent_reopens_the_invoice_for_the_rest() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let sent = app.sent_invoice(&user, &draft()).await;
    let invoice_id = id(&sent);
    let customer_id = sent["customer_id"].as_str().unwrap().to_owned();
    let intent = app
        .stripe
        .direct_payment(invoice_id.parse().unwrap(), TOTAL, "usd");
    app.deliver(&app.stripe.event("payment_intent.succeeded", &intent))
        .await
        .expect(StatusCode::OK);
    eventually("paid", Duration::from_secs(30), || async {
        (invoice(&app, &user, &invoice_id).await["status"] == "paid").then_some(())
    })
    .await;
    app.completed(&invoice_id).await;
    let credited = credit_remaining(&app, &user, &invoice_id).await;
    assert_eq!(credited["invoice"]["status"], "credited");
    assert_eq!(balance(&app, &customer_id).await, TOTAL);

    // 100.00 of the balance pays another invoice.
    let other = id(&app.sent_invoice(&user, &draft()).await);
    app.pay(&user, &other, from_credit(10_000))
        .await
        .expect(StatusCode::CREATED);
    app.completed(&invoice_id).await;

    // Then the Stripe payment is refunded in full: the balance pays out what it still holds,
    // and the 100.00 spent is owed on the invoice again.
    let charge = app.stripe.refund(intent["id"].as_str().unwrap(), TOTAL);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);
    let reopened = eventually("reopened", Duration::from_secs(30), || async {
        let stored = invoice(&app, &user, &invoice_id).await;
        (stored["status"] == "sent").then_some(stored)
    })
    .await;
    assert_eq!(amounts(&reopened), (TOTAL, 0, TOTAL, 10_000));
    assert_eq!(balance(&app, &customer_id).await, 0);
    let view = app.workflow_view(&invoice_id).await;
    assert_eq!(view.amount_due, 10_000);
    assert!(view.overdue_at.is_some(), "its timers run again");

    // The customer pays what they owe, and the invoice is settled again.
    app.pay(
        &user,
        &invoice_id,
        json!({ "amount": 10_000, "method": "bank_transfer" }),
    )
    .await
    .expect(StatusCode::CREATED);
    let settled = invoice(&app, &user, &invoice_id).await;
    assert_eq!(settled["status"], "credited");
    assert_eq!(amounts(&settled), (TOTAL, 10_000, TOTAL, 0));
}
