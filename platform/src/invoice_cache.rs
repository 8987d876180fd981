//! The invoice cache: `GET /api/invoices/{id}` answers from Redis (cache-aside, with a TTL),
//! and every write of an invoice invalidates it.
//!
//! Two races are closed:
//! - A reader loads the old row, a writer commits and invalidates, the reader then stores the
//!   old row. Each invoice has a generation counter: invalidating bumps it, and a reader only
//!   stores what it loaded if the generation it saw before loading is still current.
//! - A writer cannot reach Redis, so its invalidation is lost, and the old entry is still
//!   there when Redis is reachable again. A process that saw Redis fail bumps the cache's
//!   epoch as soon as Redis answers again (before it uses the cache again, and from a
//!   background task every second): entries are keyed by epoch, so every entry stored before
//!   the outage is dropped at once.
//!
//! Writers are the API (after each command) and the worker (after each activity that changes
//! the invoice), so changes made by timers and webhooks are seen too. Keys build on one
//! another inside the scripts (the entry's key names the epoch read there), which Redis Cluster
//! allows only because every key carries the prefix's hash tag and so lives in one slot
//! (`crate::redis`).

use crate::redis::Redis;
use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};
use uuid::Uuid;

/// How long a generation counter outlives the last change: far longer than any read takes.
const GENERATION_TTL_SECS: u64 = 24 * 3600;

#[derive(Clone)]
pub struct InvoiceCache {
    redis: Redis,
    ttl: Duration,
    scripts: Arc<Scripts>,
    /// This process saw Redis fail, and may have lost an invalidation: bump the epoch first.
    owes_epoch: Arc<AtomicBool>,
}

struct Scripts {
    lookup: redis::Script,
    fill: redis::Script,
    invalidate: redis::Script,
}

/// What a lookup found.
pub enum Lookup {
    /// The cached entry.
    Hit(Vec<u8>),
    /// Nothing cached: load the invoice, then [`InvoiceCache::fill`] with this generation.
    Miss(Generation),
    /// Redis did not answer (or the cache is off): serve from PostgreSQL and do not fill.
    Unavailable,
}

/// The epoch and invoice generation seen before loading it from PostgreSQL.
pub struct Generation {
    epoch: String,
    generation: String,
}

