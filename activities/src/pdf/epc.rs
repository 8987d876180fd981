//! The EPC QR code ("GiroCode"): a SEPA credit transfer a banking app reads off the invoice,
//! as the European Payments Council's guideline EPC069-12 (version 2.1) defines it.

/// The largest payload the guideline allows, in bytes.
const MAX_PAYLOAD_BYTES: usize = 331;
/// Longest beneficiary name, in characters.
const MAX_NAME_CHARS: usize = 70;
/// Longest unstructured remittance text, in characters.
const MAX_REMITTANCE_CHARS: usize = 140;
/// EUR 0.01 to EUR 999,999,999.99.
const AMOUNT_RANGE: std::ops::RangeInclusive<i64> = 1..=99_999_999_999;

/// The payload for a transfer of `amount_cents` euro cents to `iban` (and `bic`, optional in
/// version 002 within the EEA) in favour of `name`, with `reference` as the remittance text;
/// `None` when the guideline does not allow the transfer (an amount out of range, an IBAN
/// that fails its check digits, a name with nothing in it).
///
/// The lines: service tag `BCD`, version `002`, character set `1` (UTF-8), identification
/// `SCT`, BIC, name, IBAN, `EUR` and the amount, purpose (empty), structured reference (empty),
/// unstructured remittance.
pub fn epc_payload(
    name: &str,
    iban: &str,
    bic: Option<&str>,
    amount_cents: i64,
    reference: &str,
) -> Option<String> {
    if !AMOUNT_RANGE.contains(&amount_cents) {
        return None;
    }
    let iban = compact(iban);
    if !iban_is_valid(&iban) {
        return None;
    }
    let bic = bic.map(compact).unwrap_or_default();
    if !(bic.is_empty()
        || matches!(bic.len(), 8 | 11) && bic.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        return None;
    }
    let name = one_line(name, MAX_NAME_CHARS);
    if name.is_empty() {
        return None;
    }
    let reference = one_line(reference, MAX_REMITTANCE_CHARS);
    let amount = format!("EUR{}.{:02}", amount_cents / 100, amount_cents % 100);
    let payload = [
        "BCD", "002", "1", "SCT", &bic, &name, &iban, &amount, "", "", &reference,
    ]
    .join("\n");
    (payload.len() <= MAX_PAYLOAD_BYTES).then_some(payload)
}

fn compact(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Control characters and line breaks would shift the fields; each field is one line.
fn one_line(value: &str, max_chars: usize) -> String {
    let line: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    line.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max_chars)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// ISO 13616: letters, two check digits, up to 30 more alphanumerics; the number with the
/// first four characters moved to the end and letters as 10–35 is 1 modulo 97.
pub(super) fn iban_is_valid(iban: &str) -> bool {
    let bytes = iban.as_bytes();
    if !(15..=34).contains(&bytes.len())
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let mut remainder = 0_u32;
    for &b in bytes[4..].iter().chain(&bytes[..4]) {
        let value = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

/// An IBAN as people read it: groups of four (`DE89 3704 0044 0532 0130 00`).
pub(super) fn grouped(iban: &str) -> String {
    let compact = compact(iban);
    compact
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_has_the_guideline_s_lines() {
        let payload = epc_payload(
            "Northwind Studio GmbH",
            "DE89 3704 0044 0532 0130 00",
            Some("COBADEFFXXX"),
            123_456,
            "INV-2026-00042",
        )
        .unwrap();
        assert_eq!(
            payload,
            "BCD\n002\n1\nSCT\nCOBADEFFXXX\nNorthwind Studio GmbH\nDE89370400440532013000\n\
             EUR1234.56\n\n\nINV-2026-00042"
        );
        let no_bic = epc_payload("N", "DE89370400440532013000", None, 5, "R").unwrap();
        assert!(no_bic.starts_with("BCD\n002\n1\nSCT\n\nN\n"), "{no_bic}");
        assert!(no_bic.contains("\nEUR0.05\n"), "{no_bic}");
    }

    #[test]
    fn amounts_outside_the_range_get_no_code() {
        let payload = |cents| epc_payload("N", "DE89370400440532013000", None, cents, "R");
        assert!(payload(0).is_none());
        assert!(payload(-1).is_none());
        assert!(payload(1).is_some());
        assert!(payload(99_999_999_999).is_some());
        assert!(payload(100_000_000_000).is_none());
    }

    #[test]
    fn fields_are_cut_to_their_lengths_and_one_line() {
        let payload = epc_payload(
            &"N".repeat(100),
            "DE89370400440532013000",
            None,
            100,
            &format!("INV\n1{}", "x".repeat(300)),
        )
        .unwrap();
        let lines: Vec<&str> = payload.split('\n').collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[5].chars().count(), 70);
        assert_eq!(lines[10].chars().count(), 140);
        assert!(lines[10].starts_with("INV 1x"));
        assert!(payload.len() <= MAX_PAYLOAD_BYTES);
    }

    #[test]
    fn ibans_are_checked() {
        assert!(iban_is_valid("DE89370400440532013000"));
        assert!(iban_is_valid("FR1420041010050500013M02606"));
        assert!(iban_is_valid("GB29NWBK60161331926819"));
        assert!(!iban_is_valid("DE88370400440532013000"));
        assert!(!iban_is_valid("DE89"));
        assert!(epc_payload("N", "DE88370400440532013000", None, 100, "R").is_none());
        assert!(epc_payload("N", "DE89370400440532013000", Some("XX"), 100, "R").is_none());
        assert!(epc_payload(" \n ", "DE89370400440532013000", None, 100, "R").is_none());
        assert_eq!(
            grouped("de89370400440532013000"),
            "DE89 3704 0044 0532 0130 00"
        );
    }
}
