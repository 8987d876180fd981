//! The worker, in-process, on a thread of its own: its future is not `Send`.

use super::{aws::AwsNames, database::TestDatabase};
use invoicing_activities::{email::EmailSettings, events::EventSettings};
use invoicing_platform::{
    aws::{AwsSettings, DocumentSettings},
    config::Environment,
    stripe::StripeSettings,
    temporal::TemporalSettings,
};
use invoicing_worker::{InvoiceWorker, WorkerSettings};
use std::net::SocketAddr;
use tokio::sync::oneshot;

/// A worker running on its own thread until the handle is dropped. The thread is not joined:
/// a failing test must not hang waiting for the worker to finish its tasks.
pub struct WorkerThread {
    stop: Option<oneshot::Sender<()>>,
    /// Where its Prometheus metrics are served, when the settings asked for them.
    pub metrics_address: Option<SocketAddr>,
    /// Where its probes are served, when the settings asked for them.
    pub health_address: Option<SocketAddr>,
}

impl WorkerThread {
    pub async fn start(settings: invoicing_worker::Settings) -> Self {
        type Addresses = (Option<SocketAddr>, Option<SocketAddr>);
        let (ready_tx, ready_rx) = oneshot::channel::<Result<Addresses, String>>();
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
                let _ = ready_tx.send(Ok((worker.metrics_address(), worker.health_address())));
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
        let (metrics_address, health_address) = ready_rx
            .await
            .expect("the worker thread reports whether it started")
            .unwrap_or_else(|error| panic!("starting the worker: {error}"));
        Self {
            stop: Some(stop_tx),
            metrics_address,
            health_address,
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

/// The moto server `scripts/test` starts, as the product's settings name it.
pub fn aws_settings() -> AwsSettings {
    AwsSettings {
        region: "us-east-1".to_owned(),
        endpoint_url: Some(super::aws::endpoint()),
    }
}

pub fn worker_settings(
    db: &TestDatabase,
    temporal: &TemporalSettings,
    names: &AwsNames,
) -> invoicing_worker::Settings {
    invoicing_worker::Settings {
        environment: Environment::Local,
        database: db.settings(),
        temporal: temporal.clone(),
        worker: WorkerSettings {
            max_concurrent_activities: 20,
            max_concurrent_workflow_tasks: 20,
            max_cached_workflows: 100,
            metrics_address: None,
            health_address: None,
            graceful_shutdown_secs: 5,
            sticky_schedule_to_start_secs: 3,
        },
        aws: aws_settings(),
        documents: DocumentSettings {
            bucket: names.bucket.clone(),
            kms_key_id: None,
        },
        email: EmailSettings {
            from_address: "billing@invoicing.local".to_owned(),
            from_name: "Invoicing".to_owned(),
            endpoint_url: None,
        },
        events: EventSettings {
            queue_name: names.queue.clone(),
            dead_letter_queue_name: names.dead_letter_queue.clone(),
            max_receive_count: 5,
        },
        // Online payments off until the harness points them at its fake Stripe.
        stripe: StripeSettings {
            api_base: StripeSettings::API_BASE.to_owned(),
            secret_key: None,
            webhook_secret: None,
            webhook_tolerance_secs: StripeSettings::WEBHOOK_TOLERANCE_SECS,
            watchdog_after_secs: 3600,
            checkout_return_url: "http://localhost:8080/invoices/{invoice_id}".to_owned(),
            reconciliation_schedule: false,
            reconciliation_days: 3,
        },
        redis: db.redis_settings(),
    }
}
