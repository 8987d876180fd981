//! BR-CL-*: codes come from their lists (`codelists.rs`, taken from the CEN schematron). A
//! blank optional code is left out by the writers, so only codes that are there are checked.
//! BR-CL-01 and BR-CL-16 cannot fail (the type and payment means codes are enums of valid
//! codes); BR-CL-03 (the `currencyID` of every amount) is reported by BR-CL-04 on the one
//! currency the model holds.

use super::{Rules, at, codelists};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    let listed = |list: &[&str], code: &str| code.trim().is_empty() || list.contains(&code.trim());
    let currency = listed(codelists::CURRENCIES, &inv.currency);
    r.assert(currency, "BR-CL-04", "BT-5", None);
    if let Some(c) = &inv.tax_currency {
        let ok = listed(codelists::CURRENCIES, &c.code);
        r.assert(ok, "BR-CL-05", "BT-6", None);
    }

    let countries = if r.cii() {
        codelists::COUNTRIES_CII
    } else {
        codelists::COUNTRIES_UBL
    };
    let mut addresses = vec![
        ("seller", "BT-40", &inv.seller.address),
        ("buyer", "BT-55", &inv.buyer.address),
    ];
    if let Some(d) = &inv.delivery_address {
        addresses.push(("delivery_address", "BT-80", d));
    }
    for (node, term, address) in addresses {
        let ok = listed(countries, &address.country);
        r.assert(ok, "BR-CL-14", term, Some(node.into()));
    }

    // UBL puts the document level and breakdown categories in cac:TaxCategory (BR-CL-17) and
    // the lines' in cac:ClassifiedTaxCategory (BR-CL-18); CII puts the lines' and the
    // breakdown's in ram:ApplicableTradeTax (BR-CL-18).
    let breakdown_rule = if r.cii() { "BR-CL-18" } else { "BR-CL-17" };
    for (i, ac) in inv.allowances_charges.iter().enumerate() {
        if let Some(v) = &ac.vat {
            let ok = listed(codelists::VAT_CATEGORIES, &v.category);
            r.assert(ok, "BR-CL-17", "BT-95", at("allowances_charges", i));
        }
        reason_code(
            r,
            &ac.reason_code,
            ac.is_charge,
            at("allowances_charges", i),
        );
    }
    for (i, b) in inv.vat_breakdown.iter().enumerate() {
        let ok = listed(codelists::VAT_CATEGORIES, &b.rate.category);
        r.assert(ok, breakdown_rule, "BT-118", at("vat_breakdown", i));
        if let Some(code) = &b.exemption_code {
            let ok = listed(codelists::VATEX, code);
            r.assert(ok, "BR-CL-22", "BT-121", at("vat_breakdown", i));
        }
    }
    for (i, line) in inv.lines.iter().enumerate() {
        let ok = listed(codelists::VAT_CATEGORIES, &line.vat.category);
        r.assert(ok, "BR-CL-18", "BT-151", at("lines", i));
        let ok = listed(codelists::UNITS, &line.unit);
        r.assert(ok, "BR-CL-23", "BT-130", at("lines", i));
        for (j, ac) in line.allowances_charges.iter().enumerate() {
            let node = Some(format!("lines[{i}].allowances_charges[{j}]"));
            reason_code(r, &ac.reason_code, ac.is_charge, node);
        }
    }

    for (node, term, endpoint) in [
        ("seller", "BT-34", &inv.seller.endpoint),
        ("buyer", "BT-49", &inv.buyer.endpoint),
    ] {
        if let Some(e) = endpoint {
            let ok = listed(codelists::EAS, &e.scheme);
            r.assert(ok, "BR-CL-25", term, Some(node.into()));
        }
    }
}

fn reason_code(r: &mut Rules, code: &Option<String>, charge: bool, node: Option<String>) {
    let Some(code) = code.as_deref().filter(|c| !c.trim().is_empty()) else {
        return;
    };
    if charge {
        let ok = codelists::CHARGE_REASONS.contains(&code.trim());
        r.assert(ok, "BR-CL-20", "BT-105", node);
    } else {
        let ok = codelists::ALLOWANCE_REASONS.contains(&code.trim());
        r.assert(ok, "BR-CL-19", "BT-98", node);
    }
}
