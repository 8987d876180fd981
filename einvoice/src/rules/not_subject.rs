//! VAT category `O`, not subject to VAT (BR-O-01 … BR-O-14): no VAT ids, no rates, and an
//! invoice with an `O` breakdown holds nothing else (BR-O-11 … BR-O-14).

use super::vat_category::{Category, Parties, Rate};
use super::{Rules, at};

pub(super) const CATEGORY: Category = Category {
    code: "O",
    ids: [
        "BR-O-01", "BR-O-02", "BR-O-03", "BR-O-04", "BR-O-05", "BR-O-06", "BR-O-07", "BR-O-08",
        "BR-O-09", "BR-O-10",
    ],
    parties: Parties::NoVatIds,
    rate: Rate::Absent,
    exemption: true,
    per_rate: false,
};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    let other = |c: &str| c.trim() != "O";
    let o: Vec<usize> = (inv.vat_breakdown.iter().enumerate())
        .filter(|(_, b)| !other(&b.rate.category))
        .map(|(i, _)| i)
        .collect();
    if o.is_empty() {
        return;
    }
    let other_breakdown = inv.vat_breakdown.iter().any(|b| other(&b.rate.category));
    let other_line = inv.lines.iter().any(|l| other(&l.vat.category));
    let other_doc = |charge: bool| {
        (inv.allowances_charges.iter())
            .filter(|ac| ac.is_charge == charge)
            .any(|ac| ac.vat.as_ref().is_some_and(|v| other(&v.category)))
    };
    if r.cii() {
        // CII tests each `O` breakdown: 11 and 12 both look at every ram:ApplicableTradeTax
        // (lines and breakdown), 13 and 14 both at every document level allowance or charge.
        let trade_tax = !(other_breakdown || other_line);
        let category_tax = !(other_doc(false) || other_doc(true));
        for i in o {
            r.assert(trade_tax, "BR-O-11", "BG-23", at("vat_breakdown", i));
            r.assert(trade_tax, "BR-O-12", "BT-151", at("vat_breakdown", i));
            r.assert(category_tax, "BR-O-13", "BT-95", at("vat_breakdown", i));
            r.assert(category_tax, "BR-O-14", "BT-102", at("vat_breakdown", i));
        }
    } else {
        r.assert(!other_breakdown, "BR-O-11", "BG-23", None);
        r.assert(!other_line, "BR-O-12", "BT-151", None);
        r.assert(!other_doc(false), "BR-O-13", "BT-95", None);
        r.assert(!other_doc(true), "BR-O-14", "BT-102", None);
    }
}
