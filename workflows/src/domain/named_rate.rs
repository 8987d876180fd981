//! A tax rate as an account keeps it: a [`TaxRate`] with the name and description the account
//! picks it by in its editor. The rate itself (category, percentage, exemption) is fixed once
//! created, because drafts name rates by id; only the name and description may change.

use super::{
    party,
    tax::{Exemption, TaxRate, VatCategory},
    validation::FieldErrors,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// A new tax rate as a client sends it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = json!({
    "name": "Reverse charge (EU B2B)",
    "description": "Services to businesses in other member states",
    "percent": "0",
    "category": "AE",
    "exemption_reason": "Reverse charge: VAT to be accounted for by the recipient",
    "exemption_code": "VATEX-EU-AE"
})))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxRateFields {
    /// What the editor shows (`VAT 19 %`); not printed on invoices.
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = percent_schema))]
    pub percent: PercentText,
    /// The EN 16931 VAT category: `S` standard (a percentage above 0), `Z` zero-rated, `E`
    /// exempt, `AE` reverse charge, `K` intra-EU supply, `G` export, `O` outside the scope of
    /// VAT (every category but `S` at 0 %).
    pub category: VatCategory,
    /// Why the supply is not taxed, printed on the invoice: required for `E`, `AE`, `K`, `G`
    /// and `O`, refused for `S` and `Z`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Reverse charge"))]
    pub exemption_reason: Option<String>,
    /// The VATEX code of the exemption, for e-invoices (`VATEX-EU-AE`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "VATEX-EU-AE"))]
    pub exemption_code: Option<String>,
}

/// A percentage as a client sends it: a JSON string (`"8.875"`), read exactly, or a JSON
/// number (`8.875`), read as the shortest decimal that is the same double, which is the number
/// as written for up to 15 significant digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PercentText(pub String);

