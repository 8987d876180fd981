//! The product's REST API as the benchmark calls it: one shared HTTP client (keep-alive, one
//! connection per concurrent caller), errors as short strings for the report.

use chrono::{Days, Utc};
use futures::{StreamExt, stream};
use invoicing_fakes::stripe;
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

/// A signed-in account.
#[derive(Clone)]
pub struct Account {
    pub token: String,
}

/// A draft of `items` lines at 100.00 each, due in 30 days.
pub fn draft(items: usize) -> Value {
    let items: Vec<Value> = (1..=items)
        .map(|n| json!({ "description": format!("Consulting, day {n}"), "quantity": 1, "unit_amount": 10_000 }))
        .collect();
    json!({
        "client_name": "Benchmark Client Ltd",
        "client_email": "ap@client.example",
        "currency": "USD",
        "due_date": (Utc::now().date_naive() + Days::new(30)).to_string(),
        "items": items,
    })
}

impl Api {
    pub fn new(base: &str) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: base.to_owned(),
        }
    }

    /// The API's address, `http://127.0.0.1:<port>`.
    pub fn base(&self) -> &str {
        &self.base
    }

    async fn call(&self, request: reqwest::RequestBuilder, expected: u16) -> Result<Value, String> {
        let response = request
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|e| format!("body: {e}"))?;
        if status.as_u16() != expected {
            let body = String::from_utf8_lossy(&bytes);
            return Err(format!(
                "{status}: {}",
                body.chars().take(200).collect::<String>()
            ));
        }
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("not JSON: {e}"))
    }

    /// A new account, signed in.
    pub async fn register(&self) -> anyhow::Result<Account> {
        let email = format!("bench-{}@example.com", Uuid::new_v4().simple());
        let body = self
            .call(
                self.http
                    .post(format!("{}/api/auth/register", self.base))
                    .json(&json!({ "email": email, "password": "correct horse battery" })),
                201,
            )
            .await
            .map_err(anyhow::Error::msg)?;
        let token = body["access_token"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no access_token in {body}"))?;
        Ok(Account {
            token: token.to_owned(),
        })
    }

    /// `GET path`, expecting 200; the body is read in full.
    pub async fn get(&self, path: &str, account: Option<&Account>) -> Result<(), String> {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(account) = account {
            request = request.bearer_auth(&account.token);
        }
        succeeded(request).await
    }

    /// Creates a draft; returns its id.
    pub async fn create(&self, account: &Account, draft: &Value) -> Result<Uuid, String> {
        let body = self
            .call(
                self.http
                    .post(format!("{}/api/invoices", self.base))
                    .bearer_auth(&account.token)
                    .json(draft),
                201,
            )
            .await?;
        body["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| format!("no id in {body}"))
    }

    pub async fn send(&self, account: &Account, id: Uuid) -> Result<(), String> {
        self.call(
            self.http
                .post(format!("{}/api/invoices/{id}/send", self.base))
                .bearer_auth(&account.token),
            200,
        )
        .await
        .map(drop)
    }

    /// `GET /api/invoices/{id}`: the invoice as its owner sees it.
    pub async fn invoice(&self, account: &Account, id: Uuid) -> Result<Value, String> {
        self.call(
            self.http
                .get(format!("{}/api/invoices/{id}", self.base))
                .bearer_auth(&account.token),
            200,
        )
        .await
    }

    /// The invoice's timeline, oldest first.
    pub async fn timeline(&self, account: &Account, id: Uuid) -> Result<Vec<Value>, String> {
        let body = self
            .call(
                self.http
                    .get(format!("{}/api/invoices/{id}/events", self.base))
                    .bearer_auth(&account.token),
                200,
            )
            .await?;
        body["data"]
            .as_array()
            .cloned()
            .ok_or_else(|| format!("no data in {body}"))
    }

    /// Records an offline payment of `amount` minor units.
    pub async fn pay(&self, account: &Account, id: Uuid, amount: i64) -> Result<(), String> {
        self.call(
            self.http
                .post(format!("{}/api/invoices/{id}/payments", self.base))
                .bearer_auth(&account.token)
                .json(&json!({ "amount": amount, "method": "bank_transfer" })),
            201,
        )
        .await
        .map(drop)
    }

    /// Creates and sends an invoice of `items` lines; returns its id.
    pub async fn sent_invoice(&self, account: &Account, items: usize) -> Result<Uuid, String> {
        let id = self.create(account, &draft(items)).await?;
        self.send(account, id).await?;
        Ok(id)
    }

    /// Delivers a Stripe event, signed now with the endpoint's secret, as Stripe does.
    pub async fn webhook(&self, event: &Value) -> Result<(), String> {
        let body = event.to_string();
        let signature = stripe::signature(stripe::WEBHOOK_SECRET, Utc::now().timestamp(), &body);
        succeeded(
            self.http
                .post(format!("{}/api/webhooks/stripe", self.base))
                .header("content-type", "application/json; charset=utf-8")
                .header("Stripe-Signature", signature)
                .body(body),
        )
        .await
    }

    /// `count` invoices of `items` lines, `sent` or left as drafts, 10 at a time; their ids.
    pub async fn invoices(
        &self,
        account: &Account,
        count: usize,
        items: usize,
        sent: bool,
    ) -> anyhow::Result<Vec<Uuid>> {
        let body = draft(items);
        let made: Vec<Result<Uuid, String>> = stream::iter(0..count)
            .map(|_| async {
                let id = self.create(account, &body).await?;
                if sent {
                    self.send(account, id).await?;
                }
                Ok(id)
            })
            .buffer_unordered(10)
            .collect()
            .await;
        made.into_iter()
            .collect::<Result<Vec<_>, _>>()
            .map_err(anyhow::Error::msg)
    }
}

/// Sends `request` and reads the whole answer: `Ok` for a 2xx, else the status.
async fn succeeded(request: reqwest::RequestBuilder) -> Result<(), String> {
    let response = request
        .send()
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status();
    response.bytes().await.map_err(|e| format!("body: {e}"))?;
    if status.is_success() {
        Ok(())
    } else {
        Err(status.to_string())
    }
}
