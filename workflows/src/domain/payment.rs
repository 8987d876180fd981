//! Payments recorded against an invoice.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantNames};

/// How a payment was made. Offline methods are recorded by the account owner; `stripe`
/// payments only by Stripe's own reports (webhooks and reconciliation). `credit_balance` is the
/// customer's credit balance applied to the invoice, at the owner's request: no money moves,
/// and nothing can be refunded at Stripe.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(Display, EnumString, IntoStaticStr, VariantNames)]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = UnknownPaymentMethod,
    parse_err_fn = UnknownPaymentMethod::from
)]
pub enum PaymentMethod {
    BankTransfer,
    Card,
    Cash,
    Check,
    Other,
    Stripe,
    CreditBalance,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 7] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Card,
        PaymentMethod::Cash,
        PaymentMethod::Check,
        PaymentMethod::Other,
        PaymentMethod::Stripe,
        PaymentMethod::CreditBalance,
    ];

    /// Whether the account owner may record a payment made this way by hand (applying the
    /// customer's credit balance included).
    pub fn is_offline(self) -> bool {
        self != PaymentMethod::Stripe
    }

    /// The method as stored and shown: `bank_transfer`, `card`, ….
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The text was not one of the payment methods.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown payment method '{0}'; expected one of {expected}",
    expected = PaymentMethod::VARIANTS.join(", ")
)]
pub struct UnknownPaymentMethod(pub String);

impl From<&str> for UnknownPaymentMethod {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_and_print_as_stored() {
        for method in PaymentMethod::ALL {
            assert_eq!(method.as_str().parse::<PaymentMethod>(), Ok(method));
            assert_eq!(
                serde_json::to_string(&method).unwrap(),
                format!("\"{method}\"")
            );
        }
        assert_eq!(PaymentMethod::BankTransfer.as_str(), "bank_transfer");
        assert_eq!(PaymentMethod::CreditBalance.as_str(), "credit_balance");
        assert!(PaymentMethod::CreditBalance.is_offline());
        assert_eq!(PaymentMethod::VARIANTS.len(), PaymentMethod::ALL.len());
        assert_eq!(
            "wire".parse::<PaymentMethod>().unwrap_err().to_string(),
            "unknown payment method 'wire'; expected one of bank_transfer, card, cash, check, other, stripe, credit_balance"
        );
    }
}
