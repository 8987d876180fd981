//! Receivables aging: an account's open invoices at the end of a day, per currency and customer
//! in buckets of days past due, and the invoices behind each figure.

use crate::support::{TestApp, TestUser, draft, id, today};
use chrono::{Days, Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

/// `draft()` (384.99) in `currency` for `client`, due `due` days from today (negative: in the
/// past), issued 30 days before its due date or today, whichever is earlier.
fn draft_for(client: (&str, &str), currency: &str, due: i64) -> Value {
    let due_date = today() + Duration::days(due);
    let mut body = draft();
    body["client_name"] = json!(client.0);
    body["client_email"] = json!(client.1);
    body["currency"] = json!(currency);
    body["issue_date"] = json!(std::cmp::min(today(), due_date - Days::new(30)));
    body["due_date"] = json!(due_date);
    body
}

const ACME: (&str, &str) = ("Acme Ltd", "ap@acme.example");
const BETA: (&str, &str) = ("Beta GmbH", "billing@beta.example");
const TOTAL: i64 = 38_499;

async fn pay(app: &TestApp, user: &TestUser, invoice_id: &str, amount: i64) {
    app.record_payment(user, invoice_id, amount, "bank_transfer")
        .await;
}

/// The buckets as the report answers them.
fn buckets(amounts: [i64; 5], invoice_count: i64) -> Value {
    json!({
        "current": amounts[0], "days_1_30": amounts[1], "days_31_60": amounts[2],
        "days_61_90": amounts[3], "over_90": amounts[4],
        "total": amounts.iter().sum::<i64>(), "invoice_count": invoice_count
    })
}

/// A customer's line of the report.
fn customer(customer_id: &str, name: &str, amounts: [i64; 5], invoice_count: i64) -> Value {
    let mut line = buckets(amounts, invoice_count);
    line["customer_id"] = json!(customer_id);
    line["name"] = json!(name);
    line
}

async fn aging(app: &TestApp, user: &TestUser, query: &str) -> Value {
    app.get(&format!("/api/reports/aging{query}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body
}

/// Every invoice of the drill-down for `query`, page after page of `limit`.
async fn drill_down(app: &TestApp, user: &TestUser, query: &str, limit: usize) -> Vec<Value> {
    app.all_pages(user, &format!("/api/reports/aging/invoices?{query}"), limit)
        .await
}

/// Every figure of `report`, per currency, customer and bucket, equals the sum of the open
/// amounts of the invoices its drill-down lists; the totals are the sums of the customers.
async fn assert_drill_down_agrees(app: &TestApp, user: &TestUser, report: &Value) {
    let as_of = report["as_of"].as_str().unwrap();
    let names = [
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90",
    ];
    for currency in report["currencies"].as_array().unwrap() {
        let code = currency["currency"].as_str().unwrap();
        for bucket in names {
            let mut sum_of_customers = 0;
            for line in currency["customers"].as_array().unwrap() {
                let query = format!(
                    "as_of={as_of}&currency={code}&customer_id={}&bucket={bucket}",
                    line["customer_id"].as_str().unwrap()
                );
                let listed = drill_down(app, user, &query, 100).await;
                let open: i64 = listed
                    .iter()
                    .map(|invoice| invoice["open_amount"].as_i64().unwrap())
                    .sum();
                assert_eq!(open, line[bucket].as_i64().unwrap(), "{query}");
                assert!(listed.iter().all(|invoice| invoice["bucket"] == bucket));
                sum_of_customers += open;
            }
            assert_eq!(
                sum_of_customers,
                currency["totals"][bucket].as_i64().unwrap()
            );
        }
    }
}

#[tokio::test]
async fn aging_puts_each_open_invoice_in_its_bucket_as_of_a_day() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let other = app.user().await;

    // USD for Acme: not yet due; 5 days late and partly paid; 75 and 120 days late; paid in
    // full; voided. For Beta: 45 days late, and one in EUR not yet due. A draft, and another
    // account's overdue invoice, count nowhere.
    let current = app.sent_invoice(&user, &draft_for(ACME, "USD", 10)).await;
    let acme = current["customer_id"].as_str().unwrap().to_owned();
    let current = id(&current);
    let late_5 = id(&app.sent_invoice(&user, &draft_for(ACME, "USD", -5)).await);
    pay(&app, &user, &late_5, 10_000).await;
    let late_75 = id(&app.sent_invoice(&user, &draft_for(ACME, "USD", -75)).await);
    let late_120 = id(&app.sent_invoice(&user, &draft_for(ACME, "USD", -120)).await);
    let paid = id(&app.sent_invoice(&user, &draft_for(ACME, "USD", -10)).await);
    pay(&app, &user, &paid, TOTAL).await;
    let void = id(&app.sent_invoice(&user, &draft_for(ACME, "USD", 20)).await);
    app.post(
        &format!("/api/invoices/{void}/void"),
        &user.token,
        &json!({}),
    )
    .await
    .expect(StatusCode::OK);
    let late_45 = app.sent_invoice(&user, &draft_for(BETA, "USD", -45)).await;
    let beta = late_45["customer_id"].as_str().unwrap().to_owned();
    let late_45 = id(&late_45);
    let euro = id(&app.sent_invoice(&user, &draft_for(BETA, "EUR", 20)).await);
    app.create_invoice(&user, &draft_for(ACME, "USD", -20))
        .await;
    app.sent_invoice(&other, &draft_for(ACME, "USD", -20)).await;

    // As of today (the default).
    let report = aging(&app, &user, "").await;
    assert_eq!(
        report,
        json!({
            "as_of": today().to_string(),
            "currencies": [
                {
                    "currency": "EUR",
                    "totals": buckets([TOTAL, 0, 0, 0, 0], 1),
                    "customers": [customer(&beta, "Beta GmbH", [TOTAL, 0, 0, 0, 0], 1)]
                },
                {
                    "currency": "USD",
                    "totals": buckets([TOTAL, TOTAL - 10_000, TOTAL, TOTAL, TOTAL], 5),
                    "customers": [
                        customer(&acme, "Acme Ltd", [TOTAL, TOTAL - 10_000, 0, TOTAL, TOTAL], 4),
                        customer(&beta, "Beta GmbH", [0, 0, TOTAL, 0, 0], 1)
                    ]
                }
            ]
        })
    );
    // As of today the buckets are what the dashboard calls outstanding.
    let dashboard = app
        .get("/api/dashboard", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    for (index, currency) in dashboard["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        assert_eq!(
            currency["currency"],
            report["currencies"][index]["currency"]
        );
        assert_eq!(
            currency["outstanding"],
            report["currencies"][index]["totals"]["total"]
        );
        assert_eq!(
            currency["outstanding_count"],
            report["currencies"][index]["totals"]["invoice_count"]
        );
    }

    // The drill-down: the longest past due first, a page at a time.
    let usd = drill_down(&app, &user, "currency=USD", 2).await;
    let listed: Vec<(String, i64, i64, &str)> = usd
        .iter()
        .map(|invoice| {
            (
                id(invoice),
                invoice["days_past_due"].as_i64().unwrap(),
                invoice["open_amount"].as_i64().unwrap(),
                invoice["bucket"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (late_120.clone(), 120, TOTAL, "over_90"),
            (late_75.clone(), 75, TOTAL, "days_61_90"),
            (late_45.clone(), 45, TOTAL, "days_31_60"),
            (late_5.clone(), 5, TOTAL - 10_000, "days_1_30"),
            (current.clone(), -10, TOTAL, "current"),
        ]
    );
    let first = &usd[0];
    assert_eq!(first["customer_id"], acme);
    assert_eq!(first["customer_name"], "Acme Ltd");
    assert_eq!(first["currency"], "USD");
    assert_eq!(first["due_date"], (today() - Days::new(120)).to_string());
    assert_eq!(first["issue_date"], (today() - Days::new(150)).to_string());
    assert!(first["number"].as_str().unwrap().starts_with("INV-"));
    let beta_usd = drill_down(&app, &user, &format!("currency=USD&customer_id={beta}"), 20).await;
    assert_eq!(
        beta_usd.iter().map(id).collect::<Vec<_>>(),
        std::slice::from_ref(&late_45)
    );
    let all = drill_down(&app, &user, "", 20).await;
    assert_eq!(all.len(), 6);
    assert!(all.iter().any(|invoice| id(invoice) == euro));
    assert_drill_down_agrees(&app, &user, &report).await;

    // As of three days ago: everything but `current` was sent by then (the test dates the
    // sends back to their issue dates); the payments were recorded today, so they do not count
    // yet; the voided invoice was voided today, so it was still owed.
    sqlx::query(
        "UPDATE invoices SET sent_at = issue_date::timestamp AT TIME ZONE 'UTC' + interval '9 hours'
         WHERE user_id = $1 AND sent_at IS NOT NULL AND id <> $2",
    )
    .bind(user.id)
    .bind(current.parse::<Uuid>().unwrap())
    .execute(&app.db.pool)
    .await
    .unwrap();
    let as_of: NaiveDate = today() - Days::new(3);
    let past = aging(&app, &user, &format!("?as_of={as_of}")).await;
    assert_eq!(
        past,
        json!({
            "as_of": as_of.to_string(),
            "currencies": [
                {
                    "currency": "EUR",
                    "totals": buckets([TOTAL, 0, 0, 0, 0], 1),
                    "customers": [customer(&beta, "Beta GmbH", [TOTAL, 0, 0, 0, 0], 1)]
                },
                {
                    "currency": "USD",
                    "totals": buckets([TOTAL, 2 * TOTAL, TOTAL, TOTAL, TOTAL], 6),
                    "customers": [
                        customer(&acme, "Acme Ltd", [TOTAL, 2 * TOTAL, 0, TOTAL, TOTAL], 5),
                        customer(&beta, "Beta GmbH", [0, 0, TOTAL, 0, 0], 1)
                    ]
                }
            ]
        })
    );
    let listed: Vec<(String, i64)> = drill_down(
        &app,
        &user,
        &format!("as_of={as_of}&currency=USD&bucket=days_1_30"),
        20,
    )
    .await
    .iter()
    .map(|invoice| (id(invoice), invoice["days_past_due"].as_i64().unwrap()))
    .collect();
    assert_eq!(listed, [(paid.clone(), 7), (late_5.clone(), 2)]);
    assert_drill_down_agrees(&app, &user, &past).await;
    // Before anything was sent, nothing was owed.
    let before = aging(&app, &user, "?as_of=2000-01-01").await;
    assert_eq!(before, json!({ "as_of": "2000-01-01", "currencies": [] }));

    // Another account sees only its own invoice.
    let theirs = aging(&app, &other, "").await;
    assert_eq!(theirs["currencies"].as_array().unwrap().len(), 1);
    assert_eq!(theirs["currencies"][0]["totals"]["total"], TOTAL);
    assert_eq!(theirs["currencies"][0]["customers"][0]["name"], "Acme Ltd");
    assert_ne!(theirs["currencies"][0]["customers"][0]["customer_id"], acme);
    let theirs = drill_down(&app, &other, &format!("customer_id={acme}"), 20).await;
    assert_eq!(theirs, Vec::<Value>::new());
}

#[tokio::test]
async fn aging_refuses_bad_input_with_a_problem() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    for (query, field) in [
        ("/api/reports/aging?as_of=2026-02-30", "as_of"),
        ("/api/reports/aging?as_of=yesterday", "as_of"),
        ("/api/reports/aging/invoices?as_of=31.12.2026", "as_of"),
    ] {
        let problem = app
            .get(query, &user.token)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            problem["errors"][field],
            json!(["must be a date like 2026-11-24"]),
            "{query}"
        );
    }
    for (query, detail) in [
        (
            "bucket=days_1_31",
            "bucket must be one of current, days_1_30, days_31_60, days_61_90, over_90 (not 'days_1_31')",
        ),
        ("currency=XYZ", "currency must be an ISO 4217 code like EUR"),
        ("customer_id=acme", "customer_id must be a UUID"),
        ("cursor=bm90LW91cnM", "cursor is not one this API returned"),
        ("limit=0", "limit must be a whole number from 1 to 100"),
        ("colour=red", ""),
    ] {
        let problem = app
            .get(&format!("/api/reports/aging/invoices?{query}"), &user.token)
            .await
            .problem(StatusCode::BAD_REQUEST);
        if !detail.is_empty() {
            assert_eq!(problem["detail"], detail, "{query}");
        }
    }
    app.request(reqwest::Method::GET, "/api/reports/aging", None, None)
        .await
        .problem(StatusCode::UNAUTHORIZED);
}
