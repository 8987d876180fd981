//! Scenario 3, Read: an authenticated `GET /api/invoices/{id}` (from the Redis cache) and
//! `GET /api/invoices?limit=50` (a page of the list, from PostgreSQL) against `/healthz` on the
//! same server, 200 connections at once. Targets: the cached read ≥ 0.5 × healthz, and both
//! reads ≥ 1,000 requests/s with no errors.

use super::Bench;
use crate::{
    client::{Account, Api},
    cpu::Snapshot,
    load::{Measured, best, drive},
    report::{Row, Target},
};

const CALLS: usize = 20_000;
const CONCURRENCY: usize = 200;
/// Rounds interleave the three targets; the best round of each counts.
const ROUNDS: usize = 2;
/// Invoices in the account, so that a page of 50 is full.
const INVOICES: usize = 60;

async fn measure(api: &Api, account: Option<&Account>, path: String) -> Measured {
    let api = api.clone();
    let account = account.cloned();
    drive(CALLS, CONCURRENCY, move |_| {
        let (api, account, path) = (api.clone(), account.clone(), path.clone());
        async move { api.get(&path, account.as_ref()).await }
    })
    .await
}

pub async fn run(bench: &Bench) -> anyhow::Result<Vec<Row>> {
    let api = &bench.api;
    let account = api.register().await?;
    let ids = api.invoices(&account, INVOICES, 3, false).await?;
    let id = ids[0];
    api.send(&account, id).await.map_err(anyhow::Error::msg)?;
    let one = format!("/api/invoices/{id}");
    // The first read fills the cache.
    api.get(&one, Some(&account))
        .await
        .map_err(anyhow::Error::msg)?;

    let (mut health, mut cached, mut list) = (Vec::new(), Vec::new(), Vec::new());
    let (mut cached_cpu, mut list_cpu) = (None, None);
    for _ in 0..ROUNDS {
        health.push(measure(api, None, "/healthz".to_owned()).await);
        let cpu = Snapshot::take();
        cached.push(measure(api, Some(&account), one.clone()).await);
        cached_cpu = Some(cpu.usage());
        let cpu = Snapshot::take();
        list.push(measure(api, Some(&account), "/api/invoices?limit=50".to_owned()).await);
        list_cpu = Some(cpu.usage());
    }
    let health = best(health);
    Ok(vec![
        Row::load("Read", "GET /healthz (the baseline)", health.clone()),
        Row::load("Read", "GET /api/invoices/{id}, cached", best(cached))
            .cpu(cached_cpu.expect("at least one round"))
            .against_load("/healthz", health.clone())
            .target(Target::RatioAtLeast(0.5))
            .target(Target::AtLeastWithoutErrors(1_000.0)),
        Row::load("Read", "GET /api/invoices?limit=50", best(list))
            .cpu(list_cpu.expect("at least one round"))
            .against_load("/healthz", health)
            .target(Target::AtLeastWithoutErrors(1_000.0)),
    ])
}
