//! VAT category `K`, intra-community supply (BR-IC-01 … BR-IC-12): both parties' VAT ids, and
//! when and where the goods were delivered (BR-IC-11, BR-IC-12).

use super::vat_category::{Category, Parties, Rate};
use super::{Rules, at};

pub(super) const CATEGORY: Category = Category {
    code: "K",
    ids: [
        "BR-IC-01", "BR-IC-02", "BR-IC-03", "BR-IC-04", "BR-IC-05", "BR-IC-06", "BR-IC-07",
        "BR-IC-08", "BR-IC-09", "BR-IC-10",
    ],
    parties: Parties::SellerAndBuyerVat,
    rate: Rate::Zero,
    exemption: true,
    per_rate: false,
};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    let when = inv.delivery_date.is_some() || inv.period.is_some();
    // CII asks for the country element, which the writer writes with every deliver-to
    // address (blank or not: BR-57 says so); UBL for a code longer than one character, as
    // written (`string-length(...) > 1`, no `normalize-space`).
    let country = inv
        .delivery_address
        .as_ref()
        .is_some_and(|a| r.cii() || a.country.chars().count() > 1);
    let breakdowns: Vec<usize> = (inv.vat_breakdown.iter().enumerate())
        .filter(|(_, b)| b.rate.category.trim() == "K")
        .map(|(i, _)| i)
        .collect();
    // UBL tests both on the invoice, CII on each `K` breakdown.
    if r.cii() {
        for i in breakdowns {
            r.assert(when, "BR-IC-11", "BT-72", at("vat_breakdown", i));
            r.assert(country, "BR-IC-12", "BT-80", at("vat_breakdown", i));
        }
    } else if !breakdowns.is_empty() {
        r.assert(when, "BR-IC-11", "BT-72", None);
        r.assert(country, "BR-IC-12", "BT-80", None);
    }
}
