//! What the product recorded, read back after the run: the rows of PostgreSQL, the objects of
//! this run's S3 bucket, the e-mails moto's SES accepted (`/moto-api/data.json`), and the
//! state of each invoice's workflow in Temporal.

use crate::{settle, stack::Stack};
use anyhow::Context;
use serde_json::Value;
use sqlx::FromRow;
use std::{
    collections::{HashMap, HashSet},
    time::{Duration, Instant},
};
use temporalio_common::protos::temporal::api::enums::v1::WorkflowExecutionStatus;
use uuid::Uuid;

#[derive(Clone, Debug, FromRow)]
pub struct InvoiceRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub number: Option<i64>,
    pub client_email: String,
    pub total: i64,
    pub amount_paid: i64,
}

#[derive(Clone, Debug, FromRow)]
pub struct PaymentRow {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount: i64,
    pub amount_refunded: i64,
    pub reference: Option<String>,
    pub transaction_id: Option<String>,
}

#[derive(Clone, Debug, FromRow)]
pub struct DocumentRow {
    pub invoice_id: Uuid,
    pub version: i32,
    pub storage_key: String,
    pub mark: Option<String>,
}

#[derive(Clone, Debug, FromRow)]
pub struct AccountRow {
    pub id: Uuid,
    pub email: String,
    pub last_invoice_number: i64,
}

pub struct Evidence {
    pub invoices: Vec<InvoiceRow>,
    pub payments: Vec<PaymentRow>,
    pub documents: Vec<DocumentRow>,
    pub accounts: Vec<AccountRow>,
    /// Keys in this run's bucket.
    pub objects: HashSet<String>,
    /// E-mails accepted by SES, per recipient address.
    pub emails: HashMap<String, usize>,
    /// The status of each invoice's latest workflow run.
    pub workflows: HashMap<Uuid, Option<WorkflowExecutionStatus>>,
}

impl Evidence {
    pub async fn gather(stack: &Stack) -> anyhow::Result<Self> {
        let invoices: Vec<InvoiceRow> = sqlx::query_as(
            "SELECT id, user_id, status, number, client_email, total, amount_paid FROM invoices",
        )
        .fetch_all(&stack.db)
        .await?;
        let payments = sqlx::query_as(
            "SELECT id, invoice_id, amount, amount_refunded, reference, transaction_id FROM payments",
        )
        .fetch_all(&stack.db)
        .await?;
        let documents =
            sqlx::query_as("SELECT invoice_id, version, storage_key, mark FROM invoice_documents")
                .fetch_all(&stack.db)
                .await?;
        let accounts = sqlx::query_as("SELECT id, email, last_invoice_number FROM users")
            .fetch_all(&stack.db)
            .await?;
        let mut workflows = HashMap::new();
        for invoice in &invoices {
            workflows.insert(
                invoice.id,
                settle::workflow_status(stack, invoice.id).await?,
            );
        }
        Ok(Self {
            objects: objects(stack).await?,
            emails: emails(&stack.aws_endpoint).await?,
            invoices,
            payments,
            documents,
            accounts,
            workflows,
        })
    }
}

/// S3 and SQS clients of the local AWS endpoint.
pub async fn aws_clients(stack: &Stack) -> (aws_sdk_s3::Client, aws_sdk_sqs::Client) {
    let settings = invoicing_platform::aws::AwsSettings {
        region: "us-east-1".to_owned(),
        endpoint_url: Some(stack.aws_endpoint.clone()),
    };
    let config = invoicing_platform::aws::sdk_config(&settings, 3).await;
    (
        invoicing_platform::aws::s3_client(&config, &settings),
        aws_sdk_sqs::Client::new(&config),
    )
}

/// Every key in the run's bucket.
async fn objects(stack: &Stack) -> anyhow::Result<HashSet<String>> {
    let (s3, _) = aws_clients(stack).await;
    let mut keys = HashSet::new();
    let mut token = None;
    loop {
        let listing = s3
            .list_objects_v2()
            .bucket(&stack.names.bucket)
            .set_continuation_token(token)
            .send()
            .await
            .with_context(|| format!("listing s3://{}", stack.names.bucket))?;
        keys.extend(
            listing
                .contents()
                .iter()
                .filter_map(|object| object.key().map(str::to_owned)),
        );
        token = listing.next_continuation_token().map(str::to_owned);
        if token.is_none() {
            return Ok(keys);
        }
    }
}

/// E-mails moto's SES accepted, per recipient. moto serialises its whole state for this, and a
/// read that races with a change answers 500; the next one succeeds.
async fn emails(endpoint: &str) -> anyhow::Result<HashMap<String, usize>> {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let data: Value = loop {
        let answer = http
            .get(format!("{endpoint}/moto-api/data.json"))
            .send()
            .await
            .and_then(reqwest::Response::error_for_status);
        match answer {
            Ok(response) => match response.json().await {
                Ok(data) => break data,
                Err(error) if Instant::now() > deadline => return Err(error.into()),
                Err(_) => {}
            },
            Err(error) if Instant::now() > deadline => return Err(error.into()),
            Err(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for kind in ["RawMessage", "Message"] {
        for message in data["ses"][kind].as_array().into_iter().flatten() {
            let destinations = match &message["destinations"] {
                Value::Array(list) => list.clone(),
                Value::Object(map) => map
                    .values()
                    .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                    .collect(),
                _ => Vec::new(),
            };
            // moto lists a recipient twice: from the request and from the raw message's `To`.
            let recipients: HashSet<String> = destinations
                .iter()
                .filter_map(Value::as_str)
                .map(bare_address)
                .collect();
            for address in recipients {
                *per_recipient.entry(address).or_default() += 1;
            }
        }
    }
    Ok(per_recipient)
}

/// `Name <a@b>` → `a@b`.
fn bare_address(address: &str) -> String {
    let address = address.trim();
    match (address.rfind('<'), address.rfind('>')) {
        (Some(start), Some(end)) if start < end => address[start + 1..end].to_owned(),
        _ => address.to_owned(),
    }
    .to_lowercase()
}
