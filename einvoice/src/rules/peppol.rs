//! PEPPOL-EN16931-R*, P01* and the PEPPOL-COMMON checks of the identifiers the product uses
//! (Peppol BIS Billing 3.0.16). KoSIT merges part of these rules into XRechnung; `Rules::fail`
//! keeps for each format only those its rule files hold, with their flag there (R120 is a
//! warning in XRechnung, fatal in Peppol). Rules on how the writer spells the XML (R001,
//! R002, R004, R007, R008, R043, R051, R053, R054, F001) and on what the model cannot hold
//! (R044, R061, R080, R100, R101, R130) are not checked; see README.md.

use rust_decimal::Decimal;

use super::{Rules, at, codelists, filled, round2};
use crate::model::{AllowanceCharge, Endpoint};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    // R002 (one note at most) cannot fail: the Peppol writer joins the notes into one
    // (ubl/mod.rs); checking the model's count refused valid invoices with several notes.
    let reference = filled(&inv.buyer_reference) || filled(&inv.order_reference);
    r.assert(reference, "PEPPOL-EN16931-R003", "BT-10", None);
    if let Some(c) = &inv.tax_currency {
        let differs = c.code.trim() != inv.currency.trim();
        r.assert(differs, "PEPPOL-EN16931-R005", "BT-6", None);
        // BT-110 as written: UBL always has it (the breakdown's sum when the model has
        // none), CII only when the model has it.
        let breakdown = || inv.vat_breakdown.iter().map(|b| b.tax).sum();
        let written = match r.syntax {
            crate::Syntax::Ubl => Some(inv.totals.tax_total.unwrap_or_else(breakdown)),
            crate::Syntax::Cii => inv.totals.tax_total,
        };
        if let Some(tax) = written {
            let (accounting, zero) = (c.tax_total, Decimal::ZERO);
            // Peppol's and KoSIT's UBL file take zero as either sign; KoSIT's CII file
            // counts it positive only (`< 0` for both negative).
            let same_sign = match r.syntax {
                crate::Syntax::Ubl => {
                    (accounting <= zero && tax <= zero) || (accounting >= zero && tax >= zero)
                }
                crate::Syntax::Cii => {
                    (accounting < zero && tax < zero) || (accounting >= zero && tax >= zero)
                }
            };
            r.assert(same_sign, "PEPPOL-EN16931-R055", "BT-111", None);
        }
    }
    r.assert(
        inv.buyer.endpoint.is_some(),
        "PEPPOL-EN16931-R010",
        "BT-49",
        None,
    );
    r.assert(
        inv.seller.endpoint.is_some(),
        "PEPPOL-EN16931-R020",
        "BT-34",
        None,
    );

    for (i, ac) in inv.allowances_charges.iter().enumerate() {
        allowance_charge(r, ac, at("allowances_charges", i));
    }
    for (i, line) in inv.lines.iter().enumerate() {
        for (j, ac) in line.allowances_charges.iter().enumerate() {
            allowance_charge(r, ac, Some(format!("lines[{i}].allowances_charges[{j}]")));
        }
        if let (Some(invoice), Some(period)) = (&inv.period, &line.period) {
            let (start, end) = (period.start >= invoice.start, period.end <= invoice.end);
            r.assert(start, "PEPPOL-EN16931-R110", "BT-134", at("lines", i));
            r.assert(end, "PEPPOL-EN16931-R111", "BT-135", at("lines", i));
        }
        // R120: net amount = quantity × net price / base quantity + charges − allowances,
        // within 0.02; a base quantity of zero counts as one there, and R121 reports it.
        let base = line
            .price
            .base_quantity
            .filter(|b| !b.is_zero())
            .unwrap_or(Decimal::ONE);
        let sum = |charge: bool| -> Decimal {
            let amounts = line
                .allowances_charges
                .iter()
                .filter(|ac| ac.is_charge == charge);
            round2(amounts.map(|ac| ac.amount).sum())
        };
        let expected = line.quantity * (line.price.net / base) + sum(true) - sum(false);
        let ok = slack(line.net_amount, expected);
        r.assert(ok, "PEPPOL-EN16931-R120", "BT-131", at("lines", i));
        let positive = line.price.base_quantity.is_none_or(|b| b > Decimal::ZERO);
        r.assert(positive, "PEPPOL-EN16931-R121", "BT-149", at("lines", i));
        // R046: with a gross price, net price = gross price − price discount.
        if let Some(gross) = line.price.gross {
            let discount = line.price.discount.unwrap_or_default();
            let ok = line.price.net == gross - discount;
            r.assert(ok, "PEPPOL-EN16931-R046", "BT-146", at("lines", i));
        }
    }

    // P0104 … P0111: an exemption reason code names the category it belongs to.
    const EXEMPTIONS: [(&str, &str, &str); 8] = [
        ("VATEX-EU-G", "G", "PEPPOL-EN16931-P0104"),
        ("VATEX-EU-O", "O", "PEPPOL-EN16931-P0105"),
        ("VATEX-EU-IC", "K", "PEPPOL-EN16931-P0106"),
        ("VATEX-EU-AE", "AE", "PEPPOL-EN16931-P0107"),
        ("VATEX-EU-D", "E", "PEPPOL-EN16931-P0108"),
        ("VATEX-EU-F", "E", "PEPPOL-EN16931-P0109"),
        ("VATEX-EU-I", "E", "PEPPOL-EN16931-P0110"),
        ("VATEX-EU-J", "E", "PEPPOL-EN16931-P0111"),
    ];
    for (i, b) in inv.vat_breakdown.iter().enumerate() {
        let Some(code) = &b.exemption_code else {
            continue;
        };
        let code = code.to_uppercase();
        if let Some((_, category, rule)) = EXEMPTIONS.iter().find(|(c, _, _)| *c == code) {
            let ok = b.rate.category.trim() == *category;
            r.assert(ok, rule, "BT-121", at("vat_breakdown", i));
        }
    }

    for (node, endpoint) in [
        ("seller", &inv.seller.endpoint),
        ("buyer", &inv.buyer.endpoint),
    ] {
        if let Some(e) = endpoint {
            identifier(r, e, node);
        }
    }
    code_lists(r);
}

