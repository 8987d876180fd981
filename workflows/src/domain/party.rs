//! What identifies the two parties of an invoice, seller and buyer alike: a postal address with
//! an ISO 3166-1 country, tax identifiers by kind, and the language documents are written in.

use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

pub const MAX_ADDRESS_LINES: usize = 3;
pub const MAX_ADDRESS_LINE_CHARS: usize = 100;
pub const MAX_POSTAL_CODE_CHARS: usize = 20;
pub const MAX_CITY_CHARS: usize = 100;
pub const MAX_REGION_CHARS: usize = 100;
pub const MAX_TAX_ID_CHARS: usize = 30;

/// A postal address as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Address, example = json!({
    "lines": ["Friedrichstraße 123", "3. OG"],
    "postal_code": "10117",
    "city": "Berlin",
    "region": null,
    "country": "DE"
})))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressFields {
    /// Street, building, floor: one to three lines.
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// State, province or county, where the country uses one (e.g. `NY`).
    #[serde(default)]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 code, e.g. `DE`.
    pub country: String,
}

/// A postal address that meets the rules: 1–3 non-empty lines, a known country, every part
/// trimmed, one line each and within its length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub lines: Vec<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Country,
}

impl Address {
    /// Checks every part; problems are reported under `prefix` (`address.city`).
    pub fn parse(fields: AddressFields, prefix: &str, errors: &mut FieldErrors) -> Option<Self> {
        let before = errors.len();
        let path = |part: &str| format!("{prefix}.{part}");
        let lines: Vec<String> = fields
            .lines
            .iter()
            .map(|line| line.trim().to_owned())
            .filter(|line| !line.is_empty())
            .collect();
        if lines.is_empty() {
            errors.add(path("lines"), "needs at least one line (street and number)");
        } else if lines.len() > MAX_ADDRESS_LINES {
            errors.add(
                path("lines"),
                format!("must be at most {MAX_ADDRESS_LINES} lines"),
            );
        }
        for line in &lines {
            if let Err(message) = check_line(line, MAX_ADDRESS_LINE_CHARS) {
                errors.add(path("lines"), message);
                break;
            }
        }
        let postal_code = optional(
            fields.postal_code,
            MAX_POSTAL_CODE_CHARS,
            &path("postal_code"),
            errors,
        );
        let city = optional(fields.city, MAX_CITY_CHARS, &path("city"), errors);
        let region = optional(fields.region, MAX_REGION_CHARS, &path("region"), errors);
        let country = Country::parse(&fields.country)
            .map_err(|message| errors.add(path("country"), message))
            .ok();
        match country {
            Some(country) if errors.len() == before => Some(Self {
                lines,
                postal_code,
                city,
                region,
                country,
            }),
            _ => None,
        }
    }

    pub fn into_fields(self) -> AddressFields {
        AddressFields {
            lines: self.lines,
            postal_code: self.postal_code,
            city: self.city,
            region: self.region,
            country: self.country.into(),
        }
    }

    /// The address as printed, one entry per line, in the order the post of most countries
    /// reads: lines, then postal code and city (`10117 Berlin`; in the US, Canada and
    /// Australia the city first: `Boston, MA 02110`; in the UK the postcode on a line of its
    /// own), then `country_name` when given (the document's language names the country; a
    /// domestic letter leaves it out).
    pub fn printed(&self, country_name: Option<&str>) -> Vec<String> {
        let mut printed = self.lines.clone();
        let city = self.city.as_deref().unwrap_or_default();
        let postal = self.postal_code.as_deref().unwrap_or_default();
        let region = self.region.as_deref().unwrap_or_default();
        let locality = if matches!(self.country.code(), "US" | "CA" | "AU") {
            let city_region = [city, region]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            join_words(&[&city_region, postal])
        } else if self.country.code() == "GB" {
            printed.extend(
                [city, region]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned),
            );
            postal.to_owned()
        } else {
            let locality = join_words(&[postal, city]);
            if region.is_empty() {
                locality
            } else {
                join_words(&[&locality, region])
            }
        };
        if !locality.is_empty() {
            printed.push(locality);
        }
        printed.extend(country_name.map(str::to_owned));
        printed
    }
}

