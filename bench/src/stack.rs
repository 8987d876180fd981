//! The product under measurement: the release `api` and `worker` binaries as processes,
//! configured through `APP_*` variables like production, plus the baseline's worker process.
//! `scripts/bench` provides PostgreSQL (migrated), Redis, the Temporal dev server and the local
//! AWS endpoint through the usual `APP_*` variables; Stripe is the tests' faithful fake
//! (`invoicing-fakes`).

use anyhow::{Context, bail};
use invoicing_fakes::{FakeStripe, stripe};
use invoicing_platform::temporal::{self, TemporalSettings};
use sqlx::PgPool;
use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};
use temporalio_client::Client;
use uuid::Uuid;

/// Requests per window an account may make: far above what the benchmark sends, so that the
/// limiter's own cost is measured but it never refuses.
const UNLIMITED: &str = "100000000";

pub struct Stack {
    /// The API's base address, `http://127.0.0.1:<port>`.
    pub api: String,
    pub temporal: Client,
    /// The product's task queue (this run's own).
    pub task_queue: String,
    /// The baseline's task queue.
    pub baseline_queue: String,
    pub stripe: FakeStripe,
    pub db: PgPool,
    redis_prefix: String,
    api_process: Child,
    worker_process: Child,
    baseline_process: Child,
    logs: PathBuf,
}

/// Where the release binaries are: next to this one.
fn sibling(name: &str) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("the benchmark's own path")?;
    let path = exe.with_file_name(name);
    if !path.exists() {
        bail!(
            "{} is missing: build it with `cargo build --release --bin {name}` (scripts/bench does)",
            path.display()
        );
    }
    Ok(path)
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A product binary with this run's configuration on top of the environment's `APP_*`.
pub fn product_command(
    name: &str,
    task_queue: &str,
    redis_prefix: &str,
    stripe: &FakeStripe,
) -> anyhow::Result<Command> {
    let mut command = Command::new(sibling(name)?);
    command
        .env("APP_TEMPORAL__TASK_QUEUE", task_queue)
        .env("APP_REDIS__KEY_PREFIX", redis_prefix)
        .env("APP_STRIPE__API_BASE", &stripe.base_url)
        .env("APP_STRIPE__SECRET_KEY", stripe::SECRET_KEY)
        .env("APP_STRIPE__WEBHOOK_SECRET", stripe::WEBHOOK_SECRET)
        .env("APP_STRIPE__RECONCILIATION_SCHEDULE", "false")
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()),
        );
    Ok(command)
}

pub fn spawn(mut command: Command, log: &Path) -> anyhow::Result<Child> {
    let out = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    command
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()
        .with_context(|| format!("starting {command:?}"))
}

impl Stack {
    /// Starts the API, the worker and the baseline worker; returns once the API answers.
    pub async fn start(logs: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(logs)?;
        let run = Uuid::new_v4().simple().to_string()[..8].to_owned();
        let task_queue = format!("invoices-bench-{run}");
        let baseline_queue = format!("baseline-bench-{run}");
        let stripe = FakeStripe::start().await;
        let port = free_port()?;
        let redis_prefix = format!("bench-{run}:");

        let api = api_command(port, &task_queue, &redis_prefix, &stripe)?;
        let api_process = spawn(api, &logs.join("api.log"))?;
        let worker = product_command("worker", &task_queue, &redis_prefix, &stripe)?;
        let worker_process = spawn(worker, &logs.join("worker.log"))?;

        let mut baseline = Command::new(std::env::current_exe()?);
        baseline.args(["baseline-worker", "--task-queue", &baseline_queue]);
        let baseline_process = spawn(baseline, &logs.join("baseline-worker.log"))?;

        let settings = TemporalSettings {
            address: std::env::var("APP_TEMPORAL__ADDRESS")
                .unwrap_or_else(|_| TemporalSettings::DEFAULT_ADDRESS.to_owned()),
            namespace: "default".to_owned(),
            task_queue: task_queue.clone(),
        };
        let temporal = temporal::connect(&settings, "bench", Duration::from_secs(30)).await?;
        let database_url = std::env::var("APP_DATABASE__URL")
            .context("APP_DATABASE__URL: the benchmark's database (scripts/bench sets it)")?;
        let db = PgPool::connect(&database_url).await?;

        let mut stack = Self {
            api: format!("http://127.0.0.1:{port}"),
            temporal,
            task_queue,
            baseline_queue,
            stripe,
            db,
            redis_prefix,
            api_process,
            worker_process,
            baseline_process,
            logs: logs.to_owned(),
        };
        stack.wait_until_ready().await?;
        Ok(stack)
    }

