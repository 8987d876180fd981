//! BR-DE-*: the German CIUS XRechnung 3.0 (KoSIT schematron 2.6.0) on top of EN 16931: the
//! buyer reference (Leitweg-ID), payment instructions, the seller's contact and addresses,
//! a VAT or tax number. BR-DE-14 (a rate in every breakdown, which the writers always give),
//! BR-DE-17, 21 and 26 (type code and specification id, which the product always sets right), BR-DE-18 (Skonto lines in the
//! payment terms), BR-DE-20, 25, 30, 31 (direct debit) and BR-DE-22 (attachments) have
//! nothing in the model to fail on; see README.md.

use super::{Rules, filled};
use crate::model::{PaymentMeans, PostalAddress};
use crate::xml::contact_given;

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    r.assert(inv.payment.is_some(), "BR-DE-1", "BG-16", None);
    r.assert(filled(&inv.buyer_reference), "BR-DE-15", "BT-10", None);

    let s = &inv.seller;
    // A contact with nothing in it is not written at all.
    match s.contact.as_ref().filter(|c| contact_given(c)) {
        None => r.fail("BR-DE-2", Some("BG-6"), None),
        Some(c) => {
            r.assert(filled(&c.name), "BR-DE-5", "BT-41", None);
            r.assert(filled(&c.phone), "BR-DE-6", "BT-42", None);
            r.assert(filled(&c.email), "BR-DE-7", "BT-43", None);
            // The schematron matches the (space-normalized) text against
            // '.*([0-9].*){3,}.*' and '^[^@\s]+@([^@.\s]+\.)+[^@.\s]+$'.
            let phone = c.phone.as_deref().unwrap_or_default();
            let digits = phone.chars().filter(char::is_ascii_digit).count() >= 3;
            r.assert(digits, "BR-DE-27", "BT-42", None);
            let email = c.email.as_deref().unwrap_or_default();
            r.assert(email_ok(&normalize_space(email)), "BR-DE-28", "BT-43", None);
        }
    }
    address(r, &s.address, ("BR-DE-3", "BT-37"), ("BR-DE-4", "BT-38"));
    address(
        r,
        &inv.buyer.address,
        ("BR-DE-8", "BT-52"),
        ("BR-DE-9", "BT-53"),
    );
    if let Some(d) = &inv.delivery_address {
        address(r, d, ("BR-DE-10", "BT-77"), ("BR-DE-11", "BT-78"));
    }

    // BR-DE-14 (a rate in every breakdown) cannot fail: the writers give every breakdown its
    // rate, 0 for category `O`, whose rate the model holds as `None` (cii/settlement.rs,
    // ubl/amounts.rs). Checking the model here refused every valid `O` invoice.

    // BR-DE-16: categories S, Z, E, AE, K, G, L, M need the seller's VAT id or tax number.
    const TAXED: [&str; 8] = ["S", "Z", "E", "AE", "K", "G", "L", "M"];
    let taxed = |c: &str| TAXED.contains(&c.trim());
    let uses = inv.lines.iter().any(|l| taxed(&l.vat.category))
        || (inv.allowances_charges.iter())
            .any(|ac| ac.vat.as_ref().is_some_and(|v| taxed(&v.category)));
    let ids = filled(&s.vat_id) || filled(&s.tax_registration);
    r.assert(!uses || ids, "BR-DE-16", "BT-31", None);

    if let Some(p) = &inv.payment {
        match p.means {
            PaymentMeans::CreditTransfer | PaymentMeans::SepaCreditTransfer => {
                r.assert(p.transfer.is_some(), "BR-DE-23-a", "BG-17", None);
                r.assert(p.card.is_none(), "BR-DE-23-b", "BG-18", None);
                if p.means == PaymentMeans::SepaCreditTransfer {
                    let account = p.transfer.as_ref().map(|t| t.account_id.as_str());
                    r.assert(
                        iban_ok(account.unwrap_or_default()),
                        "BR-DE-19",
                        "BT-84",
                        None,
                    );
                }
            }
            PaymentMeans::Card => {
                r.assert(p.card.is_some(), "BR-DE-24-a", "BG-18", None);
                r.assert(p.transfer.is_none(), "BR-DE-24-b", "BG-17", None);
            }
            PaymentMeans::OnlinePaymentService | PaymentMeans::NotDefined => {}
        }
    }
}

fn address(
    r: &mut Rules,
    a: &PostalAddress,
    city: (&'static str, &'static str),
    code: (&'static str, &'static str),
) {
    r.assert(filled(&a.city), city.0, city.1, None);
    r.assert(filled(&a.postal_code), code.0, code.1, None);
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `^[^@\s]+@([^@.\s]+\.)+[^@.\s]+$`: one `@`, something before it, and after it at least
/// two non-empty dot-separated labels, no white space anywhere.
fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let clean = |s: &str| !s.is_empty() && !s.contains('@') && !s.chars().any(char::is_whitespace);
    let labels: Vec<&str> = domain.split('.').collect();
    clean(local) && labels.len() >= 2 && labels.iter().all(|l| clean(l))
}

/// KoSIT's `xr:checkIBAN`: without white space, `^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{0,30}$`, and
/// the ISO 13616 check (the country and check digits moved to the end, letters as 10 … 35)
/// leaves 1 modulo 97.
pub(super) fn iban_ok(iban: &str) -> bool {
    let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    let b = iban.as_bytes();
    let shape = b.len() >= 4
        && b.len() <= 34
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric);
    if !shape {
        return false;
    }
    let rotated = b[4..].iter().chain(&b[..4]);
    let remainder = rotated.fold(0u32, |acc, &c| {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            _ => u32::from(c.to_ascii_uppercase() - b'A') + 10,
        };
        if v >= 10 {
            (acc * 100 + v) % 97
        } else {
            (acc * 10 + v) % 97
        }
    });
    remainder == 1
}
