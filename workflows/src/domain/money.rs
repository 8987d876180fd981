//! Money as an integer count of a currency's minor unit, never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest amount the product accepts, in minor units.
///
/// It keeps every amount and every total below 2^53, so JavaScript clients (which read JSON
/// numbers as doubles) see exact values, and sums of a few of them cannot overflow `i64`.
pub const MAX_AMOUNT: i64 = 999_999_999_999_999;

/// An ISO 4217 currency that can be invoiced in: in circulation, with a minor-unit exponent.
///
/// Funds (CLF), metals and special codes (XAU, XDR, XXX) and superseded currencies (HRK) are
/// refused, so every `Currency` has a definite number of decimal places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(iso_currency::Currency);

/// Why a currency code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyError {
    #[error("'{0}' is not an ISO 4217 currency code")]
    Unknown(String),
    #[error("{code} has been replaced by {replacement}; invoice in {replacement}")]
    Superseded {
        code: &'static str,
        replacement: &'static str,
    },
    #[error("{0} is not a currency that can be invoiced in")]
    NotInvoiceable(&'static str),
}

impl Currency {
    /// Parses a three-letter code, in either case (`"usd"` and `"USD"` are the same currency).
    pub fn parse(code: &str) -> Result<Self, CurrencyError> {
        let upper = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| CurrencyError::Unknown(code.to_owned()))?;
        if let Some(replacement) = currency.is_superseded() {
            return Err(CurrencyError::Superseded {
                code: currency.code(),
                replacement: replacement.code(),
            });
        }
        if currency.is_fund() || currency.is_special() || currency.exponent().is_none() {
            return Err(CurrencyError::NotInvoiceable(currency.code()));
        }
        Ok(Self(currency))
    }

    /// The upper-case ISO 4217 code, e.g. `"USD"`.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Decimal places of the minor unit: 2 for USD, 0 for JPY, 3 for BHD.
    pub fn exponent(self) -> u32 {
        // `parse` only admits currencies that have an exponent.
        u32::from(self.0.exponent().unwrap_or(0))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = CurrencyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::parse(&code)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> Self {
        currency.code().to_owned()
    }
}

/// An amount in a currency, for messages and documents; arithmetic stays on the `i64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }
}

impl fmt::Display for Money {
    /// `123456789 USD` renders as `1,234,567.89 USD`, `1250 JPY` as `1,250 JPY`, `1250 BHD` as
    /// `1.250 BHD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            format_minor(self.minor, self.currency.exponent()),
            self.currency
        )
    }
}

/// Exponents above this are clamped: no currency has more than four minor-unit digits, the cap
/// only keeps absurd input from allocating gigabytes of zeros.
const MAX_EXPONENT: u32 = 38;

/// A count of minor units as a decimal with thousands separators: `(123456789, 2)` →
/// `1,234,567.89`, `(-5, 2)` → `-0.05`, `(1250, 0)` → `1,250`.
///
/// Works on the decimal digits rather than dividing by `10^exponent`, which would overflow for
/// exponents of 19 and more and lose the sign of `i64::MIN`.
pub fn format_minor(value: i64, exponent: u32) -> String {
    let exponent = exponent.min(MAX_EXPONENT) as usize;
    let digits = value.unsigned_abs().to_string();
    // Left-pad so there is always at least one digit before the decimal point.
    let padded = format!("{digits:0>width$}", width = exponent + 1);
    let (whole, fraction) = padded.split_at(padded.len() - exponent);
    let mut out = String::with_capacity(padded.len() + padded.len() / 3 + 2);
    if value < 0 {
        out.push('-');
    }
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_in_any_case() {
        assert_eq!(Currency::parse("usd").unwrap().code(), "USD");
        assert_eq!(Currency::parse(" EUR ").unwrap().code(), "EUR");
    }

    #[test]
    fn knows_the_minor_unit_of_each_currency() {
        assert_eq!(Currency::parse("USD").unwrap().exponent(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::parse("BHD").unwrap().exponent(), 3);
    }

    #[test]
    fn refuses_codes_that_are_not_invoiceable_currencies() {
        assert!(matches!(
            Currency::parse("ABC"),
            Err(CurrencyError::Unknown(_))
        ));
        assert!(matches!(
            Currency::parse("US"),
            Err(CurrencyError::Unknown(_))
        ));
        assert!(matches!(
            Currency::parse("XAU"),
            Err(CurrencyError::NotInvoiceable("XAU"))
        ));
        assert!(matches!(
            Currency::parse("HRK"),
            Err(CurrencyError::Superseded {
                replacement: "EUR",
                ..
            })
        ));
    }

    #[test]
    fn serializes_as_its_code_and_refuses_unknown_codes() {
        let usd: Currency = serde_json::from_str("\"usd\"").unwrap();
        assert_eq!(serde_json::to_string(&usd).unwrap(), "\"USD\"");
        assert!(serde_json::from_str::<Currency>("\"ZZZ\"").is_err());
    }

    #[test]
    fn formats_with_the_currency_exponent() {
        let usd = Currency::parse("USD").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        let bhd = Currency::parse("BHD").unwrap();
        assert_eq!(Money::new(1250, usd).to_string(), "12.50 USD");
        assert_eq!(Money::new(5, usd).to_string(), "0.05 USD");
        assert_eq!(Money::new(-5, usd).to_string(), "-0.05 USD");
        assert_eq!(Money::new(1250, jpy).to_string(), "1,250 JPY");
        assert_eq!(Money::new(1250, bhd).to_string(), "1.250 BHD");
        assert_eq!(Money::new(0, usd).to_string(), "0.00 USD");
        assert_eq!(Money::new(123_456_789, usd).to_string(), "1,234,567.89 USD");
        assert_eq!(
            Money::new(-100_000_000, jpy).to_string(),
            "-100,000,000 JPY"
        );
        assert_eq!(
            Money::new(crate::domain::MAX_AMOUNT, usd).to_string(),
            "9,999,999,999,999.99 USD"
        );
    }
}