impl InvoiceCache {
    /// `ttl` of zero turns lookups off (every lookup is `Unavailable`, nothing is stored).
    pub fn new(redis: Redis, ttl: Duration) -> Self {
        // KEYS: epoch, generation; ARGV[1]: the entry key without its epoch.
        let lookup = redis::Script::new(
            r"
            local epoch = redis.call('GET', KEYS[1]) or '0'
            local entry = redis.call('GET', ARGV[1] .. epoch) or ''
            local generation = redis.call('GET', KEYS[2]) or '0'
            return {entry, epoch, generation}
            ",
        );
        // KEYS: epoch, generation; ARGV: entry key without epoch, epoch and generation seen,
        // the entry, TTL.
        let fill = redis::Script::new(
            r"
            local epoch = redis.call('GET', KEYS[1]) or '0'
            local generation = redis.call('GET', KEYS[2]) or '0'
            if epoch == ARGV[2] and generation == ARGV[3] then
              redis.call('SET', ARGV[1] .. epoch, ARGV[4], 'EX', ARGV[5])
              return 1
            end
            return 0
            ",
        );
        // KEYS: epoch, generation; ARGV: entry key without epoch, generation TTL.
        let invalidate = redis::Script::new(
            r"
            local epoch = redis.call('GET', KEYS[1]) or '0'
            redis.call('INCR', KEYS[2])
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            return redis.call('DEL', ARGV[1] .. epoch)
            ",
        );
        Self {
            redis,
            ttl,
            scripts: Arc::new(Scripts {
                lookup,
                fill,
                invalidate,
            }),
            owes_epoch: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A cache handle that only invalidates: what the worker needs.
    pub fn invalidator(redis: Redis) -> Self {
        Self::new(redis, Duration::ZERO)
    }

    pub fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    fn epoch_key(&self) -> String {
        self.redis.key("invoice-cache:epoch")
    }

    fn generation_key(&self, invoice_id: Uuid) -> String {
        self.redis
            .key(format_args!("invoice:{invoice_id}:generation"))
    }

    fn entry_key(&self, invoice_id: Uuid) -> String {
        self.redis.key(format_args!("invoice:{invoice_id}:epoch:"))
    }

    fn failed(&self, error: &redis::RedisError, what: &str, invoice_id: Uuid) {
        self.owes_epoch.store(true, Ordering::SeqCst);
        tracing::warn!(%error, %invoice_id, "invoice cache: {what} failed");
    }

    /// Bumps the epoch if this process owes it; `false` while it still does.
    async fn settle(&self) -> bool {
        if !self.owes_epoch.load(Ordering::SeqCst) {
            return true;
        }
        let mut connection = self.redis.connection();
        let bumped: redis::RedisResult<i64> = redis::cmd("INCR")
            .arg(self.epoch_key())
            .query_async(&mut connection)
            .await;
        match bumped {
            Ok(epoch) => {
                self.owes_epoch.store(false, Ordering::SeqCst);
                tracing::info!(
                    epoch,
                    "Redis is back: invoice cache entries from before the outage dropped"
                );
                true
            }
            Err(_) => false,
        }
    }

    /// Keeps trying to settle a missed invalidation while Redis is down, so that entries from
    /// before an outage go as soon as it ends, even if this process does not touch the cache.
    pub fn spawn_recovery(&self) -> tokio::task::JoinHandle<()> {
        let cache = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(1));
            loop {
                every.tick().await;
                cache.settle().await;
            }
        })
    }

    pub async fn lookup(&self, invoice_id: Uuid) -> Lookup {
        if !self.enabled() || !self.settle().await {
            return Lookup::Unavailable;
        }
        let mut connection = self.redis.connection();
        let found: redis::RedisResult<(Vec<u8>, String, String)> = self
            .scripts
            .lookup
            .key(self.epoch_key())
            .key(self.generation_key(invoice_id))
            .arg(self.entry_key(invoice_id))
            .invoke_async(&mut connection)
            .await;
        match found {
            Ok((entry, _, _)) if !entry.is_empty() => Lookup::Hit(entry),
            Ok((_, epoch, generation)) => Lookup::Miss(Generation { epoch, generation }),
            Err(error) => {
                self.failed(&error, "lookup", invoice_id);
                Lookup::Unavailable
            }
        }
    }

    /// Stores `entry` (never empty) unless the invoice or the epoch changed since `seen` was
    /// read. Best effort.
    pub async fn fill(&self, invoice_id: Uuid, seen: Generation, entry: &[u8]) {
        if entry.is_empty() {
            return;
        }
        let mut connection = self.redis.connection();
        let stored: redis::RedisResult<i64> = self
            .scripts
            .fill
            .key(self.epoch_key())
            .key(self.generation_key(invoice_id))
            .arg(self.entry_key(invoice_id))
            .arg(seen.epoch)
            .arg(seen.generation)
            .arg(entry)
            .arg(self.ttl.as_secs().max(1))
            .invoke_async(&mut connection)
            .await;
        if let Err(error) = stored {
            self.failed(&error, "fill", invoice_id);
        }
    }

    /// Forgets the cached invoice; call it after every committed change.
    pub async fn invalidate(&self, invoice_id: Uuid) {
        let mut connection = self.redis.connection();
        let result: redis::RedisResult<i64> = self
            .scripts
            .invalidate
            .key(self.epoch_key())
            .key(self.generation_key(invoice_id))
            .arg(self.entry_key(invoice_id))
            .arg(GENERATION_TTL_SECS)
            .invoke_async(&mut connection)
            .await;
        if let Err(error) = result {
            self.failed(&error, "invalidation", invoice_id);
        }
    }
}
