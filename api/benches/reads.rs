//! Reads per second and latency (p50/p99) for authenticated `GET /api/invoices/{id}` served
//! from the Redis cache, the same read with the cache off (PostgreSQL), and `/healthz` (the
//! HTTP stack alone), measured in the same run; the ratios cached/healthz and cached/uncached
//! are what to compare between runs, since they mean the same on a loaded machine.
//!
//! Two API instances share one database and one Redis: one with the cache, one without. Each
//! target is measured in three interleaved rounds of `REQUESTS` requests from `CLIENTS`
//! concurrent clients; the best round counts (noise on a shared machine only slows a round).
//!
//! `cargo bench -p invoicing-api --bench reads` (scripts/test runs it). Needs PostgreSQL
//! (`TEST_DATABASE_URL`), Redis (`TEST_REDIS_URL`) and Temporal (`TEST_TEMPORAL_ADDRESS`; the
//! API connects at start-up, no workflow runs).

use chrono::Utc;
use invoicing_api::{
    Application, AuthSettings, AwsSettings, CacheSettings, DocumentSettings, HttpSettings,
    RateLimitSettings, RedisSettings, Settings, StripeSettings,
};
use invoicing_platform::{config::Environment, temporal::TemporalSettings};
use invoicing_store::{DatabaseSettings, invoices};
use invoicing_workflows::domain::{Draft, DraftFields, LineItemFields};
use secrecy::SecretString;
use sqlx::{Connection, Executor, PgConnection};
use std::time::{Duration, Instant};
use uuid::Uuid;

const CLIENTS: usize = 8;
const REQUESTS: usize = 3_000;
const ROUNDS: usize = 3;

