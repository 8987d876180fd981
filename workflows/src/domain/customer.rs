//! The account's customers: who its invoices go to, kept as records of the account. An invoice
//! names its customer; sending it copies the customer's details onto the document, so editing
//! a customer never changes what was sent.

use super::{
    e_invoicing::{self, EInvoiceFormat, ElectronicAddress, ElectronicAddressFields},
    email::Email,
    money::Currency,
    party::{self, Address, AddressFields, Language, TaxId, TaxIdFields},
    terms::MAX_TERMS_DAYS,
    validation::FieldErrors,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub const MAX_NAME_CHARS: usize = 200;
/// Addresses an invoice is sent to (`to`); at least one.
pub const MAX_EMAILS: usize = 5;
/// Addresses that get a copy (`cc`).
pub const MAX_CC_EMAILS: usize = 5;
pub const MAX_NOTES_CHARS: usize = 5_000;
/// The longest IANA time zone name accepted (the longest in the database has 32 characters).
pub const MAX_TIME_ZONE_CHARS: usize = 64;

/// A customer as a client sends it. Left out: no legal name, no copies, no address, no tax id,
/// no default currency, English, UTC, the account's payment terms, no notes, the PDF alone (no
/// e-invoice), no buyer reference, no electronic address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = json!({
    "display_name": "Acme",
    "legal_name": "Acme Industries, Inc.",
    "emails": ["ap@acme.example"],
    "cc_emails": ["controller@acme.example"],
    "address": {
        "lines": ["1 Main Street", "Suite 400"],
        "postal_code": "02110",
        "city": "Boston",
        "region": "MA",
        "country": "US"
    },
    "tax_id": { "kind": "us_ein", "value": "12-3456789" },
    "currency": "USD",
    "language": "en",
    "time_zone": "America/New_York",
    "payment_terms_days": 30,
    "notes": "Purchase order number required on every invoice.",
    "e_invoice_format": "factur_x",
    "buyer_reference": "PO-2026-0815",
    "electronic_address": { "scheme": "EM", "id": "ap@acme.example" }
})))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerFields {
    /// How the account knows the customer in lists and pickers.
    pub display_name: String,
    /// The registered name, printed on invoices instead of the display name when set.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// Where invoices are sent: 1 to 5 addresses, none twice.
    pub emails: Vec<String>,
    /// Who gets a copy: up to 5 addresses, none of them also in `emails`.
    #[serde(default)]
    pub cc_emails: Vec<String>,
    /// The billing address; `null` for none.
    #[serde(default)]
    pub address: Option<AddressFields>,
    #[serde(default)]
    pub tax_id: Option<TaxIdFields>,
    /// ISO 4217: the currency new invoices to the customer start in.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "EUR"))]
    pub currency: Option<String>,
    /// The language of the customer's invoices and e-mails (default `en`).
    #[serde(default)]
    pub language: Option<Language>,
    /// An IANA time zone name (default `UTC`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Europe/Berlin"))]
    pub time_zone: Option<String>,
    /// Days from the issue date to the due date of new invoices; `null`: the account's terms.
    #[serde(default)]
    pub payment_terms_days: Option<i64>,
    /// For the account only; never printed.
    #[serde(default)]
    pub notes: Option<String>,
    /// The e-invoice the customer receives with each invoice; `null`: the PDF only. Peppol BIS
    /// needs the customer's `electronic_address`.
    #[serde(default)]
    pub e_invoice_format: Option<EInvoiceFormat>,
    /// BT-10, the reference the buyer asked invoices to quote; for a German public buyer its
    /// Leitweg-ID, which XRechnung requires (checked when an invoice is sent, not here). One
    /// line; a value that starts like a Leitweg-ID (digits and a dash) must be a valid one.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "04011000-12345-03"))]
    pub buyer_reference: Option<String>,
    /// BT-49, where e-invoices reach the customer (its Peppol participant id, for one).
    #[serde(default)]
    pub electronic_address: Option<ElectronicAddressFields>,
}

