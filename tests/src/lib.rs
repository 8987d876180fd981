//! The test harness: the real stack, per test. Each `TestApp` gets its own PostgreSQL
//! database, its own Temporal task queue, an in-process worker on its own thread (the
//! worker's future is not `Send`) and the API on a random port.

pub mod api_process;
pub mod aws;
mod database;
mod http;
pub mod openapi;
pub mod outage;
pub mod proxy;
pub mod temporal;
pub mod unavailable;
mod worker;
pub mod worker_process;

use invoicing_api::{
    Application, AuthSettings, CacheSettings, DocumentSettings, HttpSettings, RateLimitSettings,
    RedisSettings, StripeSettings,
};
use invoicing_platform::{config::Environment, temporal::TemporalSettings};
use invoicing_workflows::{InvoiceView, InvoiceWorkflow, workflow_id};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::{
    collections::HashMap,
    future::Future,
    path::PathBuf,
    sync::Mutex,
    time::{Duration, Instant},
};
use temporalio_client::{Client, WorkflowHandle, WorkflowQueryOptions};
use temporalio_common::protos::temporal::api::history::v1::HistoryEvent;
use tokio::sync::oneshot;
use uuid::Uuid;

pub use aws::{AwsNames, LocalAws};
pub use database::{TestDatabase, redis_url};
pub use http::Response;
pub use invoicing_fakes::{FakeStripe, stripe};
pub use temporal::{DevServer, TimeSkipping};
pub use worker::WorkerThread;
pub use worker::{aws_settings, worker_settings};

/// The timeline entries that notifications add (PDF versions, e-mails, reminders), as opposed to
/// lifecycle changes.
const NOTIFICATIONS: [&str; 4] = [
    "document_rendered",
    "email_sent",
    "email_failed",
    "reminder_sent",
];

/// The Temporal dev server `scripts/test` starts (or the one `scripts/dev` runs).
pub fn dev_server_address() -> String {
    std::env::var("TEST_TEMPORAL_ADDRESS").unwrap_or_else(|_| "http://127.0.0.1:7233".to_owned())
}

/// Options for [`TestApp::spawn_with`].
pub struct Stack {
    /// Temporal frontend address for the API and the in-process worker.
    pub temporal_address: String,
    /// Whether to run a worker in-process (the crash test runs its own worker processes).
    pub in_process_worker: bool,
    /// An SES endpoint of its own for the worker (the fault test puts a proxy there).
    pub email_endpoint: Option<String>,
    /// A sender address of this test's own (the worker makes it a verified SES identity).
    pub email_from: Option<String>,
    /// How long a pay link waits for its webhook before the workflow asks Stripe.
    pub watchdog_after_secs: u64,
    /// Whether the worker keeps the nightly reconciliation schedule.
    pub reconciliation_schedule: bool,
    /// Log filter unless `RUST_LOG` says otherwise.
    pub log_filter: &'static str,
    /// Redis for the API and the worker (a test may put a proxy in front of it).
    pub redis: Option<RedisSettings>,
    pub rate_limit: RateLimitSettings,
    /// `GET /api/invoices/{id}` cache TTL; 0 turns the cache off.
    pub cache_ttl_secs: u64,
    /// Whether the in-process worker serves Prometheus metrics (on a port of its choosing).
    pub worker_metrics: bool,
    /// A web app build for the API to serve (`APP_HTTP__WEB_DIR`); `None` serves none.
    pub web_dir: Option<PathBuf>,
    /// The KMS key PDFs are encrypted with (`APP_DOCUMENTS__KMS_KEY_ID`); `None`: SSE-S3.
    pub documents_kms_key: Option<String>,
}

impl Stack {
    /// The product's default limits: 100 auth requests per 15 minutes per IP.
    pub fn default_rate_limits() -> RateLimitSettings {
        RateLimitSettings {
            auth_requests: 100,
            auth_window_secs: 900,
            user_requests: 1200,
            user_window_secs: 60,
            forwarded_hops: 0,
        }
    }
}