    async fn wait_until_ready(&mut self) -> anyhow::Result<()> {
        wait_until_ready(
            &self.api,
            &mut [
                ("api", &mut self.api_process),
                ("worker", &mut self.worker_process),
                ("baseline-worker", &mut self.baseline_process),
            ],
            &self.logs,
        )
        .await
    }

    /// Replaces the worker process with a fresh one (an empty workflow cache, memory as at
    /// start-up); workflows continue on it where they were.
    pub async fn restart_worker(&mut self) -> anyhow::Result<()> {
        // Waited for on the runtime, not by blocking it: an interrupt must still be heard.
        terminate(&mut self.worker_process);
        let deadline = Instant::now() + GRACE;
        while Instant::now() < deadline && self.worker_process.try_wait()?.is_none() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        reap(&mut self.worker_process, deadline);
        let worker = product_command("worker", &self.task_queue, &self.redis_prefix, &self.stripe)?;
        self.worker_process = spawn(worker, &self.logs.join("worker-restarted.log"))?;
        Ok(())
    }

    /// The worker process's resident memory, in MiB.
    pub fn worker_rss_mib(&self) -> anyhow::Result<f64> {
        rss_mib(self.worker_pid())
    }

    pub fn worker_pid(&self) -> u32 {
        self.worker_process.id()
    }

    pub fn api_pid(&self) -> u32 {
        self.api_process.id()
    }

    /// Where the processes' logs go.
    pub fn logs(&self) -> &Path {
        &self.logs
    }
}

/// The API process's command: on `port`, with a secret of its own and a rate limit it never
/// reaches.
pub fn api_command(
    port: u16,
    task_queue: &str,
    redis_prefix: &str,
    stripe: &FakeStripe,
) -> anyhow::Result<Command> {
    let mut api = product_command("api", task_queue, redis_prefix, stripe)?;
    api.env("APP_HTTP__PORT", port.to_string())
        .env("APP_AUTH__JWT_SECRET", Uuid::new_v4().to_string())
        .env("APP_RATE_LIMIT__AUTH_REQUESTS", UNLIMITED)
        .env("APP_RATE_LIMIT__USER_REQUESTS", UNLIMITED);
    Ok(api)
}

/// Waits until the API at `api` answers `/readyz`; fails as soon as one of `processes` exits
/// (each logs to `<logs>/<name>.log`), or after 60 s.
pub async fn wait_until_ready(
    api: &str,
    processes: &mut [(&str, &mut Child)],
    logs: &Path,
) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        for (name, child) in processes.iter_mut() {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "the {name} process exited ({status}); see {}",
                    logs.join(format!("{name}.log")).display()
                );
            }
        }
        let ready = http
            .get(format!("{api}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ready {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "the API did not become ready within 60 s; see {}",
                logs.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Stops `children` together: SIGTERM to all, then each is waited for until one shared grace
/// period ends, and killed if it has not exited by then.
pub fn stop(children: &mut [&mut Child]) {
    for child in children.iter_mut() {
        terminate(child);
    }
    let deadline = Instant::now() + GRACE;
    for child in children.iter_mut() {
        reap(child, deadline);
    }
}

/// A process's resident memory, in MiB (from `/proc/<pid>/status`).
pub fn rss_mib(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("VmRSS in /proc/{pid}/status"))?;
    Ok(kib / 1024.0)
}

impl Drop for Stack {
    /// Stops the three processes together, so that an interrupted run ends within one grace
    /// period, not three.
    fn drop(&mut self) {
        stop(&mut [
            &mut self.api_process,
            &mut self.worker_process,
            &mut self.baseline_process,
        ]);
    }
}

/// How long a process may take to shut down gracefully after SIGTERM (the worker finishes the
/// tasks in hand) before it is killed, as Kubernetes would give it.
const GRACE: Duration = Duration::from_secs(30);

fn terminate(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}

/// Waits for a terminated process until `deadline`, then kills it.
fn reap(child: &mut Child, deadline: Instant) {
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}
