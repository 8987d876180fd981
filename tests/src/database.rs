//! A PostgreSQL database per test, migrated like production.

use invoicing_store::DatabaseSettings;
use secrecy::SecretString;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use uuid::Uuid;

/// The maintenance database test databases are created through.
fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// The Redis every test shares, each under its own key prefix.
pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// A database of its own, migrated.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
    pub pool: PgPool,
}

impl TestDatabase {
    pub async fn create() -> Self {
        let database = Self::create_unmigrated().await;
        invoicing_store::migrate(&database.pool)
            .await
            .expect("migrating the test database");
        database
    }

    /// A database of its own without any table, for tests that migrate it themselves.
    pub async fn create_unmigrated() -> Self {
        let name = format!("invoicing_test_{}", Uuid::new_v4().simple());
        let admin = admin_url();
        let mut conn = PgConnection::connect(&admin)
            .await
            .expect("PostgreSQL is reachable at TEST_DATABASE_URL (run scripts/test)");
        conn.execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
            .await
            .expect("creating the test database");
        let url = match admin.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("TEST_DATABASE_URL must name a database"),
        };
        let pool = PgPool::connect(&url)
            .await
            .expect("connecting to the test database");
        Self { name, url, pool }
    }

    /// Redis settings whose keys are this test's own (prefixed with the database name).
    pub fn redis_settings(&self) -> invoicing_platform::redis::RedisSettings {
        invoicing_platform::redis::RedisSettings {
            url: redis_url(),
            key_prefix: format!("{}:", self.name),
            timeout_ms: 250,
            cluster: false,
        }
    }

    pub fn settings(&self) -> DatabaseSettings {
        DatabaseSettings {
            url: SecretString::from(self.url.clone()),
            max_connections: 5,
            acquire_timeout_secs: 5,
        }
    }
}
