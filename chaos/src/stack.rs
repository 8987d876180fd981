//! The product as the suite runs it: a Temporal dev server of its own (state in an on-disk
//! SQLite file, so that it survives `kill -9` and a restart on the same file and ports), the
//! `api` and `worker` binaries as separate processes configured through `APP_*` variables like
//! production, and the fake Stripe in-process. `scripts/chaos` provides PostgreSQL (a migrated
//! database of the suite's own, `APP_DATABASE__URL`), Redis and the moto server
//! (`APP_AWS__ENDPOINT_URL`); the names inside them (task queue, bucket, queues, Redis prefix)
//! are this run's own.

use crate::{
    dev_server,
    process::{Process, Recipe},
};
use anyhow::{Context, bail};
use invoicing_fakes::{FakeStripe, stripe};
use invoicing_platform::temporal::{self, TemporalSettings};
use sqlx::PgPool;
use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};
use temporalio_client::{Client, tonic::IntoRequest};
use temporalio_common::protos::temporal::api::workflowservice::v1::GetSystemInfoRequest;
use tokio::process::Command;
use uuid::Uuid;

/// Where the suite finds what it starts.
pub struct Paths {
    /// The product's `api` and `worker` binaries.
    pub bin_dir: PathBuf,
    /// The `temporal` CLI (its `server start-dev`).
    pub temporal_bin: PathBuf,
    /// The dev server's SQLite file (removed first: every run starts empty).
    pub temporal_db: PathBuf,
    /// Logs and the pid file.
    pub logs: PathBuf,
}

/// This run's names inside the shared services.
#[derive(Clone, Debug)]
pub struct Names {
    pub task_queue: String,
    pub bucket: String,
    pub queue: String,
    pub dead_letter_queue: String,
    pub redis_prefix: String,
}

impl Names {
    fn new() -> Self {
        let run = &Uuid::new_v4().simple().to_string()[..8];
        Self {
            task_queue: format!("invoices-chaos-{run}"),
            bucket: format!("invoicing-chaos-{run}"),
            queue: format!("invoice-events-chaos-{run}.fifo"),
            dead_letter_queue: format!("invoice-events-chaos-dlq-{run}.fifo"),
            redis_prefix: format!("chaos-{run}:"),
        }
    }
}

pub struct Stack {
    /// `http://127.0.0.1:<port>`: the API, on the same port after every restart.
    pub api_base: String,
    pub names: Names,
    pub temporal: Client,
    pub db: PgPool,
    pub stripe: FakeStripe,
    /// Where the product reaches the local AWS endpoint.
    pub aws_endpoint: String,
    pub temporal_server: Process,
    pub api: Process,
    pub worker: Process,
    temporal_address: String,
}

/// Requests per window: far above what the suite sends; the limiter is not under test here.
const UNLIMITED: &str = "100000000";

pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn binary(dir: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    if !path.exists() {
        bail!(
            "{} is missing: build it with `cargo build --bin {name}` (scripts/chaos does)",
            path.display()
        );
    }
    Ok(path)
}

