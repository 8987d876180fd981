//! How an account presents itself on its invoices and e-mails: its names, postal address, tax
//! identifiers, the company registration a business letter must show, contact details, how it
//! is paid, its default payment terms and how its invoice and credit-note numbers read. An account without a
//! profile is shown by its e-mail address alone.

use super::{
    e_invoicing::{ElectronicAddress, ElectronicAddressFields},
    email::Email,
    number_format::{NumberFormat, NumberFormatFields},
    party::{Address, AddressFields, TaxId, TaxIdFields},
    validation::FieldErrors,
};
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_TAX_IDS: usize = 3;
pub const MAX_REGISTRATION_CHARS: usize = 300;
/// What fits the footer of every page.
pub const MAX_REGISTRATION_LINES: usize = 3;
pub const MAX_PHONE_CHARS: usize = 30;
pub const MAX_WEBSITE_CHARS: usize = 200;
pub const MAX_PAYMENT_INSTRUCTIONS_CHARS: usize = 1000;
pub const MAX_PAYMENT_INSTRUCTIONS_LINES: usize = 10;
pub const MAX_PAYMENT_TERMS_DAYS: i64 = 365;
/// Net 30, until the account chooses its own terms.
pub const DEFAULT_PAYMENT_TERMS_DAYS: i64 = 30;

/// The profile as a client typed it. `PUT` replaces the whole profile: an omitted optional
/// field is cleared, an omitted `number_format`, `credit_note_format` or `payment_terms_days`
/// takes its default.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = json!({
    "display_name": "Schmidt Consulting",
    "legal_name": "Schmidt Consulting GmbH",
    "address": {
        "lines": ["Friedrichstraße 123", "3. OG"], "postal_code": "10117", "city": "Berlin",
        "region": "Berlin", "country": "DE"
    },
    "tax_ids": [
        { "kind": "eu_vat", "value": "DE123456789" },
        { "kind": "other", "value": "37/123/45678" }
    ],
    "registration": "Amtsgericht Berlin HRB 12345\nGeschäftsführer: A. Schmidt",
    "email": "billing@schmidt-consulting.example",
    "phone": "+49 30 1234567",
    "website": "https://schmidt-consulting.example",
    "payment_instructions": "Please transfer the amount due to the account below, quoting the invoice number.",
    "payment_terms_days": 14,
    "number_format": { "pattern": "RE-{YYYY}-{SEQ:5}", "reset": "yearly" },
    "credit_note_format": { "pattern": "GS-{YYYY}-{SEQ:5}", "reset": "yearly" },
    "electronic_address": { "scheme": "9930", "id": "DE123456789" }
})))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SellerProfileFields {
    /// The name invoices and e-mails are headed with.
    pub display_name: String,
    /// The registered name (`… GmbH`), printed beside the address when it differs.
    #[serde(default)]
    pub legal_name: Option<String>,
    pub address: AddressFields,
    /// Up to 3: e.g. an EU VAT id and a national tax number (kind `other`).
    #[serde(default)]
    pub tax_ids: Vec<TaxIdFields>,
    /// Company registration as the law asks it printed (register court and number, managing
    /// directors): up to 3 lines, separated by `\n`.
    #[serde(default)]
    pub registration: Option<String>,
    /// Contact address printed in the invoice's header (replies to e-mails still reach the
    /// account's own address).
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// `https://` is assumed when no scheme is given.
    #[serde(default)]
    pub website: Option<String>,
    /// Free text printed above the bank details, up to 10 lines.
    #[serde(default)]
    pub payment_instructions: Option<String>,
    /// The editor's due date for a new invoice: issue date plus these days (0–365).
    #[serde(default = "default_terms")]
    pub payment_terms_days: i64,
    #[serde(default)]
    pub number_format: NumberFormatFields,
    /// The credit notes' own series (`CN-{SEQ:6}` when omitted). No number it renders may be
    /// one the invoice format renders too.
    #[serde(default = "default_credit_note_format")]
    pub credit_note_format: NumberFormatFields,
    /// BT-34, where e-invoices reach the seller; Peppol BIS and XRechnung require it on every
    /// e-invoice (checked when one is sent).
    #[serde(default)]
    pub electronic_address: Option<ElectronicAddressFields>,
}

