//! The Temporal worker: polls the invoice task queue and runs `InvoiceWorkflow` and the
//! activities that record its lifecycle, and the short `ReconciliationWorkflow` and
//! `StatementWorkflow` with theirs.
//!
//! `Worker::run` is not `Send`, so [`InvoiceWorker::run_until`] must be awaited on the task
//! (or thread) that owns the worker, never `tokio::spawn`ed.

mod health;
mod outcomes;

use anyhow::Context;
use invoicing_activities::{
    EInvoiceGate, InvoiceRecords, Notifications, Statements, StripeGateway,
    email::{self, EmailSettings, Mailer},
    events::{self, EventSettings, Publisher},
    provision,
    storage::DocumentStore,
};
use invoicing_platform::{
    aws::{self, AwsSettings, DocumentSettings},
    config::{self, Environment},
    invoice_cache::InvoiceCache,
    redis::{self, Redis, RedisSettings},
    stripe::{self, StripeSettings},
    temporal::{self, TemporalSettings},
};
use invoicing_store::DatabaseSettings;
use invoicing_workflows::{
    InvoiceWorkflow, ReconciliationInput, ReconciliationWorkflow, StatementWorkflow, reconciliation,
};
use outcomes::ActivityOutcomes;
use serde::Deserialize;
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};
use temporalio_client::{
    schedules::{
        CreateScheduleOptions, ScheduleAction, ScheduleCalendarSpec, ScheduleError,
        ScheduleOverlapPolicy, ScheduleSpec,
    },
    tonic::Code,
};
use temporalio_common::telemetry::{
    PrometheusExporterOptions, TelemetryOptions, metrics::CoreMeter,
    start_prometheus_metric_exporter,
};
use temporalio_sdk::{
    Runtime, Worker, WorkerOptions,
    runtime::{
        RuntimeOptions,
        worker_tuner::{FixedSizeSlotSupplier, TunerHolder},
    },
};
use tokio::net::TcpListener;

/// The worker's configuration (`APP_…`, see docs/configuration.md).
#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    pub environment: Environment,
    pub database: DatabaseSettings,
    pub temporal: TemporalSettings,
    pub worker: WorkerSettings,
    pub aws: AwsSettings,
    pub documents: DocumentSettings,
    pub email: EmailSettings,
    pub events: EventSettings,
    pub stripe: StripeSettings,
    pub redis: RedisSettings,
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
    /// `APP_WORKER__METRICS_ADDRESS`: where to serve Prometheus metrics (`/metrics`, the
    /// Temporal SDK's own: task slots, poll latencies, activity executions, failures and
    /// latencies by activity type, workflow completions...), e.g. `0.0.0.0:9464`. Empty: none.
    #[serde(default, deserialize_with = "config::empty_is_none")]
    pub metrics_address: Option<SocketAddr>,
    /// `APP_WORKER__HEALTH_ADDRESS`: where to serve `/healthz` and `/readyz` for Kubernetes'
    /// probes, e.g. `0.0.0.0:8081`. Empty: none.
    #[serde(default, deserialize_with = "config::empty_is_none")]
    pub health_address: Option<SocketAddr>,
    /// `APP_WORKER__GRACEFUL_SHUTDOWN_SECS`: on SIGTERM the worker stops polling and lets the
    /// tasks in hand finish for this long; then activities still running are cancelled, and
    /// the process exits soon after even if one ignores that (Temporal retries it elsewhere
    /// once its timeout passes). Kubernetes' `terminationGracePeriodSeconds` must be longer.
    pub graceful_shutdown_secs: u64,
    /// `APP_WORKER__STICKY_SCHEDULE_TO_START_SECS`: how long an invoice's next workflow task
    /// waits for the worker that has the invoice cached before any worker may take it. A worker
    /// that died (a crash, a lost node) holds its invoices' tasks this long, and every client
    /// waiting on them with it; SDK's default is 10 s. Lower means a faster recovery, at the
    /// cost of a replay whenever a live worker is that slow to poll.
    pub sticky_schedule_to_start_secs: u64,
}

