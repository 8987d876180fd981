//! `bench`: measures the product (release builds of `api` and `worker`, started here) scenario
//! by scenario against baselines measured in the same run, and writes `bench.md` and
//! `bench.json`. `scripts/bench` builds it, brings up what it needs and runs it.
//!
//! `bench baseline-worker --task-queue Q` is the baseline's worker process (started by `bench`).

mod baseline;
mod client;
mod consumer;
mod cpu;
mod load;
mod report;
mod scenarios;
mod stack;
mod time_skipping;

use clap::{Parser, Subcommand, ValueEnum};
use futures::FutureExt;
use report::{Machine, Report, Row};
use scenarios::Bench;
use std::{panic::AssertUnwindSafe, path::PathBuf, time::Instant};

#[derive(Parser)]
#[command(about = "Benchmarks of the whole product against baselines measured in the same run")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the scenarios (the default: all of them).
    Run {
        /// Only these scenarios.
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<Scenario>,
        /// Where bench.md and bench.json go, and the processes' logs.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/bench"))]
        out: PathBuf,
    },
    /// The baseline's worker process.
    BaselineWorker {
        #[arg(long)]
        task_queue: String,
    },
}

/// In the order they run: the open invoices of `scale` stay, so it comes last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scenario {
    Pdf,
    Read,
    Create,
    Webhooks,
    Lifecycle,
    History,
    Aging,
    Export,
    Scale,
}

const ALL: [Scenario; 9] = [
    Scenario::Pdf,
    Scenario::Read,
    Scenario::Create,
    Scenario::Webhooks,
    Scenario::Lifecycle,
    Scenario::History,
    Scenario::Aging,
    Scenario::Export,
    Scenario::Scale,
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    invoicing_platform::telemetry::init_with_default("warn");
    match Cli::parse().command.unwrap_or(Command::Run {
        only: Vec::new(),
        out: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/bench")),
    }) {
        Command::BaselineWorker { task_queue } => baseline::run_worker(task_queue).await,
        Command::Run { only, out } => {
            run(if only.is_empty() { ALL.to_vec() } else { only }, out).await
        }
    }
}

async fn run(scenarios: Vec<Scenario>, out: PathBuf) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut report = Report {
        started_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        seconds: 0.0,
        machine: Machine::describe(),
        rows: Vec::new(),
    };
    let stack = stack::Stack::start(&out.join("logs")).await?;
    let api = client::Api::new(&stack.api);
    let consumer = consumer::Consumer::start().await?;
    let mut bench = Bench {
        stack,
        api,
        consumer,
        books: None,
    };
    let mut failed = Vec::new();
    // Interrupted (Ctrl-C, SIGTERM): the scenarios stop, and `bench` is dropped, which stops
    // the processes it started.
    let all = run_scenarios(
        &scenarios,
        &mut bench,
        &mut report,
        &out,
        &mut failed,
        started,
    );
    let interrupted = tokio::select! {
        result = all => {
            result?;
            false
        }
        () = invoicing_platform::shutdown::signal() => true,
    };
    if interrupted {
        eprintln!("[bench] interrupted: stopping the API and the workers (at most 30 s)");
    }
    eprintln!(
        "[bench] the events' consumer received and deleted {} lifecycle events",
        bench.consumer.consumed()
    );
    drop(bench);
    if interrupted {
        failed.push("interrupted".to_owned());
    }
    println!("{}", report.markdown());
    println!("(also in {}/bench.md and bench.json)", out.display());
    if !failed.is_empty() {
        anyhow::bail!(
            "{} scenario(s) failed:\n{}",
            failed.len(),
            failed.join("\n")
        );
    }
    Ok(())
}

async fn run_scenarios(
    scenarios: &[Scenario],
    bench: &mut Bench,
    report: &mut Report,
    out: &std::path::Path,
    failed: &mut Vec<String>,
    started: Instant,
) -> anyhow::Result<()> {
    for scenario in ALL.into_iter().filter(|s| scenarios.contains(s)) {
        eprintln!("[bench] {scenario:?}...");
        let scenario_started = Instant::now();
        let outcome = AssertUnwindSafe(measure(scenario, bench))
            .catch_unwind()
            .await
            .unwrap_or_else(|panic| Err(anyhow::anyhow!("panicked: {}", panic_message(&panic))));
        match outcome {
            Ok(rows) => {
                for row in rows {
                    eprintln!("{}", row.line());
                    report.rows.push(row);
                }
            }
            Err(error) => {
                eprintln!("[bench] {scenario:?} FAILED: {error:#}");
                failed.push(format!("{scenario:?}: {error:#}"));
            }
        }
        // What this scenario set going must not be measured as part of the next.
        if let Err(error) = scenarios::quiet(bench).await {
            failed.push(format!("after {scenario:?}: {error:#}"));
        }
        eprintln!(
            "[bench] {scenario:?} took {:.0} s",
            scenario_started.elapsed().as_secs_f64()
        );
        report.seconds = started.elapsed().as_secs_f64();
        report.write(out)?;
    }
    Ok(())
}

async fn measure(scenario: Scenario, bench: &mut Bench) -> anyhow::Result<Vec<Row>> {
    match scenario {
        Scenario::Pdf => scenarios::pdf::run().await,
        Scenario::Read => scenarios::read::run(bench).await,
        Scenario::Create => scenarios::create::run(bench).await,
        Scenario::Webhooks => scenarios::webhooks::run(bench).await,
        Scenario::Lifecycle => scenarios::lifecycle::run(bench).await,
        Scenario::History => scenarios::history::run(bench).await,
        Scenario::Aging => scenarios::aging::run(bench).await,
        Scenario::Export => scenarios::export::run(bench).await,
        Scenario::Scale => scenarios::scale::run(bench).await,
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(no message)".to_owned())
}
