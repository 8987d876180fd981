//! Formatting of integer minor-unit amounts as they are printed on the document.

use invoicing_workflows::domain::format_minor;
use rust_decimal::{Decimal, RoundingStrategy};

/// Money as printed on the document: 1250 with exponent 2 and "USD" → "12.50 USD", with
/// thousands separators ("1,234,567.89 USD"); JPY → "1,250 JPY"; BHD (3) → "1.250 BHD"; negative
/// amounts keep their sign. The formatting is the domain's (`format_minor`), so the PDF, the
/// e-mails and the API's messages print amounts alike.
///
/// An empty currency prints the bare number.
pub fn format_money(minor: i64, currency: &str, exponent: u32) -> String {
    let number = format_minor(minor, exponent);
    if currency.is_empty() {
        number
    } else {
        format!("{number} {currency}")
    }
}

/// A quantity with thousands separators and the decimals it has (`1,234.5`).
pub(super) fn format_quantity(quantity: Decimal) -> String {
    let quantity = quantity.normalize();
    let whole = quantity.trunc();
    let grouped = i64::try_from(whole).map_or_else(|_| whole.to_string(), |w| format_minor(w, 0));
    let fraction = (quantity - whole).abs().to_string();
    let sign = if quantity.is_sign_negative() && whole.is_zero() {
        "-"
    } else {
        ""
    };
    match fraction.strip_prefix("0.") {
        Some(digits) => format!("{sign}{grouped}.{digits}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A unit price finer than the minor unit, rounded to it half away from zero (the line's
/// amount is computed from the exact price; the print shows the price to the cent).
pub(super) fn rounded_minor(price: Decimal) -> i64 {
    i64::try_from(price.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usd_has_two_decimals_and_separators() {
        assert_eq!(format_money(1250, "USD", 2), "12.50 USD");
        assert_eq!(format_money(5, "USD", 2), "0.05 USD");
        assert_eq!(format_money(123_456_789, "USD", 2), "1,234,567.89 USD");
        assert_eq!(format_money(100_000, "USD", 2), "1,000.00 USD");
    }

    #[test]
    fn jpy_has_no_decimals() {
        assert_eq!(format_money(1250, "JPY", 0), "1,250 JPY");
        assert_eq!(format_money(999, "JPY", 0), "999 JPY");
    }

    #[test]
    fn bhd_has_three_decimals() {
        assert_eq!(format_money(1250, "BHD", 3), "1.250 BHD");
        assert_eq!(format_money(7, "BHD", 3), "0.007 BHD");
        assert_eq!(format_money(1_234_567, "BHD", 3), "1,234.567 BHD");
    }

    #[test]
    fn negative_amounts_keep_their_sign() {
        assert_eq!(format_money(-1250, "USD", 2), "-12.50 USD");
        assert_eq!(format_money(-5, "USD", 2), "-0.05 USD");
        assert_eq!(format_money(-1_000_000, "JPY", 0), "-1,000,000 JPY");
    }

    #[test]
    fn zero() {
        assert_eq!(format_money(0, "USD", 2), "0.00 USD");
        assert_eq!(format_money(0, "JPY", 0), "0 JPY");
        assert_eq!(format_money(0, "BHD", 3), "0.000 BHD");
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        assert_eq!(
            format_money(i64::MAX, "USD", 2),
            "92,233,720,368,547,758.07 USD"
        );
        assert_eq!(
            format_money(i64::MIN, "USD", 2),
            "-92,233,720,368,547,758.08 USD"
        );
        assert_eq!(
            format_money(i64::MIN, "XXX", 0),
            "-9,223,372,036,854,775,808 XXX"
        );
        assert_eq!(format_money(1, "X", 20), "0.00000000000000000001 X");
        assert_eq!(format_money(1, "X", u32::MAX).len(), 2 + 38 + 2);
    }

    #[test]
    fn empty_currency_prints_the_bare_number() {
        assert_eq!(format_money(1250, "", 2), "12.50");
    }

    #[test]
    fn quantities_are_grouped() {
        assert_eq!(format_quantity(1.into()), "1");
        assert_eq!(format_quantity(12_345.into()), "12,345");
        assert_eq!(format_quantity(Decimal::new(12_3455, 1)), "12,345.5");
        assert_eq!(format_quantity((-3).into()), "-3");
        assert_eq!(format_quantity(Decimal::new(-5, 1)), "-0.5");
        assert_eq!(rounded_minor(Decimal::new(125, 1)), 13);
    }
}