fn join_words(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A trimmed optional text of one line; empty is `None`.
pub(super) fn optional(
    value: Option<String>,
    max_chars: usize,
    path: &str,
    errors: &mut FieldErrors,
) -> Option<String> {
    let value = value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    match check_line(&value, max_chars) {
        Ok(()) => Some(value),
        Err(message) => {
            errors.add(path, message);
            None
        }
    }
}

pub(super) fn check_line(value: &str, max_chars: usize) -> Result<(), String> {
    if value.chars().count() > max_chars {
        Err(format!("must be at most {max_chars} characters"))
    } else if value.chars().any(char::is_control) {
        Err("must be one line without control characters".to_owned())
    } else {
        Ok(())
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case (`DE`, `GB`, `US`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "DE"))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country(String);

impl Country {
    /// Accepts a code in any case; refuses what ISO 3166-1 does not assign.
    pub fn parse(code: &str) -> Result<Self, String> {
        let upper = code.trim().to_ascii_uppercase();
        // `celes` also knows alpha-3 codes and names; only the two-letter code is accepted.
        if upper.len() == 2 && celes::Country::from_alpha2(&upper).is_ok() {
            Ok(Self(upper))
        } else {
            Err(format!(
                "'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. DE, FR, GB, US)"
            ))
        }
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    /// Whether the country is a member of the European Union (for VAT: intra-community
    /// supplies and the reverse charge).
    pub fn in_eu(&self) -> bool {
        EU_MEMBERS.contains(&self.0.as_str())
    }
}

/// The 27 member states, by ISO code.
const EU_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

impl TryFrom<String> for Country {
    type Error = String;
    fn try_from(code: String) -> Result<Self, String> {
        Self::parse(&code)
    }
}

impl From<Country> for String {
    fn from(country: Country) -> Self {
        country.0
    }
}

/// What a tax identifier is, so that documents label it and e-invoices carry it in the right
/// scheme.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TaxIdKind {
    /// A VAT identification number of an EU member state, with its country prefix
    /// (`DE123456789`; Greece uses `EL`).
    EuVat,
    /// A UK VAT registration number (`GB123456789`).
    GbVat,
    /// A Swiss UID with its VAT suffix (`CHE-123.456.789 MWST`).
    ChVat,
    /// A US Employer Identification Number (`12-3456789`).
    UsEin,
    /// An Australian Business Number.
    AuAbn,
    /// A Canadian Business Number (GST/HST).
    CaBn,
    /// A national tax number that is not a VAT id (e.g. the German Steuernummer).
    Other,
}

impl TaxIdKind {
    /// Whether the identifier is a VAT identifier (EN 16931 BT-31/BT-48), which a reverse
    /// charge or an intra-community supply needs.
    pub fn is_vat(self) -> bool {
        matches!(self, Self::EuVat | Self::GbVat | Self::ChVat)
    }
}

/// A tax identifier as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = TaxId, example = json!({
    "kind": "eu_vat", "value": "DE123456789"
})))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxIdFields {
    pub kind: TaxIdKind,
    pub value: String,
}

/// A tax identifier whose form matches its kind. VAT numbers are kept without spaces or dots,
/// upper case; their check digits are not verified (VIES is the authority, and it is online).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxId {
    pub kind: TaxIdKind,
    pub value: String,
}

