//! The API's configuration (`APP_…`, see the README).

use anyhow::{Context, bail};
use invoicing_platform::{
    aws::{self, AwsSettings, DocumentSettings},
    config::{self, Environment},
    stripe::{self, StripeSettings},
    temporal::{self, TemporalSettings},
};
use invoicing_store::DatabaseSettings;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

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
}

#[derive(Clone, Debug, Deserialize)]
pub struct HttpSettings {
    /// `APP_HTTP__HOST`: the address to listen on.
    pub host: String,
    /// `APP_HTTP__PORT`: `0` picks a free port (tests do).
    pub port: u16,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AuthSettings {
    /// `APP_AUTH__JWT_SECRET`: signs access tokens (HS256); at least 32 bytes. Required in
    /// production; locally a random one is generated at start-up (tokens then last until the
    /// API restarts).
    pub jwt_secret: Option<SecretString>,
    /// `APP_AUTH__TOKEN_TTL_SECS`: how long an access token is valid.
    pub token_ttl_secs: u64,
}

const DEFAULTS: &[(&str, &str)] = &[
    ("environment", "local"),
    ("http.host", "127.0.0.1"),
    ("http.port", "8080"),
    ("auth.token_ttl_secs", "3600"),
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

    pub fn address(&self) -> anyhow::Result<std::net::SocketAddr> {
        format!("{}:{}", self.http.host, self.http.port)
            .parse()
            .with_context(|| format!("APP_HTTP__HOST '{}' is not an IP address", self.http.host))
    }
}
