//! BR-CL-*: codes come from their lists (`codelists.rs`, taken from the CEN schematron). The
//! schematron tests `contains(' list ', concat(' ', normalize-space(.), ' '))`, which a blank
//! code fails: a code the writers always write (currency, country, VAT category, unit,
//! address scheme) is checked blank or not; a blank optional code (exemption and reason codes)
//! is left out by the writers, so only one that is there is checked. BR-CL-01 and BR-CL-16
//! cannot fail (the type and payment means codes are enums of valid codes).

use super::{Rules, at, codelists, filled};
use crate::Syntax;

/// In the list, as the schematron compares: white space around the code ignored.
fn listed(list: &[&str], code: &str) -> bool {
    list.contains(&code.trim())
}

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    let currency = listed(codelists::CURRENCIES, &inv.currency);
    r.assert(currency, "BR-CL-04", "BT-5", None);
    if let Some(c) = &inv.tax_currency {
        let ok = listed(codelists::CURRENCIES, &c.code);
        r.assert(ok, "BR-CL-05", "BT-6", None);
    }
    amount_currencies(r);

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
        if filled(&b.exemption_code) {
            // The only list compared in upper case.
            let code = b
                .exemption_code
                .as_deref()
                .unwrap_or_default()
                .to_uppercase();
            let ok = listed(codelists::VATEX, &code);
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
    if !filled(code) {
        return;
    }
    let code = code.as_deref().unwrap_or_default();
    if charge {
        let ok = listed(codelists::CHARGE_REASONS, code);
        r.assert(ok, "BR-CL-20", "BT-105", node);
    } else {
        let ok = listed(codelists::ALLOWANCE_REASONS, code);
        r.assert(ok, "BR-CL-19", "BT-98", node);
    }
}

/// BR-CL-03: the `currencyID` of every amount. UBL gives every amount the invoice currency;
/// CII gives one only to the VAT totals (BT-110, written when there is VAT, in the invoice
/// currency). BT-111, in both, carries the VAT accounting currency.
fn amount_currencies(r: &mut Rules) {
    let inv = r.inv;
    let invoice_currency_written = match r.syntax {
        Syntax::Ubl => true,
        Syntax::Cii => inv.totals.tax_total.is_some(),
    };
    let mut ok = !invoice_currency_written || listed(codelists::CURRENCIES, &inv.currency);
    if let Some(c) = &inv.tax_currency {
        ok &= listed(codelists::CURRENCIES, &c.code);
    }
    r.assert(ok, "BR-CL-03", "BT-5", None);
}
