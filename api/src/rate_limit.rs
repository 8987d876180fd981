//! Rate limits, counted in Redis so every API replica shares one count.
//!
//! A fixed window per subject: the first request starts a window of `window` seconds, and the
//! `limit + 1`-th request in it is refused with 429. The count and the session check of the
//! same request are one script, so a request costs one Redis round trip (and, with a token,
//! one primary-key read of its account in PostgreSQL; see `auth`). When Redis does not
//! answer, requests are let through (limits are protection, not correctness) and counted in
//! the `rate_limit_unavailable_total` metric.
//!
//! Headers follow the IETF draft "RateLimit header fields for HTTP": `RateLimit-Limit`,
//! `RateLimit-Remaining`, `RateLimit-Reset` (seconds) and `RateLimit-Policy` on every limited
//! answer, plus `Retry-After` on a 429.

use crate::{
    auth::{self, Verified},
    error::ApiError,
    settings::RateLimitSettings,
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, OriginalUri, Request, State},
    http::{HeaderMap, HeaderValue},
    middleware::Next,
    response::{IntoResponse, Response},
};
use invoicing_platform::redis::Redis;
use std::{
    net::{IpAddr, SocketAddr},
    time::Duration,
};

/// One limit: `limit` requests per `window`.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub name: &'static str,
    pub limit: u64,
    pub window: Duration,
}

#[derive(Clone)]
pub struct RateLimiter {
    redis: Redis,
    script: redis::Script,
    auth: Policy,
    user: Policy,
    forwarded_hops: usize,
}

/// What the count says about one request.
#[derive(Clone, Copy, Debug)]
pub struct Verdict {
    pub policy: Policy,
    pub count: u64,
    pub reset: Duration,
    /// Whether the session named by `session_key` exists (`None` when none was asked about).
    pub session_alive: Option<bool>,
}

impl Verdict {
    pub fn allowed(&self) -> bool {
        self.count <= self.policy.limit
    }

    fn headers(&self, headers: &mut HeaderMap) {
        let reset = self.reset.as_secs_f64().ceil() as u64;
        let remaining = self.policy.limit.saturating_sub(self.count);
        let policy = format!("{};w={}", self.policy.limit, self.policy.window.as_secs());
        for (name, value) in [
            ("ratelimit-limit", self.policy.limit.to_string()),
            ("ratelimit-remaining", remaining.to_string()),
            ("ratelimit-reset", reset.to_string()),
            ("ratelimit-policy", policy),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        if !self.allowed() {
            headers.insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from(reset.max(1)),
            );
        }
    }
}

impl RateLimiter {
    pub fn new(redis: Redis, settings: &RateLimitSettings) -> Self {
        Self {
            redis,
            // KEYS[1]: the counter; KEYS[2] (optional): a session that must exist.
            script: redis::Script::new(
                r"
                local count = redis.call('INCR', KEYS[1])
                if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
                local ttl = redis.call('PTTL', KEYS[1])
                if ttl < 0 then
                  redis.call('PEXPIRE', KEYS[1], ARGV[1])
                  ttl = tonumber(ARGV[1])
                end
                local alive = -1
                if KEYS[2] then alive = redis.call('EXISTS', KEYS[2]) end
                return {count, ttl, alive}
                ",
            ),
            auth: Policy {
                name: "auth",
                limit: settings.auth_requests,
                window: Duration::from_secs(settings.auth_window_secs.max(1)),
            },
            user: Policy {
                name: "api",
                limit: settings.user_requests,
                window: Duration::from_secs(settings.user_window_secs.max(1)),
            },
            forwarded_hops: settings.forwarded_hops,
        }
    }

    /// Counts one request of `subject` under `policy`, checking `session_key` on the way.
    pub async fn count(
        &self,
        policy: Policy,
        subject: &str,
        session_key: Option<String>,
    ) -> Result<Verdict, redis::RedisError> {
        let mut invocation = self.script.key(
            self.redis
                .key(format_args!("rate:{}:{subject}", policy.name)),
        );
        if let Some(key) = session_key {
            invocation.key(key);
        }
        let mut connection = self.redis.connection();
        let (count, ttl_ms, alive): (u64, i64, i64) = invocation
            .arg(policy.window.as_millis() as u64)
            .invoke_async(&mut connection)
            .await?;
        Ok(Verdict {
            policy,
            count,
            reset: Duration::from_millis(ttl_ms.max(0) as u64),
            session_alive: (alive >= 0).then_some(alive == 1),
        })
    }

    /// The client's address: the peer, or the entry `forwarded_hops` from the right of
    /// `X-Forwarded-For` when trusted proxies append to it.
    pub fn client_ip(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
        client_ip(self.forwarded_hops, headers, peer)
    }
}

