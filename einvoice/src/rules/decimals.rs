//! BR-DEC-*: amounts have at most two decimals. The schematron counts the digits after the
//! point in the text of the element (`string-length(substring-after(x, '.'))`), so this
//! counts the decimal's scale, which is what the writers print; CII's BR-DEC-13 and BR-DEC-15
//! compare the value instead (`. = round(. * 100) div 100`), so trailing zeros pass there.

use rust_decimal::Decimal;

use super::{Rules, at};
use crate::model::AllowanceCharge;

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    let t = &inv.totals;
    let two = |d: Decimal| d.scale() <= 2;
    let opt = |d: Option<Decimal>| d.is_none_or(two);
    for (i, ac) in inv.allowances_charges.iter().enumerate() {
        let (amount, base) = if ac.is_charge {
            ("BR-DEC-05", "BR-DEC-06")
        } else {
            ("BR-DEC-01", "BR-DEC-02")
        };
        amounts(r, ac, (amount, base), at("allowances_charges", i));
    }
    r.assert(two(t.line_total), "BR-DEC-09", "BT-106", None);
    r.assert(opt(t.allowance_total), "BR-DEC-10", "BT-107", None);
    r.assert(opt(t.charge_total), "BR-DEC-11", "BT-108", None);
    r.assert(two(t.tax_exclusive), "BR-DEC-12", "BT-109", None);
    let value = |d: Option<Decimal>| d.is_none_or(|d| d.normalize().scale() <= 2);
    let tax_total = if r.cii() {
        value(t.tax_total)
    } else {
        opt(t.tax_total)
    };
    r.assert(tax_total, "BR-DEC-13", "BT-110", None);
    let accounting = inv.tax_currency.as_ref().map(|c| c.tax_total);
    let accounting = if r.cii() {
        value(accounting)
    } else {
        opt(accounting)
    };
    r.assert(accounting, "BR-DEC-15", "BT-111", None);
    r.assert(two(t.tax_inclusive), "BR-DEC-14", "BT-112", None);
    r.assert(opt(t.prepaid), "BR-DEC-16", "BT-113", None);
    r.assert(opt(t.rounding), "BR-DEC-17", "BT-114", None);
    r.assert(two(t.payable), "BR-DEC-18", "BT-115", None);
    for (i, b) in r.general_breakdowns() {
        r.assert(
            two(b.taxable),
            "BR-DEC-19",
            "BT-116",
            at("vat_breakdown", i),
        );
        r.assert(two(b.tax), "BR-DEC-20", "BT-117", at("vat_breakdown", i));
    }
    for (i, line) in inv.lines.iter().enumerate() {
        r.assert(two(line.net_amount), "BR-DEC-23", "BT-131", at("lines", i));
        for (j, ac) in line.allowances_charges.iter().enumerate() {
            let ids = if ac.is_charge {
                ("BR-DEC-27", "BR-DEC-28")
            } else {
                ("BR-DEC-24", "BR-DEC-25")
            };
            amounts(
                r,
                ac,
                ids,
                Some(format!("lines[{i}].allowances_charges[{j}]")),
            );
        }
    }
}

fn amounts(
    r: &mut Rules,
    ac: &AllowanceCharge,
    (amount, base): (&'static str, &'static str),
    node: Option<String>,
) {
    let term = if ac.is_charge { "BG-21" } else { "BG-20" };
    r.assert(ac.amount.scale() <= 2, amount, term, node.clone());
    r.assert(
        ac.base_amount.is_none_or(|b| b.scale() <= 2),
        base,
        term,
        node,
    );
}
