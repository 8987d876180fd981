//! The parts of Stripe's JSON objects the product reads. Unknown fields are ignored, as
//! Stripe adds fields without a new API version.

use serde::Deserialize;
use std::collections::HashMap;

/// A Checkout Session (`object: "checkout.session"`).
#[derive(Clone, Debug, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    pub amount_total: Option<i64>,
    pub currency: Option<String>,
    /// `open`, `complete` or `expired`.
    pub status: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    /// The PaymentIntent's id (not expanded).
    pub payment_intent: Option<String>,
    /// Where the payer pays; only while the session is open.
    pub url: Option<String>,
    /// Unix seconds.
    pub expires_at: i64,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

/// A PaymentIntent (`object: "payment_intent"`).
#[derive(Clone, Debug, Deserialize)]
pub struct PaymentIntent {
    pub id: String,
    pub amount: i64,
    #[serde(default)]
    pub amount_received: i64,
    pub currency: String,
    /// `succeeded`, `processing`, `requires_payment_method`, `canceled`, …
    pub status: String,
    /// Unix seconds.
    pub created: i64,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

/// A Refund (`object: "refund"`).
#[derive(Clone, Debug, Deserialize)]
pub struct Refund {
    pub id: String,
    pub amount: i64,
    /// `pending`, `succeeded`, `failed`, …
    pub status: Option<String>,
}

/// A page of a list (`object: "list"`).
#[derive(Clone, Debug, Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    pub has_more: bool,
}

/// Stripe's error body: `{"error": {"type": …, "code": …, "message": …, "param": …}}`.
#[derive(Clone, Debug, Deserialize)]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub error_type: String,
    pub code: Option<String>,
    pub message: Option<String>,
    pub param: Option<String>,
}