/// PEPPOL-EN16931-CL002, CL003, CL007, CL008: the codes again, against Peppol's own copies of
/// the lists, which are not always CEN's (its ISO 4217 is older: `HRK` still in, `VES` not
/// yet). The reason codes are compared after `normalize-space`, the currency and scheme
/// attributes as written.
fn code_lists(r: &mut Rules) {
    let inv = r.inv;
    // Every UBL amount carries the invoice currency; BT-111 the VAT accounting currency.
    let mut currencies = vec![inv.currency.as_str()];
    currencies.extend(inv.tax_currency.as_ref().map(|c| c.code.as_str()));
    let known = currencies
        .iter()
        .all(|code| codelists::PEPPOL_CURRENCIES.contains(code));
    r.assert(known, "PEPPOL-EN16931-CL007", "BT-5", None);

    let items = (inv.allowances_charges.iter().enumerate())
        .map(|(i, ac)| (ac, format!("allowances_charges[{i}]")))
        .chain(inv.lines.iter().enumerate().flat_map(|(i, line)| {
            (line.allowances_charges.iter().enumerate())
                .map(move |(j, ac)| (ac, format!("lines[{i}].allowances_charges[{j}]")))
        }));
    for (ac, node) in items {
        if !filled(&ac.reason_code) {
            continue;
        }
        let code = ac.reason_code.as_deref().unwrap_or_default().trim();
        let (list, rule, term) = if ac.is_charge {
            (
                codelists::PEPPOL_CHARGE_REASONS,
                "PEPPOL-EN16931-CL003",
                "BT-105",
            )
        } else {
            (
                codelists::PEPPOL_ALLOWANCE_REASONS,
                "PEPPOL-EN16931-CL002",
                "BT-98",
            )
        };
        r.assert(list.contains(&code), rule, term, Some(node));
    }

    for (node, term, endpoint) in [
        ("seller", "BT-34", &inv.seller.endpoint),
        ("buyer", "BT-49", &inv.buyer.endpoint),
    ] {
        if let Some(e) = endpoint {
            let ok = codelists::PEPPOL_EAS.contains(&e.scheme.as_str());
            r.assert(ok, "PEPPOL-EN16931-CL008", term, Some(node.into()));
        }
    }
}

/// R040 … R042: a percentage and a base amount come together and give the amount.
fn allowance_charge(r: &mut Rules, ac: &AllowanceCharge, node: Option<String>) {
    match (ac.percent, ac.base_amount) {
        (Some(percent), Some(base)) => {
            let ok = slack(ac.amount, base * percent / Decimal::ONE_HUNDRED);
            r.assert(ok, "PEPPOL-EN16931-R040", "BT-92", node);
        }
        (Some(_), None) => r.fail("PEPPOL-EN16931-R041", Some("BT-93"), node),
        (None, Some(_)) => r.fail("PEPPOL-EN16931-R042", Some("BT-94"), node),
        (None, None) => {}
    }
}

/// Peppol's `u:slack(exp, val, 0.02)`: `val` within 0.02 of `exp`.
fn slack(expected: Decimal, value: Decimal) -> bool {
    let slack = Decimal::new(2, 2);
    expected + slack >= value && expected - slack <= value
}

/// PEPPOL-COMMON-R040 (GLN, `0088`) and R043 (Belgian enterprise number, `0208`).
fn identifier(r: &mut Rules, e: &Endpoint, node: &str) {
    let id = e.id.trim();
    let digits = |n: usize| id.len() == n && id.bytes().all(|b| b.is_ascii_digit());
    match e.scheme.trim() {
        "0088" => {
            let ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && gln_ok(id);
            r.assert(ok, "PEPPOL-COMMON-R040", "BT-34", Some(node.into()));
        }
        "0208" => {
            let ok = digits(10) && mod97_0208(id);
            r.assert(ok, "PEPPOL-COMMON-R043", "BT-34", Some(node.into()));
        }
        _ => {}
    }
}

/// GS1 check digit: weights 3, 1, 3, … from the right of the digits before the last.
fn gln_ok(id: &str) -> bool {
    let digits: Vec<u32> = id.bytes().map(|b| u32::from(b - b'0')).collect();
    let (check, body) = digits.split_last().expect("not empty");
    let sum: u32 = (body.iter().rev().enumerate())
        .map(|(i, d)| d * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    (10 - sum % 10) % 10 == *check
}

/// The last two digits are 97 minus the first eight modulo 97.
fn mod97_0208(id: &str) -> bool {
    let (body, check) = id.split_at(8);
    match (body.parse::<u64>(), check.parse::<u64>()) {
        (Ok(body), Ok(check)) => 97 - body % 97 == check,
        _ => false,
    }
}
