//! How the services reach Stripe (`APP_STRIPE__*`). The base URL is configuration, so tests
//! and local runs point it at a Stripe-compatible server.

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct StripeSettings {
    /// `APP_STRIPE__API_BASE`: `https://api.stripe.com` in production.
    pub api_base: String,
    /// `APP_STRIPE__SECRET_KEY` (`sk_live_…` / `sk_test_…`), used by the worker. Without it,
    /// pay links are refused with 503 and online payments are off.
    #[serde(default, deserialize_with = "crate::config::empty_is_none")]
    pub secret_key: Option<SecretString>,
    /// `APP_STRIPE__WEBHOOK_SECRET` (`whsec_…`), used by the API to verify webhook signatures.
    /// Without it, every webhook is refused.
    #[serde(default, deserialize_with = "crate::config::empty_is_none")]
    pub webhook_secret: Option<SecretString>,
    /// `APP_STRIPE__WEBHOOK_TOLERANCE_SECS`: how old a signed webhook may be.
    pub webhook_tolerance_secs: u64,
    /// `APP_STRIPE__WATCHDOG_AFTER_SECS`: how long a pay link waits for a final webhook before
    /// the workflow asks Stripe itself.
    pub watchdog_after_secs: u64,
    /// `APP_STRIPE__CHECKOUT_RETURN_URL`: where Stripe sends the payer back after paying or
    /// cancelling; `{invoice_id}` is replaced.
    pub checkout_return_url: String,
    /// `APP_STRIPE__RECONCILIATION_SCHEDULE`: whether the worker keeps the nightly
    /// reconciliation schedule in Temporal (off for servers without schedules, such as the
    /// time-skipping test server).
    pub reconciliation_schedule: bool,
    /// `APP_STRIPE__RECONCILIATION_DAYS`: how many days back each nightly run compares.
    pub reconciliation_days: u32,
}

impl StripeSettings {
    pub const API_BASE: &'static str = "https://api.stripe.com";
    /// Stripe's own default tolerance for webhook timestamps.
    pub const WEBHOOK_TOLERANCE_SECS: u64 = 300;
}

/// Defaults for [`StripeSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("stripe.api_base", StripeSettings::API_BASE),
    ("stripe.webhook_tolerance_secs", "300"),
    ("stripe.watchdog_after_secs", "3600"),
    (
        "stripe.checkout_return_url",
        "http://localhost:8080/invoices/{invoice_id}",
    ),
    ("stripe.reconciliation_schedule", "true"),
    ("stripe.reconciliation_days", "3"),
];
