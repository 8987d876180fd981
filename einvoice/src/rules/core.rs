//! BR-01 … BR-65 and the BR-CO rules about presence (BR-CO-04, 09, 18, 21 … 24, 26): what every
//! EN 16931 invoice must contain. Rules on elements the writers always emit (BR-01, 03, 04,
//! 08, 10, 12 … 15, 22, 24, 26, 31, 36, 41, 43, 45 … 47, 49, 53) or that the model cannot
//! express (payee, tax representative, supporting documents, item attributes and
//! identifiers: BR-17 … 20, 52, 54, 56, 64, 65) are not checked here; see README.md.

use rust_decimal::Decimal;

use super::{Rules, at, codelists, filled};
use crate::model::{AllowanceCharge, Endpoint, PaymentMeans, Period};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    r.assert(!inv.number.trim().is_empty(), "BR-02", "BT-1", None);
    r.assert(!inv.currency.trim().is_empty(), "BR-05", "BT-5", None);
    r.assert(!inv.seller.name.trim().is_empty(), "BR-06", "BT-27", None);
    r.assert(!inv.buyer.name.trim().is_empty(), "BR-07", "BT-44", None);
    r.assert(
        !inv.seller.address.country.trim().is_empty(),
        "BR-09",
        "BT-40",
        None,
    );
    r.assert(
        !inv.buyer.address.country.trim().is_empty(),
        "BR-11",
        "BT-55",
        None,
    );
    r.assert(!inv.lines.is_empty(), "BR-16", "BG-25", None);
    endpoints(r);
    periods(r);
    lines(r);
    document_allowances_charges(r);
    breakdown(r);
    payment(r);
    for (i, p) in inv.preceding.iter().enumerate() {
        r.assert(
            !p.number.trim().is_empty(),
            "BR-55",
            "BT-25",
            at("preceding", i),
        );
    }
    // UBL tests that the country element exists, which the writer always writes; CII that it
    // is not blank.
    if let Some(address) = inv.delivery_address.as_ref().filter(|_| r.cii()) {
        r.assert(!address.country.trim().is_empty(), "BR-57", "BT-80", None);
    }
    seller_identifier(r);
    vat_prefixes(r);
}

/// BR-62 / BR-63: an electronic address needs its scheme.
fn endpoints(r: &mut Rules) {
    let scheme = |e: &Option<Endpoint>| e.as_ref().is_none_or(|e| !e.scheme.trim().is_empty());
    let (seller, buyer) = (
        scheme(&r.inv.seller.endpoint),
        scheme(&r.inv.buyer.endpoint),
    );
    r.assert(seller, "BR-62", "BT-34", None);
    r.assert(buyer, "BR-63", "BT-49", None);
}

/// BR-29 / BR-30: a period ends on or after it starts. Both dates are always given, so
/// BR-CO-19 / BR-CO-20 (one of them must be) cannot fail.
fn periods(r: &mut Rules) {
    let ordered = |p: &Period| p.end >= p.start;
    if let Some(p) = &r.inv.period {
        r.assert(ordered(p), "BR-29", "BG-14", None);
    }
    for (i, line) in r.inv.lines.iter().enumerate() {
        if let Some(p) = &line.period {
            r.assert(ordered(p), "BR-30", "BG-26", at("lines", i));
        }
    }
}

fn lines(r: &mut Rules) {
    for (i, line) in r.inv.lines.iter().enumerate() {
        r.assert(
            !line.id.trim().is_empty(),
            "BR-21",
            "BT-126",
            at("lines", i),
        );
        r.assert(
            !line.item_name.trim().is_empty(),
            "BR-25",
            "BT-153",
            at("lines", i),
        );
        r.assert(
            line.price.net >= Decimal::ZERO,
            "BR-27",
            "BT-146",
            at("lines", i),
        );
        let gross = line.price.gross.is_none_or(|g| g >= Decimal::ZERO);
        r.assert(gross, "BR-28", "BT-148", at("lines", i));
        let category = !line.vat.category.trim().is_empty();
        r.assert(category, "BR-CO-04", "BT-151", at("lines", i));
        // CII asks for the VAT breakdown from every line (its rule's context is the line).
        if r.cii() {
            let breakdown = !r.inv.vat_breakdown.is_empty();
            r.assert(breakdown, "BR-CO-18", "BG-23", at("lines", i));
        }
        for (j, ac) in line.allowances_charges.iter().enumerate() {
            let node = Some(format!("lines[{i}].allowances_charges[{j}]"));
            let reason = has_reason(ac);
            if ac.is_charge {
                r.assert(reason, "BR-44", "BG-28", node.clone());
                r.assert(reason, "BR-CO-24", "BG-28", node);
            } else {
                r.assert(reason, "BR-42", "BG-27", node.clone());
                r.assert(reason, "BR-CO-23", "BG-27", node);
            }
        }
    }
    if !r.cii() {
        let breakdown = !r.inv.vat_breakdown.is_empty();
        r.assert(breakdown, "BR-CO-18", "BG-23", None);
    }
}

