//! VAT category `S`, standard rated (BR-S-01 … BR-S-10). Its breakdown is per rate, so the
//! taxable amount (BR-S-08) sums the lines, allowances and charges of the same rate, and the
//! tax (BR-S-09) is the taxable amount times the rate, within one unit of the currency.

use rust_decimal::Decimal;

use super::vat_category::{Category, Parties, Rate};
use super::{Rules, at, round0, round2};

pub(super) const CATEGORY: Category = Category {
    code: "S",
    ids: [
        "BR-S-01", "BR-S-02", "BR-S-03", "BR-S-04", "BR-S-05", "BR-S-06", "BR-S-07", "BR-S-08",
        "BR-S-09", "BR-S-10",
    ],
    parties: Parties::SellerTaxId,
    rate: Rate::Positive,
    exemption: false,
    per_rate: true,
};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    for (i, b) in inv.vat_breakdown.iter().enumerate() {
        if b.rate.category.trim() != "S" {
            continue;
        }
        // Without a rate, BR-S-08 has nothing to compare (`every $rate in ()` holds) and
        // BR-S-09 fails (its comparisons with an empty rate are false).
        let Some(rate) = b.rate.percent else {
            r.fail("BR-S-09", Some("BT-117"), at("vat_breakdown", i));
            continue;
        };
        let same = |v: &crate::model::VatRate| v.category.trim() == "S" && v.percent == Some(rate);
        let lines: Vec<Decimal> = inv
            .lines
            .iter()
            .filter(|l| same(&l.vat))
            .map(|l| l.net_amount)
            .collect();
        let doc = |charge: bool| -> Vec<Decimal> {
            inv.allowances_charges
                .iter()
                .filter(|ac| ac.is_charge == charge && ac.vat.as_ref().is_some_and(same))
                .map(|ac| ac.amount)
                .collect()
        };
        let (charges, allowances) = (doc(true), doc(false));
        let sum = |v: &[Decimal]| v.iter().copied().sum::<Decimal>();
        let taxable = if r.cii() {
            b.taxable == round2(sum(&lines)) + round2(sum(&charges)) - round2(sum(&allowances))
        } else {
            let expected = sum(&lines) + sum(&charges) - sum(&allowances);
            let used = !lines.is_empty() || !charges.is_empty() || !allowances.is_empty();
            used && b.taxable - Decimal::ONE < expected && b.taxable + Decimal::ONE > expected
        };
        r.assert(taxable, "BR-S-08", "BT-116", at("vat_breakdown", i));

        let expected = if r.cii() {
            round0(b.taxable.abs() * rate) / Decimal::ONE_HUNDRED
        } else {
            round2(b.taxable.abs() * rate / Decimal::ONE_HUNDRED)
        };
        let tax = b.tax.abs() - Decimal::ONE < expected && b.tax.abs() + Decimal::ONE > expected;
        r.assert(tax, "BR-S-09", "BT-117", at("vat_breakdown", i));
    }
}