fn default_terms() -> i64 {
    DEFAULT_PAYMENT_TERMS_DAYS
}

fn default_credit_note_format() -> NumberFormatFields {
    NumberFormat::credit_notes().into()
}

/// A profile that meets the rules: every text trimmed and within its length, one line where a
/// line is expected, the address structured, tax ids checked by kind, none twice, and the
/// invoice and credit-note formats unable to print the same number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerProfile {
    pub display_name: String,
    pub legal_name: Option<String>,
    /// `None` only for a profile saved before addresses were structured: its old free-text
    /// address is then [`legacy_address`](Self::legacy_address), shown until the seller saves
    /// a structured one. [`SellerProfile::parse`] always gives an address.
    pub address: Option<Address>,
    pub legacy_address: Option<String>,
    pub tax_ids: Vec<TaxId>,
    /// Lines separated by `\n`.
    pub registration: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Lines separated by `\n`.
    pub payment_instructions: Option<String>,
    pub payment_terms_days: u16,
    pub number_format: NumberFormat,
    pub credit_note_format: NumberFormat,
    pub electronic_address: Option<ElectronicAddress>,
}

impl SellerProfile {
    /// Checks every field and reports every problem at once, by JSON path (`address.country`,
    /// `tax_ids[1].value`, `number_format.pattern`, `credit_note_format.pattern`,
    /// `electronic_address.id`).
    pub fn parse(fields: SellerProfileFields) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let display_name = one_line(Some(fields.display_name), MAX_NAME_CHARS)
            .map_err(|m| errors.add("display_name", m))
            .ok()
            .flatten();
        if display_name.is_none() && !errors.has("display_name") {
            errors.add("display_name", "must not be empty");
        }
        let legal_name = one_line(fields.legal_name, MAX_NAME_CHARS)
            .map_err(|m| errors.add("legal_name", m))
            .ok()
            .flatten();
        let address = Address::parse(fields.address, "address", &mut errors);
        let tax_ids = tax_ids(fields.tax_ids, &mut errors);
        let registration = lines(
            fields.registration,
            MAX_REGISTRATION_CHARS,
            MAX_REGISTRATION_LINES,
        )
        .map_err(|m| errors.add("registration", m))
        .ok()
        .flatten();
        let email = one_line(fields.email, super::email::MAX_LEN)
            .map_err(|m| errors.add("email", m))
            .ok()
            .flatten()
            .and_then(|email| {
                Email::parse(&email)
                    .map_err(|e| errors.add("email", e.to_string()))
                    .ok()
            });
        let phone = one_line(fields.phone, MAX_PHONE_CHARS)
            .and_then(|phone| phone.map(check_phone).transpose())
            .map_err(|m| errors.add("phone", m))
            .ok()
            .flatten();
        let website = one_line(fields.website, MAX_WEBSITE_CHARS)
            .and_then(|site| site.map(check_website).transpose())
            .map_err(|m| errors.add("website", m))
            .ok()
            .flatten();
        let payment_instructions = lines(
            fields.payment_instructions,
            MAX_PAYMENT_INSTRUCTIONS_CHARS,
            MAX_PAYMENT_INSTRUCTIONS_LINES,
        )
        .map_err(|m| errors.add("payment_instructions", m))
        .ok()
        .flatten();
        let payment_terms_days = u16::try_from(fields.payment_terms_days)
            .ok()
            .filter(|days| i64::from(*days) <= MAX_PAYMENT_TERMS_DAYS);
        if payment_terms_days.is_none() {
            errors.add(
                "payment_terms_days",
                format!("must be between 0 and {MAX_PAYMENT_TERMS_DAYS} days"),
            );
        }
        let number_format = NumberFormat::parse(fields.number_format, "number_format", &mut errors);
        let credit_note_format =
            NumberFormat::parse(fields.credit_note_format, "credit_note_format", &mut errors);
        // A credit note must never carry an invoice's number: the two are told apart by it on
        // every statement, export and e-invoice that refers to them.
        if let (Some(invoices), Some(credit_notes)) = (&number_format, &credit_note_format)
            && let Some(number) = invoices.shared_number(credit_notes)
        {
            errors.add(
                "credit_note_format.pattern",
                format!(
                    "could give a credit note a number the invoice format gives too ({number}); \
                     give credit notes a prefix of their own, e.g. CN-{{SEQ:6}}"
                ),
            );
        }
        let electronic_address = fields.electronic_address.and_then(|address| {
            ElectronicAddress::parse(address, "electronic_address", &mut errors)
        });
        errors.into_result()?;
        match (
            display_name,
            address,
            payment_terms_days,
            number_format,
            credit_note_format,
        ) {
            (
                Some(display_name),
                Some(address),
                Some(payment_terms_days),
                Some(number_format),
                Some(credit_note_format),
            ) => Ok(Self {
                display_name,
                legal_name,
                address: Some(address),
                legacy_address: None,
                tax_ids,
                registration,
                email,
                phone,
                website,
                payment_instructions,
                payment_terms_days,
                number_format,
                credit_note_format,
                electronic_address,
            }),
            _ => unreachable!("every missing part reported an error"),
        }
    }

    /// The address as lines: the structured one printed the local way, else the legacy text.
    pub fn address_lines(&self) -> Vec<String> {
        match (&self.address, &self.legacy_address) {
            (Some(address), _) => address.printed(None),
            (None, Some(legacy)) => legacy.lines().map(str::to_owned).collect(),
            (None, None) => Vec::new(),
        }
    }
}

