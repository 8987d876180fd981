//! The local AWS endpoint (a moto server) as the tests see it: a bucket and an event queue of
//! each test's own, and what was stored, sent and published, read back through moto and the
//! AWS APIs.

use aws_sdk_sqs::types::QueueAttributeName;
use mail_parser::MimeHeaders;
use serde_json::Value;
use std::time::Duration;
use uuid::Uuid;

/// The moto server `scripts/test` starts.
pub fn endpoint() -> String {
    std::env::var("TEST_AWS_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:4566".to_owned())
}

/// This test's bucket and queues, created by the worker at start-up (local mode).
#[derive(Clone, Debug)]
pub struct AwsNames {
    pub bucket: String,
    pub queue: String,
    pub dead_letter_queue: String,
}

impl AwsNames {
    pub fn unique() -> Self {
        let suffix = &Uuid::new_v4().simple().to_string()[..12];
        Self {
            bucket: format!("invoicing-test-{suffix}"),
            queue: format!("invoice-events-{suffix}.fifo"),
            dead_letter_queue: format!("invoice-events-dlq-{suffix}.fifo"),
        }
    }
}

/// An e-mail as the SES endpoint received it.
#[derive(Debug)]
pub struct SentEmail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    /// Attachments: file name and bytes.
    pub attachments: Vec<(String, Vec<u8>)>,
}

pub struct LocalAws {
    pub names: AwsNames,
    s3: aws_sdk_s3::Client,
    sqs: aws_sdk_sqs::Client,
    ses: aws_sdk_sesv2::Client,
    http: reqwest::Client,
}

impl LocalAws {
    pub async fn connect(names: AwsNames) -> Self {
        let settings = invoicing_platform::aws::AwsSettings {
            region: "us-east-1".to_owned(),
            endpoint_url: Some(endpoint()),
        };
        let config = invoicing_platform::aws::sdk_config(&settings, 3).await;
        Self {
            names,
            s3: invoicing_platform::aws::s3_client(&config, &settings),
            sqs: aws_sdk_sqs::Client::new(&config),
            ses: aws_sdk_sesv2::Client::new(&config),
            http: reqwest::Client::new(),
        }
    }

    /// Removes a sender's SES identity: from then on SES refuses its messages.
    pub async fn forget_sender(&self, address: &str) {
        self.ses
            .delete_email_identity()
            .email_identity(address)
            .send()
            .await
            .expect("deleting the SES identity");
    }

    /// The S3 client, for code under test that takes one (the activities' logo reader).
    pub fn s3(&self) -> &aws_sdk_s3::Client {
        &self.s3
    }

    /// Every object key in this test's bucket.
    pub async fn keys(&self) -> Vec<String> {
        let listing = self
            .s3
            .list_objects_v2()
            .bucket(&self.names.bucket)
            .send()
            .await
            .expect("listing the test bucket");
        listing
            .contents()
            .iter()
            .filter_map(|object| object.key().map(str::to_owned))
            .collect()
    }

    pub async fn object(&self, key: &str) -> Vec<u8> {
        self.s3
            .get_object()
            .bucket(&self.names.bucket)
            .key(key)
            .send()
            .await
            .unwrap_or_else(|error| panic!("reading s3://{}/{key}: {error:?}", self.names.bucket))
            .body
            .collect()
            .await
            .expect("reading the object's body")
            .into_bytes()
            .to_vec()
    }

    /// The object's `Content-Type`, as it was stored.
    pub async fn content_type(&self, key: &str) -> Option<String> {
        self.s3
            .head_object()
            .bucket(&self.names.bucket)
            .key(key)
            .send()
            .await
            .expect("reading the object's metadata")
            .content_type()
            .map(str::to_owned)
    }

    /// How the object was stored (its server-side encryption).
    pub async fn encryption(&self, key: &str) -> Option<String> {
        self.encryption_with_key(key).await.0
    }

    /// How the object was stored: its server-side encryption, and the KMS key of SSE-KMS.
    pub async fn encryption_with_key(&self, key: &str) -> (Option<String>, Option<String>) {
        let head = self
            .s3
            .head_object()
            .bucket(&self.names.bucket)
            .key(key)
            .send()
            .await
            .expect("reading the object's metadata");
        (
            head.server_side_encryption()
                .map(|sse| sse.as_str().to_owned()),
            head.ssekms_key_id().map(str::to_owned),
        )
    }

