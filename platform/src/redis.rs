//! Redis: the state API replicas share (sessions, rate-limit counters, the invoice cache).
//!
//! The connection is lazy and reconnects by itself, so a process starts and keeps serving while
//! Redis is down; every caller decides what "Redis is unavailable" means for it (fail open for
//! the cache and rate limits, 503 for signing in).
//!
//! Two shapes of Redis: one node with its replicas (a local Redis, ElastiCache without cluster
//! mode), or a Redis Cluster (ElastiCache in cluster mode, `APP_REDIS__CLUSTER=true`). The
//! product's scripts are atomic over several keys (a rate-limit counter and the session it
//! checks, the cache's epoch and an invoice's generation), and a cluster runs a script only
//! on keys of one hash slot. So in cluster mode the key prefix must carry a hash tag
//! (`{invoicing}:`): every key of a deployment then lives in one slot, on one shard with its
//! replicas, and the cluster gives failover and online scaling of that shard's node type. The
//! data is small (sessions, counters, cached invoices), one shard holds it many times over.

use anyhow::{Context, bail};
use redis::{
    Cmd, Pipeline, RedisFuture, Value,
    aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig},
    cluster::{ClusterClient, ClusterClientBuilder},
    cluster_async::ClusterConnection,
};
use serde::Deserialize;
use std::{sync::Arc, time::Duration};
use tokio::sync::OnceCell;

/// Where Redis is (`APP_REDIS__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct RedisSettings {
    /// `APP_REDIS__URL`, e.g. `redis://127.0.0.1:6379/0` (`rediss://` for TLS, as on ElastiCache
    /// with in-transit encryption; the password goes in the URL: `rediss://:token@host:6379`).
    /// In cluster mode, any node of the cluster (ElastiCache's configuration endpoint).
    pub url: String,
    /// `APP_REDIS__KEY_PREFIX`: put before every key, so several deployments (or tests) can share
    /// one Redis. In cluster mode it must contain a hash tag, e.g. `{invoicing}:`.
    pub key_prefix: String,
    /// `APP_REDIS__TIMEOUT_MS`: how long one command may take before Redis counts as down. Kept
    /// short: a request waits on it.
    pub timeout_ms: u64,
    /// `APP_REDIS__CLUSTER`: speak the Redis Cluster protocol (ElastiCache cluster mode).
    #[serde(default)]
    pub cluster: bool,
}

impl RedisSettings {
    /// The prefix's hash tag (what a cluster hashes every key by), if it has one: the text
    /// between the first `{` and the next `}`, when not empty (Redis' own rule,
    /// <https://redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags>).
    pub fn hash_tag(&self) -> Option<&str> {
        let open = self.key_prefix.find('{')?;
        let rest = &self.key_prefix[open + 1..];
        let close = rest.find('}')?;
        Some(&rest[..close]).filter(|tag| !tag.is_empty())
    }
}

/// Defaults for [`RedisSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("redis.url", "redis://127.0.0.1:6379"),
    ("redis.key_prefix", "invoicing:"),
    ("redis.timeout_ms", "250"),
    ("redis.cluster", "false"),
];

/// A shared, reconnecting connection and the key prefix.
#[derive(Clone)]
pub struct Redis {
    connection: Connection,
    prefix: String,
}

/// A handle for commands, cheap to clone: clones share one multiplexed connection (per node,
/// in a cluster).
#[derive(Clone)]
pub enum Connection {
    Single(ConnectionManager),
    Cluster(Arc<LazyCluster>),
}

/// A cluster connection made on first use: a process starts while Redis is down, and a
/// failed attempt is made again by the next command.
pub struct LazyCluster {
    client: ClusterClient,
    connection: OnceCell<ClusterConnection>,
}

