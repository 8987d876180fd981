//! Scenario 5a, Scale of open invoices: 10,000 sent invoices asleep on their timers (falling
//! overdue in 30 days, reminders before and after). The worker's resident memory at 1,000 and at
//! 10,000 open invoices; target ratio ≤ 1.5: memory is bounded by the workflow cache
//! (`APP_WORKER__MAX_CACHED_WORKFLOWS`), not by the number of invoices.

use super::{Bench, sends_settled};
use crate::{
    client::Account,
    cpu::Snapshot,
    load::{Measured, drive},
    report::{Row, Target},
    stack::rss_mib,
};
use sqlx::PgPool;
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};
use uuid::Uuid;

const FIRST: usize = 1_000;
const ALL: usize = 10_000;
const CONCURRENCY: usize = 32;

/// Creates and sends `count` one-line invoices; returns them and the calls' measurement.
async fn send(
    bench: &Bench,
    account: &Account,
    count: usize,
) -> anyhow::Result<(Vec<Uuid>, Measured)> {
    let ids = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let (api, account, recorded) = (bench.api.clone(), account.clone(), ids.clone());
    let measured = drive(count, CONCURRENCY, move |_| {
        let (api, account, recorded) = (api.clone(), account.clone(), recorded.clone());
        async move {
            let id = api.sent_invoice(&account, 1).await?;
            recorded.lock().expect("the ids").push(id);
            Ok(())
        }
    })
    .await;
    if let Some(error) = &measured.first_error {
        anyhow::bail!("{} of {count} invoices failed: {error}", measured.errors);
    }
    let ids = ids.lock().expect("the ids").clone();
    // Quiet: every invoice e-mailed and nothing more happening, so only timers are left.
    sends_settled(bench, &ids, Duration::from_secs(900)).await?;
    Ok((ids, measured))
}

pub async fn run(bench: &mut Bench) -> anyhow::Result<Vec<Row>> {
    // A fresh worker: its cache holds only what this scenario wakes.
    bench.stack.restart_worker().await?;
    let account = bench.api.register().await?;
    let start_rss = bench.stack.worker_rss_mib()?;

    let (_, first) = send(bench, &account, FIRST).await?;
    let at_first = bench.stack.worker_rss_mib()?;
    let cpu = Snapshot::take();
    let curve = Arc::new(Mutex::new(vec![(FIRST as i64, at_first)]));
    let sampler = tokio::spawn(sample_memory(
        bench.stack.worker_pid(),
        bench.stack.db.clone(),
        sent_so_far(&bench.stack.db).await? - FIRST as i64,
        curve.clone(),
    ));
    let rest = send(bench, &account, ALL - FIRST).await;
    sampler.abort();
    let (_, rest) = rest?;
    let cpu = cpu.usage();
    let at_all = bench.stack.worker_rss_mib()?;
    let curve = curve.lock().expect("the curve").clone();
    eprintln!(
        "[Scale] the worker's memory as invoices opened: {}, {ALL}: {at_all:.0} MiB",
        curve
            .iter()
            .map(|(open, mib)| format!("{open}: {mib:.0} MiB"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    Ok(vec![
        Row::load(
            "Scale",
            format!("invoices created and sent (first {FIRST})"),
            first,
        )
        .unit("invoices/s"),
        Row::load(
            "Scale",
            format!("invoices created and sent (next {})", ALL - FIRST),
            rest,
        )
        .unit("invoices/s")
        .cpu(cpu),
        Row::new(
            "Scale",
            format!("worker memory (RSS) with {ALL} open invoices"),
            at_all,
            "MiB",
        )
        .against(
            format!("with {FIRST} open invoices (at start: {start_rss:.0} MiB)"),
            at_first,
            "MiB",
        )
        .target(Target::RatioAtMost(1.5)),
    ])
}

/// Invoices e-mailed so far (the last step of sending), in this benchmark's database.
async fn sent_so_far(db: &PgPool) -> anyhow::Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM side_effects WHERE step = 'email:invoice_sent'")
            .fetch_one(db)
            .await?,
    )
}

/// Samples the worker's memory every 20 s against the invoices sent by then (less `before`,
/// sent by earlier scenarios): a curve that flattens is the workflow cache at work, one that
/// keeps rising is memory kept per invoice.
async fn sample_memory(pid: u32, db: PgPool, before: i64, curve: Arc<Mutex<Vec<(i64, f64)>>>) {
    loop {
        tokio::time::sleep(Duration::from_secs(20)).await;
        if let (Ok(sent), Ok(mib)) = (sent_so_far(&db).await, rss_mib(pid)) {
            curve.lock().expect("the curve").push((sent - before, mib));
        }
    }
}
