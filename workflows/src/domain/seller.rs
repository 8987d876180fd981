//! How an account presents itself on its invoices and e-mails: business name, postal address and
//! tax number. An account without a profile is shown by its e-mail address alone.

use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_ADDRESS_CHARS: usize = 500;
/// What fits the seller block of the PDF's first page.
const MAX_ADDRESS_LINES: usize = 5;
pub const MAX_TAX_ID_CHARS: usize = 50;

/// The profile as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = json!({
    "name": "Ann's Design Studio",
    "address": "12 Harbour Street\nBristol BS1 4RN",
    "tax_id": "GB123456789"
})))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SellerProfileFields {
    pub name: String,
    /// Up to 5 lines, separated by `\n`.
    #[serde(default)]
    pub address: Option<String>,
    /// A VAT number, EIN, ABN, ...
    #[serde(default)]
    pub tax_id: Option<String>,
}

/// A profile that meets the rules: a name, an address of at most five non-empty lines, an
/// optional tax number (VAT, EIN, ABN, ...), all trimmed, without control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SellerProfile {
    pub name: String,
    /// Lines separated by `\n`.
    pub address: Option<String>,
    pub tax_id: Option<String>,
}

impl SellerProfile {
    /// Checks every field and reports every problem at once.
    pub fn parse(fields: SellerProfileFields) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();

        let name = fields.name.trim().to_owned();
        if name.is_empty() {
            errors.add("name", "must not be empty");
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.add(
                "name",
                format!("must be at most {MAX_NAME_CHARS} characters"),
            );
        } else if name.chars().any(char::is_control) {
            errors.add("name", "must be one line without control characters");
        }

        // Windows line ends and blank lines are tidied away rather than refused.
        let lines: Vec<&str> = fields
            .address
            .as_deref()
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        let address = (!lines.is_empty()).then(|| lines.join("\n"));
        if lines.len() > MAX_ADDRESS_LINES {
            errors.add(
                "address",
                format!("must be at most {MAX_ADDRESS_LINES} lines"),
            );
        } else if address
            .as_ref()
            .is_some_and(|a| a.chars().count() > MAX_ADDRESS_CHARS)
        {
            errors.add(
                "address",
                format!("must be at most {MAX_ADDRESS_CHARS} characters"),
            );
        } else if lines.iter().any(|line| line.chars().any(char::is_control)) {
            errors.add("address", "must not contain control characters");
        }

        let tax_id = fields
            .tax_id
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        if let Some(tax_id) = &tax_id {
            if tax_id.chars().count() > MAX_TAX_ID_CHARS {
                errors.add(
                    "tax_id",
                    format!("must be at most {MAX_TAX_ID_CHARS} characters"),
                );
            } else if tax_id.chars().any(char::is_control) {
                errors.add("tax_id", "must be one line without control characters");
            }
        }

        errors.into_result().map(|()| Self {
            name,
            address,
            tax_id,
        })
    }

    pub fn address_lines(&self) -> impl Iterator<Item = &str> {
        self.address.iter().flat_map(|address| address.lines())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str, address: Option<&str>, tax_id: Option<&str>) -> SellerProfileFields {
        SellerProfileFields {
            name: name.to_owned(),
            address: address.map(str::to_owned),
            tax_id: tax_id.map(str::to_owned),
        }
    }

    #[test]
    fn fields_are_trimmed_and_blank_lines_dropped() {
        let profile = SellerProfile::parse(fields(
            "  Northwind Design Studio ",
            Some(" 12 Harbour Road\r\n\r\n  Bristol BS1 4QA \n"),
            Some("  "),
        ))
        .unwrap();
        assert_eq!(profile.name, "Northwind Design Studio");
        assert_eq!(
            profile.address.as_deref(),
            Some("12 Harbour Road\nBristol BS1 4QA")
        );
        assert_eq!(
            profile.address_lines().collect::<Vec<_>>(),
            ["12 Harbour Road", "Bristol BS1 4QA"]
        );
        assert_eq!(profile.tax_id, None);
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let errors =
            SellerProfile::parse(fields(" ", Some("1\n2\n3\n4\n5\n6"), Some(&"9".repeat(51))))
                .unwrap_err();
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            ["address", "name", "tax_id"]
        );

        let errors =
            SellerProfile::parse(fields("Tab\there", Some("a\u{7}b"), Some("x\u{0}"))).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors}");

        let errors = SellerProfile::parse(fields(&"n".repeat(201), None, None)).unwrap_err();
        assert!(errors.has("name"));
        let errors =
            SellerProfile::parse(fields("Studio", Some(&"a".repeat(501)), None)).unwrap_err();
        assert!(errors.has("address"));
    }
}
