//! The reports over a generated ledger: 10,000 invoices written straight into PostgreSQL
//! (sent, paid, partly paid and refunded, voided, written off, credited in part or in full with
//! the excess refunded or kept as the customer's credit; three currencies, two VAT rates, seven
//! customers, issue dates over more than a year). The aging buckets must add up to the open
//! receivables, computed here independently from the rows, as of today and as of past days;
//! the tax report's totals must equal the sums over the invoices and over the credit notes,
//! each kind on lines of its own; every customer's statements must chain (one period's closing
//! balance is the next one's opening), add up (closing = opening + invoiced − paid (net of
//! refunds) − credited − written off) and end at what they owe net of their credit balance.

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
///
/// Credit notes, by `n % 20`, each dated some days after its invoice's issue date (and after
/// its payment), and never after today:
/// - 5: a quarter of the 19 % part of an unpaid invoice, which stays open;
/// - 6: all of an unpaid invoice (`credited`);
/// - 1: a quarter of the 19 % part of a paid invoice, the excess (all of it) to the
///   customer's credit balance (the invoice stays `paid`);
/// - 2: all of a paid invoice, the excess refunded on its payment (`credited`);
/// - 12: a third of the 19 % part of a paid invoice, then the rest, both refunded
///   (`credited`, two notes);
/// - 13: all of a partly paid and refunded invoice, the excess (what was paid) to the credit
///   balance (`credited`);
/// - 14: the 7 % part of an unpaid invoice, before it is written off (if it is: the write-off
///   is what the note left due).
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
                0::int8 AS total, 0::int8 AS paid, 0::int8 AS refunded, 'sent' AS status,
                0::int8 AS credited, 0::int8 AS to_balance, 0::int8 AS note_refunded
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

         -- The credit notes: what each takes of the 19 % and 7 % parts, after how many days,
         -- and where its excess goes.
         CREATE TEMP TABLE notes ON COMMIT DROP AS
         SELECT gen_random_uuid() AS id, l.id AS invoice_id, l.n, c.k, l.customer_id,
                l.currency, LEAST(l.issue_date + c.days, (now() AT TIME ZONE 'UTC')::date)
                    AS issue_date,
                c.net19, c.tax19, c.net7, c.tax7, c.net19 + c.net7 AS net,
                c.tax19 + c.tax7 AS tax, c.net19 + c.tax19 + c.net7 + c.tax7 AS gross,
                c.goes_to, 0::int8 AS excess
         FROM ledger l
         CROSS JOIN LATERAL (
             SELECT 0 AS k, 10 AS days, l.base19 / 4 AS net19,
                    round(l.base19 / 4 * 0.19)::int8 AS tax19, 0::int8 AS net7, 0::int8 AS tax7,
                    NULL::text AS goes_to
             WHERE l.n % 20 = 5
             UNION ALL
             SELECT 0, 15, l.base19, l.tax19, l.base7, l.tax7, NULL WHERE l.n % 20 = 6
             UNION ALL
             SELECT 0, 10, l.base19 / 4, round(l.base19 / 4 * 0.19)::int8, 0, 0,
                    'credit_balance'
             WHERE l.n % 20 = 1
             UNION ALL
             SELECT 0, 20, l.base19, l.tax19, l.base7, l.tax7, 'refund' WHERE l.n % 20 = 2
             UNION ALL
             SELECT 0, 5, l.base19 / 3, round(l.base19 / 3 * 0.19)::int8, 0, 0, 'refund'
             WHERE l.n % 20 = 12
             UNION ALL
             SELECT 1, 25, l.base19 - l.base19 / 3, l.tax19 - round(l.base19 / 3 * 0.19)::int8,
                    l.base7, l.tax7, 'refund'
             WHERE l.n % 20 = 12
             UNION ALL
             SELECT 0, 30, l.base19, l.tax19, l.base7, l.tax7, 'credit_balance'
             WHERE l.n % 20 = 13
             UNION ALL
             SELECT 0, 30, 0, 0, l.base7, l.tax7, NULL WHERE l.n % 20 = 14
         ) c;

         -- A note's excess is what it takes beyond what was due before it: the total less what
         -- was paid and what the earlier notes took, never below zero.
         UPDATE notes SET excess = GREATEST(notes.gross - GREATEST(
                 l.total - (l.paid - l.refunded)
                     - COALESCE((SELECT sum(e.gross) FROM notes e
                                 WHERE e.invoice_id = notes.invoice_id AND e.k < notes.k), 0),
                 0), 0)
         FROM ledger l WHERE l.id = notes.invoice_id;
         UPDATE notes SET goes_to = NULL WHERE excess = 0;

         UPDATE ledger SET
             credited = s.gross,
             to_balance = s.to_balance,
             note_refunded = s.refunded,
             status = CASE WHEN s.gross = ledger.total THEN 'credited' ELSE ledger.status END
         FROM (
             SELECT invoice_id, sum(gross)::int8 AS gross,
                    COALESCE(sum(excess) FILTER (WHERE goes_to = 'credit_balance'), 0)::int8
                        AS to_balance,
                    COALESCE(sum(excess) FILTER (WHERE goes_to = 'refund'), 0)::int8 AS refunded
             FROM notes GROUP BY invoice_id
         ) s
         WHERE s.invoice_id = ledger.id;

         INSERT INTO invoices (id, user_id, status, customer_id, number, number_text, client_name,
                               client_email, currency, issue_date, due_date, subtotal, net_total,
                               tax_total, total, amount_paid, amount_credited, amount_to_balance,
                               sent_at, paid_at, voided_at, buyer, uncollectible_on,
                               uncollectible_reason)
         SELECT l.id, '{user_id}', l.status, l.customer_id, l.n, 'GEN-' || l.n, c.display_name,
                c.emails[1], l.currency, l.issue_date, l.due_date, l.base19 + l.base7,
                l.base19 + l.base7, l.tax19 + l.tax7, l.total,
                l.paid - l.refunded - l.note_refunded, l.credited, l.to_balance, l.sent_at,
                CASE WHEN l.n % 10 IN (1, 2) THEN LEAST(l.sent_at + interval '2 days', now()) END,
                CASE WHEN l.status = 'void' THEN LEAST(l.sent_at + interval '1 day', now()) END,
                jsonb_build_object('display_name', c.display_name, 'emails', c.emails),
                CASE WHEN l.status = 'uncollectible' THEN l.issue_date + 90 END,
                CASE WHEN l.status = 'uncollectible' THEN 'Insolvent' END
         FROM ledger l JOIN customers c ON c.id = l.customer_id;

         INSERT INTO write_offs (invoice_id, event_seq, user_id, currency, amount, occurred_on,
                                 reason)
         SELECT id, 2, '{user_id}', currency,
                total - (paid - refunded - note_refunded) - credited + to_balance,
                issue_date + 90, 'Insolvent'
         FROM ledger WHERE status = 'uncollectible';

         INSERT INTO invoice_tax_subtotals (invoice_id, position, category, percent, base, tax)
         SELECT id, 0, 'S', 19, base19, tax19 FROM ledger
         UNION ALL
         SELECT id, 1, 'S', 7, base7, tax7 FROM ledger;

         INSERT INTO credit_notes (id, invoice_id, user_id, customer_id, event_seq, number,
                                   number_text, issue_date, reason, scope, content, currency,
                                   net_total, tax_total, gross_total, excess, excess_to,
                                   issued_at)
         SELECT id, invoice_id, '{user_id}', customer_id, 10 + k, number, 'GCN-' || number,
                issue_date, 'Returned ' || n, '{{}}', '{{}}', currency, net, tax, gross, excess,
                goes_to, LEAST(issue_date::timestamp AT TIME ZONE 'UTC' + interval '12 hours', now())
         FROM (SELECT *, row_number() OVER (ORDER BY issue_date, n, k) AS number FROM notes) numbered;

         INSERT INTO credit_note_tax_subtotals (credit_note_id, position, category, percent,
                                                taxable_amount, tax_amount)
         SELECT id, 0, 'S', 19, net19, tax19 FROM notes WHERE net19 > 0
         UNION ALL
         SELECT id, 1, 'S', 7, net7, tax7 FROM notes WHERE net7 > 0;

         INSERT INTO payments (id, invoice_id, amount, currency, method, amount_refunded,
                               recorded_at)
         SELECT gen_random_uuid(), id, paid, currency, 'bank_transfer',
                refunded + note_refunded, LEAST(sent_at + interval '2 days', now())
         FROM ledger WHERE paid > 0;

         INSERT INTO credit_note_refunds (credit_note_id, payment_id, amount)
         SELECT n.id, p.id, n.excess
         FROM notes n JOIN payments p ON p.invoice_id = n.invoice_id
         WHERE n.goes_to = 'refund';

         INSERT INTO customer_credits (id, user_id, customer_id, invoice_id, event_seq, currency,
                                       amount, credit_note_id, occurred_on)
         SELECT id, '{user_id}', customer_id, invoice_id, 10 + k, currency, excess, id, issue_date
         FROM notes WHERE goes_to = 'credit_balance';"
    );
    let mut tx = app.db.pool.begin().await.unwrap();
    sqlx::raw_sql(&script).execute(&mut *tx).await.unwrap();
    tx.commit().await.expect("the generated ledger adds up");
}

