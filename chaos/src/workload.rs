//! The workload: a few concurrent clients, paced, each taking the next invoice of the plan:
//! create it, send it, then pay it with two offline payments, or through Stripe (signed
//! webhooks, each delivered twice at once and once more later, and a `payment_failed` for the
//! same intent after its success), or void it, or leave it sent. What each client was told is
//! kept per invoice, for the checks.

use crate::client::{Answer, Api};
use invoicing_fakes::FakeStripe;
use rand::Rng;
use serde::Serialize;
use serde_json::{Value, json};
use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    TwoPayments,
    Stripe,
    Void,
    LeaveSent,
}

impl Plan {
    /// Four in ten paid by two offline payments, three through Stripe, two voided, one left.
    fn for_index(index: usize) -> Self {
        match index % 10 {
            0..=3 => Plan::TwoPayments,
            4..=6 => Plan::Stripe,
            7 | 8 => Plan::Void,
            _ => Plan::LeaveSent,
        }
    }
}

/// What a client was told about one request.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "told", rename_all = "snake_case")]
pub enum Told {
    /// Done (2xx).
    Yes,
    /// Refused (a 4xx that retrying does not change).
    Refused { status: u16, problem: String },
    /// No definitive answer before the deadline.
    NoAnswer { reason: String },
}

impl Told {
    fn from(answer: &Answer) -> Self {
        match answer {
            Answer::Done(_) => Told::Yes,
            Answer::Refused { status, problem } => Told::Refused {
                status: *status,
                problem: problem.clone(),
            },
            Answer::GaveUp(reason) => Told::NoAnswer {
                reason: reason.clone(),
            },
        }
    }
}

/// An offline payment as the client asked for it.
#[derive(Clone, Debug, Serialize)]
pub struct PaymentAsked {
    /// Unique to this payment: how its rows are found.
    pub reference: String,
    pub amount: i64,
    pub told: Told,
    /// The payment's id in a 201's body.
    pub payment_id: Option<Uuid>,
}

/// A Stripe payment: its PaymentIntent and whether the webhook reporting it was accepted.
#[derive(Clone, Debug, Serialize)]
pub struct StripeAsked {
    pub intent_id: String,
    pub amount: i64,
    pub told: Told,
}

/// One invoice of the workload and everything its client was told about it.
#[derive(Clone, Debug, Serialize)]
pub struct InvoiceRun {
    pub index: usize,
    pub account: usize,
    pub plan: Plan,
    /// Unique to this invoice: how its rows and e-mails are found.
    pub client_email: String,
    pub created: Option<Told>,
    pub id: Option<Uuid>,
    pub total: Option<i64>,
    pub sent: Option<Told>,
    pub payments: Vec<PaymentAsked>,
    pub stripe: Option<StripeAsked>,
    pub void: Option<Told>,
}

pub struct Account {
    pub token: String,
}

pub struct Workload {
    pub api: Api,
    pub stripe: FakeStripe,
    pub accounts: Vec<Account>,
    pub invoices: usize,
    pub clients: usize,
    /// Pause of a client between two invoices.
    pub pace: Duration,
    /// This run's tag in references and addresses.
    pub run: String,
    /// Invoices taken by a client so far.
    started: AtomicUsize,
    pub done: AtomicBool,
    results: Mutex<Vec<InvoiceRun>>,
}

const PASSWORD: &str = "correct horse battery chaos";

/// Registers `count` accounts (before any fault: the workload is about invoices).
pub async fn register(api: &Api, run: &str, count: usize) -> anyhow::Result<Vec<Account>> {
    let mut accounts = Vec::new();
    for n in 0..count {
        let email = format!("chaos-{run}-account-{n}@example.com");
        let body = json!({ "email": email, "password": PASSWORD });
        let answer = api
            .post(None, "register", "/api/auth/register", None, Some(&body))
            .await;
        let answer = match answer {
            Answer::Refused { status: 409, .. } => {
                api.post(None, "login", "/api/auth/login", None, Some(&body))
                    .await
            }
            other => other,
        };
        let Answer::Done(body) = answer else {
            anyhow::bail!("registering {email}: {answer:?}");
        };
        let token = body["access_token"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("no access token in {body}"))?;
        accounts.push(Account {
            token: token.to_owned(),
        });
    }
    Ok(accounts)
}