/// A customer that meets the rules: names trimmed, one line each and within their lengths;
/// 1–5 valid `to` addresses and 0–5 `cc` addresses, no address twice (whatever its case); a
/// whole address or none; a tax id whose form matches its kind; a currency in circulation; a
/// time zone of the IANA database; payment terms of 0 to [`MAX_TERMS_DAYS`] days; a buyer
/// reference of one line (a valid Leitweg-ID when it starts like one); an electronic address
/// of the EAS list, which Peppol BIS requires.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub display_name: String,
    pub legal_name: Option<String>,
    pub emails: Vec<Email>,
    pub cc_emails: Vec<Email>,
    pub address: Option<Address>,
    pub tax_id: Option<TaxId>,
    pub currency: Option<Currency>,
    pub language: Language,
    pub time_zone: Tz,
    pub payment_terms_days: Option<u32>,
    pub notes: Option<String>,
    /// `None`: the PDF only.
    pub e_invoice_format: Option<EInvoiceFormat>,
    pub buyer_reference: Option<String>,
    pub electronic_address: Option<ElectronicAddress>,
}

impl Customer {
    /// Checks every field and reports every problem at once, keyed by the field's JSON path
    /// (`emails[1]`, `address.country`, `tax_id.value`, `electronic_address.id`).
    pub fn parse(fields: CustomerFields) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();

        let display_name = fields.display_name.trim().to_owned();
        if display_name.is_empty() {
            errors.add("display_name", "must not be empty");
        } else if let Err(message) = party::check_line(&display_name, MAX_NAME_CHARS) {
            errors.add("display_name", message);
        }
        let legal_name =
            party::optional(fields.legal_name, MAX_NAME_CHARS, "legal_name", &mut errors);

        let mut recipients = Vec::new();
        let emails = parse_emails(
            fields.emails,
            "emails",
            1,
            MAX_EMAILS,
            &mut recipients,
            &mut errors,
        );
        let cc_emails = parse_emails(
            fields.cc_emails,
            "cc_emails",
            0,
            MAX_CC_EMAILS,
            &mut recipients,
            &mut errors,
        );

        let address = fields
            .address
            .and_then(|address| Address::parse(address, "address", &mut errors));
        let tax_id = fields.tax_id.and_then(|tax_id| {
            TaxId::parse(tax_id)
                .map_err(|message| errors.add("tax_id.value", message))
                .ok()
        });

        let currency = fields
            .currency
            .filter(|code| !code.trim().is_empty())
            .and_then(|code| {
                Currency::parse(&code)
                    .map_err(|error| errors.add("currency", error.to_string()))
                    .ok()
            });

        let time_zone = match fields.time_zone.as_deref().map(str::trim) {
            None | Some("") => Tz::UTC,
            Some(name) => parse_time_zone(name).unwrap_or_else(|message| {
                errors.add("time_zone", message);
                Tz::UTC
            }),
        };

        let payment_terms_days = fields.payment_terms_days.and_then(|days| {
            u32::try_from(days)
                .ok()
                .filter(|days| *days <= MAX_TERMS_DAYS)
                .or_else(|| {
                    errors.add(
                        "payment_terms_days",
                        format!("must be from 0 to {MAX_TERMS_DAYS} days"),
                    );
                    None
                })
        });

        let notes = fields
            .notes
            .map(|notes| notes.trim().to_owned())
            .filter(|notes| !notes.is_empty());
        if notes
            .as_ref()
            .is_some_and(|notes| notes.chars().count() > MAX_NOTES_CHARS)
        {
            errors.add(
                "notes",
                format!("must be at most {MAX_NOTES_CHARS} characters"),
            );
        }

