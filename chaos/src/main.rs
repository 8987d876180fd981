//! `chaos`: the fault-injection suite. Starts the product (its own Temporal dev server, the
//! `api` and `worker` binaries, the fake Stripe), runs a paced workload from concurrent clients
//! that retry as real ones do, kills the worker, the API and Temporal with `kill -9` meanwhile,
//! waits until the product is quiet, then sets what the clients were told against what was
//! recorded. Exits 1 when an invariant failed. `scripts/chaos` provides PostgreSQL, Redis and
//! moto, builds the binaries and runs it.

mod checks;
mod client;
mod consumer;
mod dev_server;
mod evidence;
mod faults;
mod figures;
mod process;
mod report;
mod settle;
mod stack;
mod timeline;
mod workload;

use clap::Parser;
use faults::{FaultPlan, Injector};
use report::{Report, Sizes};
use stack::{Paths, Stack};
use std::{
    path::PathBuf,
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};
use timeline::Timeline;
use workload::Workload;

#[derive(Parser)]
#[command(
    about = "Kills the product's processes while clients work, then checks that every \
                   invoice and payment was recorded exactly once"
)]
struct Cli {
    /// The bounded size scripts/test runs: 20 invoices, 8 worker kills, 1 API kill, 1 Temporal
    /// restart (each overridable below).
    #[arg(long)]
    bounded: bool,
    /// Invoices in the workload [full size: 70].
    #[arg(long)]
    invoices: Option<usize>,
    /// `kill -9` of the worker, each followed by a new worker [30].
    #[arg(long)]
    worker_kills: Option<usize>,
    /// `kill -9` of the API while payments are in flight, each followed by a new API [2].
    #[arg(long)]
    api_kills: Option<usize>,
    /// `kill -9` of the Temporal server, each followed by a restart on its file [1].
    #[arg(long)]
    temporal_restarts: Option<usize>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 6)]
    clients: usize,
    /// Mean seconds between two worker kills (at least; the kills are also spread over the
    /// invoices done).
    #[arg(long, default_value_t = 3.0)]
    worker_kill_every: f64,
    /// Pause of each client between two invoices, in milliseconds.
    #[arg(long, default_value_t = 300)]
    pace_ms: u64,
    /// How long a client retries a request before it gives up (longer than the 5 minutes an
    /// interrupted request's Idempotency-Key is held).
    #[arg(long, default_value_t = 420)]
    client_deadline: u64,
    /// How long to wait for the product to settle after the workload.
    #[arg(long, default_value_t = 600)]
    settle_timeout: u64,
    /// Where report.md, report.json and the processes' logs go.
    #[arg(long)]
    out: PathBuf,
    /// Where the product's `api` and `worker` binaries are.
    #[arg(long)]
    bin_dir: PathBuf,
    /// The `temporal` CLI.
    #[arg(long)]
    temporal_bin: PathBuf,
    /// The Temporal dev server's SQLite file (replaced).
    #[arg(long)]
    temporal_db: PathBuf,
}

