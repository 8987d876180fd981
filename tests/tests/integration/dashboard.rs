//! The dashboard: what an account is owed per currency, what needs its attention, and six
//! months of invoiced and paid amounts.

use crate::support::{TestApp, TestUser, draft, eventually, id, today};
use chrono::{Datelike, Months};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// `draft()` (384.99) in `currency`, issued `issued` days ago and due `due` days from today
/// (negative: in the past).
fn draft_in(currency: &str, issued: u64, due: i64) -> Value {
    let mut body = draft();
    body["currency"] = json!(currency);
    body["issue_date"] = json!(today() - chrono::Days::new(issued));
    body["due_date"] = json!(today() + chrono::Duration::days(due));
    body
}

/// Sends an invoice dated in the past and waits until its workflow marks it overdue.
async fn overdue_invoice(app: &TestApp, user: &TestUser, currency: &str, due: i64) -> String {
    let invoice_id = id(&app.sent_invoice(user, &draft_in(currency, 40, due)).await);
    eventually(
        "the invoice to fall overdue",
        Duration::from_secs(20),
        || async { (app.invoice(user, &invoice_id).await["status"] == "overdue").then_some(()) },
    )
    .await;
    invoice_id
}

async fn pay(app: &TestApp, user: &TestUser, invoice_id: &str, amount: i64) {
    app.pay(
        user,
        invoice_id,
        json!({ "amount": amount, "method": "bank_transfer" }),
    )
    .await
    .expect(StatusCode::CREATED);
}

/// The first day of the month `back` months before this one, as `YYYY-MM`.
fn month(back: u32) -> String {
    let first = today().with_day(1).unwrap() - Months::new(back);
    first.format("%Y-%m").to_string()
}

#[tokio::test]
async fn the_dashboard_sums_an_accounts_invoices_per_currency() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;

    // USD: one open invoice with a payment recorded last month, one overdue, one due in
    // three days and partly paid, and a draft (which counts nowhere).
    let usd_open = id(&app.sent_invoice(&user, &draft_in("USD", 0, 30)).await);
    pay(&app, &user, &usd_open, 1_000).await;
    sqlx::query(
        "UPDATE payments SET recorded_at = recorded_at - interval '1 month' WHERE invoice_id = $1",
    )
    .bind(usd_open.parse::<uuid::Uuid>().unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let usd_overdue = overdue_invoice(&app, &user, "USD", -10).await;
    let usd_due_soon = id(&app.sent_invoice(&user, &draft_in("USD", 0, 3)).await);
    pay(&app, &user, &usd_due_soon, 10_000).await;
    app.create_invoice(&user, &draft_in("USD", 0, 1)).await;
    // EUR: one paid in full through Stripe, of which Stripe then refunded 2,000 (which opens
    // it again, 2,000 due), one overdue, one voided.
    let eur_paid = id(&app.sent_invoice(&user, &draft_in("EUR", 0, 30)).await);
    let intent = app
        .stripe
        .direct_payment(eur_paid.parse().unwrap(), 38_499, "eur");
    app.deliver(&app.stripe.event("payment_intent.succeeded", &intent))
        .await
        .expect(StatusCode::OK);
    let charge = app.stripe.refund(intent["id"].as_str().unwrap(), 2_000);
    app.deliver(&app.stripe.event("charge.refunded", &charge))
        .await
        .expect(StatusCode::OK);
    eventually(
        "the refund to open the invoice again",
        Duration::from_secs(30),
        || async {
            let invoice = app.invoice(&user, &eur_paid).await;
            (invoice["amount_paid"] == 36_499 && invoice["status"] == "sent").then_some(())
        },
    )
    .await;
    let eur_overdue = overdue_invoice(&app, &user, "EUR", -1).await;
    let eur_void = id(&app.sent_invoice(&user, &draft_in("EUR", 0, 30)).await);
    app.post(
        &format!("/api/invoices/{eur_void}/void"),
        &user.token,
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    // GBP: a draft only, so no GBP at all.
    app.create_invoice(&user, &draft_in("GBP", 0, 5)).await;

    let dashboard = app
        .get("/api/dashboard", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;

    assert_eq!(dashboard["as_of"], today().to_string());
    assert_eq!(
        dashboard["currencies"],
        json!([
            {
                "currency": "EUR",
                "outstanding": 38_499 + 2_000, "outstanding_count": 2,
                "overdue": 38_499, "overdue_count": 1,
                "paid_this_month": 36_499, "credited_this_month": 0
            },
            {
                "currency": "USD",
                "outstanding": 37_499 + 38_499 + 28_499, "outstanding_count": 3,
                "overdue": 38_499, "overdue_count": 1,
                "paid_this_month": 10_000, "credited_this_month": 0
            }
        ])
    );
    // Overdue first, the longest overdue first; then what falls due within a week.
    let attention: Vec<String> = dashboard["attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(id)
        .collect();
    assert_eq!(attention, [usd_overdue, eur_overdue, usd_due_soon.clone()]);
    let due_soon = &dashboard["attention"][2];
    assert_eq!(due_soon["status"], "sent");
    assert_eq!(due_soon["amount_due"], 28_499);
    assert_eq!(
        due_soon["number"].as_str().unwrap().len(),
        "INV-000001".len()
    );

    let months = dashboard["months"].as_array().unwrap();
    let expected_months: Vec<String> = (0..6).rev().map(month).collect();
    let listed: Vec<(String, String)> = months
        .iter()
        .map(|entry| {
            (
                entry["month"].as_str().unwrap().to_owned(),
                entry["currency"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = expected_months
        .iter()
        .flat_map(|month| ["EUR", "USD"].map(|currency| (month.clone(), currency.to_owned())))
        .collect();
    assert_eq!(listed, expected, "six months, oldest first, every currency");
    let amounts = |month: &str, currency: &str| {
        months
            .iter()
            .find(|entry| entry["month"] == month && entry["currency"] == currency)
            .map(|entry| {
                (
                    entry["invoiced"].as_i64().unwrap(),
                    entry["paid"].as_i64().unwrap(),
                )
            })
            .unwrap()
    };
    // Everything was sent this month; the voided invoice is not counted.
    assert_eq!(amounts(&month(0), "USD"), (3 * 38_499, 10_000));
    assert_eq!(amounts(&month(0), "EUR"), (2 * 38_499, 36_499));
    assert_eq!(amounts(&month(1), "USD"), (0, 1_000));
    assert_eq!(amounts(&month(1), "EUR"), (0, 0));
    assert_eq!(amounts(&month(5), "USD"), (0, 0));

    // Another account sees none of it.
    let theirs = app
        .get("/api/dashboard", &other.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(
        theirs,
        json!({ "as_of": today().to_string(), "currencies": [], "attention": [], "months": [] })
    );
    app.request(reqwest::Method::GET, "/api/dashboard", None, None)
        .await
        .problem(StatusCode::UNAUTHORIZED);
}