impl Workload {
    pub fn new(
        api: Api,
        stripe: FakeStripe,
        accounts: Vec<Account>,
        invoices: usize,
        run: String,
    ) -> Self {
        Self {
            api,
            stripe,
            accounts,
            invoices,
            clients: 6,
            pace: Duration::from_millis(300),
            run,
            started: AtomicUsize::new(0),
            done: AtomicBool::new(false),
            results: Mutex::default(),
        }
    }

    /// Runs every client until the plan is done.
    pub async fn run(self: &Arc<Self>) {
        let clients = (0..self.clients).map(|_| {
            let this = self.clone();
            async move {
                loop {
                    let index = this.started.fetch_add(1, Ordering::SeqCst);
                    if index >= this.invoices {
                        break;
                    }
                    let result = this.invoice(index).await;
                    this.results.lock().expect("results").push(result);
                    tokio::time::sleep(this.pace).await;
                }
            }
        });
        futures::future::join_all(clients).await;
        self.done.store(true, Ordering::SeqCst);
    }

    pub fn results(&self) -> Vec<InvoiceRun> {
        let mut results = self.results.lock().expect("results").clone();
        results.sort_by_key(|run| run.index);
        results
    }

    /// Invoices finished so far, as a share of the plan.
    pub fn progress(&self) -> f64 {
        let finished = self.results.lock().expect("results").len();
        finished as f64 / self.invoices.max(1) as f64
    }

    async fn invoice(&self, index: usize) -> InvoiceRun {
        let account = index % self.accounts.len();
        let mut run = InvoiceRun {
            index,
            account,
            plan: Plan::for_index(index),
            client_email: format!("chaos-{}-{index}@client.example", self.run),
            created: None,
            id: None,
            total: None,
            sent: None,
            payments: Vec::new(),
            stripe: None,
            void: None,
        };
        let token = self.accounts[account].token.clone();
        // Each invoice bills a customer of its own, whose unique address finds its e-mails.
        let customer = json!({
            "display_name": format!("Chaos Client {index}"),
            "emails": [run.client_email],
        });
        let answer = self
            .api
            .post(
                Some(index),
                "customer",
                "/api/customers",
                Some(&token),
                Some(&customer),
            )
            .await;
        let customer_id = match &answer {
            Answer::Done(body) => body["id"].as_str().map(str::to_owned),
            _ => None,
        };
        let Some(customer_id) = customer_id else {
            run.created = Some(match answer {
                Answer::Done(body) => Told::NoAnswer {
                    reason: format!("the customer came back without an id: {body}"),
                },
                other => Told::from(&other),
            });
            return run;
        };
        let draft = draft(&customer_id);
        let answer = self
            .api
            .post(
                Some(index),
                "create",
                "/api/invoices",
                Some(&token),
                Some(&draft),
            )
            .await;
        run.created = Some(Told::from(&answer));
        let Answer::Done(body) = answer else {
            return run;
        };
        let (Some(id), Some(total)) = (
            body["id"].as_str().and_then(|id| id.parse::<Uuid>().ok()),
            body["total"].as_i64(),
        ) else {
            run.created = Some(Told::NoAnswer {
                reason: format!("a 201 without id or total: {body}"),
            });
            return run;
        };
        run.id = Some(id);
        run.total = Some(total);
        pause().await;
        let path = format!("/api/invoices/{id}");
        let answer = self
            .api
            .post(
                Some(index),
                "send",
                &format!("{path}/send"),
                Some(&token),
                None,
            )
            .await;
        run.sent = Some(Told::from(&answer));
        if !matches!(answer, Answer::Done(_)) {
            return run;
        }
        pause().await;
        match run.plan {
            Plan::TwoPayments => {
                // Less than half first: a first payment recorded twice is then visible as
                // money, not refused as an overpayment.
                let first = (total * 2 / 5).max(1);
                for (n, amount) in [(1, first), (2, total - first)] {
                    let reference = format!("chaos-{}-{index}-{n}", self.run);
                    let body = json!({ "amount": amount, "method": "bank_transfer", "reference": reference });
                    let what = format!("payment {n}");
                    let answer = self
                        .api
                        .post(
                            Some(index),
                            &what,
                            &format!("{path}/payments"),
                            Some(&token),
                            Some(&body),
                        )
                        .await;
                    let payment_id = match &answer {
                        Answer::Done(body) => body["payment"]["id"]
                            .as_str()
                            .and_then(|id| id.parse().ok()),
                        _ => None,
                    };
                    run.payments.push(PaymentAsked {
                        reference,
                        amount,
                        told: Told::from(&answer),
                        payment_id,
                    });
                    pause().await;
                }
            }
            Plan::Stripe => run.stripe = Some(self.pay_through_stripe(index, id, total).await),
            Plan::Void => {
                let body = json!({ "reason": "chaos: cancelled by the client" });
                let answer = self
                    .api
                    .post(
                        Some(index),
                        "void",
                        &format!("{path}/void"),
                        Some(&token),
                        Some(&body),
                    )
                    .await;
                run.void = Some(Told::from(&answer));
            }
            Plan::LeaveSent => {}
        }
        run
    }