/// An invoice as the test reads it back, to compute the receivables itself.
struct Row {
    id: Uuid,
    currency: String,
    customer_id: Uuid,
    due_date: NaiveDate,
    total: i64,
    sent_at: DateTime<Utc>,
    voided_at: Option<DateTime<Utc>>,
    /// The day it was written off, if it was.
    uncollectible_on: Option<NaiveDate>,
    /// `(recorded_at, amount - amount_refunded)` of its payments, the refunds of credit notes
    /// left out (they are dated by their note).
    payments: Vec<(DateTime<Utc>, i64)>,
    /// `(issue_date, what it lowered the amount due by)` of its credit notes: the gross total
    /// less what the note refunded and what it moved to the customer's credit balance.
    credit_notes: Vec<(NaiveDate, i64)>,
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
        "SELECT p.invoice_id, p.recorded_at,
                p.amount - p.amount_refunded
                    + COALESCE((SELECT sum(r.amount) FROM credit_note_refunds r
                                WHERE r.payment_id = p.id), 0)::int8
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
    let notes: Vec<(Uuid, NaiveDate, i64)> = sqlx::query_as(
        "SELECT n.invoice_id, n.issue_date,
                n.gross_total
                    - COALESCE((SELECT sum(r.amount) FROM credit_note_refunds r
                                WHERE r.credit_note_id = n.id), 0)::int8
                    - COALESCE((SELECT c.amount FROM customer_credits c
                                WHERE c.credit_note_id = n.id), 0)
         FROM credit_notes n WHERE n.user_id = $1",
    )
    .bind(user_id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let mut notes_by_invoice: BTreeMap<Uuid, Vec<(NaiveDate, i64)>> = BTreeMap::new();
    for (invoice_id, day, amount) in notes {
        notes_by_invoice
            .entry(invoice_id)
            .or_default()
            .push((day, amount));
    }
    invoices
        .into_iter()
        .map(
            |(id, currency, customer_id, due_date, total, sent_at, voided_at, uncollectible_on)| {
                Row {
                    id,
                    currency,
                    customer_id,
                    due_date,
                    total,
                    sent_at,
                    voided_at,
                    uncollectible_on,
                    payments: by_invoice.remove(&id).unwrap_or_default(),
                    credit_notes: notes_by_invoice.remove(&id).unwrap_or_default(),
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

/// What of `row` was open at the end of `as_of`, computed from its rows: `None` when it was
/// not a receivable then or nothing of it was open.
fn open_amount(row: &Row, as_of: NaiveDate) -> Option<i64> {
    let end = (as_of + Days::new(1)).and_time(NaiveTime::MIN).and_utc();
    if row.sent_at >= end
        || row.voided_at.is_some_and(|at| at < end)
        || row.uncollectible_on.is_some_and(|day| day <= as_of)
    {
        return None;
    }
    let paid: i64 = row
        .payments
        .iter()
        .filter(|(at, _)| *at < end)
        .map(|(_, amount)| amount)
        .sum();
    let credited: i64 = row
        .credit_notes
        .iter()
        .filter(|(day, _)| *day <= as_of)
        .map(|(_, amount)| amount)
        .sum();
    let open = row.total - paid - credited;
    (open > 0).then_some(open)
}

/// What the report must say as of `as_of`, computed from the rows: open amount and invoice
/// count by (currency, customer or none for the currency's total, bucket or "total").
fn expected(rows: &[Row], as_of: NaiveDate) -> BTreeMap<(String, Option<Uuid>, &'static str), i64> {
    let mut figures = BTreeMap::new();
    for row in rows {
        let Some(open) = open_amount(row, as_of) else {
            continue;
        };
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

/// Every invoice the aging drill-down lists as open at the end of `as_of` in `currency` for
/// `customer`, with its open amount, a page of 100 at a time.
async fn drill_down(
    app: &TestApp,
    user: &crate::support::TestUser,
    as_of: NaiveDate,
    currency: &str,
    customer: Uuid,
) -> BTreeMap<Uuid, i64> {
    let path = format!(
        "/api/reports/aging/invoices?as_of={as_of}&currency={currency}&customer_id={customer}"
    );
    let mut open = BTreeMap::new();
    for invoice in app.all_pages(user, &path, 100).await {
        let id = invoice["id"].as_str().unwrap().parse().unwrap();
        assert!(
            open.insert(id, invoice["open_amount"].as_i64().unwrap())
                .is_none()
        );
    }
    open
}

/// Per `(document_type, currency)`: the sums of a tax report's `net`, `tax` and `gross`.
type TaxSums = BTreeMap<(String, String), (i64, i64, i64)>;

#[tokio::test]
async fn reports_over_a_generated_ledger_add_up() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    generate(&app, user.id).await;
    let rows = rows(&app, user.id).await;
    assert_eq!(rows.len(), INVOICES as usize);
    let today = crate::support::today();
    let kinds: Vec<(String, i64)> = sqlx::query_as(
        "SELECT CASE WHEN excess = 0 THEN 'none' ELSE excess_to END, count(*)
         FROM credit_notes WHERE user_id = $1 GROUP BY 1 ORDER BY 1",
    )
    .bind(user.id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let kinds: Vec<&str> = kinds.iter().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds, ["credit_balance", "none", "refund"]);

    // Past days fall between invoices, their payments and their credit notes: a note issued
    // after the day has not lowered the invoice yet, nor given back its excess.
    for as_of in [
        today,
        today - Days::new(4),
        today - Days::new(15),
        today - Days::new(100),
        today - Days::new(399),
    ] {
        let report = app
            .get(&format!("/api/reports/aging?as_of={as_of}"), &user.token)
            .await
            .expect(StatusCode::OK)
            .body;
        let expected = expected(&rows, as_of);
        assert!(expected.len() > 20, "as of {as_of}: {expected:?}");
        assert_eq!(reported(&report), expected, "as of {as_of}");
    }

    // The drill-down lists the same open amounts, invoice by invoice, and adds up to the
    // report's figure for each customer.
    let as_of = today - Days::new(15);
    let report = app
        .get(&format!("/api/reports/aging?as_of={as_of}"), &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let eur = report["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|currency| currency["currency"] == "EUR")
        .unwrap();
    let customers = eur["customers"].as_array().unwrap();
    assert_eq!(customers.len(), 7);
    for line in customers {
        let customer: Uuid = line["customer_id"].as_str().unwrap().parse().unwrap();
        let listed = drill_down(&app, &user, as_of, "EUR", customer).await;
        let expected: BTreeMap<Uuid, i64> = rows
            .iter()
            .filter(|row| row.currency == "EUR" && row.customer_id == customer)
            .filter_map(|row| Some((row.id, open_amount(row, as_of)?)))
            .collect();
        assert_eq!(listed, expected, "{customer}");
        assert_eq!(
            listed.values().sum::<i64>(),
            line["total"].as_i64().unwrap(),
            "{customer}"
        );
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
    // ... and the sums of the invoices' amounts due.
    let due: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency::text, sum(amount_due)::int8 FROM invoices
         WHERE user_id = $1 AND status IN ('sent', 'overdue') GROUP BY currency ORDER BY currency",
    )
    .bind(user.id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(totals, due.into_iter().collect::<BTreeMap<_, _>>());

    // The tax report over the last 366 days: per kind of document and currency, its net, tax
    // and gross are the sums over the invoices issued then and not voided, and over the credit
    // notes issued then (negative); the invoice and credit-note exports list each document.
    let from = today - Days::new(365);
    let range = format!("from={from}&to={today}");
    let sums: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT 'invoice', currency::text, sum(net_total)::int8, sum(tax_total)::int8,
                sum(total)::int8, count(*)
         FROM invoices
         WHERE user_id = $1 AND status <> 'void' AND issue_date BETWEEN $2 AND $3
         GROUP BY currency
         UNION ALL
         SELECT 'credit_note', currency::text, -sum(net_total)::int8, -sum(tax_total)::int8,
                -sum(gross_total)::int8, count(*)
         FROM credit_notes
         WHERE user_id = $1 AND issue_date BETWEEN $2 AND $3
         GROUP BY currency",
    )
    .bind(user.id)
    .bind(from)
    .bind(today)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let tax = csv_file(&app, &user, &format!("/api/exports/tax-report.csv?{range}")).await;
    let mut from_report = TaxSums::new();
    for row in tax.rows() {
        let entry = from_report
            .entry((row["document_type"].clone(), row["currency"].clone()))
            .or_default();
        entry.0 += minor(&row["net"]);
        entry.1 += minor(&row["tax"]);
        entry.2 += minor(&row["gross"]);
        assert_eq!(
            minor(&row["net"]) + minor(&row["tax"]),
            minor(&row["gross"])
        );
    }
    let from_documents: TaxSums = sums
        .iter()
        .map(|(kind, currency, net, tax, gross, _)| {
            ((kind.clone(), currency.clone()), (*net, *tax, *gross))
        })
        .collect();
    assert_eq!(from_report, from_documents);
    assert_eq!(from_documents.len(), 6, "both kinds in every currency");
    for ((kind, _), (net, _, _)) in &from_documents {
        assert_eq!(*net < 0, kind == "credit_note", "{kind}");
    }
    let invoices = csv_file(&app, &user, &format!("/api/exports/invoices.csv?{range}")).await;
    let listed = invoices.rows();
    let count = |kind: &str| {
        sums.iter()
            .filter(|s| s.0 == kind)
            .map(|s| s.5)
            .sum::<i64>()
    };
    let not_void = listed.iter().filter(|row| row["status"] != "void").count() as i64;
    assert_eq!(not_void, count("invoice"));
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
    // Each invoice's amount due is what its payments and credit notes left of it.
    for row in &listed {
        assert_eq!(
            minor(&row["amount_due"]),
            minor(&row["gross"]) - minor(&row["amount_paid"]) - minor(&row["amount_credited"])
                + minor(&row["amount_to_balance"]),
            "{row:?}"
        );
    }
    assert!(listed.iter().any(|row| row["status"] == "credited"));
    assert!(
        listed
            .iter()
            .any(|row| row["status"] == "paid" && minor(&row["amount_to_balance"]) > 0)
    );
    let notes = csv_file(
        &app,
        &user,
        &format!("/api/exports/credit-notes.csv?{range}"),
    )
    .await;
    let notes = notes.rows();
    assert_eq!(notes.len() as i64, count("credit_note"));
    let mut gross: BTreeMap<String, i64> = BTreeMap::new();
    for note in &notes {
        *gross.entry(note["currency"].clone()).or_default() += minor(&note["gross"]);
        assert_eq!(
            minor(&note["net"]) + minor(&note["tax"]),
            minor(&note["gross"])
        );
        assert_eq!(note["excess_to"].is_empty(), minor(&note["excess"]) == 0);
    }
    let expected_gross: BTreeMap<String, i64> = sums
        .iter()
        .filter(|s| s.0 == "credit_note")
        .map(|s| (s.1.clone(), -s.4))
        .collect();
    assert_eq!(gross, expected_gross);
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
        // `paid` is net of refunds, those of credit notes included.
        assert_eq!(
            closing,
            opening + figure("invoiced")
                - figure("paid")
                - figure("credited")
                - figure("written_off"),
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
    // What each customer owes now, from the rows: the amounts due of what is neither void nor
    // written off, less their credit balance.
    let owed: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT customer_id, currency, sum(amount)::int8
         FROM (
             SELECT customer_id, currency::text, amount_due AS amount
             FROM invoices
             WHERE user_id = $1 AND status NOT IN ('draft', 'void', 'uncollectible')
             UNION ALL
             SELECT customer_id, currency::text, -amount FROM customer_credits WHERE user_id = $1
         ) owed
         GROUP BY customer_id, currency",
    )
    .bind(user.id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let credit: Vec<(Uuid, String, i64)> = sqlx::query_as(
        "SELECT customer_id, currency::text, sum(amount)::int8
         FROM customer_credits WHERE user_id = $1 GROUP BY customer_id, currency",
    )
    .bind(user.id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(credit.len() >= 7 * 3, "{credit:?}");
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
        let entries: Vec<&Value> = second["currencies"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|sheet| sheet["entries"].as_array().unwrap())
            .collect();
        let kinds: Vec<&str> = entries
            .iter()
            .map(|entry| entry["kind"].as_str().unwrap())
            .collect();
        for kind in [
            "invoice",
            "void",
            "payment",
            "credit_note",
            "refund",
            "write_off",
        ] {
            assert!(kinds.contains(&kind), "no {kind} for {customer}");
        }
        // Refunds dated as their payment and refunds of credit notes, with the note's number.
        for by_note in [false, true] {
            assert!(
                entries.iter().any(|entry| entry["kind"] == "refund"
                    && entry["credit_note_id"].is_string() == by_note),
                "{customer}: refunds by a credit note: {by_note}"
            );
        }
        for entry in &entries {
            let prefix = if entry["credit_note_id"].is_string() {
                "GCN-"
            } else {
                "GEN-"
            };
            assert!(
                entry["number"].as_str().unwrap().starts_with(prefix),
                "{entry:#}"
            );
        }
        for sheet in second["currencies"].as_array().unwrap() {
            let currency = sheet["currency"].as_str().unwrap();
            let holds = credit
                .iter()
                .find(|(holder, code, _)| *holder == customer && code == currency)
                .map_or(0, |(_, _, amount)| *amount);
            assert_eq!(
                sheet["credit_balance"].as_i64().unwrap(),
                holds,
                "{customer} {currency}"
            );
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
        for (currency, (_, closing)) in &second {
            let owes = owed
                .iter()
                .find(|(owing, code, _)| *owing == customer && code == currency)
                .map_or(0, |(_, _, amount)| *amount);
            assert_eq!(*closing, owes, "{customer} {currency}");
        }
    }
}