impl Default for Stack {
    fn default() -> Self {
        Self {
            temporal_address: dev_server_address(),
            in_process_worker: true,
            email_endpoint: None,
            email_from: None,
            watchdog_after_secs: 3600,
            reconciliation_schedule: false,
            log_filter: "info,sqlx=warn,temporalio_sdk_core=warn",
            redis: None,
            rate_limit: Stack::default_rate_limits(),
            cache_ttl_secs: 300,
            worker_metrics: false,
            web_dir: None,
            documents_kms_key: None,
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    pub db: TestDatabase,
    pub temporal: Client,
    pub temporal_settings: TemporalSettings,
    /// This test's bucket, queues and what reached them.
    pub aws: LocalAws,
    /// This test's Stripe.
    pub stripe: FakeStripe,
    email_from: String,
    worker: Option<WorkerThread>,
    api_stop: Option<oneshot::Sender<()>>,
    /// What the API was built with (a test may start a second replica with them).
    pub api_settings: invoicing_api::Settings,
    /// The secret access tokens are signed with, for a second replica's environment.
    pub jwt_secret: String,
    /// The customers made for draft bodies that name their client (see [`TestApp::request`]),
    /// by access token and e-mail address.
    customers: Mutex<HashMap<(String, String), String>>,
}

impl TestApp {
    /// The whole stack against the shared Temporal dev server.
    pub async fn spawn() -> Self {
        Self::spawn_with(Stack::default()).await
    }

    /// The stack on a time-skipping test server of its own, which the test moves forward.
    pub async fn spawn_time_skipping() -> (TimeSkipping, Self) {
        let clock = TimeSkipping::start().await;
        let app = Self::spawn_with(Stack {
            temporal_address: clock.address(),
            ..Stack::default()
        })
        .await;
        (clock, app)
    }

    pub async fn spawn_with(stack: Stack) -> Self {
        invoicing_platform::telemetry::init_with_default(stack.log_filter);
        let db = TestDatabase::create().await;
        let temporal_settings = TemporalSettings {
            address: stack.temporal_address,
            namespace: "default".to_owned(),
            // A queue per test: a worker only ever runs its own test's workflows, against its
            // own database.
            task_queue: format!("invoices-test-{}", Uuid::new_v4().simple()),
        };
        let temporal = invoicing_platform::temporal::connect(
            &temporal_settings,
            "invoicing-tests",
            Duration::from_secs(10),
        )
        .await
        .expect("Temporal is reachable at TEST_TEMPORAL_ADDRESS (run scripts/test)");

        let names = AwsNames::unique();
        let stripe = FakeStripe::start().await;
        let stripe_settings = StripeSettings {
            api_base: stripe.base_url.clone(),
            secret_key: Some(SecretString::from(stripe::SECRET_KEY)),
            webhook_secret: Some(SecretString::from(stripe::WEBHOOK_SECRET)),
            webhook_tolerance_secs: StripeSettings::WEBHOOK_TOLERANCE_SECS,
            watchdog_after_secs: stack.watchdog_after_secs,
            checkout_return_url: "http://localhost:8080/invoices/{invoice_id}".to_owned(),
            reconciliation_schedule: stack.reconciliation_schedule,
            reconciliation_days: 3,
        };
        let redis = stack.redis.clone().unwrap_or_else(|| db.redis_settings());
        let worker = if stack.in_process_worker {
            let mut settings = worker_settings(&db, &temporal_settings, &names);
            settings.redis = redis.clone();
            settings.stripe = stripe_settings.clone();
            settings.email.endpoint_url = stack.email_endpoint.clone();
            if let Some(from) = &stack.email_from {
                settings.email.from_address = from.clone();
            }
            if stack.worker_metrics {
                settings.worker.metrics_address = Some(([127, 0, 0, 1], 0).into());
            }
            settings.worker.health_address = Some(([127, 0, 0, 1], 0).into());
            settings.documents.kms_key_id = stack.documents_kms_key.clone();
            Some(WorkerThread::start(settings).await)
        } else {
            None
        };

        let jwt_secret = Uuid::new_v4().to_string();
        let api_settings = invoicing_api::Settings {
            environment: Environment::Local,
            http: HttpSettings {
                host: "127.0.0.1".to_owned(),
                port: 0,
                cors_origins: "http://localhost:5173".to_owned(),
                request_timeout_secs: 30,
                hsts: false,
                // A directory that does not exist unless the test gives one.
                web_dir: stack.web_dir.unwrap_or_else(|| {
                    std::env::temp_dir().join(format!("no-web-app-{}", Uuid::new_v4().simple()))
                }),
            },
            database: db.settings(),
            temporal: temporal_settings.clone(),
            auth: AuthSettings {
                jwt_secret: Some(SecretString::from(jwt_secret.clone())),
                token_ttl_secs: 900,
                refresh_ttl_secs: 2_592_000,
            },
            aws: aws_settings(),
            documents: DocumentSettings {
                bucket: names.bucket.clone(),
                kms_key_id: stack.documents_kms_key.clone(),
            },
            stripe: stripe_settings,
            redis,
            rate_limit: stack.rate_limit,
            cache: CacheSettings {
                invoice_ttl_secs: stack.cache_ttl_secs,
            },
        };
        let api = Application::build(api_settings.clone())
            .await
            .expect("building the API");
        let address = format!("http://127.0.0.1:{}", api.port());
        let (api_stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(api.run_until(async {
            let _ = stopped.await;
        }));

        Self {
            address,
            http: reqwest::Client::new(),
            db,
            temporal,
            temporal_settings,
            aws: LocalAws::connect(names).await,
            stripe,
            email_from: stack
                .email_from
                .unwrap_or_else(|| "billing@invoicing.local".to_owned()),
            worker,
            api_stop: Some(api_stop),
            api_settings,
            jwt_secret,
            customers: Mutex::default(),
        }
    }

    /// Where the in-process worker serves its metrics (`Stack::worker_metrics`).
    pub fn worker_metrics_address(&self) -> Option<std::net::SocketAddr> {
        self.worker.as_ref()?.metrics_address
    }

    /// Where the in-process worker serves its probes (`/healthz`, `/readyz`).
    pub fn worker_health_address(&self) -> Option<std::net::SocketAddr> {
        self.worker.as_ref()?.health_address
    }

    // ---- HTTP ------------------------------------------------------------------------------

    ///
    /// A new draft (`POST /api/invoices`) whose body names its client the short way,
    /// `client_name` and `client_email` instead of a `customer_id`, is sent for a customer of
    /// the caller's with that name and address, made through `POST /api/customers` the first
    /// time: most tests are about what happens to an invoice, not whom it bills.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let filled;
        let body = match (path, token, body) {
            ("/api/invoices", Some(token), Some(draft)) if method == Method::POST => {
                filled = self.with_customer(token, draft).await;
                Some(&filled)
            }
            _ => body,
        };
        self.send(method, path, token, body).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.http.request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        Response::read(request.send().await.expect("the API answers")).await
    }

    /// A new customer of `user`'s, named `name`, billed at `email`; its id.
    pub async fn customer(&self, user: &TestUser, name: &str, email: &str) -> String {
        let body = json!({ "display_name": name, "emails": [email] });
        id(&self
            .send(
                Method::POST,
                "/api/customers",
                Some(&user.token),
                Some(&body),
            )
            .await
            .expect(StatusCode::CREATED)
            .body)
    }

    /// `draft` with `client_name` and `client_email` replaced by the id of the caller's
    /// customer of that name and address; any other body as it is.
    pub async fn with_customer(&self, token: &str, draft: &Value) -> Value {
        let mut draft = draft.clone();
        let Some(fields) = draft.as_object_mut() else {
            return draft;
        };
        if fields.contains_key("customer_id") {
            // The test chose the customer: the short way's fields would only be unknown ones.
            fields.remove("client_name");
            fields.remove("client_email");
            return draft;
        }
        if !fields.contains_key("client_email") {
            return draft;
        }
        let email = fields.remove("client_email").unwrap_or(Value::Null);
        let name = fields.remove("client_name").unwrap_or(Value::Null);
        let (Some(email), Some(name)) = (email.as_str(), name.as_str()) else {
            return draft;
        };
        let key = (token.to_owned(), email.to_owned());
        let known = self.customers.lock().unwrap().get(&key).cloned();
        let customer_id = match known {
            Some(id) => id,
            None => {
                let body = json!({ "display_name": name, "emails": [email] });
                let created = self
                    .send(Method::POST, "/api/customers", Some(token), Some(&body))
                    .await;
                let Some(id) = created.body["id"].as_str().map(str::to_owned) else {
                    // A name or address the customer's rules refuse: let the draft carry them
                    // as they were, for the API to answer the test about them.
                    fields.insert("client_name".into(), json!(name));
                    fields.insert("client_email".into(), json!(email));
                    return draft;
                };
                self.customers.lock().unwrap().insert(key, id.clone());
                id
            }
        };
        fields.insert("customer_id".into(), json!(customer_id));
        draft
    }

    /// A request with a raw body and content type, for malformed input.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: &str,
    ) -> Response {
        let request = self
            .http
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body.to_owned());
        Response::read(request.send().await.expect("the API answers")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path, Some(token), Some(body))
            .await
    }

