//! Credit notes: what part of a sent invoice a credit note takes back, and what it adds up to.
//!
//! A credit note credits quantities of the invoice's lines, amounts of its VAT categories and
//! rates, or everything not credited yet. Its amounts are differences: the credited part of the
//! invoice after the note, computed with the invoice's own arithmetic ([`compute`]), less the
//! credited part before it. However an invoice is credited in pieces, the pieces then add up
//! exactly to the invoice once all of it is credited (no minor unit lost to rounding or
//! credited twice), and the credited part can never exceed the invoice, per category or in
//! total.
//!
//! In the credited part, a line credited for `c` of its `q` units counts at the invoice's unit
//! price with `c / q` of an amount discount (a percentage discount stays as it is); a
//! document-level allowance or charge counts for the share of its category's lines credited
//! (of all lines, for a category without lines); an amount credited by category is a line of
//! its own. Each note's line amounts may differ from `quantity × price` by the rounding the
//! differences carry (a minor unit at most), within EN 16931's tolerance.

use super::{
    FieldErrors,
    tax::{TaxRate, VatCategory},
    totals::{Adjustment, AdjustmentKind, Discount, PriceBasis, PricedLine, TaxSubtotal, Totals},
};
use crate::domain::totals::compute;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The invoice as its credit notes need it: its lines and adjustments as priced, and its totals.
#[derive(Clone, Copy, Debug)]
pub struct Creditable<'a> {
    pub basis: PriceBasis,
    pub lines: &'a [PricedLine],
    pub adjustments: &'a [Adjustment],
    pub totals: &'a Totals,
}

/// A sent invoice's content as its credit notes need it, owned: what the workflow loads once
/// (the content of a sent invoice never changes) to compute its credit notes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditBasis {
    pub basis: PriceBasis,
    pub lines: Vec<PricedLine>,
    pub adjustments: Vec<Adjustment>,
    pub totals: Totals,
}

impl CreditBasis {
    pub fn creditable(&self) -> Creditable<'_> {
        Creditable {
            basis: self.basis,
            lines: &self.lines,
            adjustments: &self.adjustments,
            totals: &self.totals,
        }
    }
}

/// What an invoice's credit notes have credited so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credited {
    /// The quantity credited of each line (empty: none of any).
    #[serde(default)]
    pub quantities: Vec<Decimal>,
    /// The amounts credited by VAT category and rate, in the invoice's price basis.
    #[serde(default)]
    pub amounts: Vec<(TaxRate, i64)>,
    /// Everything is credited; nothing more can be.
    #[serde(default)]
    pub complete: bool,
}

/// What a credit note takes back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CreditScope {
    /// Everything not credited yet (cancelling the invoice, or crediting the rest).
    Remaining,
    /// Quantities of lines.
    Lines { lines: Vec<LineCredit> },
    /// Amounts of VAT categories and rates, in the invoice's price basis.
    Amounts { amounts: Vec<AmountCredit> },
}

/// `quantity` units of the invoice's line `line` (0-based).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineCredit {
    pub line: usize,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
}

/// `amount` minor units of the invoice's category and rate `rate`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmountCredit {
    pub rate: TaxRate,
    pub amount: i64,
}

/// Where a credit note's line comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum CreditSource {
    /// The invoice's line of this index.
    Line(usize),
    /// An amount credited of a category.
    Amount,
}

/// One line of a credit note: net of tax, in minor units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteLine {
    pub source: CreditSource,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub rate: TaxRate,
    pub amount: i64,
}

/// A document-level allowance or charge of a credit note, net of tax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNoteAdjustment {
    /// The invoice's adjustment of this index; `None` for the amounts credited by earlier notes,
    /// which a note crediting the rest leaves out as an allowance.
    pub source: Option<usize>,
    pub kind: AdjustmentKind,
    pub rate: TaxRate,
    pub amount: i64,
}

