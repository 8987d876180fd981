//! Scenario 7, Aging: the accountant's receivables aging, `GET /api/reports/aging` as of today
//! over the 100,000 invoices of [`books`], and the first page of its drill-down
//! (`GET /api/reports/aging/invoices`), against a plain `SELECT sum(total - amount_paid)` of
//! the same invoices' amounts due, run from here through sqlx. Rounds alternate and the best
//! of each counts. Target: the report ≤ 3 × the baseline's time.
//!
//! Before timing, the report's totals per currency must equal the amounts due of the account's
//! open invoices (as of today, written-off ones left out, they are the same figures) and the
//! drill-down's page must be full and in order: otherwise the scenario fails.
//!
//! Both queries run mostly in PostgreSQL's parallel workers, which exit with their query: the
//! CPU profile, read from `/proc` before and after, leaves them out and shows less PostgreSQL
//! than there was.

use super::{
    Bench,
    books::{Books, books},
};
use crate::{
    cpu::{Snapshot, Tally},
    report::{Row, Target, number},
};
use anyhow::{Context, bail};
use serde_json::Value;
use sqlx::PgPool;
use std::{collections::BTreeMap, future::Future, time::Instant};

/// Rounds of the three measurements, alternating.
const ROUNDS: usize = 10;
/// The drill-down's default page.
const PAGE: i64 = 20;

/// The baseline: what the open invoices owe, summed by PostgreSQL.
const AMOUNT_DUE: &str = "SELECT COALESCE(sum(total - amount_paid), 0)::int8 FROM invoices \
                          WHERE user_id = $1 AND status IN ('sent', 'overdue')";

pub async fn run(bench: &mut Bench) -> anyhow::Result<Vec<Row>> {
    let books = books(bench).await?;
    let (api, db, account) = (&bench.api, &bench.stack.db, &books.account);
    let summary = format!("/api/reports/aging?as_of={}", books.today);
    let first_page = format!("/api/reports/aging/invoices?as_of={}", books.today);

    // Once, untimed: the answers must be the books' (and every path is warm afterwards).
    let due = due_by_currency(db, &books).await?;
    let open: i64 = due.values().map(|(_, invoices)| invoices).sum();
    let report = api
        .get_json(&summary, account)
        .await
        .map_err(anyhow::Error::msg)?;
    let customer_lines = check_report(&report, &due)?;
    let page = api
        .get_json(&first_page, account)
        .await
        .map_err(anyhow::Error::msg)?;
    check_page(&page, open)?;
    sqlx::query_scalar::<_, i64>(AMOUNT_DUE)
        .bind(books.user_id)
        .fetch_one(db)
        .await?;

    let (mut baseline, mut aging, mut drill_down) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    let (mut aging_cpu, mut drill_down_cpu) = (Tally::default(), Tally::default());
    for _ in 0..ROUNDS {
        baseline = baseline.min(
            seconds(async {
                sqlx::query_scalar::<_, i64>(AMOUNT_DUE)
                    .bind(books.user_id)
                    .fetch_one(db)
                    .await?;
                Ok(())
            })
            .await?,
        );
        let cpu = Snapshot::take();
        aging = aging.min(seconds(get(bench, &books, &summary)).await?);
        aging_cpu.add(&cpu);
        let cpu = Snapshot::take();
        drill_down = drill_down.min(seconds(get(bench, &books, &first_page)).await?);
        drill_down_cpu.add(&cpu);
    }
    let baseline_what = format!(
        "SELECT sum(total - amount_paid) of the {} open invoices",
        number(open as f64)
    );
    Ok(vec![
        Row::new(
            "Aging",
            format!(
                "GET /api/reports/aging of {} invoices: {} currencies, {customer_lines} \
                 customer lines",
                number(books.invoices as f64),
                due.len()
            ),
            aging * 1000.0,
            "ms",
        )
        .cpu(aging_cpu.usage())
        .against(baseline_what.clone(), baseline * 1000.0, "ms")
        .target(Target::RatioAtMost(3.0)),
        Row::new(
            "Aging",
            format!("GET /api/reports/aging/invoices, the first page ({PAGE})"),
            drill_down * 1000.0,
            "ms",
        )
        .cpu(drill_down_cpu.usage())
        .against(baseline_what, baseline * 1000.0, "ms"),
    ])
}

/// How long `call` took, in seconds.
async fn seconds(call: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<f64> {
    let started = Instant::now();
    call.await?;
    Ok(started.elapsed().as_secs_f64())
}

async fn get(bench: &Bench, books: &Books, path: &str) -> anyhow::Result<()> {
    bench
        .api
        .get_json(path, &books.account)
        .await
        .map(drop)
        .map_err(anyhow::Error::msg)
}

/// Per currency: what the account's open invoices owe and how many they are.
async fn due_by_currency(
    db: &PgPool,
    books: &Books,
) -> anyhow::Result<BTreeMap<String, (i64, i64)>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT currency::text, sum(total - amount_paid)::int8, count(*) FROM invoices \
         WHERE user_id = $1 AND status IN ('sent', 'overdue') GROUP BY currency",
    )
    .bind(books.user_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(currency, due, invoices)| (currency, (due, invoices)))
        .collect())
}

/// The report's totals must be `due`'s; returns how many customer lines it has.
fn check_report(report: &Value, due: &BTreeMap<String, (i64, i64)>) -> anyhow::Result<usize> {
    let currencies = report["currencies"]
        .as_array()
        .with_context(|| format!("no currencies in the aging report: {report}"))?;
    let mut reported = BTreeMap::new();
    let mut customer_lines = 0;
    for currency in currencies {
        let code = currency["currency"].as_str().unwrap_or_default().to_owned();
        let totals = &currency["totals"];
        reported.insert(
            code,
            (
                totals["total"].as_i64().unwrap_or(-1),
                totals["invoice_count"].as_i64().unwrap_or(-1),
            ),
        );
        customer_lines += currency["customers"].as_array().map_or(0, Vec::len);
    }
    if &reported != due {
        bail!(
            "the aging report's totals (currency: (amount, invoices)) {reported:?} are not the \
             open invoices' amounts due {due:?}"
        );
    }
    Ok(customer_lines)
}

/// The drill-down's first page: full (or every open invoice), by due date.
fn check_page(page: &Value, open: i64) -> anyhow::Result<()> {
    let rows = page["data"]
        .as_array()
        .with_context(|| format!("no data in the drill-down's page: {page}"))?;
    let due_dates: Vec<&str> = rows
        .iter()
        .map(|row| row["due_date"].as_str().unwrap_or_default())
        .collect();
    if rows.len() as i64 != open.min(PAGE) || !due_dates.is_sorted() {
        bail!(
            "the drill-down's first page has {} invoices, due {due_dates:?}; expected {} by due \
             date",
            rows.len(),
            open.min(PAGE)
        );
    }
    Ok(())
}
