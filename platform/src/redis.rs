//! Redis: the state API replicas share (sessions, rate-limit counters, the invoice cache).
//!
//! The connection is lazy and reconnects by itself, so a process starts and keeps serving while
//! Redis is down; every caller decides what "Redis is unavailable" means for it (fail open for
//! the cache and rate limits, 503 for signing in).

use anyhow::Context;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::Deserialize;
use std::time::Duration;

/// Where Redis is (`APP_REDIS__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct RedisSettings {
    /// `APP_REDIS__URL`, e.g. `redis://127.0.0.1:6379/0` (`rediss://` for TLS, as on ElastiCache
    /// with in-transit encryption).
    pub url: String,
    /// `APP_REDIS__KEY_PREFIX`: put before every key, so several deployments (or tests) can share
    /// one Redis.
    pub key_prefix: String,
    /// `APP_REDIS__TIMEOUT_MS`: how long one command may take before Redis counts as down. Kept
    /// short: a request waits on it.
    pub timeout_ms: u64,
}

/// Defaults for [`RedisSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("redis.url", "redis://127.0.0.1:6379"),
    ("redis.key_prefix", "invoicing:"),
    ("redis.timeout_ms", "250"),
];

/// A shared, reconnecting connection and the key prefix.
#[derive(Clone)]
pub struct Redis {
    connection: ConnectionManager,
    prefix: String,
}

impl Redis {
    /// Does not wait for Redis: the first command connects.
    pub fn new(settings: &RedisSettings) -> anyhow::Result<Self> {
        let client = redis::Client::open(settings.url.as_str())
            .with_context(|| format!("APP_REDIS__URL '{}' is not a Redis URL", settings.url))?;
        let timeout = Duration::from_millis(settings.timeout_ms);
        // One quick reconnection attempt per failed command: a request never waits for a
        // backoff schedule, and the next command tries again.
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(100));
        let connection = ConnectionManager::new_lazy_with_config(client, config)
            .context("creating the Redis connection")?;
        Ok(Self {
            connection,
            prefix: settings.key_prefix.clone(),
        })
    }

    /// A handle for commands; cheap to clone (commands share one multiplexed connection).
    pub fn connection(&self) -> ConnectionManager {
        self.connection.clone()
    }

    /// `key` with the deployment's prefix.
    pub fn key(&self, key: impl std::fmt::Display) -> String {
        format!("{}{key}", self.prefix)
    }

    /// Whether Redis answers `PING` now.
    pub async fn ping(&self) -> bool {
        let mut connection = self.connection();
        redis::cmd("PING")
            .query_async::<String>(&mut connection)
            .await
            .is_ok()
    }
}
