//! How the parties of an invoice are reached by e-invoices: the format a customer receives,
//! the buyer reference (BT-10; for German public buyers the Leitweg-ID) and the electronic
//! addresses Peppol routes by (BT-34 the seller's, BT-49 the buyer's), each with its scheme
//! from the EAS code list.
//!
//! Saving checks what each value can be checked for alone. Whether a format's rules are met
//! (XRechnung's BR-DE-15 wants a buyer reference, Peppol both addresses) is the send gate's
//! question, answered with the official rule ids: a customer may be saved before it is complete.

use super::{email::Email, party::check_line, validation::FieldErrors};
use invoicing_einvoice::{eas, model::Endpoint};
use serde::{Deserialize, Serialize};

/// The e-invoice a customer receives; a customer without one receives the PDF only.
pub use invoicing_einvoice::Format as EInvoiceFormat;

/// What the rules of the schemes checked here allow, and more than Peppol's participant ids
/// need.
pub const MAX_ADDRESS_ID_CHARS: usize = 100;
pub const MAX_BUYER_REFERENCE_CHARS: usize = 200;

/// An electronic address as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = ElectronicAddress, example = json!({
    "scheme": "0208", "id": "0123456749"
})))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectronicAddressFields {
    /// The scheme, a code of the EAS list: `0088` GLN, `0208` Belgian enterprise number,
    /// `9930` German VAT number, `0192` Norwegian organisation number, `0007` Swedish
    /// organisation number, `EM` e-mail, ….
    #[cfg_attr(feature = "openapi", schema(example = "0208"))]
    pub scheme: String,
    /// The identifier within the scheme, without spaces.
    #[cfg_attr(feature = "openapi", schema(example = "0123456749"))]
    pub id: String,
}

/// An electronic address whose scheme is on the EAS list and whose identifier has that
/// scheme's form, where it has one this module knows (see [`check_id`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ElectronicAddressFields", into = "ElectronicAddressFields")]
pub struct ElectronicAddress {
    scheme: String,
    id: String,
}

impl ElectronicAddress {
    /// Checks both parts; problems are reported under `prefix` (`electronic_address.id`).
    /// The scheme is read in any case (`em` is `EM`); the identifier is trimmed, and a German
    /// VAT number's prefix upper-cased.
    pub fn parse(
        fields: ElectronicAddressFields,
        prefix: &str,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        let scheme = fields.scheme.trim().to_ascii_uppercase();
        let scheme_ok = if scheme.is_empty() {
            errors.add(format!("{prefix}.scheme"), "must not be empty");
            false
        } else if !eas::is_eas(&scheme) {
            errors.add(
                format!("{prefix}.scheme"),
                format!(
                    "'{}' is not a scheme of the EAS code list (e.g. 0088 GLN, 0208 Belgian \
                     enterprise number, 9930 German VAT number, EM e-mail)",
                    fields.scheme.trim()
                ),
            );
            false
        } else {
            true
        };
        let id = fields.id.trim();
        let id = if scheme == "9930" {
            id.to_ascii_uppercase()
        } else {
            id.to_owned()
        };
        let id_check = check_length(&id).and_then(|()| {
            if scheme_ok {
                check_id(&scheme, &id)
            } else {
                Ok(())
            }
        });
        if let Err(message) = &id_check {
            errors.add(format!("{prefix}.id"), message.clone());
        }
        (scheme_ok && id_check.is_ok()).then_some(Self { scheme, id })
    }

    /// The EAS code (`0208`).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The address as a client would send it: `parse(into_fields())` gives it back.
    pub fn into_fields(self) -> ElectronicAddressFields {
        ElectronicAddressFields {
            scheme: self.scheme,
            id: self.id,
        }
    }
}

impl TryFrom<ElectronicAddressFields> for ElectronicAddress {
    type Error = FieldErrors;
    fn try_from(fields: ElectronicAddressFields) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let parsed = Self::parse(fields, "electronic_address", &mut errors);
        errors.into_result()?;
        Ok(parsed.expect("parsed without errors"))
    }
}

impl From<ElectronicAddress> for ElectronicAddressFields {
    fn from(address: ElectronicAddress) -> Self {
        address.into_fields()
    }
}

