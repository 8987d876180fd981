//! The books the accountant's scenarios (Aging, Export) read: one account with 100,000 sent
//! invoices issued over the last 250 days, 400 a day, to 200 customers in four currencies
//! (EUR, USD, GBP, JPY), a quarter of them partly paid (a tenth of those payments partly
//! refunded), 2 % written off as uncollectible. Due 30 days after issue, so that as of today
//! they fall in every bucket of the aging.
//!
//! Seeded straight into PostgreSQL with set-based SQL (`generate_series`), in one transaction:
//! through the API, a hundred thousand sends would take hours. The rows are what the product
//! writes (numbered as sent, the buyer copied onto the invoice, one line and its tax breakdown,
//! payments adding up to the amount paid, the write-off's movement), and the migrations' checks
//! and deferred triggers hold them to it. Left out is what the reports do not read: timelines,
//! PDFs and Temporal workflows (no worker ever wakes for these invoices).
//!
//! `BENCH_ROWS_FACTOR` (default 1) scales the invoices per day, so a debug build can run both
//! scenarios in minutes: 0.05 seeds 20 a day, 5,000 in all.

use super::Bench;
use crate::{client::Account, report::number};
use anyhow::{Context, bail};
use chrono::{Days, NaiveDate, Utc};
use sqlx::{ConnectOptions, Connection, PgConnection};
use std::time::Instant;
use uuid::Uuid;

/// Invoices issued per day at `BENCH_ROWS_FACTOR=1`.
const PER_DAY: f64 = 400.0;
/// Days of issue dates: all within one export (366 days at most).
pub const DAYS: u32 = 250;
const CUSTOMERS: i32 = 200;
/// Days from issue to due date.
const TERMS_DAYS: i32 = 30;

/// The seeded account and where its invoices lie.
#[derive(Clone)]
pub struct Books {
    pub account: Account,
    pub user_id: Uuid,
    /// Every invoice seeded, all of them sent.
    pub invoices: i64,
    pub per_day: i64,
    /// The last issue date.
    pub today: NaiveDate,
    pub customers: i32,
}

impl Books {
    /// The invoices issued in the last `days` days, today included.
    pub fn issued_in_last(&self, days: u32) -> i64 {
        self.per_day * i64::from(days.min(DAYS))
    }

    /// The first of the last `days` days.
    pub fn days_back(&self, days: u32) -> NaiveDate {
        self.today - Days::new(u64::from(days.saturating_sub(1)))
    }
}

/// `BENCH_ROWS_FACTOR`: the share of the full sizes to seed (default 1).
fn rows_factor() -> anyhow::Result<f64> {
    match std::env::var("BENCH_ROWS_FACTOR") {
        Err(_) => Ok(1.0),
        Ok(raw) => match raw.trim().parse::<f64>() {
            Ok(factor) if factor > 0.0 && factor.is_finite() => Ok(factor),
            _ => bail!("BENCH_ROWS_FACTOR must be a number above 0, like 0.05 (not '{raw}')"),
        },
    }
}

/// The books, seeded on first use in this run (Aging and Export read the same ones).
pub async fn books(bench: &mut Bench) -> anyhow::Result<Books> {
    if let Some(books) = &bench.books {
        return Ok(books.clone());
    }
    let per_day = ((PER_DAY * rows_factor()?).round() as i64).max(1);
    let account = bench.api.register().await?;
    let started = Instant::now();
    let books = seed(bench, account, per_day).await?;
    eprintln!(
        "[books] seeded {} invoices ({} a day over {DAYS} days, {} customers) in {:.1} s",
        number(books.invoices as f64),
        books.per_day,
        books.customers,
        started.elapsed().as_secs_f64()
    );
    bench.books = Some(books.clone());
    Ok(books)
}

