//! Scenario 4, Webhooks: signed Stripe `payment_intent.succeeded` events accepted per second
//! (the signature checked, the event stored once, the invoice's workflow signaled) against
//! `/healthz` at the same concurrency. Afterwards every payment must be on its invoice.

use super::{Bench, wait_for};
use crate::{cpu::Snapshot, load::drive, report::Row};
use serde_json::Value;
use std::{sync::Arc, time::Duration};

const INVOICES: usize = 50;
const EVENTS: usize = 1_000;
const CONCURRENCY: usize = 50;
/// Each event pays 1.00; an invoice of 100 lines at 100.00 is never paid off by them.
const PAYMENT: i64 = 100;

pub async fn run(bench: &Bench) -> anyhow::Result<Vec<Row>> {
    let api = &bench.api;
    let account = api.register().await?;
    let invoices = api.invoices(&account, INVOICES, 100, true).await?;
    super::sends_settled(bench, &invoices, Duration::from_secs(300)).await?;

    // Stripe's side: a PaymentIntent per event, paid outside any pay link, for an invoice.
    let events: Arc<Vec<Value>> = Arc::new(
        (0..EVENTS)
            .map(|n| {
                let intent =
                    bench
                        .stack
                        .stripe
                        .direct_payment(invoices[n % INVOICES], PAYMENT, "usd");
                bench
                    .stack
                    .stripe
                    .event("payment_intent.succeeded", &intent)
            })
            .collect(),
    );

    let health = {
        let api = api.clone();
        drive(EVENTS, CONCURRENCY, move |_| {
            let api = api.clone();
            async move { api.get("/healthz", None).await }
        })
        .await
    };
    let cpu = Snapshot::take();
    let accepted = {
        let api = api.clone();
        drive(EVENTS, CONCURRENCY, move |n| {
            let (api, events) = (api.clone(), events.clone());
            async move { api.webhook(&events[n]).await }
        })
        .await
    };
    let cpu = cpu.usage();

    // Accepted means applied, eventually: every payment on its invoice, none twice.
    let db = &bench.stack.db;
    wait_for(
        "every webhook's payment to be recorded",
        Duration::from_secs(300),
        || async {
            let recorded: i64 =
                sqlx::query_scalar("SELECT count(*) FROM payments WHERE invoice_id = ANY($1)")
                    .bind(&invoices)
                    .fetch_one(db)
                    .await?;
            anyhow::ensure!(
                recorded <= EVENTS as i64,
                "{recorded} payments for {EVENTS} events"
            );
            Ok((recorded == EVENTS as i64).then_some(()))
        },
    )
    .await?;

    Ok(vec![
        Row::load("Webhooks", "POST /api/webhooks/stripe, signed", accepted)
            .cpu(cpu)
            .against_load("/healthz", health),
    ])
}