fn has_reason(ac: &AllowanceCharge) -> bool {
    filled(&ac.reason) || filled(&ac.reason_code)
}

fn document_allowances_charges(r: &mut Rules) {
    for (i, ac) in r.inv.allowances_charges.iter().enumerate() {
        let category = ac
            .vat
            .as_ref()
            .is_some_and(|v| !v.category.trim().is_empty());
        let reason = has_reason(ac);
        let node = at("allowances_charges", i);
        if ac.is_charge {
            r.assert(category, "BR-37", "BT-102", node.clone());
            r.assert(reason, "BR-38", "BG-21", node.clone());
            r.assert(reason, "BR-CO-22", "BG-21", node);
        } else {
            r.assert(category, "BR-32", "BT-95", node.clone());
            r.assert(reason, "BR-33", "BG-20", node.clone());
            r.assert(reason, "BR-CO-21", "BG-20", node);
        }
    }
}

/// BR-48: a VAT breakdown has a rate unless its category is `O`.
fn breakdown(r: &mut Rules) {
    for (i, b) in r.general_breakdowns() {
        let ok = b.rate.percent.is_some() || b.rate.category.trim() == "O";
        r.assert(ok, "BR-48", "BT-119", at("vat_breakdown", i));
    }
}

/// BR-50 / BR-61 (credit transfer needs the account) and BR-51 (no full card number).
fn payment(r: &mut Rules) {
    let Some(p) = &r.inv.payment else { return };
    let transfer = matches!(
        p.means,
        PaymentMeans::CreditTransfer | PaymentMeans::SepaCreditTransfer
    );
    match (&p.transfer, transfer) {
        (Some(t), true) => {
            r.assert(!t.account_id.trim().is_empty(), "BR-50", "BT-84", None);
        }
        // The UBL rule sits on the payment means and asks for the account; the CII one sits
        // on the account itself, so it cannot fail when there is none.
        (None, true) if !r.cii() => r.fail("BR-61", Some("BT-84"), None),
        _ => {}
    }
    if let Some(card) = &p.card {
        let short = card.last_digits.trim().chars().count() <= 10;
        r.assert(short, "BR-51", "BT-87", None);
    }
}

/// BR-CO-26: the seller is identified by its VAT id or legal registration (BT-29, the seller
/// identifier, is not in the model). A local tax number (BT-32) does not count.
fn seller_identifier(r: &mut Rules) {
    let s = &r.inv.seller;
    let ok = filled(&s.vat_id) || filled(&s.legal_registration);
    r.assert(ok, "BR-CO-26", "BT-31", None);
}

/// BR-CO-09: a VAT identifier starts with a country code (or `EL`, Greece).
fn vat_prefixes(r: &mut Rules) {
    let prefixes = if r.cii() {
        codelists::VAT_PREFIXES_CII
    } else {
        codelists::VAT_PREFIXES_UBL
    };
    let known = |id: &Option<String>| {
        id.as_deref()
            .filter(|id| !id.trim().is_empty())
            .is_none_or(|id| prefixes.contains(&id.get(..2).unwrap_or(id)))
    };
    let (seller, buyer) = (known(&r.inv.seller.vat_id), known(&r.inv.buyer.vat_id));
    r.assert(seller, "BR-CO-09", "BT-31", Some("seller".into()));
    r.assert(buyer, "BR-CO-09", "BT-48", Some("buyer".into()));
}
