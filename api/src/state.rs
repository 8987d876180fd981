//! What every handler can reach.

use crate::{
    auth::{sessions::Sessions, token::Tokens},
    commands::WorkflowClient,
    rate_limit::RateLimiter,
};
use invoicing_platform::{invoice_cache::InvoiceCache, redis::Redis};
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;
use std::sync::Arc;

/// A handle on the [`Services`], cloned for every extractor and middleware of every request:
/// one reference count, where a copy of the services would make a dozen allocations (scripts,
/// prefixes, names) and free them again. The profile of cached reads showed exactly that.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

pub struct Services {
    pub db: PgPool,
    pub workflows: WorkflowClient,
    pub tokens: Arc<Tokens>,
    pub documents: Documents,
    pub stripe: Stripe,
    pub redis: Redis,
    pub sessions: Sessions,
    pub rate_limiter: RateLimiter,
    pub cache: InvoiceCache,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
}

/// Online payments: whether pay links can be made (the worker has a Stripe key), and how
/// webhooks are verified.
#[derive(Clone)]
pub struct Stripe {
    pub payments_enabled: bool,
    pub webhook_secret: Option<secrecy::SecretString>,
    pub webhook_tolerance_secs: u64,
}

/// The document store: the invoice PDFs (read-only here; the worker writes them) and the
/// sellers' logos (written here, read by the worker for the PDFs).
#[derive(Clone)]
pub struct Documents {
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
    /// SSE-KMS with this key, or SSE-S3 without one, as the worker stores PDFs.
    pub kms_key: Option<String>,
}