/// BT-34 / BT-49 of the EN 16931 model.
impl From<ElectronicAddress> for Endpoint {
    fn from(address: ElectronicAddress) -> Self {
        Endpoint {
            id: address.id,
            scheme: address.scheme,
        }
    }
}

fn check_length(id: &str) -> Result<(), String> {
    if id.is_empty() {
        Err("must not be empty".to_owned())
    } else if id.chars().count() > MAX_ADDRESS_ID_CHARS {
        Err(format!("must be at most {MAX_ADDRESS_ID_CHARS} characters"))
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err("must not contain spaces or control characters".to_owned())
    } else {
        Ok(())
    }
}

/// The form of an identifier in the schemes a customer or seller commonly uses. Where Peppol
/// BIS checks a scheme (its rules PEPPOL-COMMON-R040 to R049), the check is the same, so an
/// address saved here is not refused there; other schemes are only held to the length.
fn check_id(scheme: &str, id: &str) -> Result<(), String> {
    let digits = |count: usize| id.len() == count && id.bytes().all(|b| b.is_ascii_digit());
    let ok = match scheme {
        // PEPPOL-COMMON-R040: a GS1 check digit. A GLN has 13 digits (GS1 General
        // Specifications, 3.4.2).
        "0088" => digits(13) && gs1_check_digit(&id[..12]) == id.as_bytes()[12] - b'0',
        // PEPPOL-COMMON-R043: the last two digits are 97 less the first eight modulo 97. The
        // Crossroads Bank for Enterprises numbers enterprises from 0 and their establishments
        // from 2 to 8; an enterprise's number starts with 0 or 1.
        "0208" => digits(10) && matches!(&id[..1], "0" | "1") && belgian_check(id),
        "9930" => {
            id.len() == 11 && id.starts_with("DE") && id[2..].bytes().all(|b| b.is_ascii_digit())
        }
        "EM" => Email::parse(id).is_ok(),
        // PEPPOL-COMMON-R041: weights 2 to 7 from the right, 11 less the sum modulo 11.
        "0192" => digits(9) && norwegian_check(id),
        // PEPPOL-COMMON-R049: ten digits.
        "0007" => digits(10),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    Err(match scheme {
        "0088" => "must be a GLN: 13 digits, the last a valid GS1 check digit",
        "0208" => {
            "must be a Belgian enterprise number: 10 digits starting with 0 or 1, the last two \
             its check digits (97 less the first eight modulo 97), e.g. 0123456749"
        }
        "9930" => "must be a German VAT number: DE and 9 digits (e.g. DE123456789)",
        "EM" => "must be an e-mail address",
        "0192" => {
            "must be a Norwegian organisation number: 9 digits, the last a valid mod-11 check \
             digit"
        }
        _ => "must be a Swedish organisation number: 10 digits",
    }
    .to_owned())
}

/// The GS1 check digit of `body` (its digits weighted 3, 1, 3, … from the right).
fn gs1_check_digit(body: &str) -> u8 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, b)| u32::from(b - b'0') * if index % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn belgian_check(id: &str) -> bool {
    let (body, check) = id.split_at(8);
    match (body.parse::<u32>(), check.parse::<u32>()) {
        (Ok(body), Ok(check)) => 97 - body % 97 == check,
        _ => false,
    }
}

fn norwegian_check(id: &str) -> bool {
    let (body, check) = id.split_at(8);
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, b)| u32::from(b - b'0') * (index as u32 % 6 + 2))
        .sum();
    let expected = (11 - sum % 11) % 11;
    id != "000000000" && check.parse::<u32>() == Ok(expected)
}

/// A buyer reference (BT-10), trimmed, one line of at most [`MAX_BUYER_REFERENCE_CHARS`];
/// empty is `None`. One that looks like a Leitweg-ID (digits, then a dash) must be one.
pub fn parse_buyer_reference(raw: Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let reference = raw.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty())?;
    let checked = check_line(&reference, MAX_BUYER_REFERENCE_CHARS).and_then(|()| {
        if looks_like_leitweg_id(&reference) {
            check_leitweg_id(&reference)
        } else {
            Ok(())
        }
    });
    match checked {
        Ok(()) => Some(reference),
        Err(message) => {
            errors.add("buyer_reference", message);
            None
        }
    }
}

