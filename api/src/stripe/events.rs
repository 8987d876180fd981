//! Stripe's webhook events, read into what they mean for an invoice. Only verified bodies get
//! here.

use chrono::{DateTime, Utc};
use invoicing_workflows::domain::StripeChange;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A Stripe event (`object: "event"`): <https://docs.stripe.com/api/events/object>. Members not
/// listed here are kept, not read.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StripeEvent)]
pub struct Event {
    #[schema(example = "evt_1PqR2sT3uV4wX5yZ")]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "payment_intent.succeeded")]
    pub event_type: String,
    /// Unix seconds.
    pub created: i64,
    pub data: EventData,
}

/// The object the event is about.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = StripeEventData)]
pub struct EventData {
    /// A Checkout Session, PaymentIntent or Charge.
    #[schema(value_type = Object)]
    pub object: Value,
}

impl Event {
    pub fn created_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.created, 0).unwrap_or_default()
    }
}

/// How to find the invoice an event is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvoiceHint {
    /// The invoice id we put in the object's metadata.
    Metadata(Uuid),
    /// Only a PaymentIntent is named (a refunded charge): the invoice it paid.
    Transaction(String),
    /// Nothing names an invoice.
    Nothing,
}

/// What an event means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Meaning {
    /// A change to apply to an invoice.
    Report {
        invoice: InvoiceHint,
        change: StripeChange,
    },
    /// Acknowledged and kept, nothing to apply: a type we do not handle, or a completed
    /// Checkout whose payment is still pending (its PaymentIntent's events follow).
    Nothing,
}

/// The handled event types.
pub const HANDLED: [&str; 4] = [
    "checkout.session.completed",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
];

#[derive(Debug, Deserialize)]
struct Session {
    id: String,
    amount_total: i64,
    currency: String,
    payment_status: String,
    payment_intent: Option<String>,
    client_reference_id: Option<String>,
    #[serde(default)]
    metadata: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Intent {
    id: String,
    amount: i64,
    #[serde(default)]
    amount_received: i64,
    currency: String,
    #[serde(default)]
    metadata: HashMap<String, String>,
    last_payment_error: Option<PaymentError>,
}

#[derive(Debug, Deserialize)]
struct PaymentError {
    code: Option<String>,
    decline_code: Option<String>,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Charge {
    id: String,
    amount: i64,
    amount_refunded: i64,
    currency: String,
    payment_intent: Option<String>,
    #[serde(default)]
    metadata: HashMap<String, String>,
}

/// The invoice id in `metadata`, or in the session's `client_reference_id`.
fn hint(metadata: &HashMap<String, String>, reference: Option<&str>) -> Option<InvoiceHint> {
    metadata
        .get("invoice_id")
        .map(String::as_str)
        .or(reference)
        .and_then(|id| Uuid::parse_str(id).ok())
        .map(InvoiceHint::Metadata)
}

/// Reads `event`. A handled type whose object lacks what it must carry is an error (the
/// webhook is answered 400 and Stripe shows it failed).
pub fn meaning(event: &Event) -> Result<Meaning, String> {
    let object = event.data.object.clone();
    let read = |what: &str, error: serde_json::Error| {
        format!(
            "event {} ({}): the {what} cannot be read: {error}",
            event.id, event.event_type
        )
    };
    let meaning = match event.event_type.as_str() {
        "checkout.session.completed" => {
            let session: Session =
                serde_json::from_value(object).map_err(|e| read("checkout session", e))?;
            match (session.payment_status.as_str(), session.payment_intent) {
                ("paid", Some(intent_id)) => Meaning::Report {
                    invoice: hint(&session.metadata, session.client_reference_id.as_deref())
                        .unwrap_or(InvoiceHint::Nothing),
                    change: StripeChange::Succeeded {
                        intent_id,
                        amount: session.amount_total,
                        currency: session.currency,
                        checkout_session_id: Some(session.id),
                    },
                },
                _ => Meaning::Nothing,
            }
        }
        "payment_intent.succeeded" => {
            let intent: Intent =
                serde_json::from_value(object).map_err(|e| read("payment intent", e))?;
            Meaning::Report {
                invoice: hint(&intent.metadata, None)
                    .unwrap_or(InvoiceHint::Transaction(intent.id.clone())),
                change: StripeChange::Succeeded {
                    intent_id: intent.id,
                    amount: intent.amount_received,
                    currency: intent.currency,
                    checkout_session_id: None,
                },
            }
        }
        "payment_intent.payment_failed" => {
            let intent: Intent =
                serde_json::from_value(object).map_err(|e| read("payment intent", e))?;
            let reason = intent
                .last_payment_error
                .and_then(|error| error.message.or(error.decline_code).or(error.code));
            Meaning::Report {
                invoice: hint(&intent.metadata, None)
                    .unwrap_or(InvoiceHint::Transaction(intent.id.clone())),
                change: StripeChange::Failed {
                    intent_id: intent.id,
                    amount: intent.amount,
                    currency: intent.currency,
                    reason,
                },
            }
        }
        "charge.refunded" => {
            let charge: Charge = serde_json::from_value(object).map_err(|e| read("charge", e))?;
            let intent_id = charge.payment_intent.ok_or_else(|| {
                format!(
                    "event {}: charge {} names no payment intent",
                    event.id, charge.id
                )
            })?;
            Meaning::Report {
                invoice: hint(&charge.metadata, None)
                    .unwrap_or(InvoiceHint::Transaction(intent_id.clone())),
                change: StripeChange::Refunded {
                    intent_id,
                    charge_id: charge.id,
                    amount: charge.amount,
                    amount_refunded: charge.amount_refunded,
                    currency: charge.currency,
                },
            }
        }
        _ => Meaning::Nothing,
    };
    Ok(meaning)
}
