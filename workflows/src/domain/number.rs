//! Invoice numbers: gapless and sequential per account, assigned when an invoice is sent.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The n-th invoice an account has sent, shown as `INV-000042`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InvoiceNumber(i64);

impl InvoiceNumber {
    pub fn new(sequence: i64) -> Self {
        Self(sequence)
    }

    pub fn sequence(self) -> i64 {
        self.0
    }
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "INV-{:06}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_to_six_digits_and_grows_past_them() {
        assert_eq!(InvoiceNumber::new(1).to_string(), "INV-000001");
        assert_eq!(InvoiceNumber::new(1_234_567).to_string(), "INV-1234567");
    }
}