impl WorkerSettings {
    /// `graceful_shutdown_secs` as a duration.
    pub fn graceful_shutdown(&self) -> Duration {
        Duration::from_secs(self.graceful_shutdown_secs)
    }

    /// `sticky_schedule_to_start_secs` as a duration.
    pub fn sticky_schedule_to_start(&self) -> Duration {
        Duration::from_secs(self.sticky_schedule_to_start_secs)
    }

    /// Task slots as these limits set them (the benchmark's baseline worker uses the same).
    pub fn tuner(&self) -> TunerHolder {
        TunerHolder::builder()
            .workflow_task_slot_supplier(FixedSizeSlotSupplier::new(
                self.max_concurrent_workflow_tasks,
            ))
            .activity_task_slot_supplier(FixedSizeSlotSupplier::new(self.max_concurrent_activities))
            .local_activity_task_slot_supplier(FixedSizeSlotSupplier::new(
                self.max_concurrent_activities,
            ))
            .nexus_task_slot_supplier(FixedSizeSlotSupplier::new(1))
            .build()
    }
}

const DEFAULTS: &[(&str, &str)] = &[
    ("environment", "local"),
    ("worker.max_concurrent_activities", "100"),
    ("worker.max_concurrent_workflow_tasks", "100"),
    ("worker.max_cached_workflows", "1000"),
    ("worker.metrics_address", ""),
    ("worker.health_address", ""),
    ("worker.graceful_shutdown_secs", "30"),
    ("worker.sticky_schedule_to_start_secs", "3"),
];

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        config::load(
            &[
                DEFAULTS,
                invoicing_store::DEFAULTS,
                temporal::DEFAULTS,
                aws::DEFAULTS,
                email::DEFAULTS,
                events::DEFAULTS,
                stripe::DEFAULTS,
                redis::DEFAULTS,
            ]
            .concat(),
        )
    }
}

/// A worker ready to poll, with everything it owns.
pub struct InvoiceWorker {
    worker: Worker,
    metrics_address: Option<SocketAddr>,
    /// The probes' listener (bound in `build`, so port 0 works) and what they check.
    health: Option<(TcpListener, health::Dependencies)>,
    health_address: Option<SocketAddr>,
    graceful_shutdown: Duration,
    // The SDK runtime must outlive the worker built on it.
    _runtime: Runtime,
}

