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

/// A signed-in account with a customer and three tax rates (19 %, 7 % and zero-rated) to bill
/// with.
#[derive(Clone)]
pub struct Account {
    pub token: String,
    pub customer_id: String,
    pub tax_rate_ids: [String; 3],
}

/// A draft for `account`'s customer of `items` lines at 100.00 each, one and a half days of
/// consulting (half of them at a 10 % discount), the three tax rates in turn; due in 30 days.
pub fn draft(account: &Account, items: usize) -> Value {
    let items: Vec<Value> = (1..=items)
        .map(|n| {
            let mut line = json!({
                "description": format!("Consulting, day {n}"),
                "quantity": "1.5",
                "unit": "DAY",
                "unit_amount": 10_000,
                "tax_rate_id": account.tax_rate_ids[n % 3],
            });
            if n % 2 == 0 {
                line["discount"] = json!({ "percent": "10" });
            }
            line
        })
        .collect();
    json!({
        "customer_id": account.customer_id,
        "currency": "EUR",
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
            .ok_or_else(|| anyhow::anyhow!("no access_token in {body}"))?
            .to_owned();
        let customer = json!({
            "display_name": "Benchmark Client GmbH",
            "emails": ["ap@client.example"],
            "address": {
                "lines": ["Friedrichstraße 123"], "postal_code": "10117", "city": "Berlin",
                "country": "DE"
            },
        });
        let customer_id = self.make(&token, "/api/customers", &customer).await?;
        let rates = [
            json!({ "name": "VAT 19 %", "percent": "19", "category": "S" }),
            json!({ "name": "VAT 7 %", "percent": "7", "category": "S" }),
            json!({ "name": "Zero-rated", "percent": "0", "category": "Z" }),
        ];
        let mut tax_rate_ids: [String; 3] = Default::default();
        for (id, rate) in tax_rate_ids.iter_mut().zip(&rates) {
            *id = self.make(&token, "/api/tax-rates", rate).await?;
        }
        Ok(Account {
            token,
            customer_id,
            tax_rate_ids,
        })
    }

    /// Creates a record of the account's (`POST path`); its id.
    async fn make(&self, token: &str, path: &str, body: &Value) -> anyhow::Result<String> {
        let made = self
            .call(
                self.http
                    .post(format!("{}{path}", self.base))
                    .bearer_auth(token)
                    .json(body),
                201,
            )
            .await
            .map_err(anyhow::Error::msg)?;
        made["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no id in {made}"))
    }

    /// `GET path`, expecting 200: the body as JSON.
    pub async fn get_json(&self, path: &str, account: &Account) -> Result<Value, String> {
        self.call(
            self.http
                .get(format!("{}{path}", self.base))
                .bearer_auth(&account.token),
            200,
        )
        .await
    }

    /// `GET path`, expecting 200: the answer with its body still to read (a download, read a
    /// chunk at a time as it streams).
    pub async fn open(&self, path: &str, account: &Account) -> Result<reqwest::Response, String> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&account.token)
            .send()
            .await
            .map_err(|e| format!("no answer: {e}"))?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            let body = response.text().await.unwrap_or_default();
            return Err(format!(
                "{status}: {}",
                body.chars().take(200).collect::<String>()
            ));
        }
        Ok(response)
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
        let id = self.create(account, &draft(account, items)).await?;
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
        let body = draft(account, items);
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