impl LazyCluster {
    async fn connection(&self) -> redis::RedisResult<ClusterConnection> {
        self.connection
            .get_or_try_init(|| self.client.get_async_connection())
            .await
            .cloned()
    }
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Single(connection) => connection.req_packed_command(cmd),
            Connection::Cluster(cluster) => {
                Box::pin(async move { cluster.connection().await?.req_packed_command(cmd).await })
            }
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Single(connection) => {
                connection.req_packed_commands(pipeline, offset, count)
            }
            Connection::Cluster(cluster) => Box::pin(async move {
                cluster
                    .connection()
                    .await?
                    .req_packed_commands(pipeline, offset, count)
                    .await
            }),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Single(connection) => connection.get_db(),
            // A cluster has database 0 only.
            Connection::Cluster(_) => 0,
        }
    }
}

impl Redis {
    /// Does not wait for Redis: the first command connects.
    pub fn new(settings: &RedisSettings) -> anyhow::Result<Self> {
        // TLS (`rediss://`) goes through rustls' process-wide provider: ring, the one every
        // TLS client here uses. Installing it is idempotent (a second call is refused).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let timeout = Duration::from_millis(settings.timeout_ms);
        let connection = if settings.cluster {
            if settings.hash_tag().is_none() {
                bail!(
                    "APP_REDIS__CLUSTER=true needs a hash tag in APP_REDIS__KEY_PREFIX (e.g. \
                     '{{invoicing}}:'), so that every key of the deployment is in one hash slot \
                     and the product's multi-key scripts can run; it is '{}'",
                    settings.key_prefix
                );
            }
            let client = ClusterClientBuilder::new([settings.url.as_str()])
                .connection_timeout(timeout)
                .response_timeout(timeout)
                .retries(1)
                .build()
                .with_context(|| {
                    format!(
                        "APP_REDIS__URL '{}' is not a Redis URL",
                        redacted(&settings.url)
                    )
                })?;
            Connection::Cluster(Arc::new(LazyCluster {
                client,
                connection: OnceCell::new(),
            }))
        } else {
            let client = redis::Client::open(settings.url.as_str()).with_context(|| {
                format!(
                    "APP_REDIS__URL '{}' is not a Redis URL",
                    redacted(&settings.url)
                )
            })?;
            // One quick reconnection attempt per failed command: a request never waits for a
            // backoff schedule, and the next command tries again.
            let config = ConnectionManagerConfig::new()
                .set_connection_timeout(Some(timeout))
                .set_response_timeout(Some(timeout))
                .set_number_of_retries(1)
                .set_max_delay(Duration::from_millis(100));
            Connection::Single(
                ConnectionManager::new_lazy_with_config(client, config)
                    .context("creating the Redis connection")?,
            )
        };
        Ok(Self {
            connection,
            prefix: settings.key_prefix.clone(),
        })
    }

    /// A handle for commands; cheap to clone (commands share one multiplexed connection).
    pub fn connection(&self) -> Connection {
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

/// `url` without its password (ElastiCache's auth token travels in the URL).
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(prefix: &str, cluster: bool) -> RedisSettings {
        RedisSettings {
            url: "redis://:s3cret@127.0.0.1:6379".to_owned(),
            key_prefix: prefix.to_owned(),
            timeout_ms: 250,
            cluster,
        }
    }

    #[test]
    fn a_hash_tag_is_the_first_non_empty_braced_text() {
        assert_eq!(settings("{invoicing}:", true).hash_tag(), Some("invoicing"));
        assert_eq!(settings("prod:{inv}:x:", true).hash_tag(), Some("inv"));
        assert_eq!(settings("invoicing:", true).hash_tag(), None);
        assert_eq!(settings("{}:", true).hash_tag(), None);
        assert_eq!(settings("{open:", true).hash_tag(), None);
    }

    #[tokio::test]
    async fn cluster_mode_refuses_a_prefix_without_a_hash_tag() {
        let error = Redis::new(&settings("invoicing:", true))
            .err()
            .expect("refused");
        assert!(error.to_string().contains("needs a hash tag"), "{error}");
        assert!(Redis::new(&settings("{invoicing}:", true)).is_ok());
        // Without cluster mode any prefix does.
        assert!(Redis::new(&settings("invoicing:", false)).is_ok());
    }

    #[test]
    fn the_password_is_not_repeated_in_messages() {
        assert_eq!(
            redacted("rediss://:s3cret@cache.example:6379"),
            "rediss://:***@cache.example:6379"
        );
        assert_eq!(redacted("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
    }
}