fn tax_ids(fields: Vec<TaxIdFields>, errors: &mut FieldErrors) -> Vec<TaxId> {
    if fields.len() > MAX_TAX_IDS {
        errors.add("tax_ids", format!("must be at most {MAX_TAX_IDS}"));
        return Vec::new();
    }
    let mut tax_ids: Vec<TaxId> = Vec::new();
    for (index, fields) in fields.into_iter().enumerate() {
        match TaxId::parse(fields) {
            Ok(tax_id) if tax_ids.contains(&tax_id) => {
                errors.add(format!("tax_ids[{index}]"), "is given twice");
            }
            Ok(tax_id) => tax_ids.push(tax_id),
            Err(message) => errors.add(format!("tax_ids[{index}].value"), message),
        }
    }
    tax_ids
}

/// A trimmed one-line text; empty is `None`.
fn one_line(value: Option<String>, max_chars: usize) -> Result<Option<String>, String> {
    let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max_chars {
        Err(format!("must be at most {max_chars} characters"))
    } else if value.chars().any(char::is_control) {
        Err("must be one line without control characters".to_owned())
    } else {
        Ok(Some(value))
    }
}

/// A multi-line text: Windows line ends and trailing spaces tidied, blank lines at either end
/// dropped; empty is `None`.
fn lines(
    value: Option<String>,
    max_chars: usize,
    max_lines: usize,
) -> Result<Option<String>, String> {
    let text = value.unwrap_or_default();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|line| !line.trim().is_empty());
    let last = lines.iter().rposition(|line| !line.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(None);
    };
    let lines = &lines[first..=last];
    let joined = lines.join("\n");
    if lines.len() > max_lines {
        Err(format!("must be at most {max_lines} lines"))
    } else if joined.chars().count() > max_chars {
        Err(format!("must be at most {max_chars} characters"))
    } else if lines
        .iter()
        .any(|line| line.chars().any(|c| c.is_control() && c != '\t'))
    {
        Err("must not contain control characters".to_owned())
    } else {
        Ok(Some(joined))
    }
}

