//! The lifecycle events' downstream: receives and deletes what the worker publishes to this
//! run's SQS queue while the run goes on (as production's consumer would; moto slows down as a
//! queue grows), keeps every message, and drains what is left at the end.

use aws_sdk_sqs::types::DeleteMessageBatchRequestEntry;
use serde_json::Value;
use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::task::JoinHandle;

pub struct Consumer {
    sqs: aws_sdk_sqs::Client,
    queue: String,
    received: Arc<Mutex<Vec<Value>>>,
    stop: Arc<AtomicBool>,
    task: Option<JoinHandle<()>>,
}

impl Consumer {
    /// Starts consuming `queue` once the worker has created it.
    pub fn start(sqs: aws_sdk_sqs::Client, queue: String) -> Self {
        let received: Arc<Mutex<Vec<Value>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let task = {
            let (sqs, queue, received, stop) =
                (sqs.clone(), queue.clone(), received.clone(), stop.clone());
            tokio::spawn(async move {
                let url = loop {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    match sqs.get_queue_url().queue_name(&queue).send().await {
                        Ok(found) => break found.queue_url.unwrap_or_default(),
                        Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
                    }
                };
                while !stop.load(Ordering::SeqCst) {
                    if receive(&sqs, &url, &received).await.is_err() {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                    }
                }
            })
        };
        Self {
            sqs,
            queue,
            received,
            stop,
            task: Some(task),
        }
    }

    /// Stops the background receiver, then receives until the queue stays empty for `quiet`;
    /// returns every event received during the run.
    pub async fn drain(mut self, quiet: Duration) -> anyhow::Result<Vec<Value>> {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        let url = self
            .sqs
            .get_queue_url()
            .queue_name(&self.queue)
            .send()
            .await?
            .queue_url
            .unwrap_or_default();
        let mut last = Instant::now();
        while last.elapsed() < quiet {
            if receive(&self.sqs, &url, &self.received).await? > 0 {
                last = Instant::now();
            }
        }
        Ok(std::mem::take(&mut *self.received.lock().expect("events")))
    }
}

/// One receive of up to ten messages, kept and deleted; how many there were.
async fn receive(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
    received: &Mutex<Vec<Value>>,
) -> anyhow::Result<usize> {
    let answer = sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(10)
        .wait_time_seconds(1)
        .send()
        .await?;
    let messages = answer.messages();
    if messages.is_empty() {
        return Ok(0);
    }
    let mut entries = Vec::new();
    for (n, message) in messages.iter().enumerate() {
        let body = message.body().unwrap_or_default();
        let event = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()));
        received.lock().expect("events").push(event);
        entries.push(
            DeleteMessageBatchRequestEntry::builder()
                .id(n.to_string())
                .receipt_handle(message.receipt_handle().unwrap_or_default())
                .build()?,
        );
    }
    sqs.delete_message_batch()
        .queue_url(url)
        .set_entries(Some(entries))
        .send()
        .await?;
    Ok(messages.len())
}
