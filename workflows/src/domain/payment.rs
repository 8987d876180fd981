//! Payments recorded against an invoice.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// How a payment was made. Offline methods are recorded by the account owner; `stripe`
/// payments only by Stripe's own reports (webhooks and reconciliation).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    BankTransfer,
    Card,
    Cash,
    Check,
    Other,
    Stripe,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 6] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Card,
        PaymentMethod::Cash,
        PaymentMethod::Check,
        PaymentMethod::Other,
        PaymentMethod::Stripe,
    ];

    /// Whether the account owner may record a payment made this way by hand.
    pub fn is_offline(self) -> bool {
        self != PaymentMethod::Stripe
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Check => "check",
            PaymentMethod::Other => "other",
            PaymentMethod::Stripe => "stripe",
        }
    }
}

impl fmt::Display for PaymentMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown payment method '{0}'; expected one of bank_transfer, card, cash, check, other, stripe"
)]
pub struct UnknownPaymentMethod(pub String);

impl FromStr for PaymentMethod {
    type Err = UnknownPaymentMethod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentMethod::ALL
            .into_iter()
            .find(|method| method.as_str() == s)
            .ok_or_else(|| UnknownPaymentMethod(s.to_owned()))
    }
}
