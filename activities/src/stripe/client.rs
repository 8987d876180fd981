//! A small client for the Stripe endpoints the product calls, over HTTPS with form-encoded
//! requests as Stripe's API expects. Retries are Temporal's: one attempt per call here.

use super::objects::{CheckoutSession, ErrorResponse, List, PaymentIntent, Refund};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The API version requests are made against, so Stripe's answers keep the shape read here.
pub const API_VERSION: &str = "2024-06-20";

#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    base: String,
    secret_key: SecretString,
}

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe refused the request (4xx other than 429): retrying the same request cannot help.
    #[error("Stripe refused the request ({status}): {error_type}: {message}")]
    Refused {
        status: StatusCode,
        error_type: String,
        code: Option<String>,
        message: String,
    },
    /// Rate limited, a 5xx, or the network: worth retrying.
    #[error("Stripe is unavailable: {0}")]
    Unavailable(String),
    #[error("Stripe answered with an unexpected body: {0}")]
    Unexpected(String),
}

impl StripeClient {
    pub fn new(base: &str, secret_key: SecretString) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            secret_key,
        })
    }

    /// `POST /v1/checkout/sessions`.
    pub async fn create_checkout_session(
        &self,
        params: &[(String, String)],
        idempotency_key: &str,
    ) -> Result<CheckoutSession, StripeError> {
        self.call(
            Method::POST,
            "/v1/checkout/sessions",
            Some(params),
            Some(idempotency_key),
        )
        .await
    }

    /// `GET /v1/checkout/sessions/{id}`.
    pub async fn checkout_session(&self, id: &str) -> Result<CheckoutSession, StripeError> {
        self.call(
            Method::GET,
            &format!("/v1/checkout/sessions/{}", segment(id)),
            None,
            None,
        )
        .await
    }

    /// `POST /v1/checkout/sessions/{id}/expire`: only an open session can be expired.
    pub async fn expire_checkout_session(&self, id: &str) -> Result<CheckoutSession, StripeError> {
        self.call(
            Method::POST,
            &format!("/v1/checkout/sessions/{}/expire", segment(id)),
            Some(&[]),
            None,
        )
        .await
    }

    /// `POST /v1/refunds`: gives `amount` back on the PaymentIntent's charge.
    pub async fn create_refund(
        &self,
        payment_intent: &str,
        amount: i64,
        metadata: &[(&str, &str)],
        idempotency_key: &str,
    ) -> Result<Refund, StripeError> {
        let mut params = vec![
            ("payment_intent".to_owned(), payment_intent.to_owned()),
            ("amount".to_owned(), amount.to_string()),
        ];
        for (key, value) in metadata {
            params.push((format!("metadata[{key}]"), (*value).to_owned()));
        }
        self.call(
            Method::POST,
            "/v1/refunds",
            Some(&params),
            Some(idempotency_key),
        )
        .await
    }

    /// `GET /v1/payment_intents/{id}`.
    pub async fn payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        self.call(
            Method::GET,
            &format!("/v1/payment_intents/{}", segment(id)),
            None,
            None,
        )
        .await
    }

    /// `GET /v1/payment_intents`: one page of the intents created in `[since, until]` (Unix
    /// seconds), newest first, after `starting_after`.
    pub async fn payment_intents(
        &self,
        since: i64,
        until: i64,
        starting_after: Option<&str>,
    ) -> Result<List<PaymentIntent>, StripeError> {
        let mut query = vec![
            ("created[gte]".to_owned(), since.to_string()),
            ("created[lte]".to_owned(), until.to_string()),
            ("limit".to_owned(), "100".to_owned()),
        ];
        if let Some(after) = starting_after {
            query.push(("starting_after".to_owned(), after.to_owned()));
        }
        let query = serde_urlencoded::to_string(&query)
            .map_err(|error| StripeError::Unexpected(error.to_string()))?;
        self.call(
            Method::GET,
            &format!("/v1/payment_intents?{query}"),
            None,
            None,
        )
        .await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        form: Option<&[(String, String)]>,
        idempotency_key: Option<&str>,
    ) -> Result<T, StripeError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(self.secret_key.expose_secret())
            .header("Stripe-Version", API_VERSION);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        let response = request
            .send()
            .await
            .map_err(|error| StripeError::Unavailable(error.to_string()))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|error| StripeError::Unavailable(error.to_string()))?;
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map_err(|error| StripeError::Unexpected(format!("{error} in {path}")));
        }
        let error = serde_json::from_slice::<ErrorResponse>(&body).ok();
        let message = error
            .as_ref()
            .and_then(|error| error.error.message.clone())
            .unwrap_or_else(|| String::from_utf8_lossy(&body).chars().take(300).collect());
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Err(StripeError::Unavailable(format!("{status}: {message}")));
        }
        Err(StripeError::Refused {
            status,
            error_type: error
                .as_ref()
                .map(|error| error.error.error_type.clone())
                .unwrap_or_else(|| "unknown".to_owned()),
            code: error.and_then(|error| error.error.code),
            message,
        })
    }
}

/// An id as one path segment: Stripe ids are `[A-Za-z0-9_]`, anything else is escaped.
fn segment(id: &str) -> String {
    id.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => (byte as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
