//! Temporal by itself, as the baseline for the product's workflows: an empty workflow (what
//! starting one costs) and a workflow of N no-op activities (what a lifecycle of N activities
//! costs), run by a worker process of their own with the product worker's limits.

use anyhow::Context;
use invoicing_platform::{shutdown, temporal};
use std::time::Duration;
use temporalio_macros::{activities, workflow, workflow_methods};
use temporalio_sdk::{
    ActivityOptions, Runtime, Worker, WorkerOptions, WorkflowContext, WorkflowResult,
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

/// Runs `activities` no-op activities one after the other.
#[workflow]
#[derive(Default)]
pub struct NoopActivitiesWorkflow;

#[workflow_methods]
impl NoopActivitiesWorkflow {
    #[run]
    pub async fn run(ctx: &mut WorkflowContext<Self>, activities: u32) -> WorkflowResult<()> {
        for _ in 0..activities {
            ctx.execute_activity(
                Noop::noop,
                (),
                ActivityOptions::with_start_to_close_timeout(Duration::from_secs(30)).build(),
            )
            .await?;
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
