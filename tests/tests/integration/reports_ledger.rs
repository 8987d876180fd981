//! The reports over a generated ledger: 10,000 invoices written straight into PostgreSQL
//! (sent, paid, partly paid and refunded, voided, written off; three currencies, two VAT
//! rates, seven customers, issue dates over more than a year). The aging buckets must add up
//! to the open receivables, computed here independently from the rows, as of today and as of
//! a past day; the tax report's totals must equal the sums over the invoices; every customer's
//! statements must chain (one period's closing balance is the next one's opening), add up
//! (closing = opening + invoiced − paid − written off) and end at what they owe.

use crate::{exports::csv_file, support::TestApp};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

const INVOICES: i32 = 10_000;

/// Writes the ledger for `user_id` in one transaction (amount paid must equal the payments at
/// commit): invoice `n` is in EUR, USD or JPY, issued `n % 400` days ago, due 0–59 days after,
/// sent at 09:00 (UTC) on its issue date; every tenth voided the day after; two in ten paid in
/// full two days after sending; one in ten paid a third and refunded a ninth of its total; one
/// in ten, issued at least 90 days ago, written off (uncollectible) 90 days after its issue
/// date. Nothing happens later than now.
async fn generate(app: &TestApp, user_id: Uuid) {
    let script = format!(
        "INSERT INTO customers (id, user_id, display_name, emails)
         SELECT gen_random_uuid(), '{user_id}', 'Customer ' || k, ARRAY['c' || k || '@example.com']
         FROM generate_series(1, 7) k;

         CREATE TEMP TABLE ledger ON COMMIT DROP AS
         SELECT n, gen_random_uuid() AS id, base19, base7,
                round(base19 * 0.19)::int8 AS tax19, round(base7 * 0.07)::int8 AS tax7,
                (ARRAY['EUR', 'USD', 'JPY'])[n % 3 + 1] AS currency,
                issue_date, issue_date + (n % 60) AS due_date,
                LEAST(issue_date::timestamp AT TIME ZONE 'UTC' + interval '9 hours', now()) AS sent_at,
                (SELECT id FROM customers WHERE user_id = '{user_id}'
                 ORDER BY display_name OFFSET n % 7 LIMIT 1) AS customer_id,
                0::int8 AS total, 0::int8 AS paid, 0::int8 AS refunded, 'sent' AS status
         FROM (
             SELECT n, 1000 + (n::int8 * 7919) % 100000 AS base19,
                    100 + (n::int8 * 104729) % 20000 AS base7,
                    (now() AT TIME ZONE 'UTC')::date - (n % 400) AS issue_date
             FROM generate_series(1, {INVOICES}) n
         ) generated;

         UPDATE ledger SET total = base19 + base7 + tax19 + tax7;
         UPDATE ledger SET
             paid = CASE WHEN n % 10 IN (1, 2) THEN total WHEN n % 10 = 3 THEN total / 3 ELSE 0 END,
             refunded = CASE WHEN n % 10 = 3 THEN total / 9 ELSE 0 END,
             status = CASE WHEN n % 10 = 0 THEN 'void' WHEN n % 10 IN (1, 2) THEN 'paid'
                           WHEN n % 10 = 4 AND issue_date + 90 <= (now() AT TIME ZONE 'UTC')::date
                               THEN 'uncollectible'
                           ELSE 'sent' END;

         INSERT INTO invoices (id, user_id, status, customer_id, number, number_text, client_name,
                               client_email, currency, issue_date, due_date, subtotal, net_total,
                               tax_total, total, amount_paid, sent_at, paid_at, voided_at, buyer,
                               uncollectible_on, uncollectible_reason)
         SELECT l.id, '{user_id}', l.status, l.customer_id, l.n, 'GEN-' || l.n, c.display_name,
                c.emails[1], l.currency, l.issue_date, l.due_date, l.base19 + l.base7,
                l.base19 + l.base7, l.tax19 + l.tax7, l.total, l.paid - l.refunded, l.sent_at,
                CASE WHEN l.status = 'paid' THEN LEAST(l.sent_at + interval '2 days', now()) END,
                CASE WHEN l.status = 'void' THEN LEAST(l.sent_at + interval '1 day', now()) END,
                jsonb_build_object('display_name', c.display_name, 'emails', c.emails),
                CASE WHEN l.status = 'uncollectible' THEN l.issue_date + 90 END,
                CASE WHEN l.status = 'uncollectible' THEN 'Insolvent' END
         FROM ledger l JOIN customers c ON c.id = l.customer_id;

         INSERT INTO write_offs (invoice_id, event_seq, user_id, currency, amount, occurred_on,
                                 reason)
         SELECT id, 2, '{user_id}', currency, total - (paid - refunded), issue_date + 90,
                'Insolvent'
         FROM ledger WHERE status = 'uncollectible';

         INSERT INTO invoice_tax_subtotals (invoice_id, position, category, percent, base, tax)
         SELECT id, 0, 'S', 19, base19, tax19 FROM ledger
         UNION ALL
         SELECT id, 1, 'S', 7, base7, tax7 FROM ledger;

         INSERT INTO payments (id, invoice_id, amount, currency, method, amount_refunded,
                               recorded_at)
         SELECT gen_random_uuid(), id, paid, currency, 'bank_transfer', refunded,
                LEAST(sent_at + interval '2 days', now())
         FROM ledger WHERE paid > 0;"
    );
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::raw_sql(&script).execute(&mut *tx).await.unwrap();
    tx.commit().await.expect("the generated ledger adds up");
}

