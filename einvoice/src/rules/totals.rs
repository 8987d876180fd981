//! BR-CO-10 … BR-CO-17: the document totals and the VAT per category add up. The sums are
//! rounded to two decimals as the schematron rounds them (`round(x * 10 * 10) div 100`); the
//! CII and UBL files differ in where they round and in the tolerance of BR-CO-17.

use rust_decimal::Decimal;

use super::{Rules, at, round0, round2};

pub(super) fn check(r: &mut Rules) {
    let inv = r.inv;
    let t = &inv.totals;
    let lines: Decimal = inv.lines.iter().map(|l| l.net_amount).sum();
    r.assert(t.line_total == round2(lines), "BR-CO-10", "BT-106", None);

    let sum = |charge: bool| -> (Decimal, bool) {
        let mut amounts = inv
            .allowances_charges
            .iter()
            .filter(|ac| ac.is_charge == charge);
        let any = amounts.clone().next().is_some();
        (amounts.by_ref().map(|ac| ac.amount).sum(), any)
    };
    let (allowances, any_allowance) = sum(false);
    let (charges, any_charge) = sum(true);
    let declared = |total: Option<Decimal>, sum: Decimal, any: bool| match total {
        Some(total) => total == round2(sum),
        None => !any,
    };
    let allowance_ok = declared(t.allowance_total, allowances, any_allowance);
    r.assert(allowance_ok, "BR-CO-11", "BT-107", None);
    let charge_ok = declared(t.charge_total, charges, any_charge);
    r.assert(charge_ok, "BR-CO-12", "BT-108", None);

    let expected =
        t.line_total + t.charge_total.unwrap_or_default() - t.allowance_total.unwrap_or_default();
    let exclusive = match (t.allowance_total, t.charge_total) {
        // UBL compares without rounding when neither sum is there; CII rounds.
        (None, None) if !r.cii() => t.tax_exclusive == t.line_total,
        _ => t.tax_exclusive == round2(expected),
    };
    r.assert(exclusive, "BR-CO-13", "BT-109", None);

    if let Some(tax) = t.tax_total {
        let categories: Decimal = inv.vat_breakdown.iter().map(|b| b.tax).sum();
        let ok = inv.vat_breakdown.is_empty() || tax == round2(categories);
        r.assert(ok, "BR-CO-14", "BT-110", None);
    }

    let inclusive = match t.tax_total {
        Some(tax) => t.tax_inclusive == round2(t.tax_exclusive + tax),
        None => false,
    };
    // CII also accepts a grand total equal to the total without VAT (no VAT at all).
    let inclusive = inclusive || (r.cii() && t.tax_inclusive == t.tax_exclusive);
    r.assert(inclusive, "BR-CO-15", "BT-112", None);

    let prepaid = t.prepaid.unwrap_or_default();
    let rounding = t.rounding.unwrap_or_default();
    let payable = if r.cii() {
        t.payable == t.tax_inclusive - prepaid + rounding
    } else {
        match t.rounding {
            Some(_) => round2(t.payable - rounding) == round2(t.tax_inclusive - prepaid),
            None if t.prepaid.is_some() => t.payable == round2(t.tax_inclusive - prepaid),
            None => t.payable == t.tax_inclusive,
        }
    };
    r.assert(payable, "BR-CO-16", "BT-115", None);

    for (i, b) in r.general_breakdowns() {
        let ok = match b.rate.percent {
            Some(rate) if round0(rate) != Decimal::ZERO => {
                let expected = round2(b.taxable.abs() * rate / Decimal::ONE_HUNDRED);
                let (low, high) = (b.tax.abs() - Decimal::ONE, b.tax.abs() + Decimal::ONE);
                // A tolerance of one unit of the currency; CII includes the bounds, UBL not.
                if r.cii() {
                    low <= expected && expected <= high
                } else {
                    low < expected && expected < high
                }
            }
            _ => round0(b.tax) == Decimal::ZERO,
        };
        r.assert(ok, "BR-CO-17", "BT-117", at("vat_breakdown", i));
    }
}