/// Each trusted proxy appends the address it received the request from, so the entry
/// `forwarded_hops` from the right is the one the outermost trusted proxy saw; anything left of
/// it came from the client and could be forged. A header too short (or unparsable there) falls
/// back to the peer, which is then the nearest proxy: one shared bucket rather than a forged one.
fn client_ip(forwarded_hops: usize, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    if forwarded_hops == 0 {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    forwarded
        .len()
        .checked_sub(forwarded_hops)
        .and_then(|index| forwarded.get(index))
        .and_then(|entry| entry.parse().ok())
        .or(peer)
}

/// Routes outside every limit: probes, metrics, documentation, and Stripe's webhooks (Stripe
/// retries on its own schedule, and a refused webhook would only delay a payment).
pub(crate) fn exempt(path: &str) -> bool {
    !path.starts_with("/api/")
        || path.starts_with("/api/webhooks/")
        || path.starts_with("/api/docs")
        || path == "/api/openapi.json"
}

/// The middleware: identifies the caller, counts the request and remembers whether the
/// caller's session is alive and its account in good standing (for the `AuthUser` extractor,
/// which refuses the caller otherwise).
pub async fn gate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // Under `/api` the router sees paths without the prefix; the original one is kept aside.
    let path = request.extensions().get::<OriginalUri>().map_or_else(
        || request.uri().path().to_owned(),
        |uri| uri.path().to_owned(),
    );
    let path = path.as_str();
    if exempt(path) {
        return next.run(request).await;
    }
    let limiter = &state.rate_limiter;
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    let ip = limiter
        .client_ip(request.headers(), peer)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let claims = auth::claims(request.headers(), &state).ok();
    let session_key = claims
        .as_ref()
        .map(|claims| state.sessions.alive_key(&claims.sid));
    let (policy, subject) = match &claims {
        _ if path.starts_with("/api/auth/") => (limiter.auth, format!("ip:{ip}")),
        Some(claims) => (limiter.user, format!("user:{}", claims.sub)),
        None => (limiter.user, format!("ip:{ip}")),
    };
    let verdict = match limiter.count(policy, &subject, session_key).await {
        Ok(verdict) => verdict,
        Err(error) => {
            tracing::warn!(%error, "rate limit not counted: Redis unavailable");
            metrics::counter!("rate_limit_unavailable_total").increment(1);
            if let Some(claims) = claims {
                let verified = Verified::look_up(&state, claims, None).await;
                request.extensions_mut().insert(verified);
            }
            return next.run(request).await;
        }
    };
    if !verdict.allowed() {
        metrics::counter!("rate_limit_rejections_total", "policy" => policy.name).increment(1);
        tracing::info!(policy = policy.name, %subject, "rate limited");
        let mut response = ApiError::RateLimited(verdict.reset.as_secs().max(1)).into_response();
        verdict.headers(response.headers_mut());
        return response;
    }
    if let Some(claims) = claims {
        let verified = Verified::look_up(&state, claims, verdict.session_alive).await;
        request.extensions_mut().insert(verified);
    }
    let mut response = next.run(request).await;
    verdict.headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_api_outside_webhooks_and_docs_is_limited() {
        for path in [
            "/healthz",
            "/metrics",
            "/api/webhooks/stripe",
            "/api/docs/",
            "/api/openapi.json",
        ] {
            assert!(exempt(path), "{path}");
        }
        for path in ["/api/auth/login", "/api/invoices", "/api/admin/users"] {
            assert!(!exempt(path), "{path}");
        }
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn the_client_is_the_entry_the_outermost_trusted_proxy_saw() {
        let peer = Some(IpAddr::from([10, 0, 0, 9]));
        let ip = |hops, values: &[&str]| client_ip(hops, &forwarded(values), peer);
        let address = |text: &str| Some(text.parse::<IpAddr>().unwrap());
        // Untrusted: the header is ignored, whatever it says.
        assert_eq!(ip(0, &["203.0.113.7"]), peer);
        // One proxy (the load balancer) appended the client's address.
        assert_eq!(ip(1, &["203.0.113.7"]), address("203.0.113.7"));
        // A client forging entries only adds them on the left.
        assert_eq!(ip(1, &["1.2.3.4, 203.0.113.7"]), address("203.0.113.7"));
        assert_eq!(
            ip(2, &["1.2.3.4, 203.0.113.7", "10.0.0.2"]),
            address("203.0.113.7")
        );
        assert_eq!(ip(1, &["2001:db8::1"]), address("2001:db8::1"));
        // Fewer entries than trusted hops, or garbage where the client should be: the peer.
        assert_eq!(ip(2, &["203.0.113.7"]), peer);
        assert_eq!(ip(1, &["1.2.3.4, not-an-ip"]), peer);
        assert_eq!(ip(1, &[]), peer);
    }
}
