//! The worker, in-process, on a thread of its own: its future is not `Send`.

use super::database::TestDatabase;
use invoicing_platform::{config::Environment, temporal::TemporalSettings};
use invoicing_worker::{InvoiceWorker, WorkerSettings};
use tokio::sync::oneshot;

/// A worker running on its own thread until the handle is dropped. The thread is not joined:
/// a failing test must not hang waiting for the worker to finish its tasks.
pub struct WorkerThread {
    stop: Option<oneshot::Sender<()>>,
}

impl WorkerThread {
    pub async fn start(settings: invoicing_worker::Settings) -> Self {
        let (ready_tx, ready_rx) = oneshot::channel::<Result<(), String>>();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("worker runtime");
            runtime.block_on(async move {
                let worker = match InvoiceWorker::build(&settings).await {
                    Ok(worker) => worker,
                    Err(error) => {
                        let _ = ready_tx.send(Err(format!("{error:#}")));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                if let Err(error) = worker
                    .run_until(async {
                        let _ = stop_rx.await;
                    })
                    .await
                {
                    eprintln!("test worker stopped with an error: {error:#}");
                }
            });
        });
        ready_rx
            .await
            .expect("the worker thread reports whether it started")
            .unwrap_or_else(|error| panic!("starting the worker: {error}"));
        Self {
            stop: Some(stop_tx),
        }
    }
}

impl Drop for WorkerThread {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub fn worker_settings(
    db: &TestDatabase,
    temporal: &TemporalSettings,
) -> invoicing_worker::Settings {
    invoicing_worker::Settings {
        environment: Environment::Local,
        database: db.settings(),
        temporal: temporal.clone(),
        worker: WorkerSettings {
            max_concurrent_activities: 20,
            max_concurrent_workflow_tasks: 20,
            max_cached_workflows: 100,
        },
    }
}
