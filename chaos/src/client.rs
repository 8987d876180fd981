//! The API as a careful client calls it: every POST carries an `Idempotency-Key`, and a request
//! that got no definitive answer (no connection, a timeout, a 5xx, a 429, a 409
//! `idempotency-key-in-progress`) is sent again, the same request with the same key, after a
//! short backoff, until a definitive answer (2xx, or another 4xx) or the deadline. Stripe's
//! webhooks are delivered the way Stripe delivers them: again until a 200, signed anew each
//! time.
//!
//! Every call is recorded: when it was first sent, when it was finally answered, how often it
//! was tried, and what the answer was, for the report to set against the faults.

use crate::timeline::Timeline;
use invoicing_fakes::stripe;
use serde::Serialize;
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use uuid::Uuid;

/// One logical request (all its attempts).
#[derive(Clone, Debug, Serialize)]
pub struct CallRecord {
    /// The invoice of the workload it belongs to (its index), if any.
    pub invoice: Option<usize>,
    pub what: String,
    pub idempotency_key: Option<String>,
    /// Seconds since the run started.
    pub sent_at: f64,
    /// When the definitive answer came, or when the client gave up.
    pub ended_at: f64,
    /// Whether a definitive answer came before the deadline.
    pub answered: bool,
    pub attempts: u32,
    /// The definitive answer's status.
    pub status: Option<u16>,
    /// The problem type of a refusal (`/problems/...`).
    pub problem: Option<String>,
    /// What the last attempt that got no definitive answer saw.
    pub last_retry_reason: Option<String>,
    /// How many attempts were answered 409 `idempotency-key-in-progress`.
    pub in_progress_answers: u32,
    /// The faults whose outage overlapped the call (filled in after the run).
    pub crashes_meanwhile: Vec<String>,
}

impl CallRecord {
    /// How long the client waited: until the answer, or until it gave up.
    pub fn waited(&self) -> f64 {
        self.ended_at - self.sent_at
    }
}

/// What a call ended with.
#[derive(Clone, Debug)]
pub enum Answer {
    /// 2xx (or a 200 for a webhook), with the body.
    Done(Value),
    /// A definitive refusal: a 4xx other than the ones retried.
    Refused { status: u16, problem: String },
    /// No definitive answer before the deadline.
    GaveUp(String),
}

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    pub base: String,
    timeline: Arc<Timeline>,
    deadline: Duration,
    records: Arc<Mutex<Vec<CallRecord>>>,
    /// Offline payments sent and not yet answered: their Idempotency-Keys, by a call number.
    payments_in_flight: Arc<Mutex<HashMap<usize, String>>>,
    calls: Arc<AtomicUsize>,
}

/// What one attempt gave.
enum Attempt {
    Final(u16, Value),
    Retry(String),
}

impl Api {
    pub fn new(base: &str, timeline: Arc<Timeline>, deadline: Duration) -> Self {
        Self {
            http: reqwest::Client::builder()
                // Longer than the API's own request limit (30 s), which answers 503.
                .timeout(Duration::from_secs(40))
                .connect_timeout(Duration::from_secs(2))
                .build()
                .expect("an HTTP client"),
            base: base.to_owned(),
            timeline,
            deadline,
            records: Arc::default(),
            payments_in_flight: Arc::default(),
            calls: Arc::default(),
        }
    }

    /// The Idempotency-Keys of the offline payments in flight.
    pub fn payments_in_flight(&self) -> Vec<String> {
        let in_flight = self.payments_in_flight.lock().expect("in flight");
        in_flight.values().cloned().collect()
    }

    pub fn records(&self) -> Vec<CallRecord> {
        self.records.lock().expect("records").clone()
    }

    /// `POST path` with a new `Idempotency-Key`, as `token`'s account.
    pub async fn post(
        &self,
        invoice: Option<usize>,
        what: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let key = Uuid::new_v4().to_string();
        let url = format!("{}{path}", self.base);
        let payment = what.starts_with("payment");
        self.call(invoice, what, Some(key.clone()), payment, || {
            let mut request = self.http.post(&url).header("Idempotency-Key", &key);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            request
        })
        .await
    }

    /// Delivers a Stripe event until it is answered 200, signed at each attempt as Stripe
    /// signs it.
    pub async fn webhook(&self, invoice: Option<usize>, what: &str, event: &Value) -> Answer {
        let body = event.to_string();
        let url = format!("{}/api/webhooks/stripe", self.base);
        self.call(invoice, what, None, false, || {
            let signature = stripe::signature(
                stripe::WEBHOOK_SECRET,
                chrono::Utc::now().timestamp(),
                &body,
            );
            self.http
                .post(&url)
                .header("content-type", "application/json; charset=utf-8")
                .header("Stripe-Signature", signature)
                .body(body.clone())
        })
        .await
    }

    async fn call(
        &self,
        invoice: Option<usize>,
        what: &str,
        key: Option<String>,
        payment: bool,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Answer {
        let webhook = key.is_none();
        let mut record = CallRecord {
            invoice,
            what: what.to_owned(),
            idempotency_key: key,
            sent_at: self.timeline.now(),
            ended_at: 0.0,
            answered: false,
            attempts: 0,
            status: None,
            problem: None,
            last_retry_reason: None,
            in_progress_answers: 0,
            crashes_meanwhile: Vec::new(),
        };
        let call = self.calls.fetch_add(1, Ordering::Relaxed);
        if let (true, Some(key)) = (payment, &record.idempotency_key) {
            self.payments_in_flight
                .lock()
                .expect("in flight")
                .insert(call, key.clone());
        }
        let deadline = Instant::now() + self.deadline;
        let mut backoff = Duration::from_millis(100);
        let answer = loop {
            record.attempts += 1;
            match attempt(request(), webhook).await {
                Attempt::Final(status, body) => {
                    record.answered = true;
                    record.status = Some(status);
                    if (200..300).contains(&status) {
                        break Answer::Done(body);
                    }
                    let problem = problem_type(&body);
                    record.problem = Some(problem.clone());
                    break Answer::Refused { status, problem };
                }
                Attempt::Retry(reason) => {
                    if reason.contains("idempotency-key-in-progress") {
                        record.in_progress_answers += 1;
                    }
                    record.last_retry_reason = Some(reason.clone());
                    if Instant::now() + backoff > deadline {
                        break Answer::GaveUp(reason);
                    }
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(2));
        };
        record.ended_at = self.timeline.now();
        self.payments_in_flight
            .lock()
            .expect("in flight")
            .remove(&call);
        self.records.lock().expect("records").push(record);
        answer
    }
}

async fn attempt(request: reqwest::RequestBuilder, webhook: bool) -> Attempt {
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => return Attempt::Retry(format!("no answer: {error}")),
    };
    let status = response.status().as_u16();
    let body = match response.bytes().await {
        Ok(bytes) if bytes.is_empty() => Value::Null,
        Ok(bytes) => serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
        Err(error) => return Attempt::Retry(format!("{status}, body cut off: {error}")),
    };
    if webhook {
        // Stripe retries every answer but a 2xx.
        return if (200..300).contains(&status) {
            Attempt::Final(status, body)
        } else {
            Attempt::Retry(format!("{status} {}", problem_type(&body)))
        };
    }
    let problem = problem_type(&body);
    let retry = status >= 500
        || status == 429
        || (status == 409 && problem.ends_with("idempotency-key-in-progress"));
    if retry {
        Attempt::Retry(format!("{status} {problem}"))
    } else {
        Attempt::Final(status, body)
    }
}

fn problem_type(body: &Value) -> String {
    body["type"].as_str().unwrap_or_default().to_owned()
}
