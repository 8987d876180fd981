//! The API's configuration (`APP_…`, see docs/configuration.md).

use anyhow::{Context, bail};
use invoicing_platform::{
    aws::{self, AwsSettings, DocumentSettings},
    config::{self, Environment},
    redis::{self, RedisSettings},
    stripe::{self, StripeSettings},
    temporal::{self, TemporalSettings},
};
use invoicing_store::DatabaseSettings;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Clone, Debug, Deserialize)]
pub struct Settings {
    /// `APP_ENVIRONMENT`: `local` (default) or `production`.
    pub environment: Environment,
    pub http: HttpSettings,
    pub database: DatabaseSettings,
    pub temporal: TemporalSettings,
    pub auth: AuthSettings,
    pub aws: AwsSettings,
    pub documents: DocumentSettings,
    pub stripe: StripeSettings,
    pub redis: RedisSettings,
    pub rate_limit: RateLimitSettings,
    pub cache: CacheSettings,
}

#[derive(Clone, Debug, Deserialize)]
pub struct HttpSettings {
    /// `APP_HTTP__HOST`: the address to listen on.
    pub host: String,
    /// `APP_HTTP__PORT`: `0` picks a free port (tests do).
    pub port: u16,
    /// `APP_HTTP__CORS_ORIGINS`: comma-separated origins allowed to call the API from a browser
    /// (e.g. `https://app.example.com`); empty allows none but the API's own origin.
    pub cors_origins: String,
    /// `APP_HTTP__REQUEST_TIMEOUT_SECS`: a request still running after this is answered 503.
    pub request_timeout_secs: u64,
    /// `APP_HTTP__HSTS`: send `Strict-Transport-Security` (set it when clients reach the API
    /// over TLS, as behind the production load balancer).
    pub hsts: bool,
    /// `APP_HTTP__WEB_DIR`: the web app's production build (`npm --prefix web run build`),
    /// served at `/`; relative to the working directory. Without an `index.html` there, the
    /// API serves no pages.
    pub web_dir: PathBuf,
}

/// Request limits, counted in Redis so that every replica shares them (`APP_RATE_LIMIT__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct RateLimitSettings {
    /// `APP_RATE_LIMIT__AUTH_REQUESTS` per `APP_RATE_LIMIT__AUTH_WINDOW_SECS`, per client IP,
    /// on `/api/auth/*`.
    pub auth_requests: u64,
    pub auth_window_secs: u64,
    /// `APP_RATE_LIMIT__USER_REQUESTS` per `APP_RATE_LIMIT__USER_WINDOW_SECS`, per account (per
    /// IP without a valid token), on the rest of the API.
    pub user_requests: u64,
    pub user_window_secs: u64,
    /// `APP_RATE_LIMIT__FORWARDED_HOPS`: how many proxies in front of the API append to
    /// `X-Forwarded-For` (1 behind the production load balancer). 0 uses the peer address and
    /// ignores the header, which a client could forge.
    pub forwarded_hops: usize,
}

/// `APP_CACHE__INVOICE_TTL_SECS`: how long `GET /api/invoices/{id}` may answer from Redis
/// (every change invalidates it sooner); 0 turns the cache off.
#[derive(Clone, Debug, Deserialize)]
pub struct CacheSettings {
    pub invoice_ttl_secs: u64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuthSettings {
    /// `APP_AUTH__JWT_SECRET`: signs access tokens (HS256); at least 32 bytes. Required in
    /// production; locally a random one is generated at start-up (tokens then last until the
    /// API restarts).
    #[serde(default, deserialize_with = "config::empty_is_none")]
    pub jwt_secret: Option<SecretString>,
    /// `APP_AUTH__TOKEN_TTL_SECS`: how long an access token is valid.
    pub token_ttl_secs: u64,
    /// `APP_AUTH__REFRESH_TTL_SECS`: how long a session lasts without being refreshed.
    pub refresh_ttl_secs: u64,
}

const DEFAULTS: &[(&str, &str)] = &[
    ("environment", "local"),
    ("http.host", "127.0.0.1"),
    ("http.port", "8080"),
    ("http.cors_origins", ""),
    ("http.request_timeout_secs", "30"),
    ("http.hsts", "false"),
    ("http.web_dir", "web/dist"),
    ("auth.token_ttl_secs", "900"),
    ("auth.refresh_ttl_secs", "2592000"),
    // The original design's limit on the authentication endpoints: 100 requests / 15 min / IP.
    ("rate_limit.auth_requests", "100"),
    ("rate_limit.auth_window_secs", "900"),
    ("rate_limit.user_requests", "1200"),
    ("rate_limit.user_window_secs", "60"),
    ("rate_limit.forwarded_hops", "0"),
    ("cache.invoice_ttl_secs", "300"),
];

/// Shortest JWT secret accepted: HS256 keys should be at least as long as the hash (RFC 7518 §3.2).
const MIN_SECRET_BYTES: usize = 32;

impl Settings {
    pub fn load() -> anyhow::Result<Self> {
        config::load(
            &[
                DEFAULTS,
                invoicing_store::DEFAULTS,
                temporal::DEFAULTS,
                aws::DEFAULTS,
                stripe::DEFAULTS,
                redis::DEFAULTS,
            ]
            .concat(),
        )
    }

    /// The secret access tokens are signed with, checked for length; generated when running
    /// locally without one.
    pub fn jwt_secret(&self) -> anyhow::Result<SecretString> {
        match (&self.auth.jwt_secret, self.environment) {
            (Some(secret), _) if secret.expose_secret().len() >= MIN_SECRET_BYTES => {
                Ok(secret.clone())
            }
            (Some(_), _) => bail!("APP_AUTH__JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes"),
            (None, Environment::Production) => {
                bail!("APP_AUTH__JWT_SECRET is required when APP_ENVIRONMENT=production")
            }
            (None, Environment::Local) => {
                tracing::warn!(
                    "APP_AUTH__JWT_SECRET is not set: using a random secret, so tokens stop working when the API restarts"
                );
                let mut bytes = [0u8; 48];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let secret = bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
                Ok(SecretString::from(secret))
            }
        }
    }

    /// The browser origins allowed by CORS.
    pub fn cors_origins(&self) -> anyhow::Result<Vec<axum::http::HeaderValue>> {
        self.http
            .cors_origins
            .split(',')
            .map(str::trim)
            .filter(|origin| !origin.is_empty())
            .map(|origin| {
                origin
                    .parse()
                    .with_context(|| format!("APP_HTTP__CORS_ORIGINS: '{origin}' is not an origin"))
            })
            .collect()
    }

    pub fn address(&self) -> anyhow::Result<std::net::SocketAddr> {
        format!("{}:{}", self.http.host, self.http.port)
            .parse()
            .with_context(|| format!("APP_HTTP__HOST '{}' is not an IP address", self.http.host))
    }
}