/// A credit note's content and totals (every amount positive: what it takes back), and the
/// invoice's credited state after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditNote {
    pub lines: Vec<CreditNoteLine>,
    pub adjustments: Vec<CreditNoteAdjustment>,
    pub breakdown: Vec<TaxSubtotal>,
    pub line_total: i64,
    pub allowance_total: i64,
    pub charge_total: i64,
    pub net_total: i64,
    pub tax_total: i64,
    pub gross_total: i64,
    pub credited: Credited,
}

/// The credited part of an invoice in one state, as the invoice's arithmetic computes it.
struct Part {
    /// Per invoice line, its credited amount (0 when none of it is).
    lines: Vec<i64>,
    /// Per category and rate credited by amount, that amount net of tax.
    amounts: Vec<(TaxRate, i64)>,
    /// Per invoice adjustment, its credited amount.
    adjustments: Vec<i64>,
    breakdown: Vec<TaxSubtotal>,
    gross_total: i64,
}

/// A category and rate, as the breakdown keys them.
fn key(rate: &TaxRate) -> (VatCategory, Decimal) {
    (rate.category(), rate.percent().normalize())
}

/// `value × numerator / denominator`, rounded half away from zero.
fn prorate(value: i64, numerator: Decimal, denominator: Decimal) -> i64 {
    if numerator == denominator {
        return value;
    }
    let share = Decimal::from(value) * numerator / denominator;
    share
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .try_into()
        .unwrap_or(value)
}