async fn seed(bench: &Bench, account: Account, per_day: i64) -> anyhow::Result<Books> {
    let db = &bench.stack.db;
    let user_id: Uuid = sqlx::query_scalar("SELECT user_id FROM customers WHERE id = $1::uuid")
        .bind(&account.customer_id)
        .fetch_one(db)
        .await
        .context("the account of the registered customer")?;
    let today = Utc::now().date_naive();
    let first_day = today - Days::new(u64::from(DAYS - 1));
    let invoices = per_day * i64::from(DAYS);
    let tax_rate: Uuid = account.tax_rate_ids[0]
        .parse()
        .context("the 19 % tax rate's id")?;

    // A connection of its own, without sqlx's warnings of slow statements: these are slow by
    // design.
    let options = (*db.connect_options()).clone().disable_statement_logging();
    let mut connection = PgConnection::connect_with(&options).await?;
    let mut tx = connection.begin().await?;
    // Customers: ids derived from the account and their number, so the plan below names them
    // without a join. Every tenth has a name a CSV must quote; every third a legal name.
    sqlx::query(
        r#"
        INSERT INTO customers (id, user_id, display_name, legal_name, emails, address_lines,
                               postal_code, city, country, tax_id_kind, tax_id, currency)
        SELECT md5($1::text || '/customer/' || k)::uuid, $1,
               CASE WHEN k % 10 = 0 THEN format('Müller, Schmidt & "Partner" %s', k)
                    ELSE format('Customer %s', lpad(k::text, 3, '0')) END,
               CASE WHEN k % 3 = 0 THEN format('Customer %s GmbH', lpad(k::text, 3, '0')) END,
               ARRAY[format('ap-%s@customer.example', k)],
               ARRAY[format('Hauptstraße %s', k)], '10115', 'Berlin', 'DE',
               'eu_vat', 'DE' || lpad(k::text, 9, '0'),
               (ARRAY['EUR', 'USD', 'GBP', 'JPY'])[k % 4 + 1]
        FROM generate_series(1, $2) AS k
        "#,
    )
    .bind(user_id)
    .bind(CUSTOMERS)
    .execute(&mut *tx)
    .await
    .context("seeding the customers")?;

    // The plan: each invoice's day, customer and amounts, read by every insert below. Invoice
    // n (from 0) is number n + 1, issued on day n / per_day; net 10.00 to 9,999.99 with 19 %
    // tax; every 4th partly paid (40 %), every 40th's payment half refunded; every 50th
    // written off 60 days after its due date (or today, if sooner).
    sqlx::query(
        r#"
        CREATE TEMP TABLE seed ON COMMIT DROP AS
        SELECT n, md5($1::text || '/invoice/' || n)::uuid AS id,
               md5($1::text || '/customer/' || (n % $4 + 1))::uuid AS customer_id,
               d.issue_date, d.issue_date + $5 AS due_date,
               a.net, a.tax, a.net + a.tax AS total, p.paid, p.refunded,
               n % 50 = 7 AS written_off,
               -- Sent in the morning of its issue date, paid ten days later: never in the future.
               least((d.issue_date + time '09:00') AT TIME ZONE 'UTC', now()) AS sent_at,
               least((d.issue_date + time '09:00') AT TIME ZONE 'UTC' + interval '10 days',
                     now()) AS payment_at
        FROM generate_series(0, $3::int8 * $6 - 1) AS n,
        LATERAL (SELECT $2::date + (n / $3)::int AS issue_date) d,
        LATERAL (
            SELECT net, (net * 19 + 50) / 100 AS tax
            FROM (SELECT 1000 + (n * 7919) % 999000 AS net) x
        ) a,
        LATERAL (
            SELECT paid, CASE WHEN n % 40 = 1 THEN paid / 2 ELSE 0 END AS refunded
            FROM (SELECT CASE WHEN n % 4 = 1 THEN (a.net + a.tax) * 2 / 5 ELSE 0 END AS paid) y
        ) p
        "#,
    )
    .bind(user_id)
    .bind(first_day)
    .bind(per_day)
    .bind(CUSTOMERS)
    .bind(TERMS_DAYS)
    .bind(i64::from(DAYS))
    .execute(&mut *tx)
    .await
    .context("planning the invoices")?;

    sqlx::query(
        r#"
        INSERT INTO invoices (id, user_id, customer_id, status, number, number_text,
                              client_name, client_email, currency, issue_date, due_date,
                              subtotal, net_total, tax_total, total, amount_paid, version,
                              sent_at, reminder_days, buyer, uncollectible_on,
                              uncollectible_reason, created_at, updated_at)
        SELECT s.id, $1, s.customer_id,
               CASE WHEN s.written_off THEN 'uncollectible'
                    WHEN s.due_date < $2 THEN 'overdue' ELSE 'sent' END,
               s.n + 1, 'INV-' || lpad((s.n + 1)::text, 6, '0'),
               c.display_name, c.emails[1], c.currency, s.issue_date, s.due_date,
               s.net, s.net, s.tax, s.total, s.paid - s.refunded,
               2 + (s.paid > 0)::int + (s.refunded > 0)::int + s.written_off::int,
               s.sent_at, '{-3,0,1,7,14}',
               to_jsonb(c) - 'user_id' - 'created_at' - 'updated_at',
               CASE WHEN s.written_off THEN least(s.due_date + 60, $2) END,
               CASE WHEN s.written_off THEN 'Customer insolvent' END,
               s.sent_at - interval '1 hour', s.sent_at
        FROM seed s
        JOIN customers c ON c.id = s.customer_id
        "#,
    )
    .bind(user_id)
    .bind(today)
    .execute(&mut *tx)
    .await
    .context("seeding the invoices")?;

    sqlx::query(
        r#"
        INSERT INTO invoice_items (invoice_id, position, description, quantity, unit, unit_price,
                                   amount, tax_rate_id, tax_category, tax_percent)
        SELECT id, 0, 'Consulting', 1, 'C62', net, net, $1, 'S', 19 FROM seed
        "#,
    )
    .bind(tax_rate)
    .execute(&mut *tx)
    .await
    .context("seeding the invoice lines")?;

    sqlx::query(
        r#"
        INSERT INTO invoice_tax_subtotals (invoice_id, position, category, percent, base, tax)
        SELECT id, 0, 'S', 19, net, tax FROM seed
        "#,
    )
    .execute(&mut *tx)
    .await
    .context("seeding the tax breakdowns")?;

    sqlx::query(
        r#"
        INSERT INTO payments (id, invoice_id, amount, amount_refunded, currency, method,
                              reference, recorded_at, created_at)
        SELECT md5(s.id::text || '/payment')::uuid, s.id, s.paid, s.refunded, i.currency,
               'bank_transfer', 'RF' || lpad((s.n + 1)::text, 8, '0'), s.payment_at, s.payment_at
        FROM seed s
        JOIN invoices i ON i.id = s.id
        WHERE s.paid > 0
        "#,
    )
    .execute(&mut *tx)
    .await
    .context("seeding the payments")?;

    // The write-off's movement, numbered as its timeline entry would be: created, sent, the
    // payment and its refund if any, then the write-off.
    sqlx::query(
        r#"
        INSERT INTO write_offs (invoice_id, event_seq, user_id, currency, amount, occurred_on,
                                reason)
        SELECT i.id, 2 + (s.paid > 0)::int + (s.refunded > 0)::int, $1, i.currency,
               i.total - i.amount_paid, i.uncollectible_on, i.uncollectible_reason
        FROM seed s
        JOIN invoices i ON i.id = s.id
        WHERE s.written_off
        "#,
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await
    .context("seeding the write-offs")?;

    sqlx::query("UPDATE users SET last_invoice_number = $2 WHERE id = $1")
        .bind(user_id)
        .bind(invoices)
        .execute(&mut *tx)
        .await?;
    // The deferred checks (amount paid = payments) run here, on every row.
    tx.commit().await.context("committing the seeded books")?;
    // Statistics as a live database would have them, not those of the tables before the seed.
    sqlx::query("ANALYZE customers, invoices, invoice_items, payments, write_offs")
        .execute(&mut connection)
        .await?;
    connection.close().await?;

    Ok(Books {
        account,
        user_id,
        invoices,
        per_day,
        today,
        customers: CUSTOMERS,
    })
}
