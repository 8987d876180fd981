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
};
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
    let (_, rest) = send(bench, &account, ALL - FIRST).await?;
    let cpu = cpu.usage();
    let at_all = bench.stack.worker_rss_mib()?;

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
