//! PostgreSQL access, shared by the API (accounts, drafts, reads) and the activities (the
//! lifecycle writes the invoice workflow decides). SQL is visible: one small function per
//! query, checked at compile time against the migrations (`.sqlx/` holds the offline cache).

pub mod aging;
pub mod bank_accounts;
pub mod credit_notes;
pub mod customer_credits;
pub mod customers;
pub mod documents;
pub mod draft_references;
mod error;
pub mod events;
pub mod exports;
pub mod idempotency;
pub mod invoice_content;
pub mod invoice_list;
pub mod invoices;
pub mod logos;
pub mod numbering;
pub mod payments;
pub mod reminders;
pub mod reports;
pub mod sellers;
pub mod side_effects;
pub mod statement_emails;
pub mod statements;
pub mod stripe;
pub mod tax_rates;
pub mod transitions;
pub mod users;
pub mod write_offs;

pub use error::StoreError;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sqlx::{PgPool, postgres::PgPoolOptions};
use std::time::Duration;

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// How to reach PostgreSQL (`APP_DATABASE__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct DatabaseSettings {
    /// `APP_DATABASE__URL`, e.g. `postgres://postgres@127.0.0.1:5432/invoicing`.
    pub url: SecretString,
    /// `APP_DATABASE__MAX_CONNECTIONS`: pool size per process.
    pub max_connections: u32,
    /// `APP_DATABASE__ACQUIRE_TIMEOUT_SECS`: how long a request waits for a free connection.
    pub acquire_timeout_secs: u64,
}

impl DatabaseSettings {
    pub const DEFAULT_URL: &'static str = "postgres://postgres@127.0.0.1:5432/invoicing";

    /// A pool that connects lazily, so a process starts (and reports not-ready) while the
    /// database is down instead of crashing.
    pub fn pool(&self) -> anyhow::Result<PgPool> {
        let pool = PgPoolOptions::new()
            .max_connections(self.max_connections)
            .acquire_timeout(Duration::from_secs(self.acquire_timeout_secs))
            .connect_lazy(self.url.expose_secret())?;
        Ok(pool)
    }
}

/// Applies every pending migration.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}

/// Defaults for [`DatabaseSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("database.url", DatabaseSettings::DEFAULT_URL),
    ("database.max_connections", "10"),
    ("database.acquire_timeout_secs", "5"),
];