/// An invoice as the test reads it back, to compute the receivables itself.
struct Row {
    currency: String,
    customer_id: Uuid,
    due_date: NaiveDate,
    total: i64,
    sent_at: DateTime<Utc>,
    voided_at: Option<DateTime<Utc>>,
    /// The day it was written off, if it was.
    uncollectible_on: Option<NaiveDate>,
    /// `(recorded_at, amount - amount_refunded)` of its payments.
    payments: Vec<(DateTime<Utc>, i64)>,
}

/// `id, currency, customer_id, due_date, total, sent_at, voided_at, uncollectible_on`.
type InvoiceColumns = (
    Uuid,
    String,
    Uuid,
    NaiveDate,
    i64,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<NaiveDate>,
);

async fn rows(app: &TestApp, user_id: Uuid) -> Vec<Row> {
    let invoices: Vec<InvoiceColumns> = sqlx::query_as(
        "SELECT id, currency::text, customer_id, due_date, total, sent_at, voided_at,
                uncollectible_on
             FROM invoices WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let payments: Vec<(Uuid, DateTime<Utc>, i64)> = sqlx::query_as(
        "SELECT p.invoice_id, p.recorded_at, p.amount - p.amount_refunded
         FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE i.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut by_invoice: BTreeMap<Uuid, Vec<(DateTime<Utc>, i64)>> = BTreeMap::new();
    for (invoice_id, at, amount) in payments {
        by_invoice.entry(invoice_id).or_default().push((at, amount));
    }
    invoices
        .into_iter()
        .map(
            |(id, currency, customer_id, due_date, total, sent_at, voided_at, uncollectible_on)| {
                Row {
                    currency,
                    customer_id,
                    due_date,
                    total,
                    sent_at,
                    voided_at,
                    uncollectible_on,
                    payments: by_invoice.remove(&id).unwrap_or_default(),
                }
            },
        )
        .collect()
}

/// The bucket of `days` past due, as the report names it.
fn bucket(days: i64) -> &'static str {
    match days {
        ..=0 => "current",
        1..=30 => "days_1_30",
        31..=60 => "days_31_60",
        61..=90 => "days_61_90",
        _ => "over_90",
    }
}

/// What the report must say as of `as_of`, computed from the rows: open amount and invoice
/// count by (currency, customer or none for the currency's total, bucket or "total").
fn expected(rows: &[Row], as_of: NaiveDate) -> BTreeMap<(String, Option<Uuid>, &'static str), i64> {
    let end = (as_of + Days::new(1)).and_time(NaiveTime::MIN).and_utc();
    let mut figures = BTreeMap::new();
    for row in rows {
        if row.sent_at >= end
            || row.voided_at.is_some_and(|at| at < end)
            || row.uncollectible_on.is_some_and(|day| day <= as_of)
        {
            continue;
        }
        let settled: i64 = row
            .payments
            .iter()
            .filter(|(at, _)| *at < end)
            .map(|(_, amount)| amount)
            .sum();
        let open = row.total - settled;
        if open <= 0 {
            continue;
        }
        let name = bucket((as_of - row.due_date).num_days());
        for customer in [Some(row.customer_id), None] {
            for key in [name, "total"] {
                *figures
                    .entry((row.currency.clone(), customer, key))
                    .or_insert(0) += open;
            }
            *figures
                .entry((row.currency.clone(), customer, "invoice_count"))
                .or_insert(0) += 1;
        }
    }
    figures
}

/// The report's figures in the shape of [`expected`] (zeros left out).
fn reported(report: &Value) -> BTreeMap<(String, Option<Uuid>, &'static str), i64> {
    let keys = [
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90",
        "total",
        "invoice_count",
    ];
    let mut figures = BTreeMap::new();
    for currency in report["currencies"].as_array().unwrap() {
        let code = currency["currency"].as_str().unwrap().to_owned();
        let mut lines = vec![(None, &currency["totals"])];
        for line in currency["customers"].as_array().unwrap() {
            lines.push((
                Some(line["customer_id"].as_str().unwrap().parse().unwrap()),
                line,
            ));
        }
        for (customer, line) in lines {
            for key in keys {
                let value = line[key].as_i64().unwrap();
                if value != 0 {
                    figures.insert((code.clone(), customer, key), value);
                }
            }
        }
    }
    figures
}

/// A decimal the exports write (`1234.56`, yen `1234`), in minor units.
fn minor(text: &str) -> i64 {
    text.replace('.', "").parse().unwrap()
}

#[tokio::test]
async fn reports_over_a_generated_ledger_add_up() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    generate(&app, user.id).await;
    let rows = rows(&app, user.id).await;
    assert_eq!(rows.len(), INVOICES as usize);
    let today = crate::support::today();

    for as_of in [today, today - Days::new(100), today - Days::new(399)] {
        let report = app
            .get(&format!("/api/reports/aging?as_of={as_of}"), &user.token)
            .await
            .expect(StatusCode::OK)
            .body;
        let expected = expected(&rows, as_of);
        assert!(expected.len() > 20, "as of {as_of}: {expected:?}");
        assert_eq!(reported(&report), expected, "as of {as_of}");
    }

    // As of today, the open receivables are the dashboard's outstanding amounts.
    let report = app
        .get("/api/reports/aging", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let dashboard = app
        .get("/api/dashboard", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let outstanding: BTreeMap<String, i64> = dashboard["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["currency"].as_str().unwrap().to_owned(),
                c["outstanding"].as_i64().unwrap(),
            )
        })
        .collect();
    let totals: BTreeMap<String, i64> = report["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["currency"].as_str().unwrap().to_owned(),
                c["totals"]["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(totals, outstanding);

    // The tax report over the last 366 days: per currency, its net, tax and gross are the sums
    // over the invoices issued then and not voided; the invoice export lists each invoice.
    let from = today - Days::new(365);
    let range = format!("from={from}&to={today}");
    let sums: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT currency::text, sum(net_total)::int8, sum(tax_total)::int8, sum(total)::int8,
                count(*)
         FROM invoices
         WHERE user_id = $1 AND status <> 'void' AND issue_date BETWEEN $2 AND $3
         GROUP BY currency ORDER BY currency",
    )
    .bind(user.id)
    .bind(from)
    .bind(today)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let tax = csv_file(&app, &user, &format!("/api/exports/tax-report.csv?{range}")).await;
    let mut from_report: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for row in tax.rows() {
        let entry = from_report.entry(row["currency"].clone()).or_default();
        entry.0 += minor(&row["net"]);
        entry.1 += minor(&row["tax"]);
        entry.2 += minor(&row["gross"]);
        assert_eq!(
            minor(&row["net"]) + minor(&row["tax"]),
            minor(&row["gross"])
        );
    }
    let from_invoices: BTreeMap<String, (i64, i64, i64)> = sums
        .iter()
        .map(|(currency, net, tax, gross, _)| (currency.clone(), (*net, *tax, *gross)))
        .collect();
    assert_eq!(from_report, from_invoices);
    let invoices = csv_file(&app, &user, &format!("/api/exports/invoices.csv?{range}")).await;
    let listed = invoices.rows();
    let not_void = listed.iter().filter(|row| row["status"] != "void").count() as i64;
    assert_eq!(not_void, sums.iter().map(|s| s.4).sum::<i64>());
    let voided: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM invoices
         WHERE user_id = $1 AND status = 'void' AND issue_date BETWEEN $2 AND $3",
    )
    .bind(user.id)
    .bind(from)
    .bind(today)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(listed.len() as i64, not_void + voided);
}