        let buyer_reference =
            e_invoicing::parse_buyer_reference(fields.buyer_reference, &mut errors);
        let electronic_address = match fields.electronic_address {
            Some(address) => ElectronicAddress::parse(address, "electronic_address", &mut errors),
            // Peppol delivers to the buyer's electronic address: without one it has nowhere to
            // send. XRechnung's and the others' needs are the send gate's, by their rule ids.
            None if fields.e_invoice_format == Some(EInvoiceFormat::PeppolUbl) => {
                errors.add(
                    "electronic_address",
                    "is required for Peppol BIS: Peppol delivers to the customer's electronic \
                     address",
                );
                None
            }
            None => None,
        };

        errors.into_result()?;
        Ok(Self {
            display_name,
            legal_name,
            emails,
            cc_emails,
            address,
            tax_id,
            currency,
            language: fields.language.unwrap_or_default(),
            time_zone,
            payment_terms_days,
            notes,
            e_invoice_format: fields.e_invoice_format,
            buyer_reference,
            electronic_address,
        })
    }

    /// The customer as a client would send it: `parse(into_fields())` gives it back.
    pub fn into_fields(self) -> CustomerFields {
        CustomerFields {
            display_name: self.display_name,
            legal_name: self.legal_name,
            emails: self.emails.into_iter().map(String::from).collect(),
            cc_emails: self.cc_emails.into_iter().map(String::from).collect(),
            address: self.address.map(Address::into_fields),
            tax_id: self.tax_id.map(TaxId::into_fields),
            currency: self.currency.map(String::from),
            language: Some(self.language),
            time_zone: Some(self.time_zone.name().to_owned()),
            payment_terms_days: self.payment_terms_days.map(i64::from),
            notes: self.notes,
            e_invoice_format: self.e_invoice_format,
            buyer_reference: self.buyer_reference,
            electronic_address: self.electronic_address.map(ElectronicAddress::into_fields),
        }
    }

    /// The name an invoice prints: the legal name when there is one.
    pub fn invoice_name(&self) -> &str {
        self.legal_name.as_deref().unwrap_or(&self.display_name)
    }
}

/// Parses a list of recipients at `field` (`emails[2]` for the third), between `min` and `max`
/// of them; an address already in `recipients` (in any case, in this list or another) is
/// refused, so no one receives an invoice twice.
fn parse_emails(
    raw: Vec<String>,
    field: &str,
    min: usize,
    max: usize,
    recipients: &mut Vec<String>,
    errors: &mut FieldErrors,
) -> Vec<Email> {
    if raw.len() < min {
        errors.add(field, "needs at least one address");
    } else if raw.len() > max {
        errors.add(field, format!("must be at most {max} addresses"));
    }
    let mut emails = Vec::with_capacity(raw.len());
    for (index, text) in raw.iter().enumerate() {
        let path = format!("{field}[{index}]");
        match Email::parse(text) {
            Ok(email) => {
                let key = email.as_str().to_lowercase();
                if recipients.contains(&key) {
                    errors.add(path, "is already a recipient of this customer");
                } else {
                    recipients.push(key);
                    emails.push(email);
                }
            }
            Err(error) => errors.add(path, error.to_string()),
        }
    }
    emails
}

