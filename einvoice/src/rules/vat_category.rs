//! The ten rules every VAT category repeats (BR-S-01 … BR-O-10 and the like): the breakdown
//! holds the category once, the seller (and buyer) identifiers it needs, the rate of its
//! lines, allowances and charges, the breakdown's taxable amount and tax, and its exemption
//! reason. Each category's file gives its rule ids and what differs; this applies them.
//!
//! The syntaxes differ in where a rule is reported: UBL tests rules 02 … 04 once on the
//! invoice, CII on every line, allowance or charge of the category. They also differ in
//! rule 01 and in the tolerance of rule 08; both are followed here.

use rust_decimal::Decimal;

use super::{Rules, at, filled, round2};
use crate::model::VatRate;

/// What a category demands of the parties (rules 02 … 04).
pub(super) enum Parties {
    /// Seller VAT id (BT-31) or tax registration (BT-32).
    SellerTaxId,
    /// That, and the buyer's VAT id (BT-48) or legal registration (BT-47).
    SellerTaxIdAndBuyerId,
    /// Seller VAT id, and the buyer's VAT id.
    SellerAndBuyerVat,
    /// Seller VAT id.
    SellerVat,
    /// Neither the seller's nor the buyer's VAT id.
    NoVatIds,
}

/// The rate a category's lines, allowances and charges carry (rules 05 … 07).
pub(super) enum Rate {
    Positive,
    Zero,
    Absent,
}

pub(super) struct Category {
    /// UNTDID 5305.
    pub code: &'static str,
    /// Rule ids 01 … 10, in the standard's order.
    pub ids: [&'static str; 10],
    pub parties: Parties,
    pub rate: Rate,
    /// Whether the breakdown must give an exemption reason (rule 10); if not, it must not.
    pub exemption: bool,
    /// `S` checks rules 08 and 09 per rate, with a tolerance (standard.rs).
    pub per_rate: bool,
}

pub(super) fn check(r: &mut Rules, c: &Category) {
    let inv = r.inv;
    let is = |v: &VatRate| v.category.trim() == c.code;
    let lines = inv.lines.iter().filter(|l| is(&l.vat)).count();
    let doc = |charge: bool| {
        inv.allowances_charges
            .iter()
            .filter(move |ac| ac.is_charge == charge && ac.vat.as_ref().is_some_and(is))
    };
    let used = lines > 0 || doc(false).next().is_some() || doc(true).next().is_some();
    let breakdowns = inv.vat_breakdown.iter().filter(|b| is(&b.rate)).count();

    let present = match (r.cii(), c.code) {
        (false, "S") => used == (breakdowns > 0),
        (false, _) => !(used || breakdowns > 0) || breakdowns == 1,
        (true, "S") => !used || breakdowns > 0,
        (true, "O") => breakdowns == 0 || (breakdowns == 1 && used),
        (true, _) => (breakdowns == 0 && !used) || (breakdowns == 1 && used),
    };
    r.assert(present, c.ids[0], "BG-23", None);

    let parties = parties_ok(r, &c.parties);
    let term = "BT-31";
    if r.cii() {
        for (i, _) in inv.lines.iter().enumerate().filter(|(_, l)| is(&l.vat)) {
            r.assert(parties, c.ids[1], term, at("lines", i));
        }
        for (i, ac) in inv.allowances_charges.iter().enumerate() {
            if ac.vat.as_ref().is_some_and(is) {
                let id = if ac.is_charge { c.ids[3] } else { c.ids[2] };
                r.assert(parties, id, term, at("allowances_charges", i));
            }
        }
    } else {
        if lines > 0 {
            r.assert(parties, c.ids[1], term, None);
        }
        if doc(false).next().is_some() {
            r.assert(parties, c.ids[2], term, None);
        }
        if doc(true).next().is_some() {
            r.assert(parties, c.ids[3], term, None);
        }
    }

    let rate_ok = |v: &VatRate| match c.rate {
        Rate::Positive => v.percent.is_some_and(|p| p > Decimal::ZERO),
        Rate::Zero => v.percent == Some(Decimal::ZERO),
        Rate::Absent => v.percent.is_none(),
    };
    for (i, line) in inv.lines.iter().enumerate().filter(|(_, l)| is(&l.vat)) {
        r.assert(rate_ok(&line.vat), c.ids[4], "BT-152", at("lines", i));
    }
    for (i, ac) in inv.allowances_charges.iter().enumerate() {
        if let Some(v) = ac.vat.as_ref().filter(|v| is(v)) {
            let (id, term) = if ac.is_charge {
                (c.ids[6], "BT-103")
            } else {
                (c.ids[5], "BT-96")
            };
            r.assert(rate_ok(v), id, term, at("allowances_charges", i));
        }
    }

    for (i, b) in inv
        .vat_breakdown
        .iter()
        .enumerate()
        .filter(|(_, b)| is(&b.rate))
    {
        if !c.per_rate {
            let ok = taxable_ok(r, c.code, b.taxable);
            r.assert(ok, c.ids[7], "BT-116", at("vat_breakdown", i));
            r.assert(
                b.tax == Decimal::ZERO,
                c.ids[8],
                "BT-117",
                at("vat_breakdown", i),
            );
        }
        let reason = filled(&b.exemption_reason) || filled(&b.exemption_code);
        r.assert(
            reason == c.exemption,
            c.ids[9],
            "BT-120",
            at("vat_breakdown", i),
        );
    }
}

fn parties_ok(r: &Rules, parties: &Parties) -> bool {
    let (s, b) = (&r.inv.seller, &r.inv.buyer);
    let seller_vat = filled(&s.vat_id);
    let seller_tax_id = seller_vat || filled(&s.tax_registration);
    let buyer_vat = filled(&b.vat_id);
    match parties {
        Parties::SellerTaxId => seller_tax_id,
        Parties::SellerTaxIdAndBuyerId => {
            seller_tax_id && (buyer_vat || filled(&b.legal_registration))
        }
        Parties::SellerAndBuyerVat => seller_vat && buyer_vat,
        Parties::SellerVat => seller_vat,
        Parties::NoVatIds => !seller_vat && !buyer_vat,
    }
}

/// Rule 08 for the categories without a rate: the taxable amount is the lines' net amounts
/// plus the charges minus the allowances of the category. UBL compares exactly; CII rounds
/// each sum and (except for `O`) allows one unit of difference either way.
fn taxable_ok(r: &Rules, code: &str, taxable: Decimal) -> bool {
    let inv = r.inv;
    let lines: Decimal = inv
        .lines
        .iter()
        .filter(|l| l.vat.category.trim() == code)
        .map(|l| l.net_amount)
        .sum();
    let doc = |charge: bool| -> Decimal {
        inv.allowances_charges
            .iter()
            .filter(|ac| ac.is_charge == charge)
            .filter(|ac| ac.vat.as_ref().is_some_and(|v| v.category.trim() == code))
            .map(|ac| ac.amount)
            .sum()
    };
    if !r.cii() {
        return !inv.lines.is_empty() && taxable == lines + doc(true) - doc(false);
    }
    let expected = round2(lines) + round2(doc(true)) - round2(doc(false));
    if code == "O" {
        taxable == expected
    } else {
        taxable - Decimal::ONE < expected && taxable + Decimal::ONE > expected
    }
}