/// The customer's statement of a period.
async fn statement(
    app: &TestApp,
    user: &crate::support::TestUser,
    customer: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> Value {
    app.get(
        &format!("/api/customers/{customer}/statement?from={from}&to={to}"),
        &user.token,
    )
    .await
    .expect(StatusCode::OK)
    .body
}

/// Per currency: (opening, closing) of a statement, each checked to add up.
fn balances(statement: &Value) -> BTreeMap<String, (i64, i64)> {
    let mut balances = BTreeMap::new();
    for sheet in statement["currencies"].as_array().unwrap() {
        let figure = |name: &str| sheet[name].as_i64().unwrap();
        let (opening, closing) = (figure("opening_balance"), figure("closing_balance"));
        assert_eq!(
            closing,
            opening + figure("invoiced") - figure("paid") - figure("written_off"),
            "{sheet:#}"
        );
        let mut balance = opening;
        for entry in sheet["entries"].as_array().unwrap() {
            balance += entry["amount"].as_i64().unwrap();
            assert_eq!(entry["balance"].as_i64().unwrap(), balance, "{entry:#}");
        }
        assert_eq!(balance, closing);
        balances.insert(
            sheet["currency"].as_str().unwrap().to_owned(),
            (opening, closing),
        );
    }
    balances
}

#[tokio::test]
async fn every_customers_statements_chain_add_up_and_end_at_what_they_owe() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    generate(&app, user.id).await;
    let today = crate::support::today();
    let customers: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM customers WHERE user_id = $1 ORDER BY id")
            .bind(user.id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(customers.len(), 7);
    // What each customer owes now, from the rows: what is neither void nor written off.
    let owed: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT customer_id, currency::text, sum(total - amount_paid)::int8
         FROM invoices
         WHERE user_id = $1 AND status NOT IN ('draft', 'void', 'uncollectible')
         GROUP BY customer_id, currency",
    )
    .bind(user.id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let written_off: i64 = sqlx::query_scalar("SELECT count(*) FROM write_offs WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(written_off > 500, "{written_off} write-offs");

    let split = today - Days::new(200);
    for customer in customers {
        let first =
            balances(&statement(&app, &user, customer, today - Days::new(420), split).await);
        let second = statement(&app, &user, customer, split + Days::new(1), today).await;
        let kinds: Vec<&str> = second["currencies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|sheet| sheet["entries"].as_array().unwrap())
            .map(|entry| entry["kind"].as_str().unwrap())
            .collect();
        for kind in ["invoice", "void", "payment", "refund", "write_off"] {
            assert!(kinds.contains(&kind), "no {kind} for {customer}");
        }
        let second = balances(&second);
        for (currency, (opening, _)) in &second {
            let before = first.get(currency).map_or(0, |(_, closing)| *closing);
            assert_eq!(*opening, before, "{customer} {currency}");
        }
        // A currency the second period leaves out was owed nothing at its start.
        for (currency, (_, closing)) in &first {
            if !second.contains_key(currency) {
                assert_eq!(*closing, 0, "{customer} {currency}");
            }
        }
        for (owing, currency, amount) in owed.iter().filter(|(owing, ..)| *owing == customer) {
            let closing = second.get(currency).map_or(0, |(_, closing)| *closing);
            assert_eq!(closing, *amount, "{owing} {currency}");
        }
    }
}