    pub async fn post_empty(&self, path: &str, token: &str) -> Response {
        self.request(Method::POST, path, Some(token), None).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// Delivers a Stripe event to the webhook endpoint, signed now with the endpoint's secret,
    /// as Stripe does.
    pub async fn deliver(&self, event: &Value) -> Response {
        let body = event.to_string();
        let signature = stripe::signature(
            stripe::WEBHOOK_SECRET,
            chrono::Utc::now().timestamp(),
            &body,
        );
        self.webhook(&body, Some(&signature)).await
    }

    /// Posts `body` to the Stripe webhook endpoint with the given `Stripe-Signature`.
    pub async fn webhook(&self, body: &str, signature: Option<&str>) -> Response {
        let mut request = self
            .http
            .post(format!("{}/api/webhooks/stripe", self.address))
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_owned());
        if let Some(signature) = signature {
            request = request.header("Stripe-Signature", signature);
        }
        Response::read(request.send().await.expect("the API answers")).await
    }

    // ---- Arrange helpers -------------------------------------------------------------------

    /// Registers a fresh account and returns it with its access token.
    pub async fn user(&self) -> TestUser {
        let email = format!("user-{}@example.com", Uuid::new_v4().simple());
        let response = self
            .request(
                Method::POST,
                "/api/auth/register",
                None,
                Some(&json!({ "email": email, "password": "correct horse battery" })),
            )
            .await
            .expect(StatusCode::CREATED);
        TestUser {
            id: response.body["user"]["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
            email,
            token: response.body["access_token"].as_str().unwrap().to_owned(),
            refresh_token: response.body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// Waits until the worker has stored the invoice's first PDF (it renders after sending, on
    /// its own time), so that the invoice no longer changes by itself.
    pub async fn pdf_rendered(&self, invoice_id: &str) {
        eventually("the PDF to be stored", Duration::from_secs(60), || async {
            let version: Option<i32> =
                sqlx::query_scalar("SELECT document_version FROM invoices WHERE id = $1::uuid")
                    .bind(invoice_id)
                    .fetch_one(&self.db.pool)
                    .await
                    .unwrap();
            version.map(|_| ())
        })
        .await;
    }

    /// Signs `email` in again: a new session, with its own tokens.
    pub async fn sign_in(&self, email: &str, password: &str) -> TestUser {
        let body = self
            .request(
                Method::POST,
                "/api/auth/login",
                None,
                Some(&json!({ "email": email, "password": password })),
            )
            .await
            .expect(StatusCode::OK)
            .body;
        let token = body["access_token"].as_str().unwrap().to_owned();
        let me = self
            .get("/api/users/me", &token)
            .await
            .expect(StatusCode::OK);
        TestUser {
            id: me.body["id"].as_str().unwrap().parse().unwrap(),
            email: email.to_owned(),
            token,
            refresh_token: body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    /// An administrator, made the only way there is: `api create-admin`'s function.
    pub async fn admin(&self) -> TestUser {
        let email = format!("admin-{}@example.com", Uuid::new_v4().simple());
        let outcome = invoicing_api::admin::create_admin(
            &self.api_settings,
            &email,
            Some("correct horse battery".to_owned()),
        )
        .await
        .expect("creating an administrator");
        assert!(matches!(outcome, invoicing_api::admin::Outcome::Created(_)));
        self.sign_in(&email, "correct horse battery").await
    }

    /// Creates a draft from `body` and returns it.
    pub async fn create_invoice(&self, user: &TestUser, body: &Value) -> Value {
        self.post("/api/invoices", &user.token, body)
            .await
            .expect(StatusCode::CREATED)
            .body
    }

    /// Creates a draft and sends it; returns the sent invoice.
    pub async fn sent_invoice(&self, user: &TestUser, body: &Value) -> Value {
        let draft = self.create_invoice(user, body).await;
        self.post_empty(&format!("/api/invoices/{}/send", id(&draft)), &user.token)
            .await
            .expect(StatusCode::OK)
            .body
    }

    /// Records a payment through the API.
    pub async fn pay(&self, user: &TestUser, invoice_id: &str, payment: Value) -> Response {
        self.post(
            &format!("/api/invoices/{invoice_id}/payments"),
            &user.token,
            &payment,
        )
        .await
    }

    /// Records an offline payment of `amount` by `method`, which must be accepted (201); the
    /// answer's body.
    pub async fn record_payment(
        &self,
        user: &TestUser,
        invoice_id: &str,
        amount: i64,
        method: &str,
    ) -> Value {
        self.pay(
            user,
            invoice_id,
            json!({ "amount": amount, "method": method }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body
    }

    /// Every item of a paged list (`data`, `next_cursor`), page after page of `limit`; `path`
    /// is the list's path with any filters (`/api/reports/aging/invoices?as_of=…`), without
    /// its limit or cursor. Each page must hold at most `limit` items.
    pub async fn all_pages(&self, user: &TestUser, path: &str, limit: usize) -> Vec<Value> {
        let separator = if path.contains('?') { '&' } else { '?' };
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut page_path = format!("{path}{separator}limit={limit}");
            if let Some(cursor) = &cursor {
                page_path.push_str(&format!("&cursor={cursor}"));
            }
            let page = self
                .get(&page_path, &user.token)
                .await
                .expect(StatusCode::OK)
                .body;
            let data = page["data"]
                .as_array()
                .unwrap_or_else(|| panic!("a page of {path}: {page:#}"));
            assert!(
                data.len() <= limit,
                "a page of {path} over {limit}: {page:#}"
            );
            items.extend(data.iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }

    pub async fn invoice(&self, user: &TestUser, invoice_id: &str) -> Value {
        self.get(&format!("/api/invoices/{invoice_id}"), &user.token)
            .await
            .expect(StatusCode::OK)
            .body
    }

    /// The lifecycle entries of the timeline, oldest first (the notifications an invoice's
    /// changes produce are left out: they land asynchronously; see [`Self::notifications`]).
    pub async fn timeline(&self, user: &TestUser, invoice_id: &str) -> Vec<String> {
        self.events(user, invoice_id)
            .await
            .into_iter()
            .map(|event| event["type"].as_str().unwrap().to_owned())
            .filter(|kind| !NOTIFICATIONS.contains(&kind.as_str()))
            .collect()
    }

    /// The notification entries of the timeline (PDF versions, e-mails, reminders), oldest first.
    pub async fn notifications(&self, user: &TestUser, invoice_id: &str) -> Vec<Value> {
        self.events(user, invoice_id)
            .await
            .into_iter()
            .filter(|event| NOTIFICATIONS.contains(&event["type"].as_str().unwrap()))
            .collect()
    }

    /// The whole timeline, oldest first.
    pub async fn events(&self, user: &TestUser, invoice_id: &str) -> Vec<Value> {
        self.get(&format!("/api/invoices/{invoice_id}/events"), &user.token)
            .await
            .expect(StatusCode::OK)
            .body["data"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The address this test's worker sends e-mail from.
    pub fn email_from(&self) -> &str {
        &self.email_from
    }

    // ---- Temporal --------------------------------------------------------------------------

    pub fn workflow(&self, invoice_id: &str) -> WorkflowHandle<Client, InvoiceWorkflow> {
        self.temporal
            .get_workflow_handle::<InvoiceWorkflow>(workflow_id(invoice_id.parse().unwrap()))
    }

    /// The workflow's own view of the invoice (its `view` query).
    pub async fn workflow_view(&self, invoice_id: &str) -> InvoiceView {
        self.workflow(invoice_id)
            .query(InvoiceWorkflow::view, (), WorkflowQueryOptions::default())
            .await
            .expect("the workflow answers its view query")
    }

    /// The events of the workflow's latest run.
    pub async fn history(&self, invoice_id: &str) -> Vec<HistoryEvent> {
        self.workflow(invoice_id)
            .fetch_history(Default::default())
            .into_events()
            .await
            .expect("fetching the workflow's history")
    }

    /// Waits until the invoice's workflow has completed: a paid, void or deleted invoice's
    /// workflow finishes once its last notifications are delivered.
    pub async fn completed(&self, invoice_id: &str) {
        eventually(
            &format!("the workflow of {invoice_id} to complete"),
            Duration::from_secs(60),
            || async {
                (self.workflow_status(invoice_id).await
                    == temporalio_client::WorkflowExecutionStatus::Completed)
                    .then_some(())
            },
        )
        .await;
    }

    pub async fn workflow_status(
        &self,
        invoice_id: &str,
    ) -> temporalio_client::WorkflowExecutionStatus {
        self.workflow(invoice_id)
            .describe(Default::default())
            .await
            .expect("describing the workflow")
            .status()
    }

    // ---- Database --------------------------------------------------------------------------

    pub async fn count(&self, sql: &str, invoice_id: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .bind(invoice_id.parse::<Uuid>().unwrap())
            .fetch_one(&self.db.pool)
            .await
            .expect("counting rows")
    }

    /// Waits until a statement of this test's database whose text contains `statement` waits
    /// on a lock (one the test holds to stop a write where it can be seen).
    pub async fn wait_for_blocked(&self, statement: &str) {
        eventually(
            &format!("a statement with '{statement}' to wait on a lock"),
            Duration::from_secs(60),
            || async {
                let waiting: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM pg_stat_activity
                     WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE $2",
                )
                .bind(&self.db.name)
                .bind(format!("%{statement}%"))
                .fetch_one(&self.db.pool)
                .await
                .expect("reading pg_stat_activity");
                (waiting > 0).then_some(())
            },
        )
        .await;
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.api_stop.take() {
            let _ = stop.send(());
        }
    }
}

pub struct TestUser {
    pub id: Uuid,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

pub fn id(invoice: &Value) -> String {
    invoice["id"]
        .as_str()
        .expect("an invoice has an id")
        .to_owned()
}

pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A valid draft: two lines, 384.99 USD, due in `days` days.
pub fn draft_due_in(days: u64) -> Value {
    json!({
        "client_name": "Acme Ltd",
        "client_email": "ap@acme.example",
        "currency": "USD",
        "due_date": (today() + chrono::Days::new(days)).to_string(),
        "notes": "Thank you for your business.",
        "items": [
            { "description": "Design work", "quantity": 3, "unit_amount": 12_500 },
            { "description": "Hosting", "quantity": 1, "unit_amount": 999 }
        ]
    })
}

pub fn draft() -> Value {
    draft_due_in(30)
}

/// Polls `check` until it returns `Some`, or panics after `timeout` naming `what`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
