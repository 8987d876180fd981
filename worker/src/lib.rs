//! The Temporal worker: polls the invoice task queue and runs `InvoiceWorkflow` and the
//! activities that record its lifecycle.
//!
//! `Worker::run` is not `Send`, so [`InvoiceWorker::run_until`] must be awaited on the task
//! (or thread) that owns the worker, never `tokio::spawn`ed.

use anyhow::Context;
use invoicing_activities::InvoiceRecords;
use invoicing_platform::{
    config::{self, Environment},
    temporal::{self, TemporalSettings},
};
use invoicing_store::DatabaseSettings;
use invoicing_workflows::InvoiceWorkflow;
use serde::Deserialize;
use std::{future::Future, time::Duration};
use temporalio_sdk::{
    Runtime, Worker, WorkerOptions,
    runtime::{
        RuntimeOptions,
        worker_tuner::{FixedSizeSlotSupplier, TunerHolder},
    },
};

/// The worker's configuration (`APP_…`, see the README).
#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub environment: Environment,
    pub database: DatabaseSettings,
    pub temporal: TemporalSettings,
    pub worker: WorkerSettings,
}

/// How much work one worker process takes on at once (`APP_WORKER__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct WorkerSettings {
    /// `APP_WORKER__MAX_CONCURRENT_ACTIVITIES`.
    pub max_concurrent_activities: usize,
    /// `APP_WORKER__MAX_CONCURRENT_WORKFLOW_TASKS`.
    pub max_concurrent_workflow_tasks: usize,
    /// `APP_WORKER__MAX_CACHED_WORKFLOWS`: workflows kept in memory between tasks.
    pub max_cached_workflows: usize,
}

const DEFAULTS: &[(&str, &str)] = &[
    ("environment", "local"),
    ("worker.max_concurrent_activities", "100"),
    ("worker.max_concurrent_workflow_tasks", "100"),
    ("worker.max_cached_workflows", "1000"),
];

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        config::load(&[DEFAULTS, invoicing_store::DEFAULTS, temporal::DEFAULTS].concat())
    }
}

/// A worker ready to poll, with everything it owns.
pub struct InvoiceWorker {
    worker: Worker,
    // The SDK runtime must outlive the worker built on it.
    _runtime: Runtime,
}

impl InvoiceWorker {
    /// Connects to Temporal and PostgreSQL. Call it on the runtime that will run the worker.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let runtime = Runtime::from_current_tokio(RuntimeOptions::default())
            .context("starting the Temporal SDK runtime")?;
        let client =
            temporal::connect(&settings.temporal, &identity(), Duration::from_secs(60)).await?;
        let pool = settings.database.pool()?;
        let limits = &settings.worker;
        let tuner = TunerHolder::builder()
            .workflow_task_slot_supplier(FixedSizeSlotSupplier::new(
                limits.max_concurrent_workflow_tasks,
            ))
            .activity_task_slot_supplier(FixedSizeSlotSupplier::new(
                limits.max_concurrent_activities,
            ))
            .local_activity_task_slot_supplier(FixedSizeSlotSupplier::new(
                limits.max_concurrent_activities,
            ))
            .nexus_task_slot_supplier(FixedSizeSlotSupplier::new(1))
            .build();
        let options = WorkerOptions::new(settings.temporal.task_queue.clone())
            .register_workflow::<InvoiceWorkflow>()?
            .register_activities(InvoiceRecords::new(pool))
            .max_cached_workflows(limits.max_cached_workflows)
            .tuner(tuner)
            .build();
        let worker = Worker::new(&runtime, client, options).context("creating the worker")?;
        tracing::info!(
            task_queue = %settings.temporal.task_queue,
            address = %settings.temporal.address,
            "worker ready"
        );
        Ok(Self {
            worker,
            _runtime: runtime,
        })
    }

    /// Polls until `stop` resolves, then finishes the tasks in hand and returns.
    pub async fn run_until(mut self, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
        let shutdown = self.worker.shutdown_handle();
        let run = self.worker.run();
        tokio::pin!(run);
        tokio::select! {
            result = &mut run => result.context("the worker stopped")?,
            () = stop => {
                tracing::info!("shutting down: finishing the tasks in hand");
                shutdown();
                run.await.context("the worker stopped while shutting down")?;
            }
        }
        Ok(())
    }
}

fn identity() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".to_owned());
    format!("worker-{}@{host}", std::process::id())
}