/// An IANA time zone by its name, as the tz database spells it (`Europe/Berlin`, `UTC`).
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    if name.chars().count() <= MAX_TIME_ZONE_CHARS
        && let Ok(zone) = name.parse::<Tz>()
    {
        return Ok(zone);
    }
    Err(format!(
        "'{name}' is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TaxIdKind;

    fn fields() -> CustomerFields {
        CustomerFields {
            display_name: "  Acme ".into(),
            emails: vec!["ap@acme.example".into()],
            ..CustomerFields::default()
        }
    }

    fn errors(fields: CustomerFields) -> Vec<String> {
        Customer::parse(fields)
            .unwrap_err()
            .fields()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_least_a_customer_needs_takes_the_defaults() {
        let customer = Customer::parse(fields()).unwrap();
        assert_eq!(customer.display_name, "Acme");
        assert_eq!(customer.invoice_name(), "Acme");
        assert_eq!(customer.emails[0].as_str(), "ap@acme.example");
        assert!(customer.cc_emails.is_empty());
        assert_eq!(customer.language, Language::En);
        assert_eq!(customer.time_zone, Tz::UTC);
        assert_eq!(
            (customer.address, customer.tax_id, customer.currency),
            (None, None, None)
        );
        assert_eq!(customer.payment_terms_days, None);
    }

    #[test]
    fn a_whole_customer_is_normalised_and_round_trips() {
        let customer = Customer::parse(CustomerFields {
            legal_name: Some(" Acme Trading GmbH ".into()),
            cc_emails: vec![" controller@acme.example ".into()],
            address: Some(AddressFields {
                lines: vec!["Friedrichstraße 123".into()],
                postal_code: Some("10117".into()),
                city: Some("Berlin".into()),
                region: None,
                country: "de".into(),
            }),
            tax_id: Some(TaxIdFields {
                kind: TaxIdKind::EuVat,
                value: "de 123 456 789".into(),
            }),
            currency: Some("eur".into()),
            language: Some(Language::De),
            time_zone: Some("Europe/Berlin".into()),
            payment_terms_days: Some(14),
            notes: Some("\n PO number required.\n".into()),
            e_invoice_format: Some(EInvoiceFormat::XrechnungUbl),
            buyer_reference: Some(" 04011000-12345-03 ".into()),
            electronic_address: Some(ElectronicAddressFields {
                scheme: "9930".into(),
                id: "de123456789".into(),
            }),
            ..fields()
        })
        .unwrap();
        assert_eq!(customer.invoice_name(), "Acme Trading GmbH");
        assert_eq!(customer.cc_emails[0].as_str(), "controller@acme.example");
        assert_eq!(customer.address.as_ref().unwrap().country.code(), "DE");
        assert_eq!(customer.tax_id.as_ref().unwrap().value, "DE123456789");
        assert_eq!(customer.currency.unwrap().code(), "EUR");
        assert_eq!(customer.time_zone, chrono_tz::Europe::Berlin);
        assert_eq!(customer.payment_terms_days, Some(14));
        assert_eq!(customer.notes.as_deref(), Some("PO number required."));
        assert_eq!(
            customer.e_invoice_format,
            Some(EInvoiceFormat::XrechnungUbl)
        );
        assert_eq!(
            customer.buyer_reference.as_deref(),
            Some("04011000-12345-03")
        );
        let address = customer.electronic_address.as_ref().unwrap();
        assert_eq!((address.scheme(), address.id()), ("9930", "DE123456789"));
        assert_eq!(
            Customer::parse(customer.clone().into_fields()).unwrap(),
            customer
        );
    }

    #[test]
    fn names_are_one_line_and_bounded() {
        let blank = CustomerFields {
            display_name: " ".into(),
            ..fields()
        };
        assert_eq!(errors(blank), ["display_name"]);
        let long = CustomerFields {
            display_name: "n".repeat(MAX_NAME_CHARS + 1),
            legal_name: Some("Acme\nGmbH".into()),
            ..fields()
        };
        assert_eq!(errors(long), ["display_name", "legal_name"]);
        let longest = CustomerFields {
            display_name: "é".repeat(MAX_NAME_CHARS),
            legal_name: Some("  ".into()),
            ..fields()
        };
        assert_eq!(Customer::parse(longest).unwrap().legal_name, None);
    }

    #[test]
    fn recipients_are_counted_checked_one_by_one_and_never_twice() {
        let none = CustomerFields {
            emails: vec![],
            ..fields()
        };
        assert_eq!(errors(none), ["emails"]);
        let too_many = CustomerFields {
            emails: (0..=MAX_EMAILS)
                .map(|n| format!("ap{n}@acme.example"))
                .collect(),
            cc_emails: (0..=MAX_CC_EMAILS)
                .map(|n| format!("cc{n}@acme.example"))
                .collect(),
            ..fields()
        };
        assert_eq!(errors(too_many), ["cc_emails", "emails"]);
        let bad = CustomerFields {
            emails: vec!["ap@acme.example".into(), "not an address".into()],
            cc_emails: vec!["AP@Acme.example".into(), "cc@acme.example".into()],
            ..fields()
        };
        let problems = Customer::parse(bad).unwrap_err();
        assert_eq!(
            problems.fields().collect::<Vec<_>>(),
            ["cc_emails[0]", "emails[1]"],
            "{problems}"
        );
        assert!(problems.to_string().contains("already a recipient"));
    }

    #[test]
    fn address_and_tax_id_are_reported_at_their_parts() {
        let bad = CustomerFields {
            address: Some(AddressFields {
                lines: vec!["1 Main Street".into()],
                country: "XX".into(),
                ..AddressFields::default()
            }),
            tax_id: Some(TaxIdFields {
                kind: TaxIdKind::EuVat,
                value: "US123".into(),
            }),
            ..fields()
        };
        assert_eq!(errors(bad), ["address.country", "tax_id.value"]);
    }

    #[test]
    fn currency_time_zone_terms_and_notes_have_their_rules() {
        let bad = CustomerFields {
            currency: Some("XAU".into()),
            time_zone: Some("Mars/Olympus_Mons".into()),
            payment_terms_days: Some(i64::from(MAX_TERMS_DAYS) + 1),
            notes: Some("n".repeat(MAX_NOTES_CHARS + 1)),
            ..fields()
        };
        assert_eq!(
            errors(bad),
            ["currency", "notes", "payment_terms_days", "time_zone"]
        );
        let negative = CustomerFields {
            payment_terms_days: Some(-1),
            ..fields()
        };
        assert_eq!(errors(negative), ["payment_terms_days"]);
        let empty = CustomerFields {
            currency: Some(" ".into()),
            time_zone: Some("".into()),
            payment_terms_days: Some(0),
            ..fields()
        };
        let customer = Customer::parse(empty).unwrap();
        assert_eq!((customer.currency, customer.time_zone), (None, Tz::UTC));
        assert_eq!(customer.payment_terms_days, Some(0));
    }

    #[test]
    fn e_invoicing_settings_are_optional_except_peppols_address() {
        let customer = Customer::parse(fields()).unwrap();
        assert_eq!(
            (
                customer.e_invoice_format,
                customer.buyer_reference,
                customer.electronic_address
            ),
            (None, None, None)
        );
        // XRechnung without a Leitweg-ID is saved: the send gate refuses it with BR-DE-15.
        let xrechnung = CustomerFields {
            e_invoice_format: Some(EInvoiceFormat::XrechnungCii),
            ..fields()
        };
        assert!(Customer::parse(xrechnung).is_ok());
        let peppol = CustomerFields {
            e_invoice_format: Some(EInvoiceFormat::PeppolUbl),
            ..fields()
        };
        assert_eq!(errors(peppol.clone()), ["electronic_address"]);
        let routable = CustomerFields {
            electronic_address: Some(ElectronicAddressFields {
                scheme: "0208".into(),
                id: "0123456749".into(),
            }),
            ..peppol.clone()
        };
        assert!(Customer::parse(routable).is_ok());
        // A bad address is reported at its part, not again as missing.
        let bad = CustomerFields {
            electronic_address: Some(ElectronicAddressFields {
                scheme: "0208".into(),
                id: "0123456700".into(),
            }),
            buyer_reference: Some("04011000-12345-04".into()),
            ..peppol
        };
        assert_eq!(errors(bad), ["buyer_reference", "electronic_address.id"]);
    }

    #[test]
    fn time_zones_are_the_tz_databases() {
        assert_eq!(
            parse_time_zone("America/New_York"),
            Ok(chrono_tz::America::New_York)
        );
        assert_eq!(parse_time_zone("UTC"), Ok(Tz::UTC));
        for bad in ["europe/berlin", "CEST", "+02:00", "", "Europe/Berlin "] {
            assert!(parse_time_zone(bad).is_err(), "{bad:?}");
        }
    }
}
