//! Scenario 1, Create: `POST /api/invoices` of a draft of 20 lines over three tax rates
//! (validates, looks up the customer and rates, computes the totals, stores the draft, starts
//! its workflow) against starting an empty workflow on the same Temporal server straight from a
//! Rust client.
//! Target: ratio ≥ 0.8, the product adds little over Temporal itself.

use super::Bench;
use crate::{
    baseline::EmptyWorkflow,
    client::draft,
    cpu::Snapshot,
    load::{Measured, best, drive},
    report::{Row, Target},
};
use temporalio_client::WorkflowStartOptions;
use uuid::Uuid;

const CALLS: usize = 600;
const CONCURRENCY: usize = 32;
/// Rounds alternate product and baseline; the best of each counts. Each phase starts once
/// Temporal has worked off the previous phase's workflow tasks, so that neither pays for the
/// other's backlog.
const ROUNDS: usize = 2;

pub async fn run(bench: &Bench) -> anyhow::Result<Vec<Row>> {
    let account = bench.api.register().await?;
    let body = draft(&account, 20);
    let mut product: Vec<Measured> = Vec::new();
    let mut baseline: Vec<Measured> = Vec::new();
    let mut cpu = None;
    for _ in 0..ROUNDS {
        super::quiet(bench).await?;
        let client = bench.stack.temporal.clone();
        let queue = bench.stack.baseline_queue.clone();
        baseline.push(
            drive(CALLS, CONCURRENCY, move |_| {
                let client = client.clone();
                let options =
                    WorkflowStartOptions::new(queue.clone(), format!("empty-{}", Uuid::new_v4()))
                        .build();
                async move {
                    client
                        .start_workflow(EmptyWorkflow::run, (), options)
                        .await
                        .map(drop)
                        .map_err(|e| e.to_string())
                }
            })
            .await,
        );
        super::quiet(bench).await?;
        let api = bench.api.clone();
        let account = account.clone();
        let body = body.clone();
        let snapshot = Snapshot::take();
        product.push(
            drive(CALLS, CONCURRENCY, move |_| {
                let (api, account, body) = (api.clone(), account.clone(), body.clone());
                async move { api.create(&account, &body).await.map(drop) }
            })
            .await,
        );
        cpu = Some(snapshot.usage());
    }
    Ok(vec![
        Row::load(
            "Create",
            "POST /api/invoices, 20 lines, 3 tax rates (starts a workflow)",
            best(product),
        )
        .cpu(cpu.expect("at least one round"))
        .against_load("start_workflow, empty workflow", best(baseline))
        .target(Target::RatioAtLeast(0.8)),
    ])
}