    /// Every e-mail the SES endpoint accepted for `recipient`, oldest first, read back through
    /// moto's own API (it keeps every message it was asked to send).
    pub async fn emails_to(&self, recipient: &str) -> Vec<SentEmail> {
        let data = self.moto_state().await;
        let raw = data["ses"]["RawMessage"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        raw.iter()
            .filter(|message| {
                message["destinations"].as_array().is_some_and(|to| {
                    to.iter()
                        .any(|address| address.as_str().is_some_and(|a| a.contains(recipient)))
                })
            })
            .map(|message| parse_email(message["raw_data"].as_str().unwrap_or_default()))
            .collect()
    }

    /// moto's whole state as JSON. moto serialises it while other tests keep changing it, and a
    /// read that races with a change answers 500 (a dict changed size during iteration); the
    /// next read succeeds, so a failed read is retried for a while before the test gives up.
    async fn moto_state(&self) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let answer = self
                .http
                .get(format!("{}/moto-api/data.json", endpoint()))
                .send()
                .await
                .and_then(reqwest::Response::error_for_status);
            let error = match answer {
                Ok(response) => match response.json::<Value>().await {
                    Ok(data) => return data,
                    Err(error) => error,
                },
                Err(error) => error,
            };
            assert!(
                std::time::Instant::now() < deadline,
                "moto's state could not be read: {error}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `count` e-mails reached `recipient` (or the timeout passes), and returns all
    /// of them.
    pub async fn wait_for_emails(&self, recipient: &str, count: usize) -> Vec<SentEmail> {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let emails = self.emails_to(recipient).await;
            if emails.len() >= count || std::time::Instant::now() > deadline {
                return emails;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The subjects of the e-mails `recipient` received, once there are `count` of them.
    pub async fn email_subjects(&self, recipient: &str, count: usize) -> Vec<String> {
        let emails = self.wait_for_emails(recipient, count).await;
        emails.into_iter().map(|email| email.subject).collect()
    }

    /// The `type` of every event [`Self::drain_events`] receives.
    pub async fn event_types(&self, wait: Duration) -> Vec<String> {
        let events = self.drain_events(wait).await;
        events
            .iter()
            .map(|event| event["type"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Receives and deletes every message in this test's event queue, waiting up to `wait` for
    /// the queue to go quiet.
    pub async fn drain_events(&self, wait: Duration) -> Vec<Value> {
        let url = self.queue_url(&self.names.queue).await;
        let mut events = Vec::new();
        let deadline = std::time::Instant::now() + wait;
        loop {
            let received = self
                .sqs
                .receive_message()
                .queue_url(&url)
                .max_number_of_messages(10)
                .wait_time_seconds(1)
                .send()
                .await
                .expect("receiving from the event queue");
            let messages = received.messages();
            if messages.is_empty() && std::time::Instant::now() > deadline {
                return events;
            }
            for message in messages {
                events.push(
                    serde_json::from_str(message.body().unwrap_or_default())
                        .expect("events are JSON"),
                );
                self.sqs
                    .delete_message()
                    .queue_url(&url)
                    .receipt_handle(message.receipt_handle().unwrap_or_default())
                    .send()
                    .await
                    .expect("deleting a received event");
            }
        }
    }

    /// The event queue's redrive policy (its dead-letter queue and receive count).
    pub async fn redrive_policy(&self) -> Value {
        let url = self.queue_url(&self.names.queue).await;
        let attributes = self
            .sqs
            .get_queue_attributes()
            .queue_url(url)
            .attribute_names(QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .expect("reading the queue's attributes");
        let policy = attributes
            .attributes()
            .and_then(|attributes| attributes.get(&QueueAttributeName::RedrivePolicy))
            .expect("the event queue has a redrive policy");
        serde_json::from_str(policy).expect("the redrive policy is JSON")
    }

    async fn queue_url(&self, name: &str) -> String {
        self.sqs
            .get_queue_url()
            .queue_name(name)
            .send()
            .await
            .unwrap_or_else(|error| panic!("finding queue {name}: {error:?}"))
            .queue_url
            .expect("a queue URL")
    }
}

fn parse_email(raw: &str) -> SentEmail {
    let message = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("the raw e-mail is MIME");
    let addresses = |list: Option<&mail_parser::Address>| {
        list.map(|list| {
            list.iter()
                .filter_map(|address| address.address().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    SentEmail {
        from: addresses(message.from()).join(", "),
        to: addresses(message.to()),
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|text| text.into_owned())
            .unwrap_or_default(),
        attachments: message
            .attachments()
            .map(|part| {
                (
                    part.attachment_name().unwrap_or_default().to_owned(),
                    part.contents().to_vec(),
                )
            })
            .collect(),
    }
}