impl InvoiceWorker {
    /// Connects to Temporal and PostgreSQL. Call it on the runtime that will run the worker.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let (options, metrics) = runtime_options(&settings.worker)?;
        let runtime =
            Runtime::from_current_tokio(options).context("starting the Temporal SDK runtime")?;
        let client =
            temporal::connect(&settings.temporal, &identity(), Duration::from_secs(60)).await?;
        let pool = settings.database.pool()?;
        let health = health_listener(settings.worker.health_address)
            .await?
            .map(|listener| {
                let dependencies = health::Dependencies {
                    temporal: client.clone(),
                    db: pool.clone(),
                };
                (listener, dependencies)
            });
        let health_address = match &health {
            Some((listener, _)) => Some(listener.local_addr()?),
            None => None,
        };
        let cache = InvoiceCache::invalidator(Redis::new(&settings.redis)?);
        // Lives as long as the runtime; settles invalidations missed while Redis was down.
        cache.spawn_recovery();
        let (notifications, statements) =
            notifications(settings, pool.clone(), cache.clone()).await?;
        let stripe = StripeGateway::new(pool.clone(), &settings.stripe, cache.clone())?;
        // Buyers pay by card through a pay link only where Stripe is configured.
        let gate = EInvoiceGate::new(pool.clone(), settings.stripe.secret_key.is_some());
        // Without a Stripe key there is nothing to reconcile against.
        if settings.stripe.reconciliation_schedule && settings.stripe.secret_key.is_some() {
            keep_reconciliation_schedule(&client, settings).await?;
        }
        let limits = &settings.worker;
        let mut options = WorkerOptions::new(settings.temporal.task_queue.clone())
            .register_workflow::<InvoiceWorkflow>()?
            .register_workflow::<ReconciliationWorkflow>()?
            .register_workflow::<StatementWorkflow>()?
            .register_activities(InvoiceRecords::new(pool, cache))
            .register_activities(notifications)
            .register_activities(statements)
            .register_activities(stripe)
            .register_activities(gate)
            .max_cached_workflows(limits.max_cached_workflows)
            .graceful_shutdown_period(limits.graceful_shutdown())
            .sticky_queue_schedule_to_start_timeout(limits.sticky_schedule_to_start())
            .tuner(limits.tuner());
        if let Some((_, meter)) = &metrics {
            options = options.activity_inbound_interceptor(ActivityOutcomes::new(meter.clone()));
        }
        let options = options.build();
        let worker = Worker::new(&runtime, client, options).context("creating the worker")?;
        tracing::info!(
            task_queue = %settings.temporal.task_queue,
            address = %settings.temporal.address,
            "worker ready"
        );
        Ok(Self {
            worker,
            metrics_address: metrics.map(|(address, _)| address),
            health,
            health_address,
            graceful_shutdown: limits.graceful_shutdown(),
            _runtime: runtime,
        })
    }

    /// Where the Prometheus metrics are served, once bound (port 0 in the settings picks one).
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics_address
    }

    /// Where `/healthz` and `/readyz` are served, once bound.
    pub fn health_address(&self) -> Option<SocketAddr> {
        self.health_address
    }

    /// Polls until `stop` resolves, then finishes the tasks in hand (for at most the graceful
    /// shutdown period, and a little more for cancelled activities to return) and returns.
    pub async fn run_until(mut self, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
        let probes = self.health.take().map(|(listener, dependencies)| {
            tracing::info!(address = ?self.health_address, "worker probes at /healthz, /readyz");
            tokio::spawn(async move {
                if let Err(error) = health::serve(listener, dependencies).await {
                    tracing::error!(%error, "the probes' server stopped");
                }
            })
        });
        let shutdown = self.worker.shutdown_handle();
        let run = self.worker.run();
        tokio::pin!(run);
        let result = tokio::select! {
            result = &mut run => result.context("the worker stopped"),
            () = stop => {
                tracing::info!(
                    grace_secs = self.graceful_shutdown.as_secs(),
                    "shutting down: finishing the tasks in hand"
                );
                shutdown();
                // The SDK cancels the activities still running once the period is over; one
                // that ignores its cancellation must not keep the process (and a rollout)
                // waiting: Temporal retries it on another worker after its timeout.
                match tokio::time::timeout(self.graceful_shutdown + CANCELLED_GRACE, &mut run)
                    .await
                {
                    Ok(result) => result.context("the worker stopped while shutting down"),
                    Err(_) => {
                        tracing::warn!("tasks still running after the graceful period; exiting");
                        Ok(())
                    }
                }
            }
        };
        if let Some(probes) = probes {
            probes.abort();
        }
        result
    }
}

/// The notification and statement activities, and their AWS clients. Locally, the bucket,
/// queues and sender identity are created first if missing.
async fn notifications(
    settings: &Settings,
    pool: sqlx::PgPool,
    cache: InvoiceCache,
) -> anyhow::Result<(Notifications, Statements)> {
    // One attempt per SDK call: Temporal retries the activity, with backoff, in plain sight.
    let sdk = aws::sdk_config(&settings.aws, 1).await;
    let s3 = aws::s3_client(&sdk, &settings.aws);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let mut ses = aws_sdk_sesv2::config::Builder::from(&sdk);
    if let Some(endpoint) = settings.email.endpoint_url.as_deref() {
        ses = ses.endpoint_url(endpoint);
    }
    let ses = aws_sdk_sesv2::Client::from_conf(ses.build());
    if settings.environment == Environment::Local {
        provision::local_resources(
            &s3,
            &sqs,
            &ses,
            &settings.documents,
            &settings.events,
            &settings.email.from_address,
        )
        .await
        .context("creating local AWS resources (is the moto server running?)")?;
    }
    let publisher = Publisher::connect(sqs, &settings.events.queue_name).await?;
    let statements = Statements::new(
        pool.clone(),
        DocumentStore::new(s3.clone(), &settings.documents),
        Mailer::new(ses.clone(), settings.email.from_address.clone()),
        settings.email.from_name.clone(),
    )?;
    let notifications = Notifications::new(
        pool,
        DocumentStore::new(s3, &settings.documents),
        Mailer::new(ses, settings.email.from_address.clone()),
        publisher,
        settings.email.from_name.clone(),
        cache,
        // As for the gate: buyers pay by card through a pay link only where Stripe is
        // configured, and the stored e-invoice says so as the checked one did.
        settings.stripe.secret_key.is_some(),
    )?;
    Ok((notifications, statements))
}