/// A telephone number as people write them: digits with `+`, spaces, dashes, dots, slashes and
/// parentheses, at least five digits.
fn check_phone(phone: String) -> Result<String, String> {
    let allowed =
        |c: char| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '/' | '(' | ')');
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if phone.chars().all(allowed) && digits >= 5 {
        Ok(phone)
    } else {
        Err("must be a telephone number: digits, with +, spaces, -, ., / or ( ) (e.g. +49 30 1234567)".to_owned())
    }
}

/// An http(s) address with a host that has a dot; `https://` is added when no scheme is given.
fn check_website(site: String) -> Result<String, String> {
    let site = if site.contains("://") {
        site
    } else {
        format!("https://{site}")
    };
    let valid = url::Url::parse(&site).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|host| {
                host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
            })
            && url.username().is_empty()
            && url.password().is_none()
    });
    if valid {
        Ok(site)
    } else {
        Err("must be a web address (e.g. https://example.com)".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{SequenceReset, TaxIdKind};

    fn fields() -> SellerProfileFields {
        SellerProfileFields {
            display_name: "  Schmidt Consulting ".into(),
            legal_name: Some("Schmidt Consulting GmbH".into()),
            address: AddressFields {
                lines: vec!["Friedrichstraße 123".into()],
                postal_code: Some("10117".into()),
                city: Some("Berlin".into()),
                region: None,
                country: "de".into(),
            },
            tax_ids: vec![
                TaxIdFields {
                    kind: TaxIdKind::EuVat,
                    value: "DE 123 456 789".into(),
                },
                TaxIdFields {
                    kind: TaxIdKind::Other,
                    value: "37/123/45678".into(),
                },
            ],
            registration: Some(
                "\r\nAmtsgericht Berlin HRB 12345  \r\nGeschäftsführer: A. Schmidt\n\n".into(),
            ),
            email: Some(" billing@schmidt.example ".into()),
            phone: Some("+49 (30) 123-4567".into()),
            website: Some("schmidt.example".into()),
            payment_instructions: Some("Please quote the invoice number.".into()),
            payment_terms_days: 14,
            number_format: NumberFormatFields {
                pattern: "RE-{YYYY}-{SEQ:5}".into(),
                reset: SequenceReset::Yearly,
            },
            credit_note_format: NumberFormatFields {
                pattern: "GS-{YYYY}-{SEQ:5}".into(),
                reset: SequenceReset::Yearly,
            },
            electronic_address: Some(ElectronicAddressFields {
                scheme: "9930".into(),
                id: " de123456789 ".into(),
            }),
        }
    }

    #[test]
    fn a_full_profile_is_tidied() {
        let profile = SellerProfile::parse(fields()).unwrap();
        assert_eq!(profile.display_name, "Schmidt Consulting");
        assert_eq!(profile.address.as_ref().unwrap().country.code(), "DE");
        assert_eq!(profile.tax_ids[0].value, "DE123456789");
        assert_eq!(profile.tax_ids[1].kind, TaxIdKind::Other);
        assert_eq!(
            profile.registration.as_deref(),
            Some("Amtsgericht Berlin HRB 12345\nGeschäftsführer: A. Schmidt")
        );
        assert_eq!(
            profile.email.as_ref().unwrap().as_str(),
            "billing@schmidt.example"
        );
        assert_eq!(profile.website.as_deref(), Some("https://schmidt.example"));
        assert_eq!(profile.payment_terms_days, 14);
        assert_eq!(profile.number_format.reset(), SequenceReset::Yearly);
        assert_eq!(profile.credit_note_format.pattern(), "GS-{YYYY}-{SEQ:5}");
        let address = profile.electronic_address.as_ref().unwrap();
        assert_eq!((address.scheme(), address.id()), ("9930", "DE123456789"));
        assert_eq!(
            profile.address_lines(),
            ["Friedrichstraße 123", "10117 Berlin"]
        );
    }

    #[test]
    fn omitted_settings_take_their_defaults() {
        let json = serde_json::json!({
            "display_name": "Ann",
            "address": { "lines": ["1 Main St"], "country": "US" }
        });
        let fields: SellerProfileFields = serde_json::from_value(json).unwrap();
        let profile = SellerProfile::parse(fields).unwrap();
        assert_eq!(profile.payment_terms_days, 30);
        assert_eq!(profile.number_format, NumberFormat::default());
        assert_eq!(profile.credit_note_format, NumberFormat::credit_notes());
        assert!(profile.tax_ids.is_empty());
        assert_eq!(profile.electronic_address, None);
    }

    #[test]
    fn a_credit_note_format_that_could_print_an_invoice_number_is_refused() {
        let mut same = fields();
        same.credit_note_format = same.number_format.clone();
        let errors = SellerProfile::parse(same).unwrap_err();
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            ["credit_note_format.pattern"]
        );
        assert!(errors.to_string().contains("(RE-2000-00001)"), "{errors}");

        // Another padding of the same prefix meets the invoices' numbers from 100000 on.
        let mut padded = fields();
        padded.number_format.pattern = "RE-{SEQ:6}".into();
        padded.number_format.reset = SequenceReset::Never;
        padded.credit_note_format.pattern = "RE-{SEQ:4}".into();
        padded.credit_note_format.reset = SequenceReset::Never;
        assert!(
            SellerProfile::parse(padded)
                .unwrap_err()
                .has("credit_note_format.pattern")
        );

        let mut apart = fields();
        apart.credit_note_format.pattern = "RE-{YYYY}-G{SEQ:5}".into();
        assert!(SellerProfile::parse(apart).is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_its_path() {
        let mut bad = fields();
        bad.display_name = " ".into();
        bad.address.country = "XX".into();
        bad.tax_ids[0].value = "US123".into();
        bad.tax_ids[1] = bad.tax_ids[0].clone();
        bad.registration = Some("1\n2\n3\n4".into());
        bad.email = Some("not an address".into());
        bad.phone = Some("call me".into());
        bad.website = Some("ftp://files.example".into());
        bad.payment_instructions = Some("x".repeat(1001));
        bad.payment_terms_days = 366;
        bad.number_format.pattern = "INV-{SEQ}".into();
        bad.credit_note_format.pattern = "GS-{SEQ".into();
        bad.electronic_address = Some(ElectronicAddressFields {
            scheme: "0000".into(),
            id: "1 2".into(),
        });
        let errors = SellerProfile::parse(bad).unwrap_err();
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            [
                "address.country",
                "credit_note_format.pattern",
                "display_name",
                "electronic_address.id",
                "electronic_address.scheme",
                "email",
                "number_format.pattern",
                "payment_instructions",
                "payment_terms_days",
                "phone",
                "registration",
                "tax_ids[0].value",
                "tax_ids[1].value",
                "website",
            ]
        );

        let mut twice = fields();
        twice.tax_ids[1] = twice.tax_ids[0].clone();
        assert!(SellerProfile::parse(twice).unwrap_err().has("tax_ids[1]"));
        let mut four = fields();
        four.tax_ids = vec![four.tax_ids[0].clone(); 4];
        assert!(SellerProfile::parse(four).unwrap_err().has("tax_ids"));
        let mut negative = fields();
        negative.payment_terms_days = -1;
        assert!(
            SellerProfile::parse(negative)
                .unwrap_err()
                .has("payment_terms_days")
        );
        let mut long = fields();
        long.registration = Some("r".repeat(301));
        assert!(SellerProfile::parse(long).unwrap_err().has("registration"));
    }
}
