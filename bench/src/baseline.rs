//! Temporal by itself, as the baseline for the product's workflows: an empty workflow (what
//! starting one costs) and a workflow of no-op activities, regular and local as many as a
//! lifecycle runs of each (what that lifecycle costs), run by a worker process of their own
//! with the product worker's limits.

use anyhow::Context;
use invoicing_platform::{shutdown, temporal};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use temporalio_macros::{activities, workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, LocalActivityOptions, Runtime, Worker, WorkerOptions, WorkflowContext,
    WorkflowResult,
    activities::{ActivityContext, ActivityError},
};

/// Does nothing: one workflow task, then completion.
#[workflow]
#[derive(Default)]
pub struct EmptyWorkflow;

#[workflow_methods]
impl EmptyWorkflow {
    #[run]
    pub async fn run(_ctx: &mut WorkflowContext<Self>, _input: ()) -> WorkflowResult<()> {
        Ok(())
    }
}

/// How many no-op activities of each kind a baseline workflow runs: as many as an invoice's
/// lifecycle runs of each.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct NoopPlan {
    pub regular: u32,
    pub local: u32,
}

/// Runs a [`NoopPlan`] one activity after the other, the local ones spread between the
/// regular ones as an invoice's are (a write before the PDF, the e-mail and events after it).
#[workflow]
#[derive(Default)]
pub struct NoopActivitiesWorkflow;

#[workflow_methods]
impl NoopActivitiesWorkflow {
    #[run]
    // The baseline measures the SDK's own calls. Its activities always complete, so they do
    // not keep the run in memory (workflows/src/operations.rs).
    #[allow(clippy::disallowed_methods)]
    pub async fn run(ctx: &mut WorkflowContext<Self>, plan: NoopPlan) -> WorkflowResult<()> {
        let timeout = Duration::from_secs(30);
        let local = || {
            LocalActivityOptions::builder()
                .start_to_close_timeout(timeout)
                .build()
        };
        let mut local_left = plan.local;
        for regular_left in (1..=plan.regular).rev() {
            // Before each regular activity, an even share of the local ones still to run.
            for _ in 0..local_left / (regular_left + 1) {
                ctx.execute_local_activity(Noop::noop, (), local()).await?;
                local_left -= 1;
            }
            let options = ActivityOptions::with_start_to_close_timeout(timeout).build();
            ctx.execute_activity(Noop::noop, (), options).await?;
        }
        for _ in 0..local_left {
            ctx.execute_local_activity(Noop::noop, (), local()).await?;
        }
        Ok(())
    }
}

pub struct Noop;

#[activities]
impl Noop {
    #[activity]
    pub async fn noop(_ctx: ActivityContext, _input: ()) -> Result<(), ActivityError> {
        Ok(())
    }
}

/// The baseline's worker (`bench baseline-worker`): the product worker's configuration
/// (`APP_TEMPORAL__*`, `APP_WORKER__*` slots and cache) on a task queue of its own, in a
/// process of its own like the product's worker. Runs until SIGTERM or Ctrl-C.
pub async fn run_worker(task_queue: String) -> anyhow::Result<()> {
    let settings = invoicing_worker::Settings::load()?;
    let runtime = Runtime::from_current_tokio(Default::default())
        .context("starting the Temporal SDK runtime")?;
    let client = temporal::connect(
        &settings.temporal,
        "bench-baseline",
        Duration::from_secs(30),
    )
    .await?;
    let limits = &settings.worker;
    let options = WorkerOptions::new(task_queue)
        .register_workflow::<EmptyWorkflow>()?
        .register_workflow::<NoopActivitiesWorkflow>()?
        .register_activities(Noop)
        .max_cached_workflows(limits.max_cached_workflows)
        .tuner(limits.tuner())
        .build();
    let mut worker = Worker::new(&runtime, client, options).context("creating the worker")?;
    let stop = worker.shutdown_handle();
    let run = worker.run();
    tokio::pin!(run);
    tokio::select! {
        result = &mut run => result.context("the baseline worker stopped")?,
        () = shutdown::signal() => {
            stop();
            run.await.context("the baseline worker stopped while shutting down")?;
        }
    }
    Ok(())
}
