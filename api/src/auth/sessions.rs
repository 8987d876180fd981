//! Sessions: a short-lived access token (JWT) plus an opaque refresh token kept in Redis.
//!
//! A session is one sign-in on one device. Its refresh token is `{session id}.{secret}`; Redis
//! keeps only a SHA-256 of the current secret. Refreshing rotates the secret. Presenting any
//! other secret for a live session means a refresh token was copied and used twice (by the
//! client and by someone else): the whole session is ended, so neither can go on.
//!
//! Access tokens name their session (`sid`), and every request checks that the session is
//! still alive, so signing out takes effect at once. While Redis is unreachable that check is
//! skipped (access tokens are then valid until they expire, 15 minutes by default), so the
//! API keeps serving; signing in and refreshing need Redis and answer 503 meanwhile.
//!
//! Keys (after the deployment's prefix): `session:{sid}`, a hash of `user` and `secret`, and
//! `user-sessions:{user}`, the set of a user's session ids; both expire after the refresh TTL
//! unless refreshed.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use invoicing_platform::redis::Redis;
use rand::RngCore;
use redis::AsyncCommands;
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

#[derive(Clone)]
pub struct Sessions {
    redis: Redis,
    ttl: Duration,
    rotate: redis::Script,
    end_all: redis::Script,
}

/// A new session and its first refresh token.
pub struct Started {
    pub id: String,
    pub refresh_token: String,
}

/// Why a refresh token was refused.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("the refresh token is not valid")]
    Invalid,
    #[error("the refresh token was already used; the session has been ended")]
    Reused,
    #[error("sessions are unavailable")]
    Unavailable(#[from] redis::RedisError),
}

impl Sessions {
    pub fn new(redis: Redis, ttl: Duration) -> Self {
        Self {
            redis,
            ttl,
            // KEYS: the session; ARGV: presented secret hash, next secret hash, TTL, key prefix,
            // session id. The user's set is named from the stored user id, hence built here.
            rotate: redis::Script::new(
                r"
                local stored = redis.call('HMGET', KEYS[1], 'user', 'secret')
                if not stored[1] then return {'missing', ''} end
                if stored[2] == ARGV[1] then
                  redis.call('HSET', KEYS[1], 'secret', ARGV[2])
                  redis.call('EXPIRE', KEYS[1], ARGV[3])
                  redis.call('EXPIRE', ARGV[4] .. 'user-sessions:' .. stored[1], ARGV[3])
                  return {'rotated', stored[1]}
                end
                redis.call('DEL', KEYS[1])
                redis.call('SREM', ARGV[4] .. 'user-sessions:' .. stored[1], ARGV[5])
                return {'reused', stored[1]}
                ",
            ),
            // KEYS: the user's set; ARGV: key prefix, the session to keep ('' for none).
            end_all: redis::Script::new(
                r"
                local ended = 0
                for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
                  if sid ~= ARGV[2] then
                    redis.call('DEL', ARGV[1] .. 'session:' .. sid)
                    redis.call('SREM', KEYS[1], sid)
                    ended = ended + 1
                  end
                end
                return ended
                ",
            ),
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn session_key(&self, id: &str) -> String {
        self.redis.key(format_args!("session:{id}"))
    }

    fn user_key(&self, user_id: Uuid) -> String {
        self.redis.key(format_args!("user-sessions:{user_id}"))
    }

    /// Starts a session for `user_id`.
    pub async fn start(&self, user_id: Uuid) -> Result<Started, redis::RedisError> {
        let id = hex::encode(random_bytes::<16>());
        let secret = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let ttl = self.ttl.as_secs().max(1) as i64;
        let mut connection = self.redis.connection();
        redis::pipe()
            .atomic()
            .hset_multiple(
                self.session_key(&id),
                &[("user", user_id.to_string()), ("secret", digest(&secret))],
            )
            .ignore()
            .expire(self.session_key(&id), ttl)
            .ignore()
            .sadd(self.user_key(user_id), &id)
            .ignore()
            .expire(self.user_key(user_id), ttl)
            .ignore()
            .query_async::<()>(&mut connection)
            .await?;
        Ok(Started {
            refresh_token: format!("{id}.{secret}"),
            id,
        })
    }

    /// Exchanges a refresh token for the next one; returns the session id, its user and the
    /// new refresh token.
    pub async fn refresh(&self, token: &str) -> Result<(String, Uuid, String), RefreshError> {
        let (id, secret) = parse(token).ok_or(RefreshError::Invalid)?;
        let next = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let mut connection = self.redis.connection();
        let (outcome, user): (String, String) = self
            .rotate
            .key(self.session_key(id))
            .arg(digest(secret))
            .arg(digest(&next))
            .arg(self.ttl.as_secs().max(1))
            .arg(self.redis.key(""))
            .arg(id)
            .invoke_async(&mut connection)
            .await?;
        match outcome.as_str() {
            "rotated" => {
                let user = Uuid::parse_str(&user).map_err(|_| RefreshError::Invalid)?;
                Ok((id.to_owned(), user, format!("{id}.{next}")))
            }
            "reused" => {
                tracing::warn!(session = id, user_id = %user, "refresh token reused; session ended");
                Err(RefreshError::Reused)
            }
            _ => Err(RefreshError::Invalid),
        }
    }

    /// Whether the session is alive (not ended, not expired).
    pub async fn is_alive(&self, id: &str) -> Result<bool, redis::RedisError> {
        let mut connection = self.redis.connection();
        connection.exists(self.session_key(id)).await
    }

    /// The Redis key holding session `id`, for checks batched with other commands.
    pub fn alive_key(&self, id: &str) -> String {
        self.session_key(id)
    }

    /// Ends one session (signing out on one device).
    pub async fn end(&self, user_id: Uuid, id: &str) -> Result<(), redis::RedisError> {
        let mut connection = self.redis.connection();
        redis::pipe()
            .atomic()
            .del(self.session_key(id))
            .ignore()
            .srem(self.user_key(user_id), id)
            .ignore()
            .query_async::<()>(&mut connection)
            .await
    }

    /// Ends every session of the user but `keep`; returns how many ended.
    pub async fn end_all(
        &self,
        user_id: Uuid,
        keep: Option<&str>,
    ) -> Result<u64, redis::RedisError> {
        let mut connection = self.redis.connection();
        self.end_all
            .key(self.user_key(user_id))
            .arg(self.redis.key(""))
            .arg(keep.unwrap_or(""))
            .invoke_async(&mut connection)
            .await
    }
}

/// `{32 hex}.{43 base64url}`, or nothing.
fn parse(token: &str) -> Option<(&str, &str)> {
    let (id, secret) = token.split_once('.')?;
    let id_ok = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let secret_ok = secret.len() == 43
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (id_ok && secret_ok).then_some((id, secret))
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_refresh_tokens_parse() {
        let secret = URL_SAFE_NO_PAD.encode([7u8; 32]);
        let id = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            parse(&format!("{id}.{secret}")),
            Some((id, secret.as_str()))
        );
        for token in [
            "",
            ".",
            id,
            "0123.abc",
            &format!("{id}.{secret}x"),
            &format!("{id}.{}", "+".repeat(43)),
            &format!("{}.{secret}", "g".repeat(32)),
        ] {
            assert_eq!(parse(token), None, "{token}");
        }
    }
}