/// Digits and a dash at the start: how every Leitweg-ID begins, and few other references.
fn looks_like_leitweg_id(reference: &str) -> bool {
    reference
        .split_once('-')
        .is_some_and(|(first, _)| !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()))
}

/// A Leitweg-ID as the KoSIT "Formatspezifikation Leitweg-ID" defines it: the
/// Grobadressierung (2 to 12 digits), optionally a Feinadressierung (1 to 30 digits or capital
/// letters), and two check digits, joined by dashes. The check digits are ISO/IEC 7064
/// MOD 97-10 over the parts without dashes, a letter read as its place in the alphabet from 10
/// (A) to 35 (Z): the whole, so read, is 1 modulo 97. The specification's example
/// 04011000-1234512345-06 and the KoSIT test suite's 04011000-12345-03 both hold.
fn check_leitweg_id(reference: &str) -> Result<(), String> {
    let parts: Vec<&str> = reference.split('-').collect();
    let all = |part: &str, allowed: fn(&u8) -> bool| part.bytes().all(|b| allowed(&b));
    let form = match parts.as_slice() {
        [coarse, check] => Some((*coarse, None, *check)),
        [coarse, fine, check] => Some((*coarse, Some(*fine), *check)),
        _ => None,
    }
    .filter(|(coarse, fine, check)| {
        (2..=12).contains(&coarse.len())
            && all(coarse, u8::is_ascii_digit)
            && fine.is_none_or(|fine| {
                (1..=30).contains(&fine.len())
                    && all(fine, |b| b.is_ascii_digit() || b.is_ascii_uppercase())
            })
            && check.len() == 2
            && all(check, u8::is_ascii_digit)
    });
    if form.is_none() {
        return Err(
            "looks like a Leitweg-ID but is not one: 2 to 12 digits, optionally a dash and 1 to \
             30 digits or capital letters, then a dash and 2 check digits (e.g. \
             04011000-12345-03)"
                .to_owned(),
        );
    }
    let remainder = reference
        .bytes()
        .filter(|b| *b != b'-')
        .fold(0u32, |remainder, b| {
            let value = u32::from(if b.is_ascii_digit() {
                b - b'0'
            } else {
                b - b'A' + 10
            });
            let shift = if value < 10 { 10 } else { 100 };
            (remainder * shift + value) % 97
        });
    if remainder == 1 {
        Ok(())
    } else {
        Err(
            "is not a valid Leitweg-ID: its check digits do not match (is a digit mistyped?)"
                .to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(scheme: &str, id: &str) -> Result<ElectronicAddress, FieldErrors> {
        ElectronicAddress::try_from(ElectronicAddressFields {
            scheme: scheme.into(),
            id: id.into(),
        })
    }

    fn refused_at(scheme: &str, id: &str) -> Vec<String> {
        parse(scheme, id)
            .unwrap_err()
            .fields()
            .map(str::to_owned)
            .collect()
    }

    /// The GS1 check digit as GS1's own description reads: the odd positions from the right
    /// times three plus the even ones, and what makes the sum up to the next multiple of ten.
    fn with_gs1_check(body: &str) -> String {
        let digits: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let odd: u32 = digits.iter().rev().step_by(2).sum();
        let even: u32 = digits.iter().rev().skip(1).step_by(2).sum();
        let sum = odd * 3 + even;
        let next_ten = sum.div_ceil(10) * 10;
        format!("{body}{}", next_ten - sum)
    }

    /// A Belgian enterprise number with its check digits, computed in 64 bits on the whole
    /// body (`97 - body mod 97`).
    fn with_belgian_check(body: u64) -> String {
        format!("{body:08}{:02}", 97 - body % 97)
    }

    /// A Norwegian organisation number with its check digit (weights 3 2 7 6 5 4 3 2 from the
    /// left, as Brønnøysundregistrene states them); `None` where the rest is 1, which no
    /// number is given.
    fn with_norwegian_check(body: &str) -> Option<String> {
        let weights = [3, 2, 7, 6, 5, 4, 3, 2];
        let sum: u32 = body
            .chars()
            .zip(weights)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        match 11 - sum % 11 {
            11 => Some(format!("{body}0")),
            10 => None,
            check => Some(format!("{body}{check}")),
        }
    }

    /// The Leitweg-ID check digits by the specification's recipe: letters replaced by their
    /// numbers, `00` appended, 98 less the remainder modulo 97; the remainder of the long
    /// number taken seven digits at a time (ISO/IEC 7064's piecewise procedure).
    fn with_leitweg_check(without: &str) -> String {
        let digits: String = without
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_digit(36).unwrap().to_string())
            .collect::<String>()
            + "00";
        let remainder = digits.as_bytes().chunks(7).fold(0u64, |remainder, chunk| {
            let chunk = std::str::from_utf8(chunk).unwrap();
            (remainder * 10u64.pow(chunk.len() as u32) + chunk.parse::<u64>().unwrap()) % 97
        });
        format!("{without}-{:02}", 98 - remainder)
    }

    #[test]
    fn schemes_come_from_the_eas_list_in_any_case() {
        let address = parse(" em ", " ap@acme.example ").unwrap();
        assert_eq!((address.scheme(), address.id()), ("EM", "ap@acme.example"));
        assert_eq!(refused_at("9999", "x"), ["electronic_address.scheme"]);
        assert_eq!(refused_at("", "x"), ["electronic_address.scheme"]);
        // An identifier is still held to its length when the scheme is unknown.
        assert_eq!(
            refused_at("XX", ""),
            ["electronic_address.id", "electronic_address.scheme"]
        );
        // A scheme this module has no form for: the length only.
        assert!(parse("0204", "991-33333TEST-33").is_ok());
        assert!(parse("9925", "BE0123456749").is_ok());
    }

    #[test]
    fn identifiers_are_one_word_of_at_most_100_characters() {
        assert!(parse("0204", &"1".repeat(MAX_ADDRESS_ID_CHARS)).is_ok());
        for bad in [
            String::new(),
            "  ".into(),
            "1".repeat(MAX_ADDRESS_ID_CHARS + 1),
            "12 34".into(),
            "12\t34".into(),
        ] {
            assert_eq!(
                refused_at("0204", &bad),
                ["electronic_address.id"],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_gln_has_13_digits_and_a_gs1_check_digit() {
        for body in ["579000043595", "400000000000", "123456789012"] {
            let gln = with_gs1_check(body);
            assert!(parse("0088", &gln).is_ok(), "{gln}");
            let last = gln.chars().last().unwrap().to_digit(10).unwrap();
            let wrong = format!("{body}{}", (last + 1) % 10);
            assert_eq!(refused_at("0088", &wrong), ["electronic_address.id"]);
        }
        let fourteen = with_gs1_check("5790000435951");
        assert!(parse("0088", &fourteen).is_err());
        assert!(parse("0088", "579000043595X").is_err());
    }

    #[test]
    fn a_belgian_enterprise_number_has_its_mod_97_check() {
        for body in [1_234_567, 4_031_234, 10_000_000, 19_999_999] {
            let number = with_belgian_check(body);
            assert!(parse("0208", &number).is_ok(), "{number}");
            let wrong = format!("{}{:02}", &number[..8], (97 - body % 97) % 97 + 1);
            assert!(parse("0208", &wrong).is_err(), "{wrong}");
        }
        // Right check digits, but an establishment's number (2 to 8) is not an enterprise's.
        assert!(parse("0208", &with_belgian_check(21_234_567)).is_err());
        assert!(parse("0208", "BE0123456749").is_err());
        assert!(parse("0208", "012345674").is_err());
    }

    #[test]
    fn a_german_vat_number_is_de_and_9_digits() {
        let address = parse("9930", "de123456789").unwrap();
        assert_eq!(address.id(), "DE123456789");
        for bad in [
            "DE12345678",
            "DE1234567890",
            "AT123456789",
            "123456789",
            "DE12345678X",
        ] {
            assert_eq!(refused_at("9930", bad), ["electronic_address.id"], "{bad}");
        }
    }

    #[test]
    fn an_em_address_is_an_e_mail_address() {
        assert!(parse("EM", "invoices@acme.example").is_ok());
        for bad in ["invoices", "invoices@localhost", "@acme.example"] {
            assert_eq!(refused_at("EM", bad), ["electronic_address.id"], "{bad}");
        }
    }

    #[test]
    fn a_norwegian_organisation_number_has_its_mod_11_check() {
        let mut valid = 0;
        for body in ["98765432", "92345678", "81234567", "99999999", "12345678"] {
            let Some(number) = with_norwegian_check(body) else {
                // No number ends in a check of 10: any last digit is refused.
                for last in 0..10 {
                    assert!(parse("0192", &format!("{body}{last}")).is_err());
                }
                continue;
            };
            valid += 1;
            assert!(parse("0192", &number).is_ok(), "{number}");
            let last = number.chars().last().unwrap().to_digit(10).unwrap();
            assert!(parse("0192", &format!("{body}{}", (last + 1) % 10)).is_err());
        }
        assert!(valid >= 3, "the examples check valid numbers too");
        assert!(parse("0192", "000000000").is_err());
        assert!(parse("0192", "9876543250").is_err());
    }

    #[test]
    fn a_swedish_organisation_number_has_10_digits() {
        assert!(parse("0007", "5560360793").is_ok());
        for bad in ["556036079", "55603607930", "556036-0793", "556036079X"] {
            assert_eq!(refused_at("0007", bad), ["electronic_address.id"], "{bad}");
        }
    }

    #[test]
    fn addresses_round_trip_and_become_endpoints() {
        let address = parse("0208", &with_belgian_check(1_234_567)).unwrap();
        let json = serde_json::to_value(&address).unwrap();
        assert_eq!(json["scheme"], "0208");
        let back: ElectronicAddress = serde_json::from_value(json).unwrap();
        assert_eq!(back, address);
        let tampered = serde_json::json!({ "scheme": "0208", "id": "0123456700" });
        assert!(serde_json::from_value::<ElectronicAddress>(tampered).is_err());
        let endpoint = Endpoint::from(address);
        assert_eq!(
            (endpoint.scheme.as_str(), endpoint.id.as_str()),
            ("0208", "0123456749")
        );
    }

    fn reference(raw: &str) -> Result<Option<String>, Vec<String>> {
        let mut errors = FieldErrors::default();
        let parsed = parse_buyer_reference(Some(raw.into()), &mut errors);
        match errors.into_result() {
            Ok(()) => Ok(parsed),
            Err(errors) => Err(errors.fields().map(str::to_owned).collect()),
        }
    }

    #[test]
    fn leitweg_ids_have_their_form_and_check_digits() {
        for without in [
            "04011000-12345",
            "04011000-1234512345",
            "991-33333TEST",
            "05315",
            "992-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123",
        ] {
            let id = with_leitweg_check(without);
            assert_eq!(reference(&id), Ok(Some(id.clone())), "{id}");
            let check: u32 = id[id.len() - 2..].parse().unwrap();
            let wrong = format!("{without}-{:02}", (check + 1) % 100);
            assert_eq!(
                reference(&wrong),
                Err(vec!["buyer_reference".into()]),
                "{wrong}"
            );
        }
        // A transposition is caught.
        let id = with_leitweg_check("04011000-12345");
        let swapped = id.replacen("12345", "12354", 1);
        assert!(reference(&swapped).is_err());
        for bad in [
            "1-12345-00",
            "1234567890123-1-00",
            "04011000-12345-3",
            "04011000-abc-03",
            "04011000-12345-03-01",
            &format!("04011000-{}-00", "1".repeat(31)),
        ] {
            assert_eq!(reference(bad), Err(vec!["buyer_reference".into()]), "{bad}");
        }
    }

    #[test]
    fn other_buyer_references_are_one_trimmed_line() {
        assert_eq!(reference("  PO 4711 "), Ok(Some("PO 4711".into())));
        assert_eq!(reference("   "), Ok(None));
        assert_eq!(reference("A-123"), Ok(Some("A-123".into())));
        assert!(reference(&"r".repeat(MAX_BUYER_REFERENCE_CHARS)).is_ok());
        assert!(reference(&"r".repeat(MAX_BUYER_REFERENCE_CHARS + 1)).is_err());
        assert!(reference("PO\n4711").is_err());
    }
}