impl Cli {
    fn sizes(&self) -> Sizes {
        let (invoices, workers, apis, temporals) = if self.bounded {
            Sizes::BOUNDED
        } else {
            Sizes::FULL
        };
        Sizes {
            bounded: self.bounded,
            invoices: self.invoices.unwrap_or(invoices),
            clients: self.clients.max(1),
            worker_kills: self.worker_kills.unwrap_or(workers),
            api_kills: self.api_kills.unwrap_or(apis),
            temporal_restarts: self.temporal_restarts.unwrap_or(temporals),
            client_deadline_secs: self.client_deadline,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    invoicing_platform::telemetry::init_with_default("warn");
    let cli = Cli::parse();
    match run(cli).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("[chaos] ERROR: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the suite; `Ok(false)` when an invariant failed.
async fn run(cli: Cli) -> anyhow::Result<bool> {
    let paths = Paths {
        bin_dir: cli.bin_dir.clone(),
        temporal_bin: cli.temporal_bin.clone(),
        temporal_db: cli.temporal_db.clone(),
        logs: cli.out.join("logs"),
    };
    let _ = std::fs::remove_dir_all(&paths.logs);
    eprintln!(
        "[chaos] starting Temporal, the worker and the API (logs in {})",
        paths.logs.display()
    );
    let stack = Arc::new(Stack::start(&paths).await?);
    let outcome = tokio::select! {
        outcome = exercise(&stack, &cli) => outcome,
        () = invoicing_platform::shutdown::signal() => Err(anyhow::anyhow!("interrupted")),
    };
    eprintln!("[chaos] stopping the API, the worker and Temporal");
    stack.stop().await;
    let report = outcome?;
    println!("{}", report.markdown());
    report.write(&cli.out)?;
    println!("(also in {}/report.md and report.json)", cli.out.display());
    Ok(report.passed())
}

async fn exercise(stack: &Arc<Stack>, cli: &Cli) -> anyhow::Result<Report> {
    let started_at = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
    let started = Instant::now();
    let sizes = cli.sizes();
    let timeline = Arc::new(Timeline::new());
    let api = client::Api::new(
        &stack.api_base,
        timeline.clone(),
        Duration::from_secs(sizes.client_deadline_secs),
    );
    let (_, sqs) = evidence::aws_clients(stack).await;
    let consumer = consumer::Consumer::start(sqs, stack.names.queue.clone());
    let run_tag = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let accounts = workload::register(&api, &run_tag, 2).await?;
    let mut workload = Workload::new(
        api.clone(),
        stack.stripe.clone(),
        accounts,
        sizes.invoices,
        run_tag,
    );
    workload.clients = sizes.clients;
    workload.pace = Duration::from_millis(cli.pace_ms);
    let workload = Arc::new(workload);

    let stop = Arc::new(AtomicBool::new(false));
    let supervisor = tokio::spawn(faults::supervise(
        stack.clone(),
        timeline.clone(),
        stop.clone(),
    ));
    let injector = Injector {
        stack: stack.clone(),
        timeline: timeline.clone(),
        workload: workload.clone(),
        plan: FaultPlan {
            worker_kills: sizes.worker_kills,
            api_kills: sizes.api_kills,
            temporal_restarts: sizes.temporal_restarts,
            worker_kill_every: Duration::from_secs_f64(cli.worker_kill_every.max(0.5)),
        },
    };
    eprintln!(
        "[chaos] workload: {} invoices from {} clients; faults: {} worker kills, {} API kills, {} Temporal restarts",
        sizes.invoices, sizes.clients, sizes.worker_kills, sizes.api_kills, sizes.temporal_restarts
    );
    let clients = async {
        workload.run().await;
        let secs = timeline.now();
        eprintln!("[chaos] {secs:>6.1}s the clients are done");
        secs
    };
    let (workload_secs, injected) = tokio::join!(clients, injector.run());
    // A process that did not come back is a finding: the checks still run.
    let fault_errors: Vec<String> = injected
        .err()
        .map(|error| format!("{error:#}"))
        .into_iter()
        .collect();
    for error in &fault_errors {
        eprintln!("[chaos] injecting the faults failed: {error}");
    }
    eprintln!(
        "[chaos] {:>6.1}s every fault injected; waiting for the product to settle",
        timeline.now()
    );
    let (unsettled, settle_secs) =
        settle::settle(stack, Duration::from_secs(cli.settle_timeout)).await?;
    stop.store(true, Ordering::SeqCst);
    let _ = supervisor.await;
    eprintln!(
        "[chaos] {:>6.1}s settled; reading what was recorded",
        timeline.now()
    );

    let events = consumer.drain(Duration::from_secs(3)).await?;
    let evidence = evidence::Evidence::gather(stack).await?;
    let runs = workload.results();
    let faults = timeline.faults();
    let mut records = api.records();
    for record in &mut records {
        record.crashes_meanwhile = timeline::overlapping(&faults, record.sent_at, record.ended_at)
            .iter()
            .map(|fault| format!("{} at {:.1}s", fault.kind.label(), fault.at))
            .collect();
    }
    let checks = checks::run(&runs, &evidence);
    let figures = figures::measure(&runs, &evidence, &events, &records, &faults);
    Ok(Report {
        started_at,
        sizes,
        workload_secs,
        settle_secs,
        total_secs: started.elapsed().as_secs_f64(),
        unsettled,
        fault_errors,
        checks,
        figures,
        faults,
        invoices: runs,
        requests: records,
    })
}