impl<'de> Deserialize<'de> for PercentText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PercentText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a percentage as a string (\"8.875\") or a number")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<PercentText, E> {
                Ok(PercentText(text.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<PercentText, E> {
                Ok(PercentText(value.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<PercentText, E> {
                Ok(PercentText(value.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<PercentText, E> {
                // Rust prints a double as the shortest decimal that reads back as it, never
                // in exponent form: `8.875`, `19.99`, `0.0000001`.
                Ok(PercentText(value.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `percent` in the OpenAPI document: a decimal string or a number.
#[cfg(feature = "openapi")]
fn percent_schema() -> utoipa::openapi::Schema {
    use utoipa::openapi::{ObjectBuilder, Schema, Type, schema::OneOfBuilder};
    let one_of = OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^-?[0-9]+(\.[0-9]+)?$"))
                .examples(["19", "8.875"]),
        )
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .description(Some(
            "From 0 to 100 with at most 4 decimal places; above 0 for category `S`, 0 for every \
             other category. A string is read exactly; a number as the shortest decimal of its \
             double (exact for up to 15 significant digits).",
        ))
        .build();
    Schema::OneOf(one_of)
}

/// A tax rate of an account: its name, its description and the rate itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedTaxRate {
    pub name: String,
    pub description: Option<String>,
    pub rate: TaxRate,
}

impl NamedTaxRate {
    /// Checks the name and the description, and the rate through [`TaxRate::new`]; every
    /// problem at once, keyed `name`, `description`, `percent`, `exemption_reason` and
    /// `exemption_code`.
    pub fn parse(fields: TaxRateFields) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = parse_name(&fields.name)
            .map_err(|message| errors.add("name", message))
            .ok();
        let description = parse_description(fields.description)
            .map_err(|message| errors.add("description", message))
            .ok()
            .flatten();
        let exemption = (fields.exemption_reason.is_some() || fields.exemption_code.is_some())
            .then(|| Exemption {
                reason: fields.exemption_reason.unwrap_or_default(),
                code: fields.exemption_code,
            });
        let rate = match parse_percent(&fields.percent.0) {
            Ok(percent) => TaxRate::new(fields.category, percent, exemption)
                .map_err(|problems| errors.extend(problems))
                .ok(),
            Err(message) => {
                errors.add("percent", message);
                None
            }
        };
        match (name, rate) {
            (Some(name), Some(rate)) if errors.is_empty() => Ok(Self {
                name,
                description,
                rate,
            }),
            // Every `None` above came with an error.
            _ => Err(errors),
        }
    }
}

/// A rate's name: trimmed, not empty, one line of at most [`MAX_NAME_CHARS`].
pub fn parse_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("must not be empty".to_owned());
    }
    party::check_line(name, MAX_NAME_CHARS)?;
    Ok(name.to_owned())
}

/// A rate's description: trimmed, empty is none, one line of at most
/// [`MAX_DESCRIPTION_CHARS`].
pub fn parse_description(description: Option<String>) -> Result<Option<String>, String> {
    let Some(description) = description
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
    else {
        return Ok(None);
    };
    party::check_line(&description, MAX_DESCRIPTION_CHARS)?;
    Ok(Some(description))
}

/// A decimal number in plain notation (`19`, `8.875`, `-1`); its range and places are
/// [`TaxRate::new`]'s to judge.
fn parse_percent(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|fraction| !digits(fraction)) {
        return Err("must be a number such as 19 or 8.875".to_owned());
    }
    let percent = Decimal::from_str_exact(text).map_err(|_| "must be from 0 to 100".to_owned())?;
    // `-0` is zero.
    Ok(if percent.is_zero() {
        Decimal::ZERO
    } else {
        percent
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(percent: &str, category: VatCategory) -> TaxRateFields {
        TaxRateFields {
            name: " VAT 19 % ".into(),
            description: Some("  ".into()),
            percent: PercentText(percent.into()),
            category,
            exemption_reason: None,
            exemption_code: None,
        }
    }

    fn errors(fields: TaxRateFields) -> Vec<String> {
        NamedTaxRate::parse(fields)
            .unwrap_err()
            .fields()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn a_rate_is_named_and_checked_by_the_domain() {
        let rate = NamedTaxRate::parse(fields("19.0", VatCategory::Standard)).unwrap();
        assert_eq!(rate.name, "VAT 19 %");
        assert_eq!(rate.description, None);
        assert_eq!(rate.rate.percent().to_string(), "19");
        let reverse = NamedTaxRate::parse(TaxRateFields {
            exemption_reason: Some("Reverse charge".into()),
            exemption_code: Some("VATEX-EU-AE".into()),
            ..fields("0", VatCategory::ReverseCharge)
        })
        .unwrap();
        assert_eq!(
            reverse.rate.exemption().unwrap().code.as_deref(),
            Some("VATEX-EU-AE")
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        assert_eq!(errors(fields("100.5", VatCategory::Standard)), ["percent"]);
        assert_eq!(errors(fields("-1", VatCategory::Standard)), ["percent"]);
        assert_eq!(
            errors(fields("8.87501", VatCategory::Standard)),
            ["percent"]
        );
        assert_eq!(
            errors(fields("0", VatCategory::Exempt)),
            ["exemption_reason"]
        );
        let bad = TaxRateFields {
            name: "\u{1}".into(),
            description: Some("d".repeat(MAX_DESCRIPTION_CHARS + 1)),
            ..fields("nineteen", VatCategory::Standard)
        };
        assert_eq!(errors(bad), ["description", "name", "percent"]);
    }

    #[test]
    fn percentages_are_plain_decimals() {
        for (text, expected) in [
            ("19", "19"),
            (" 8.875 ", "8.875"),
            ("-0", "0"),
            ("7.50", "7.50"),
        ] {
            assert_eq!(parse_percent(text).unwrap().to_string(), expected, "{text}");
        }
        for bad in [
            "", "-", "1.", ".5", "1e2", "1_000", "+5", "NaN", "1.2.3", "١٩",
        ] {
            assert!(parse_percent(bad).is_err(), "{bad:?}");
        }
        let huge = "9".repeat(40);
        assert!(parse_percent(&huge).is_err());
    }

    #[test]
    fn percentages_arrive_as_strings_or_numbers() {
        let read = |json: &str| serde_json::from_str::<PercentText>(json).map(|p| p.0);
        assert_eq!(read("\"8.875\"").unwrap(), "8.875");
        assert_eq!(read("19").unwrap(), "19");
        assert_eq!(read("19.99").unwrap(), "19.99");
        assert_eq!(read("0.0001").unwrap(), "0.0001");
        assert_eq!(read("-1").unwrap(), "-1");
        assert!(read("null").is_err());
        assert!(read("[19]").is_err());
    }
}