struct Measured {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn settings(database_url: &str, redis_prefix: &str, cache_ttl_secs: u64) -> Settings {
    Settings {
        environment: Environment::Local,
        http: HttpSettings {
            host: "127.0.0.1".to_owned(),
            port: 0,
            cors_origins: String::new(),
            request_timeout_secs: 30,
            hsts: false,
            // The benchmark reads the API only; no web app is built there.
            web_dir: std::path::PathBuf::from("no-web-app"),
        },
        database: DatabaseSettings {
            url: SecretString::from(database_url.to_owned()),
            max_connections: 16,
            acquire_timeout_secs: 5,
        },
        temporal: TemporalSettings {
            address: env("TEST_TEMPORAL_ADDRESS", TemporalSettings::DEFAULT_ADDRESS),
            namespace: "default".to_owned(),
            task_queue: "bench-reads".to_owned(),
        },
        auth: AuthSettings {
            jwt_secret: Some(SecretString::from(
                "a-benchmark-secret-of-at-least-32-bytes",
            )),
            token_ttl_secs: 900,
            refresh_ttl_secs: 3600,
        },
        aws: AwsSettings {
            region: "us-east-1".to_owned(),
            endpoint_url: Some(env("TEST_AWS_ENDPOINT", "http://127.0.0.1:4566")),
        },
        documents: DocumentSettings {
            bucket: "bench-reads".to_owned(),
        },
        stripe: StripeSettings {
            api_base: StripeSettings::API_BASE.to_owned(),
            secret_key: None,
            webhook_secret: None,
            webhook_tolerance_secs: StripeSettings::WEBHOOK_TOLERANCE_SECS,
            watchdog_after_secs: 3600,
            checkout_return_url: "http://localhost/".to_owned(),
            reconciliation_schedule: false,
            reconciliation_days: 3,
        },
        redis: RedisSettings {
            url: env("TEST_REDIS_URL", "redis://127.0.0.1:6379"),
            key_prefix: redis_prefix.to_owned(),
            timeout_ms: 250,
        },
        // The benchmark measures reads, not the limiter refusing them.
        rate_limit: RateLimitSettings {
            auth_requests: 1_000_000,
            auth_window_secs: 60,
            user_requests: 1_000_000_000,
            user_window_secs: 60,
            forwarded_hops: 0,
        },
        cache: CacheSettings {
            invoice_ttl_secs: cache_ttl_secs,
        },
    }
}

async fn serve(settings: Settings) -> anyhow::Result<String> {
    let app = Application::build(settings).await?;
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    Ok(address)
}

/// `REQUESTS` GETs of `url` from `CLIENTS` concurrent clients.
async fn round(http: &reqwest::Client, url: &str, token: Option<&str>) -> Measured {
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let http = http.clone();
        let url = url.to_owned();
        let token = token.map(str::to_owned);
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(REQUESTS / CLIENTS);
            for _ in 0..REQUESTS / CLIENTS {
                let mut request = http.get(&url);
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                let sent = Instant::now();
                let response = request.send().await.expect("the API answers");
                assert!(
                    response.status().is_success(),
                    "{url}: {}",
                    response.status()
                );
                response.bytes().await.expect("reading the body");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(REQUESTS);
    for client in clients {
        latencies.extend(client.await.expect("a client task"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |quantile: f64| latencies[((latencies.len() - 1) as f64 * quantile) as usize];
    Measured {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    invoicing_platform::telemetry::init_with_default("warn");
    let admin_url = env(
        "TEST_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/postgres",
    );
    let name = format!("invoicing_bench_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&admin_url).await?;
    admin
        .execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
        .await?;
    let (server, _) = admin_url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL names a database");
    let database_url = format!("{server}/{name}");
    let result = run(&database_url, &name).await;
    admin
        .execute(format!(r#"DROP DATABASE "{name}" WITH (FORCE)"#).as_str())
        .await?;
    result
}

async fn run(database_url: &str, name: &str) -> anyhow::Result<()> {
    let pool = sqlx::PgPool::connect(database_url).await?;
    invoicing_store::migrate(&pool).await?;
    let prefix = format!("{name}:");
    let cached = serve(settings(database_url, &prefix, 300)).await?;
    let uncached = serve(settings(database_url, &prefix, 0)).await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()?;

    // An account (through the API, so the token and session are real) and a 10-line invoice.
    let registered: serde_json::Value = http
        .post(format!("{cached}/api/auth/register"))
        .json(&serde_json::json!({ "email": "bench@example.com", "password": "correct horse battery" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = registered["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let user_id: Uuid = registered["user"]["id"]
        .as_str()
        .unwrap_or_default()
        .parse()?;
    let today = Utc::now().date_naive();
    let draft = Draft::parse(
        DraftFields {
            client_name: "Acme Ltd".to_owned(),
            client_email: "ap@acme.example".to_owned(),
            currency: "USD".to_owned(),
            issue_date: today,
            due_date: today + chrono::Days::new(30),
            notes: Some("Thank you for your business.".to_owned()),
            items: (1..=10)
                .map(|n| LineItemFields {
                    description: format!("Line item {n}"),
                    quantity: n,
                    unit_amount: 1_250,
                })
                .collect(),
        },
        today,
    )
    .map_err(|errors| anyhow::anyhow!("{errors}"))?;
    let invoice_id = Uuid::new_v4();
    invoices::insert_draft(&pool, invoice_id, user_id, &draft, Utc::now()).await?;

    let targets = [
        (
            "GET /api/invoices/{id} (cached)",
            format!("{cached}/api/invoices/{invoice_id}"),
            true,
        ),
        (
            "GET /api/invoices/{id} (uncached)",
            format!("{uncached}/api/invoices/{invoice_id}"),
            true,
        ),
        ("GET /healthz", format!("{cached}/healthz"), false),
    ];
    // Warm up: connections, the cache entry, the database's plan cache.
    for (_, url, authenticated) in &targets {
        round(&http, url, authenticated.then_some(token.as_str())).await;
    }
    let mut best: Vec<Option<Measured>> = targets.iter().map(|_| None).collect();
    for _ in 0..ROUNDS {
        for (index, (_, url, authenticated)) in targets.iter().enumerate() {
            let measured = round(&http, url, authenticated.then_some(token.as_str())).await;
            if best[index]
                .as_ref()
                .is_none_or(|best| measured.per_second > best.per_second)
            {
                best[index] = Some(measured);
            }
        }
    }
    println!(
        "reads: {CLIENTS} concurrent clients, {REQUESTS} requests per round, best of {ROUNDS} rounds"
    );
    let mut rates = Vec::new();
    for ((label, _, _), measured) in targets.iter().zip(&best) {
        let measured = measured.as_ref().expect("every target was measured");
        println!(
            "  {label:<36} {:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms",
            measured.per_second,
            millis(measured.p50),
            millis(measured.p99)
        );
        rates.push(measured.per_second);
    }
    println!("  ratio cached/healthz:  {:.2}", rates[0] / rates[2]);
    println!("  ratio cached/uncached: {:.2}", rates[0] / rates[1]);
    Ok(())
}
