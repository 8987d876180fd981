//! The lifecycle events' downstream consumer, as production has one: it receives and deletes
//! what the worker publishes to the SQS queue. Without it the local queue only grows, and the
//! local AWS endpoint (moto, in Python) slows down with it, which would be measured as the
//! product slowing down.

use invoicing_platform::aws::{self, AwsSettings};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};
use tokio::task::JoinHandle;

pub struct Consumer {
    consumed: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl Consumer {
    /// Starts consuming `APP_EVENTS__QUEUE_NAME` (the worker's default otherwise) once the
    /// worker has created it.
    pub async fn start() -> anyhow::Result<Self> {
        let settings = AwsSettings {
            region: std::env::var("APP_AWS__REGION").unwrap_or_else(|_| "us-east-1".to_owned()),
            endpoint_url: Some(
                std::env::var("APP_AWS__ENDPOINT_URL")
                    .unwrap_or_else(|_| AwsSettings::LOCAL_ENDPOINT.to_owned()),
            ),
        };
        let queue = std::env::var("APP_EVENTS__QUEUE_NAME")
            .unwrap_or_else(|_| "invoice-events.fifo".to_owned());
        let sqs = aws_sdk_sqs::Client::new(&aws::sdk_config(&settings, 3).await);
        let consumed = Arc::new(AtomicU64::new(0));
        let counter = consumed.clone();
        let task = tokio::spawn(async move {
            let url = loop {
                match sqs.get_queue_url().queue_name(&queue).send().await {
                    Ok(found) => break found.queue_url.unwrap_or_default(),
                    Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
                }
            };
            loop {
                let received = sqs
                    .receive_message()
                    .queue_url(&url)
                    .max_number_of_messages(10)
                    .wait_time_seconds(1)
                    .send()
                    .await;
                let Ok(received) = received else {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                };
                for message in received.messages.unwrap_or_default() {
                    if let Some(handle) = message.receipt_handle {
                        let deleted = sqs
                            .delete_message()
                            .queue_url(&url)
                            .receipt_handle(handle)
                            .send()
                            .await;
                        if deleted.is_ok() {
                            counter.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
        });
        Ok(Self { consumed, task })
    }

    /// Events received and deleted so far.
    pub fn consumed(&self) -> u64 {
        self.consumed.load(Ordering::Relaxed)
    }
}

impl Drop for Consumer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
