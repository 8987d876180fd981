//! The faults, injected while the workload runs: `kill -9` of the worker every few seconds
//! (then a new one), of the API while payments are in flight (then a new one on the same port),
//! and of the Temporal server (then a new one on the same SQLite file and ports). A supervisor
//! starts again any process that exits by itself, and counts it.

use crate::{
    stack::Stack,
    timeline::{FaultKind, Timeline},
    workload::Workload,
};
use rand::Rng;
use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

/// How many of each, and how often the worker dies.
#[derive(Clone, Copy, Debug)]
pub struct FaultPlan {
    pub worker_kills: usize,
    pub api_kills: usize,
    pub temporal_restarts: usize,
    /// Mean time between two worker kills.
    pub worker_kill_every: Duration,
}

pub struct Injector {
    pub stack: Arc<Stack>,
    pub timeline: Arc<Timeline>,
    pub workload: Arc<Workload>,
    pub plan: FaultPlan,
}

impl Injector {
    /// Injects every fault of the plan; returns when the last one's process runs again.
    pub async fn run(&self) -> anyhow::Result<()> {
        let (workers, apis, temporals) = tokio::join!(
            self.kill_workers(),
            self.kill_apis(),
            self.restart_temporal()
        );
        workers.and(apis).and(temporals)
    }

    /// Every few seconds, and spread over the workload: kill `n` also waits until that share
    /// of the invoices is done, so that a slowed product is not killed again and again before
    /// the clients get anywhere, and a fast one still meets its kills while it works.
    async fn kill_workers(&self) -> anyhow::Result<()> {
        let count = self.plan.worker_kills;
        for n in 0..count {
            let every = self.plan.worker_kill_every.as_secs_f64();
            let wait = rand::thread_rng().gen_range(every * 0.5..=every * 1.5);
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
            self.wait_for_progress(n as f64 / (count + 1) as f64).await;
            let worker = &self.stack.worker;
            worker.kill9().await?;
            let fault = self.timeline.fault(
                FaultKind::WorkerKill,
                format!("worker kill {} of {count}", n + 1),
            );
            let down = rand::thread_rng().gen_range(200..1500);
            tokio::time::sleep(Duration::from_millis(down)).await;
            worker.restart().await?;
            self.timeline.back(fault);
            eprintln!(
                "[chaos] {:>6.1}s worker killed and started again ({} of {count})",
                self.timeline.now(),
                n + 1
            );
        }
        Ok(())
    }

    /// Spread over the workload: kill `n` when that share of the invoices is done, at a
    /// moment when payments are in flight.
    async fn kill_apis(&self) -> anyhow::Result<()> {
        let count = self.plan.api_kills;
        for n in 0..count {
            self.wait_for_progress((n + 1) as f64 / (count + 1) as f64)
                .await;
            // The worst moment: the API is working on a payment, its Idempotency-Key claimed
            // a moment ago (so the update is on its way to the workflow) and not yet answered.
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut in_flight = 0;
            while in_flight == 0 && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(5)).await;
                let keys = self.workload.api.payments_in_flight();
                if !keys.is_empty() {
                    in_flight = sqlx::query_scalar::<_, i64>(
                        "SELECT count(*) FROM idempotency_keys \
                         WHERE key = ANY($1) AND completed_at IS NULL \
                           AND created_at < now() - interval '100 milliseconds'",
                    )
                    .bind(&keys)
                    .fetch_one(&self.stack.db)
                    .await?;
                }
            }
            self.stack.api.kill9().await?;
            let fault = self.timeline.fault(
                FaultKind::ApiKill,
                format!(
                    "API kill {} of {count}, {in_flight} payment(s) in flight",
                    n + 1
                ),
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
            self.stack.api.restart().await?;
            self.stack
                .wait_for_api(Duration::from_secs(90), false)
                .await?;
            self.timeline.back(fault);
            eprintln!(
                "[chaos] {:>6.1}s API killed with {in_flight} payment(s) in flight, and started again ({} of {count})",
                self.timeline.now(),
                n + 1
            );
        }
        Ok(())
    }

    /// Between the API's kills: at 30%, 60%... of the workload.
    async fn restart_temporal(&self) -> anyhow::Result<()> {
        let count = self.plan.temporal_restarts;
        for n in 0..count {
            self.wait_for_progress((n as f64 + 0.6) / (count as f64 + 1.0))
                .await;
            self.stack.temporal_server.kill9().await?;
            let fault = self.timeline.fault(
                FaultKind::TemporalRestart,
                format!("Temporal kill {} of {count}", n + 1),
            );
            tokio::time::sleep(Duration::from_secs(2)).await;
            self.stack.temporal_server.restart().await?;
            self.stack
                .wait_for_temporal(Duration::from_secs(90))
                .await?;
            self.timeline.back(fault);
            eprintln!(
                "[chaos] {:>6.1}s Temporal killed and started again on its file ({} of {count})",
                self.timeline.now(),
                n + 1
            );
        }
        Ok(())
    }

    /// Until `share` of the invoices is done (or the workload is over).
    async fn wait_for_progress(&self, share: f64) {
        while self.workload.progress() < share && !self.workload.done.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Starts again, and counts, any process that exits by itself, until `stop` is set.
pub async fn supervise(stack: Arc<Stack>, timeline: Arc<Timeline>, stop: Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        for process in [&stack.temporal_server, &stack.worker, &stack.api] {
            if let Some(status) = process.exited() {
                let fault = timeline.fault(
                    FaultKind::UnexpectedExit,
                    format!("the {} exited by itself ({status})", process.name),
                );
                eprintln!(
                    "[chaos] {:>6.1}s the {} exited by itself ({status}); starting it again",
                    timeline.now(),
                    process.name
                );
                tokio::time::sleep(Duration::from_millis(500)).await;
                match process.restart().await {
                    Ok(()) => timeline.back(fault),
                    Err(error) => eprintln!("[chaos] could not start it again: {error:#}"),
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