impl Stack {
    /// Starts Temporal, the worker and the API; returns once the API is ready.
    pub async fn start(paths: &Paths) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&paths.logs)?;
        let pid_file = paths.logs.join("pids");
        let _ = std::fs::remove_file(&pid_file);
        let database_url = std::env::var("APP_DATABASE__URL")
            .context("APP_DATABASE__URL: the suite's migrated database (scripts/chaos sets it)")?;
        let aws_endpoint = std::env::var("APP_AWS__ENDPOINT_URL")
            .context("APP_AWS__ENDPOINT_URL: the suite's moto server (scripts/chaos sets it)")?;
        let names = Names::new();
        let stripe = FakeStripe::start().await;

        for suffix in ["", "-shm", "-wal", "-journal"] {
            let mut file = paths.temporal_db.clone().into_os_string();
            file.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(file));
        }
        if let Some(dir) = paths.temporal_db.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let temporal_port = free_port()?;
        let temporal_address = format!("http://127.0.0.1:{temporal_port}");
        let temporal_recipe = dev_server::recipe(paths, temporal_port)?;
        let temporal_server = Process::start(
            "Temporal server",
            temporal_recipe,
            paths.logs.join("temporal.log"),
            pid_file.clone(),
        )
        .await?;
        dev_server::wait_for_port(&temporal_server, temporal_port, Duration::from_secs(60)).await?;
        let settings = TemporalSettings {
            address: temporal_address.clone(),
            namespace: "default".to_owned(),
            task_queue: names.task_queue.clone(),
        };
        let temporal = temporal::connect(&settings, "chaos", Duration::from_secs(60)).await?;
        dev_server::ensure_search_attributes(&temporal).await?;

        let api_port = free_port()?;
        let common = Common {
            bin_dir: paths.bin_dir.clone(),
            database_url: database_url.clone(),
            aws_endpoint: aws_endpoint.clone(),
            temporal_address: temporal_address.clone(),
            names: names.clone(),
            stripe_base: stripe.base_url.clone(),
            jwt_secret: Uuid::new_v4().to_string(),
            web_dir: paths.logs.join("no-web-app"),
        };
        binary(&paths.bin_dir, "worker")?;
        binary(&paths.bin_dir, "api")?;
        let worker_recipe: Recipe = {
            let common = common.clone();
            Arc::new(move || common.command("worker"))
        };
        let api_recipe: Recipe = {
            let common = common.clone();
            Arc::new(move || {
                let mut api = common.command("api");
                api.env("APP_HTTP__PORT", api_port.to_string())
                    .env("APP_AUTH__JWT_SECRET", &common.jwt_secret)
                    // Clients keep their token through the whole run.
                    .env("APP_AUTH__TOKEN_TTL_SECS", "86400")
                    .env("APP_RATE_LIMIT__AUTH_REQUESTS", UNLIMITED)
                    .env("APP_RATE_LIMIT__USER_REQUESTS", UNLIMITED)
                    .env("APP_HTTP__WEB_DIR", &common.web_dir);
                api
            })
        };
        let worker = Process::start(
            "worker",
            worker_recipe,
            paths.logs.join("worker.log"),
            pid_file.clone(),
        )
        .await?;
        let api = Process::start(
            "API",
            api_recipe,
            paths.logs.join("api.log"),
            pid_file.clone(),
        )
        .await?;
        let db = PgPool::connect(&database_url)
            .await
            .context("connecting to the suite's database")?;
        let stack = Self {
            api_base: format!("http://127.0.0.1:{api_port}"),
            names,
            temporal,
            db,
            stripe,
            aws_endpoint,
            temporal_server,
            api,
            worker,
            temporal_address,
        };
        stack.wait_for_api(Duration::from_secs(90), true).await?;
        Ok(stack)
    }

    /// Waits until the API answers `/readyz` (PostgreSQL and Temporal reachable); fails after
    /// `timeout`, or at start-up (`starting`) when a process exits meanwhile (later the
    /// supervisor starts it again).
    pub async fn wait_for_api(&self, timeout: Duration, starting: bool) -> anyhow::Result<()> {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + timeout;
        loop {
            let processes = [&self.api, &self.worker, &self.temporal_server];
            for process in processes.into_iter().filter(|_| starting) {
                if let Some(status) = process.exited() {
                    bail!(
                        "the {} exited ({status}); see {}",
                        process.name,
                        process.log().display()
                    );
                }
            }
            let ready = http
                .get(format!("{}/readyz", self.api_base))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "the API was not ready within {timeout:?}; see {}",
                    self.api.log().display()
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until the Temporal server answers again (after a restart).
    pub async fn wait_for_temporal(&self, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let answered = self
                .temporal
                .connection()
                .workflow_service()
                .get_system_info(GetSystemInfoRequest::default().into_request())
                .await;
            match answered {
                Ok(_) => return Ok(()),
                Err(error) if Instant::now() > deadline => {
                    bail!(
                        "Temporal at {} did not answer within {timeout:?}: {error}",
                        self.temporal_address
                    )
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        }
    }

    /// Stops everything the suite started: the API and the worker first, then Temporal.
    pub async fn stop(&self) {
        let grace = Duration::from_secs(10);
        tokio::join!(self.api.stop(grace), self.worker.stop(grace));
        self.temporal_server.stop(grace).await;
    }
}

/// What the API and the worker are both configured with.
#[derive(Clone)]
struct Common {
    bin_dir: PathBuf,
    database_url: String,
    aws_endpoint: String,
    temporal_address: String,
    names: Names,
    stripe_base: String,
    jwt_secret: String,
    web_dir: PathBuf,
}

impl Common {
    fn command(&self, binary: &str) -> Command {
        let mut command = Command::new(self.bin_dir.join(binary));
        let names = &self.names;
        command
            .env("APP_DATABASE__URL", &self.database_url)
            .env("APP_AWS__ENDPOINT_URL", &self.aws_endpoint)
            .env("APP_TEMPORAL__ADDRESS", &self.temporal_address)
            .env("APP_TEMPORAL__TASK_QUEUE", &names.task_queue)
            .env("APP_DOCUMENTS__BUCKET", &names.bucket)
            .env("APP_EVENTS__QUEUE_NAME", &names.queue)
            .env(
                "APP_EVENTS__DEAD_LETTER_QUEUE_NAME",
                &names.dead_letter_queue,
            )
            .env("APP_REDIS__KEY_PREFIX", &names.redis_prefix)
            .env("APP_STRIPE__API_BASE", &self.stripe_base)
            .env("APP_STRIPE__SECRET_KEY", stripe::SECRET_KEY)
            .env("APP_STRIPE__WEBHOOK_SECRET", stripe::WEBHOOK_SECRET)
            .env("APP_STRIPE__RECONCILIATION_SCHEDULE", "false")
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()),
            );
        command
    }
}
