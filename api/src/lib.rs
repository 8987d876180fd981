//! The REST API: accounts, invoices, and the commands that drive each invoice's workflow.
//!
//! `main.rs` only loads settings and calls [`Application::build`]; tests build the same
//! application on port 0.

mod accounts;
mod auth;
mod commands;
mod csv_export;
mod cursor;
mod error;
mod extract;
mod hygiene;
mod idempotency;
mod openapi;
mod rate_limit;
mod routes;
mod settings;
mod spa;
mod state;
mod stored_files;
mod stripe;
mod telemetry;
mod views;

pub mod admin;

/// The OpenAPI document, as `GET /api/openapi.json` serves it (`api openapi` prints it).
pub use routes::document as openapi_document;

pub use invoicing_platform::{
    aws::{AwsSettings, DocumentSettings},
    redis::RedisSettings,
    stripe::StripeSettings,
};
pub use settings::{AuthSettings, CacheSettings, HttpSettings, RateLimitSettings, Settings};

use anyhow::Context;
use auth::{sessions::Sessions, token::Tokens};
use commands::WorkflowClient;
use invoicing_platform::{invoice_cache::InvoiceCache, redis::Redis};
use rate_limit::RateLimiter;
use state::AppState;
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};
use tokio::net::TcpListener;

/// The API, bound to its port and ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: sqlx::PgPool,
    cache: InvoiceCache,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let tokens = Tokens::new(
            &settings.jwt_secret()?,
            Duration::from_secs(settings.auth.token_ttl_secs),
        );
        let db = settings.database.pool()?;
        let client = invoicing_platform::temporal::connect(
            &settings.temporal,
            "invoicing-api",
            Duration::from_secs(30),
        )
        .await?;
        // The SDK retries reads itself here: a request has no Temporal to retry it.
        let aws = invoicing_platform::aws::sdk_config(&settings.aws, 3).await;
        let redis = Redis::new(&settings.redis)?;
        if !redis.ping().await {
            tracing::warn!(url = %settings.redis.url, "Redis is not answering: serving without the cache and rate limits; sign-in is unavailable until it is back");
        }
        let state = AppState::new(state::Services {
            db,
            workflows: WorkflowClient::new(client, settings.temporal.task_queue.clone()),
            tokens: Arc::new(tokens),
            documents: state::Documents {
                s3: invoicing_platform::aws::s3_client(&aws, &settings.aws),
                bucket: settings.documents.bucket.clone(),
                kms_key: settings.documents.kms_key().map(str::to_owned),
            },
            stripe: state::Stripe {
                payments_enabled: settings.stripe.secret_key.is_some(),
                webhook_secret: settings.stripe.webhook_secret.clone(),
                webhook_tolerance_secs: settings.stripe.webhook_tolerance_secs,
            },
            sessions: Sessions::new(
                redis.clone(),
                Duration::from_secs(settings.auth.refresh_ttl_secs),
            ),
            rate_limiter: RateLimiter::new(redis.clone(), &settings.rate_limit),
            cache: InvoiceCache::new(
                redis.clone(),
                Duration::from_secs(settings.cache.invoice_ttl_secs),
            ),
            redis,
            metrics: telemetry::recorder()?,
        });
        if settings.stripe.webhook_secret.is_none() {
            tracing::warn!("APP_STRIPE__WEBHOOK_SECRET is not set: Stripe webhooks are refused");
        }
        let address = settings.address()?;
        let listener = TcpListener::bind(address)
            .await
            .with_context(|| format!("listening on {address}"))?;
        let router = routes::router(state.clone(), &settings)?;
        Ok(Self {
            listener,
            router,
            db: state.db.clone(),
            cache: state.cache.clone(),
        })
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|address| address.port())
            .unwrap_or_default()
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(invoicing_platform::shutdown::signal()).await
    }

    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(address = %self.listener.local_addr()?, "API listening");
        let purge = tokio::spawn(purge_idempotency_keys(self.db.clone()));
        let recovery = self.cache.spawn_recovery();
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
        .context("serving HTTP");
        purge.abort();
        recovery.abort();
        served
    }
}

/// Deletes expired idempotency keys every hour (any replica may; the delete is idempotent).
async fn purge_idempotency_keys(db: sqlx::PgPool) {
    let mut hourly = tokio::time::interval(Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        match invoicing_store::idempotency::purge_expired(&db).await {
            Ok(purged) => tracing::debug!(purged, "expired idempotency keys purged"),
            Err(error) => tracing::warn!(%error, "could not purge expired idempotency keys"),
        }
    }
}

/// Applies pending database migrations (`api migrate`).
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let pool = settings.database.pool()?;
    invoicing_store::migrate(&pool)
        .await
        .context("applying migrations")?;
    tracing::info!("database migrations applied");
    Ok(())
}
