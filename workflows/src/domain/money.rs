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
    /// `1250 USD` renders as `12.50 USD`, `1250 JPY` as `1250 JPY`, `1250 BHD` as `1.250 BHD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exponent = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let magnitude = self.minor.unsigned_abs();
        if exponent == 0 {
            return write!(f, "{sign}{magnitude} {}", self.currency);
        }
        let scale = 10u64.pow(exponent);
        write!(
            f,
            "{sign}{}.{:0width$} {}",
            magnitude / scale,
            magnitude % scale,
            self.currency,
            width = exponent as usize
        )
    }
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
        assert_eq!(Money::new(1250, jpy).to_string(), "1250 JPY");
        assert_eq!(Money::new(1250, bhd).to_string(), "1.250 BHD");
    }
}
