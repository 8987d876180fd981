//! The lifecycle events' downstream consumer, as production has one: it receives and deletes
//! what the worker publishes to the SQS queue. Without it the local queue only grows, and the
//! local AWS endpoint (moto, in Python) slows down with it, which would be measured as the
//! product slowing down: moto counts a queue's messages on every send, one by one.
//!
//! So it keeps up: several receivers, ten messages per receive, one batch delete per receive.

use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, QueueAttributeName};
use invoicing_platform::aws::{self, AwsSettings};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};
use tokio::task::JoinHandle;

/// Receivers at once. The queue is FIFO, grouped by invoice, so they take different invoices'
/// events.
const RECEIVERS: usize = 4;

pub struct Consumer {
    consumed: Arc<AtomicU64>,
    task: JoinHandle<()>,
    sqs: aws_sdk_sqs::Client,
    queue: String,
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
        let (client, name) = (sqs.clone(), queue.clone());
        let task = tokio::spawn(async move {
            let url = loop {
                match sqs.get_queue_url().queue_name(&queue).send().await {
                    Ok(found) => break found.queue_url.unwrap_or_default(),
                    Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
                }
            };
            let receivers = (0..RECEIVERS).map(|_| {
                let (sqs, url, counter) = (sqs.clone(), url.clone(), counter.clone());
                async move {
                    loop {
                        if receive_and_delete(&sqs, &url, &counter).await.is_err() {
                            tokio::time::sleep(Duration::from_millis(500)).await;
                        }
                    }
                }
            });
            futures::future::join_all(receivers).await;
        });
        Ok(Self {
            consumed,
            task,
            sqs: client,
            queue: name,
        })
    }

    /// Events received and deleted so far.
    pub fn consumed(&self) -> u64 {
        self.consumed.load(Ordering::Relaxed)
    }

    /// Events on the queue not yet deleted, visible or in flight (0 before the worker has
    /// created the queue).
    pub async fn backlog(&self) -> anyhow::Result<i64> {
        let Ok(found) = self
            .sqs
            .get_queue_url()
            .queue_name(&self.queue)
            .send()
            .await
        else {
            return Ok(0);
        };
        let attributes = self
            .sqs
            .get_queue_attributes()
            .queue_url(found.queue_url.unwrap_or_default())
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await?
            .attributes
            .unwrap_or_default();
        Ok(attributes
            .values()
            .filter_map(|count| count.parse::<i64>().ok())
            .sum())
    }
}

/// One receive (up to ten messages, waiting up to a second for them) and one batch delete.
async fn receive_and_delete(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
    counter: &AtomicU64,
) -> anyhow::Result<()> {
    let received = sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .wait_time_seconds(1)
        .send()
        .await?;
    let entries = received
        .messages
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(i, message)| {
            DeleteMessageBatchRequestEntry::builder()
                .id(i.to_string())
                .set_receipt_handle(message.receipt_handle)
                .build()
                .ok()
        })
        .collect::<Vec<_>>();
    if entries.is_empty() {
        return Ok(());
    }
    let deleted = sqs
        .delete_message_batch()
        .queue_url(url)
        .set_entries(Some(entries))
        .send()
        .await?;
    counter.fetch_add(deleted.successful.len() as u64, Ordering::Relaxed);
    Ok(())
}

impl Drop for Consumer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
