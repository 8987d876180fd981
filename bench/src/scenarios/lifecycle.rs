//! Scenario 2, Lifecycle: invoices created, sent and paid in full through the API until every
//! invoice's workflow has completed (its PDF rendered and stored, the e-mails sent, the events
//! published, every change recorded), against as many workflows that each run the same number
//! of no-op activities, regular and local as the invoice's are. Target: ratio ≥ 0.5.

use super::{Bench, workflows_completed};
use crate::{
    baseline::{NoopActivitiesWorkflow, NoopPlan},
    cpu::Snapshot,
    load::drive,
    report::{Row, Target},
};
use invoicing_workflows::{InvoiceWorkflow, workflow_id};
use std::{
    sync::{Arc, Mutex},
    time::Instant,
};
use temporalio_client::{WorkflowGetResultOptions, WorkflowStartOptions};
use temporalio_common::protos::temporal::api::history::v1::HistoryEvent;
use uuid::Uuid;

const INVOICES: usize = 200;
/// Clients working through their invoices at once.
const CONCURRENCY: usize = 20;
/// One line at 100.00: the amount paid in full.
const TOTAL: i64 = 10_000;

pub async fn run(bench: &Bench) -> anyhow::Result<Vec<Row>> {
    let account = bench.api.register().await?;

    // The product: each client creates, sends and pays one invoice after another.
    let started = Instant::now();
    let cpu = Snapshot::take();
    let ids = Arc::new(Mutex::new(Vec::with_capacity(INVOICES)));
    let api = bench.api.clone();
    let recorded = ids.clone();
    let calls = drive(INVOICES, CONCURRENCY, move |_| {
        let (api, account, recorded) = (api.clone(), account.clone(), recorded.clone());
        async move {
            let id = api.sent_invoice(&account, 1).await?;
            recorded.lock().expect("the ids").push(id);
            api.pay(&account, id, TOTAL).await
        }
    })
    .await;
    if let Some(error) = &calls.first_error {
        anyhow::bail!("{} of {INVOICES} invoices failed: {error}", calls.errors);
    }
    let ids: Vec<Uuid> = ids.lock().expect("the ids").clone();
    workflows_completed(bench, &ids).await?;
    let product_seconds = started.elapsed().as_secs_f64();
    let cpu = cpu.usage();

    // What one invoice's lifecycle is made of.
    let history = history(bench, ids[0]).await?;
    let (regular, local) = super::history::activities(&history);
    let activities = regular + local;
    let plan = NoopPlan {
        regular: regular as u32,
        local: local as u32,
    };
    eprintln!(
        "[Lifecycle] what one invoice's events are: {}",
        super::history::profile(&history)
    );

    // The baseline: the same number of workflows, each running that many no-op activities.
    let started = Instant::now();
    let client = bench.stack.temporal.clone();
    let queue = bench.stack.baseline_queue.clone();
    let run = Uuid::new_v4().simple().to_string();
    let baseline_id = move |n: usize| format!("noop-{run}-{n}");
    let ids_for_calls = baseline_id.clone();
    let baseline = drive(INVOICES, CONCURRENCY, move |n| {
        let client = client.clone();
        let options = WorkflowStartOptions::new(queue.clone(), ids_for_calls(n)).build();
        async move {
            let handle = client
                .start_workflow(NoopActivitiesWorkflow::run, plan, options)
                .await
                .map_err(|e| e.to_string())?;
            handle
                .get_result(WorkflowGetResultOptions::default())
                .await
                .map_err(|e| e.to_string())
        }
    })
    .await;
    if let Some(error) = &baseline.first_error {
        anyhow::bail!("{} baseline workflows failed: {error}", baseline.errors);
    }
    let baseline_seconds = started.elapsed().as_secs_f64();
    let baseline_events = bench
        .stack
        .temporal
        .get_workflow_handle::<NoopActivitiesWorkflow>(baseline_id(0))
        .fetch_history(Default::default())
        .into_events()
        .await?
        .len();

    let per_second = INVOICES as f64 / product_seconds;
    let baseline_per_second = INVOICES as f64 / baseline_seconds;
    let total_activities = (INVOICES * activities) as f64;
    Ok(vec![
        Row::new(
            "Lifecycle",
            format!("{INVOICES} invoices created, sent, paid, completed ({CONCURRENCY} clients)"),
            per_second,
            "invoices/s",
        )
        .cpu(cpu)
        .against(
            format!("workflows of {regular} regular and {local} local no-op activities"),
            baseline_per_second,
            "workflows/s",
        )
        .target(Target::RatioAtLeast(0.5)),
        Row::new(
            "Lifecycle",
            format!("activities ({regular} regular and {local} local per invoice)"),
            total_activities / product_seconds,
            "activities/s",
        )
        .against(
            "no-op activities",
            total_activities / baseline_seconds,
            "activities/s",
        ),
        Row::new(
            "Lifecycle",
            "history events per invoice",
            history.len() as f64,
            "events",
        )
        .against(
            "no-op workflow of as many activities",
            baseline_events as f64,
            "events",
        ),
    ])
}

async fn history(bench: &Bench, id: Uuid) -> anyhow::Result<Vec<HistoryEvent>> {
    Ok(bench
        .stack
        .temporal
        .get_workflow_handle::<InvoiceWorkflow>(workflow_id(id))
        .fetch_history(Default::default())
        .into_events()
        .await?)
}
