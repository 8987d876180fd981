//! Lifecycle events for other systems, published to an SQS FIFO queue: one message group per
//! invoice keeps each invoice's events in order, and the event id is the deduplication id, so
//! SQS itself drops a duplicate sent within its five-minute window.

use aws_sdk_sqs::Client;
use invoicing_workflows::contracts::LifecycleEvent;
use serde::Deserialize;

/// `APP_EVENTS__*`.
#[derive(Clone, Debug, Deserialize)]
pub struct EventSettings {
    /// `APP_EVENTS__QUEUE_NAME`: a FIFO queue (its name ends in `.fifo`).
    pub queue_name: String,
    /// `APP_EVENTS__DEAD_LETTER_QUEUE_NAME`: where a message goes after failing
    /// `APP_EVENTS__MAX_RECEIVE_COUNT` deliveries to consumers.
    pub dead_letter_queue_name: String,
    pub max_receive_count: u32,
}

/// Defaults for [`EventSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("events.queue_name", "invoice-events.fifo"),
    ("events.dead_letter_queue_name", "invoice-events-dlq.fifo"),
    ("events.max_receive_count", "5"),
];

/// Publishes lifecycle events to one queue.
pub struct Publisher {
    client: Client,
    queue_url: String,
}

impl Publisher {
    /// Finds the queue by name.
    pub async fn connect(client: Client, queue_name: &str) -> anyhow::Result<Self> {
        let queue_url = client
            .get_queue_url()
            .queue_name(queue_name)
            .send()
            .await
            .map_err(|error| {
                anyhow::Error::new(error).context(format!("finding SQS queue {queue_name}"))
            })?
            .queue_url
            .ok_or_else(|| anyhow::anyhow!("SQS returned no URL for queue {queue_name}"))?;
        Ok(Self { client, queue_url })
    }

    /// Publishes `event` as JSON; returns SQS's message id.
    pub async fn publish(&self, event: &LifecycleEvent) -> anyhow::Result<String> {
        let output = self
            .client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(serde_json::to_string(event)?)
            .message_group_id(event.invoice_id.to_string())
            .message_deduplication_id(event.event_id.to_string())
            .send()
            .await
            .map_err(|error| anyhow::Error::new(error).context("publishing to SQS"))?;
        Ok(output.message_id.unwrap_or_default())
    }
}