impl Creditable<'_> {
    /// The credited part in `state`.
    fn part(&self, state: &Credited) -> Result<Part, FieldErrors> {
        if state.complete {
            return Ok(Part {
                lines: self.totals.lines.clone(),
                amounts: Vec::new(),
                adjustments: self.totals.adjustments.clone(),
                breakdown: self.totals.breakdown.clone(),
                gross_total: self.totals.gross_total,
            });
        }
        let quantity = |index: usize| {
            state
                .quantities
                .get(index)
                .copied()
                .unwrap_or(Decimal::ZERO)
        };
        let mut priced = Vec::new();
        let mut slots = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            let credited = quantity(index);
            if credited <= Decimal::ZERO {
                continue;
            }
            let discount = match line.discount {
                Some(Discount::Amount(amount)) => {
                    Some(Discount::Amount(prorate(amount, credited, line.quantity)))
                }
                other => other,
            };
            priced.push(PricedLine {
                quantity: credited,
                unit_price: line.unit_price,
                discount,
                rate: line.rate.clone(),
            });
            slots.push(index);
        }
        for (rate, amount) in &state.amounts {
            priced.push(PricedLine {
                quantity: Decimal::ONE,
                unit_price: Decimal::from(*amount),
                discount: None,
                rate: rate.clone(),
            });
        }
        let mut adjustments = Vec::new();
        let mut adjustment_slots = Vec::new();
        for (index, adjustment) in self.adjustments.iter().enumerate() {
            let amount = self.share(adjustment, &quantity);
            if amount > 0 {
                adjustments.push(Adjustment {
                    amount,
                    ..adjustment.clone()
                });
                adjustment_slots.push(index);
            }
        }
        let totals = compute(self.basis, &priced, &adjustments)?;
        let mut lines = vec![0; self.lines.len()];
        for (slot, amount) in slots.iter().zip(&totals.lines) {
            lines[*slot] = *amount;
        }
        let amounts = state
            .amounts
            .iter()
            .zip(&totals.lines[slots.len()..])
            .map(|((rate, _), net)| (rate.clone(), *net))
            .collect();
        let mut credited_adjustments = vec![0; self.adjustments.len()];
        for (slot, amount) in adjustment_slots.iter().zip(&totals.adjustments) {
            credited_adjustments[*slot] = *amount;
        }
        Ok(Part {
            lines,
            amounts,
            adjustments: credited_adjustments,
            breakdown: totals.breakdown,
            gross_total: totals.gross_total,
        })
    }

    /// The credited share of an allowance or charge, in the invoice's price basis: the share
    /// of its category's line amounts credited (of all lines, when its category has none).
    fn share(&self, adjustment: &Adjustment, quantity: &dyn Fn(usize) -> Decimal) -> i64 {
        let in_category: Vec<usize> = (0..self.lines.len())
            .filter(|index| key(&self.lines[*index].rate) == key(&adjustment.rate))
            .collect();
        let lines = if in_category.is_empty() {
            (0..self.lines.len()).collect()
        } else {
            in_category
        };
        if lines
            .iter()
            .all(|index| quantity(*index) >= self.lines[*index].quantity)
        {
            return adjustment.amount;
        }
        let mut credited = Decimal::ZERO;
        let mut whole = Decimal::ZERO;
        for index in lines {
            let amount = Decimal::from(self.totals.lines.get(index).copied().unwrap_or(0));
            whole += amount;
            credited += amount * quantity(index) / self.lines[index].quantity;
        }
        if whole.is_zero() {
            return 0;
        }
        prorate(adjustment.amount, credited, whole)
    }

    /// The credit note that takes `scope` back from an invoice credited as `credited`.
    pub fn credit(
        &self,
        credited: &Credited,
        scope: &CreditScope,
    ) -> Result<CreditNote, FieldErrors> {
        if credited.complete {
            return Err(FieldErrors::single(
                "scope",
                "the invoice is credited in full: nothing is left to credit",
            ));
        }
        let mut after = credited.clone();
        after.quantities.resize(self.lines.len(), Decimal::ZERO);
        let mut credited_lines: Vec<(usize, Decimal)> = Vec::new();
        let mut credited_amounts: Vec<TaxRate> = Vec::new();
        match scope {
            CreditScope::Remaining => after.complete = true,
            CreditScope::Lines { lines } => {
                if lines.is_empty() {
                    return Err(FieldErrors::single("lines", "must name at least one line"));
                }
                let mut errors = FieldErrors::default();
                for (position, credit) in lines.iter().enumerate() {
                    let field = format!("lines[{position}].quantity");
                    let Some(line) = self.lines.get(credit.line) else {
                        errors.add(
                            format!("lines[{position}].line"),
                            format!("is not a line of the invoice (it has {})", self.lines.len()),
                        );
                        continue;
                    };
                    if credited_lines
                        .iter()
                        .any(|(index, _)| *index == credit.line)
                    {
                        errors.add(format!("lines[{position}].line"), "is listed twice");
                        continue;
                    }
                    let left = line.quantity - after.quantities[credit.line];
                    if credit.quantity <= Decimal::ZERO {
                        errors.add(field, "must be above 0");
                    } else if credit.quantity > left {
                        errors.add(
                            field,
                            format!(
                                "is more than the {} left to credit of this line",
                                left.normalize()
                            ),
                        );
                    } else {
                        after.quantities[credit.line] += credit.quantity;
                        credited_lines.push((credit.line, credit.quantity));
                    }
                }
                errors.into_result()?;
            }
            CreditScope::Amounts { amounts } => {
                if amounts.is_empty() {
                    return Err(FieldErrors::single(
                        "amounts",
                        "must name at least one amount",
                    ));
                }
                let mut errors = FieldErrors::default();
                for (position, credit) in amounts.iter().enumerate() {
                    if credit.amount <= 0 {
                        errors.add(format!("amounts[{position}].amount"), "must be above 0");
                        continue;
                    }
                    if !self
                        .totals
                        .breakdown
                        .iter()
                        .any(|row| (row.category, row.percent.normalize()) == key(&credit.rate))
                    {
                        errors.add(
                            format!("amounts[{position}].rate"),
                            "is not a VAT category and rate of the invoice",
                        );
                        continue;
                    }
                    if credited_amounts
                        .iter()
                        .any(|rate| key(rate) == key(&credit.rate))
                    {
                        errors.add(format!("amounts[{position}].rate"), "is listed twice");
                        continue;
                    }
                    match after
                        .amounts
                        .iter_mut()
                        .find(|(rate, _)| key(rate) == key(&credit.rate))
                    {
                        Some((_, amount)) => *amount += credit.amount,
                        None => after.amounts.push((credit.rate.clone(), credit.amount)),
                    }
                    credited_amounts.push(credit.rate.clone());
                }
                errors.into_result()?;
            }
        }
        // Every line credited in full and nothing by amount: the invoice is credited in full.
        if !after.complete
            && after.amounts.is_empty()
            && self
                .lines
                .iter()
                .zip(&after.quantities)
                .all(|(line, credited)| *credited >= line.quantity)
        {
            after.complete = true;
        }
        if after.complete {
            after.quantities = self.lines.iter().map(|line| line.quantity).collect();
        }
        let before = self.part(credited)?;
        let part = self.part(&after)?;
        self.check_within(&part, scope)?;
        note(self, credited, &before, &part, after, &credited_amounts)
    }

    /// The credited part never exceeds the invoice, per category or in total.
    fn check_within(&self, part: &Part, scope: &CreditScope) -> Result<(), FieldErrors> {
        let field = match scope {
            CreditScope::Remaining => "scope",
            CreditScope::Lines { .. } => "lines",
            CreditScope::Amounts { .. } => "amounts",
        };
        for row in &part.breakdown {
            let invoiced = self.totals.breakdown.iter().find(|invoiced| {
                (invoiced.category, invoiced.percent.normalize())
                    == (row.category, row.percent.normalize())
            });
            let Some(invoiced) = invoiced else {
                return Err(FieldErrors::single(
                    field,
                    "credits a VAT category the invoice does not have",
                ));
            };
            if row.base > invoiced.base || row.tax > invoiced.tax {
                return Err(FieldErrors::single(
                    field,
                    format!(
                        "credits more of category {} at {} % than the invoice has left",
                        row.category.code(),
                        row.percent.normalize()
                    ),
                ));
            }
        }
        if part.gross_total > self.totals.gross_total {
            return Err(FieldErrors::single(
                field,
                "credits more than the invoice has left",
            ));
        }
        Ok(())
    }
}