    /// The client pays the whole invoice at Stripe. Stripe reports it twice at once and once
    /// more later (redeliveries), then reports a failed attempt of the same intent, out of
    /// order (the failure happened first: a declined card, then another that worked).
    async fn pay_through_stripe(&self, index: usize, id: Uuid, total: i64) -> StripeAsked {
        let intent = self.stripe.direct_payment(id, total, "usd");
        let intent_id = intent["id"].as_str().unwrap_or_default().to_owned();
        let succeeded = self.stripe.event("payment_intent.succeeded", &intent);
        let what = "webhook payment_intent.succeeded";
        let (first, _) = tokio::join!(
            self.api.webhook(Some(index), what, &succeeded),
            self.api.webhook(
                Some(index),
                "webhook payment_intent.succeeded (duplicate)",
                &succeeded
            )
        );
        pause().await;
        self.api
            .webhook(
                Some(index),
                "webhook payment_intent.succeeded (redelivered)",
                &succeeded,
            )
            .await;
        let mut failed_intent = intent.clone();
        failed_intent["status"] = json!("requires_payment_method");
        failed_intent["amount_received"] = json!(0);
        failed_intent["latest_charge"] = Value::Null;
        failed_intent["last_payment_error"] = json!({
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "Your card has insufficient funds.",
        });
        let failed = self
            .stripe
            .event("payment_intent.payment_failed", &failed_intent);
        self.api
            .webhook(
                Some(index),
                "webhook payment_intent.payment_failed (late)",
                &failed,
            )
            .await;
        StripeAsked {
            intent_id,
            amount: total,
            told: Told::from(&first),
        }
    }
}

/// A client's pause between two steps.
async fn pause() {
    let millis = rand::thread_rng().gen_range(50..250);
    tokio::time::sleep(Duration::from_millis(millis)).await;
}

/// A draft of two or three lines, due in 30 days, for the customer `customer_id`.
fn draft(customer_id: &str) -> Value {
    let mut rng = rand::thread_rng();
    let lines = rng.gen_range(2..=3);
    let items: Vec<Value> = (1..=lines)
        .map(|n| {
            json!({
                "description": format!("Chaos engineering, part {n}"),
                "quantity": rng.gen_range(1..=4),
                "unit_amount": rng.gen_range(1_000..=50_000),
            })
        })
        .collect();
    json!({
        "customer_id": customer_id,
        "currency": "USD",
        "due_date": (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string(),
        "items": items,
    })
}