/// How long activities cancelled at the end of the graceful period get to return.
const CANCELLED_GRACE: Duration = Duration::from_secs(5);

/// Binds the probes' address, if one is set.
async fn health_listener(address: Option<SocketAddr>) -> anyhow::Result<Option<TcpListener>> {
    let Some(address) = address else {
        return Ok(None);
    };
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("serving worker probes on {address}"))?;
    Ok(Some(listener))
}

/// The Prometheus exporter's bound address, and its meter for the worker's own metrics.
type Exporter = (SocketAddr, Arc<dyn CoreMeter>);

/// The SDK runtime, with its Prometheus exporter when `metrics_address` is set.
fn runtime_options(
    settings: &WorkerSettings,
) -> anyhow::Result<(RuntimeOptions, Option<Exporter>)> {
    let mut telemetry = TelemetryOptions::builder().build();
    let mut bound = None;
    if let Some(address) = settings.metrics_address {
        let exporter = start_prometheus_metric_exporter(
            PrometheusExporterOptions::builder()
                .socket_addr(address)
                .counters_total_suffix(true)
                .use_seconds_for_durations(true)
                .build(),
        )
        .with_context(|| format!("serving worker metrics on {address}"))?;
        tracing::info!(address = %exporter.bound_addr, "worker metrics at /metrics");
        let meter: Arc<dyn CoreMeter> = exporter.meter.clone();
        bound = Some((exporter.bound_addr, meter));
        telemetry.metrics = Some(exporter.meter);
    }
    let options = RuntimeOptions::builder()
        .telemetry_options(telemetry)
        .build()
        .map_err(|error| anyhow::anyhow!("runtime options: {error}"))?;
    Ok((options, bound))
}

/// The nightly Stripe reconciliation: a Temporal Schedule at 02:00 UTC on this task queue.
/// Created when missing; one that exists (another worker made it, or an operator changed it
/// in the Temporal UI) is left as it is.
async fn keep_reconciliation_schedule(
    client: &temporalio_client::Client,
    settings: &Settings,
) -> anyhow::Result<()> {
    let task_queue = &settings.temporal.task_queue;
    let schedule_id = reconciliation::schedule_id(task_queue);
    let options = CreateScheduleOptions::builder()
        .action(ScheduleAction::start_workflow(
            ReconciliationWorkflow::run,
            ReconciliationInput {
                days: settings.stripe.reconciliation_days,
            },
            task_queue.clone(),
            schedule_id.clone(),
        ))
        .spec(ScheduleSpec::from_calendar(
            ScheduleCalendarSpec::builder()
                .hour("2")
                .comment("nightly Stripe reconciliation, 02:00 UTC")
                .build(),
        ))
        .overlap_policy(ScheduleOverlapPolicy::Skip)
        .note("Compares Stripe's succeeded payments with the payments table.")
        .build();
    match client.create_schedule(&schedule_id, options).await {
        Ok(_) => tracing::info!(%schedule_id, "reconciliation schedule created"),
        Err(ScheduleError::Rpc(status)) if status.code() == Code::AlreadyExists => {
            tracing::debug!(%schedule_id, "reconciliation schedule already exists");
        }
        Err(error) => {
            return Err(error).with_context(|| format!("creating schedule {schedule_id}"));
        }
    }
    Ok(())
}

fn identity() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "localhost".to_owned());
    format!("worker-{}@{host}", std::process::id())
}