/// The note: the credited part after it less the one before.
fn note(
    invoice: &Creditable<'_>,
    credited: &Credited,
    before: &Part,
    after: &Part,
    state: Credited,
    by_amount: &[TaxRate],
) -> Result<CreditNote, FieldErrors> {
    let too_small = || {
        FieldErrors::single(
            "scope",
            "this credit is too small: after rounding it takes nothing back",
        )
    };
    let mut lines = Vec::new();
    for (index, line) in invoice.lines.iter().enumerate() {
        let was = credited
            .quantities
            .get(index)
            .copied()
            .unwrap_or(Decimal::ZERO);
        let now = if state.complete {
            line.quantity
        } else {
            state.quantities[index]
        };
        if now > was {
            let amount = after.lines[index] - before.lines[index];
            if amount < 0 {
                return Err(too_small());
            }
            lines.push(CreditNoteLine {
                source: CreditSource::Line(index),
                quantity: (now - was).normalize(),
                rate: line.rate.clone(),
                amount,
            });
        }
    }
    let net_of = |part: &Part, rate: &TaxRate| {
        part.amounts
            .iter()
            .filter(|(credited, _)| key(credited) == key(rate))
            .map(|(_, net)| *net)
            .sum::<i64>()
    };
    for rate in by_amount {
        let amount = net_of(after, rate) - net_of(before, rate);
        if amount <= 0 {
            return Err(too_small());
        }
        lines.push(CreditNoteLine {
            source: CreditSource::Amount,
            quantity: Decimal::ONE,
            rate: rate.clone(),
            amount,
        });
    }
    let mut adjustments = Vec::new();
    for (index, adjustment) in invoice.adjustments.iter().enumerate() {
        let amount = after.adjustments[index] - before.adjustments[index];
        if amount < 0 {
            return Err(too_small());
        }
        if amount > 0 {
            adjustments.push(CreditNoteAdjustment {
                source: Some(index),
                kind: adjustment.kind,
                rate: adjustment.rate.clone(),
                amount,
            });
        }
    }
    // Crediting the rest: what earlier notes credited by amount is not credited again.
    if state.complete {
        for (rate, net) in &before.amounts {
            if *net > 0 {
                adjustments.push(CreditNoteAdjustment {
                    source: None,
                    kind: AdjustmentKind::Allowance,
                    rate: rate.clone(),
                    amount: *net,
                });
            }
        }
    }
    let mut rows: BTreeMap<(VatCategory, Decimal), TaxSubtotal> = BTreeMap::new();
    for row in &after.breakdown {
        rows.insert((row.category, row.percent.normalize()), row.clone());
    }
    for row in &before.breakdown {
        let entry = rows
            .entry((row.category, row.percent.normalize()))
            .or_insert_with(|| TaxSubtotal {
                base: 0,
                tax: 0,
                ..row.clone()
            });
        entry.base -= row.base;
        entry.tax -= row.tax;
    }
    // With prices inclusive of tax, a category's base is shared out over all its items, so an
    // item this note does not credit may move by a minor unit between the two parts: the
    // note's largest line of the category takes that, so that its items add up to its base.
    for ((category, percent), row) in &rows {
        let items: i64 = lines
            .iter()
            .filter(|line| key(&line.rate) == (*category, *percent))
            .map(|line| line.amount)
            .sum::<i64>()
            + adjustments
                .iter()
                .filter(|adjustment| key(&adjustment.rate) == (*category, *percent))
                .map(|adjustment| match adjustment.kind {
                    AdjustmentKind::Allowance => -adjustment.amount,
                    AdjustmentKind::Charge => adjustment.amount,
                })
                .sum::<i64>();
        let residue = row.base - items;
        if residue == 0 {
            continue;
        }
        let largest = lines
            .iter_mut()
            .filter(|line| key(&line.rate) == (*category, *percent))
            .max_by_key(|line| line.amount);
        match largest {
            Some(line) if line.amount + residue >= 0 => line.amount += residue,
            _ => return Err(too_small()),
        }
    }
    let used = |category: VatCategory, percent: Decimal| {
        lines
            .iter()
            .any(|line| key(&line.rate) == (category, percent))
            || adjustments
                .iter()
                .any(|adjustment| key(&adjustment.rate) == (category, percent))
    };
    let breakdown: Vec<TaxSubtotal> = rows
        .into_iter()
        .filter(|((category, percent), row)| {
            row.base != 0 || row.tax != 0 || used(*category, *percent)
        })
        .map(|(_, row)| row)
        .collect();
    if breakdown.iter().any(|row| row.base < 0 || row.tax < 0) {
        return Err(too_small());
    }
    let line_total: i64 = lines.iter().map(|line| line.amount).sum();
    let total_of = |kind: AdjustmentKind| {
        adjustments
            .iter()
            .filter(|adjustment| adjustment.kind == kind)
            .map(|adjustment| adjustment.amount)
            .sum::<i64>()
    };
    let allowance_total = total_of(AdjustmentKind::Allowance);
    let charge_total = total_of(AdjustmentKind::Charge);
    let net_total = line_total - allowance_total + charge_total;
    let tax_total: i64 = breakdown.iter().map(|row| row.tax).sum();
    let gross_total = net_total + tax_total;
    if gross_total <= 0 {
        return Err(too_small());
    }
    Ok(CreditNote {
        lines,
        adjustments,
        breakdown,
        line_total,
        allowance_total,
        charge_total,
        net_total,
        tax_total,
        gross_total,
        credited: state,
    })
}