impl TaxId {
    pub fn parse(fields: TaxIdFields) -> Result<Self, String> {
        let trimmed = fields.value.trim();
        if trimmed.is_empty() {
            return Err("must not be empty".to_owned());
        }
        if trimmed.chars().count() > MAX_TAX_ID_CHARS {
            return Err(format!("must be at most {MAX_TAX_ID_CHARS} characters"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("must be one line without control characters".to_owned());
        }
        let compact: String = trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        let value = match fields.kind {
            TaxIdKind::EuVat => {
                let (prefix, rest) = split_prefix(&compact);
                let country = if prefix == "EL" { "GR" } else { prefix };
                let known = Country::parse(country).is_ok_and(|c| c.in_eu());
                if !known || !(2..=13).contains(&rest.len()) || !alphanumeric(rest) {
                    return Err(
                        "must be an EU VAT number: the member state's prefix and 2 to 13 \
                         letters or digits (e.g. DE123456789)"
                            .to_owned(),
                    );
                }
                compact
            }
            TaxIdKind::GbVat => {
                let (prefix, rest) = split_prefix(&compact);
                if !matches!(prefix, "GB" | "XI")
                    || !matches!(rest.len(), 9 | 12)
                    || !rest.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(
                        "must be a UK VAT number: GB and 9 or 12 digits (e.g. GB123456789)"
                            .to_owned(),
                    );
                }
                compact
            }
            TaxIdKind::ChVat => {
                let digits: String = compact
                    .trim_start_matches("CHE")
                    .trim_end_matches("MWST")
                    .trim_end_matches("TVA")
                    .trim_end_matches("IVA")
                    .to_owned();
                if !compact.starts_with("CHE")
                    || digits.len() != 9
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                {
                    return Err(
                        "must be a Swiss UID: CHE and 9 digits (e.g. CHE-123.456.789 MWST)"
                            .to_owned(),
                    );
                }
                trimmed.to_owned()
            }
            TaxIdKind::UsEin => {
                let digits: String = compact.chars().filter(char::is_ascii_digit).collect();
                if digits.len() != 9 || digits.len() != compact.len() {
                    return Err("must be an EIN: 9 digits (e.g. 12-3456789)".to_owned());
                }
                format!("{}-{}", &digits[..2], &digits[2..])
            }
            TaxIdKind::AuAbn | TaxIdKind::CaBn | TaxIdKind::Other => trimmed.to_owned(),
        };
        Ok(Self {
            kind: fields.kind,
            value,
        })
    }

    pub fn into_fields(self) -> TaxIdFields {
        TaxIdFields {
            kind: self.kind,
            value: self.value,
        }
    }
}

fn split_prefix(compact: &str) -> (&str, &str) {
    if compact.len() >= 2 && compact.is_char_boundary(2) {
        compact.split_at(2)
    } else {
        (compact, "")
    }
}

fn alphanumeric(value: &str) -> bool {
    value.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The language an invoice and its e-mails are written in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
}

impl Language {
    /// The BCP 47 tag (`de`).
    pub fn tag(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(country: &str) -> AddressFields {
        AddressFields {
            lines: vec!["  1 Main Street ".into(), String::new()],
            postal_code: Some("02110".into()),
            city: Some("Boston".into()),
            region: Some("MA".into()),
            country: country.into(),
        }
    }

    #[test]
    fn an_address_is_trimmed_and_printed_the_local_way() {
        let mut errors = FieldErrors::default();
        let us = Address::parse(address("us"), "address", &mut errors).unwrap();
        assert!(errors.is_empty());
        assert_eq!(us.lines, ["1 Main Street"]);
        assert_eq!(
            us.printed(Some("USA")),
            ["1 Main Street", "Boston, MA 02110", "USA"]
        );
        let de = Address::parse(
            AddressFields {
                lines: vec!["Friedrichstraße 123".into()],
                postal_code: Some("10117".into()),
                city: Some("Berlin".into()),
                region: None,
                country: "DE".into(),
            },
            "address",
            &mut errors,
        )
        .unwrap();
        assert_eq!(de.printed(None), ["Friedrichstraße 123", "10117 Berlin"]);
    }

    #[test]
    fn an_address_needs_a_line_and_a_real_country() {
        let mut errors = FieldErrors::default();
        let fields = AddressFields {
            lines: vec![" ".into()],
            country: "XX".into(),
            ..AddressFields::default()
        };
        assert!(Address::parse(fields, "buyer.address", &mut errors).is_none());
        assert!(errors.has("buyer.address.lines"));
        assert!(errors.has("buyer.address.country"));
    }

    #[test]
    fn tax_ids_are_checked_by_kind() {
        let parse = |kind, value: &str| {
            TaxId::parse(TaxIdFields {
                kind,
                value: value.into(),
            })
        };
        assert_eq!(
            parse(TaxIdKind::EuVat, "de 123 456 789").unwrap().value,
            "DE123456789"
        );
        assert_eq!(
            parse(TaxIdKind::EuVat, "EL123456789").unwrap().value,
            "EL123456789"
        );
        assert!(parse(TaxIdKind::EuVat, "US123456789").is_err());
        assert!(parse(TaxIdKind::EuVat, "GB123456789").is_err());
        assert_eq!(
            parse(TaxIdKind::GbVat, "GB 123 4567 89").unwrap().value,
            "GB123456789"
        );
        assert!(parse(TaxIdKind::GbVat, "GB12345").is_err());
        assert_eq!(
            parse(TaxIdKind::UsEin, "123456789").unwrap().value,
            "12-3456789"
        );
        assert!(parse(TaxIdKind::UsEin, "12-345678").is_err());
        assert!(parse(TaxIdKind::ChVat, "CHE-123.456.789 MWST").is_ok());
        assert!(parse(TaxIdKind::Other, " ").is_err());
    }

    #[test]
    fn countries_know_the_eu() {
        assert!(Country::parse("fr").unwrap().in_eu());
        assert!(!Country::parse("GB").unwrap().in_eu());
        assert!(Country::parse("GBR").is_err());
        assert_eq!(Country::parse("de").unwrap().code(), "DE");
    }

    #[test]
    fn languages_have_their_tags() {
        assert_eq!("de".parse::<Language>().unwrap(), Language::De);
        assert_eq!(Language::Fr.tag(), "fr");
        assert!("it".parse::<Language>().is_err());
    }
}
