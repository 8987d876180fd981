//! The invoice's arithmetic, defined once: line net amounts, the tax breakdown per VAT category
//! and rate, and the document totals, as EN 16931 states them (BR-CO-10 to BR-CO-17 and each
//! category's "taxable amount" rule, BR-S-8 and its siblings).
//!
//! Amounts are integers of the currency's minor unit; quantities, unit prices (in minor units,
//! finer than one where needed, as Stripe's `unit_amount_decimal`), discount percentages and tax
//! rates are exact decimals. Each amount is rounded once, half away from zero, to the minor
//! unit:
//!
//! - a line's amount is `quantity × unit price − discount`, rounded;
//! - with prices exclusive of tax, a category's taxable amount (base) is the sum of its lines'
//!   amounts plus its charges minus its allowances, and its tax is `base × rate / 100`, rounded;
//! - with prices inclusive of tax, a category's gross (the same sum, tax included) becomes the
//!   base whose tax brings it back to the gross: the base `b` with `b + round(b × rate / 100)`
//!   equal to the gross, or the nearest below when no base reaches it exactly (a rate can skip
//!   a minor unit). The base is shared out over the category's lines, allowances and charges in
//!   proportion to their gross amounts, so that they add up to it exactly;
//! - the totals are sums: net = lines − allowances + charges, gross = net + tax.

use crate::domain::{
    FieldErrors, MAX_AMOUNT,
    draft::MAX_QUANTITY,
    tax::{Exemption, TaxRate, VatCategory},
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Decimal places a quantity may have (`1.5` hours, `0.125` kg).
pub const MAX_QUANTITY_DECIMALS: u32 = 4;
/// Decimal places of a unit price in minor units (Stripe's `unit_amount_decimal`).
pub const MAX_UNIT_PRICE_DECIMALS: u32 = 12;

/// Whether the unit prices, allowances and charges include tax.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    #[default]
    Exclusive,
    Inclusive,
}

/// A line's discount: a percentage of its amount, or an amount in minor units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discount {
    Percent(#[serde(with = "rust_decimal::serde::str")] Decimal),
    Amount(i64),
}

/// A line as the arithmetic needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    /// In minor units of the currency, in the invoice's [`PriceBasis`].
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    pub discount: Option<Discount>,
    pub rate: TaxRate,
}

/// A document-level allowance (a discount on the whole invoice) or charge (shipping).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    Allowance,
    Charge,
}

/// An allowance or charge of one VAT category and rate, in the invoice's [`PriceBasis`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    /// Minor units, above zero.
    pub amount: i64,
    pub rate: TaxRate,
}

/// One row of the tax breakdown (BG-23): a VAT category and rate, its base and its tax.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxSubtotal {
    pub category: VatCategory,
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
    pub exemption: Option<Exemption>,
    /// The taxable amount (BT-116).
    pub base: i64,
    /// The tax (BT-117).
    pub tax: i64,
}

/// What an invoice adds up to, every amount exclusive of tax unless named gross.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Each line's net amount (BT-131), in the order given.
    pub lines: Vec<i64>,
    /// Each allowance's and charge's amount (BT-92, BT-99), above zero, in the order given.
    pub adjustments: Vec<i64>,
    /// Per VAT category and rate, ordered by category code and then rate.
    pub breakdown: Vec<TaxSubtotal>,
    /// The sum of the line net amounts (BT-106).
    pub line_total: i64,
    /// BT-107.
    pub allowance_total: i64,
    /// BT-108.
    pub charge_total: i64,
    /// Without tax (BT-109).
    pub net_total: i64,
    /// BT-110.
    pub tax_total: i64,
    /// With tax (BT-112).
    pub gross_total: i64,
}

/// An item the base of its category is shared over: a line or an adjustment.
struct Item {
    /// Index into the lines, or into the adjustments.
    slot: Slot,
    /// The amount in the invoice's basis, negative for an allowance.
    signed: i64,
}

#[derive(Clone, Copy)]
enum Slot {
    Line(usize),
    Adjustment(usize),
}

/// Computes the invoice's amounts. Errors are keyed by the input's JSON paths
/// (`lines[2].quantity`, `adjustments[0].amount`, `lines`).
pub fn compute(
    basis: PriceBasis,
    lines: &[PricedLine],
    adjustments: &[Adjustment],
) -> Result<Totals, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut groups: BTreeMap<(VatCategory, Decimal), (TaxRate, Vec<Item>)> = BTreeMap::new();
    let mut group = |rate: &TaxRate, item: Item, errors: &mut FieldErrors, field: String| {
        let (first, items) = groups
            .entry((rate.category(), rate.percent()))
            .or_insert_with(|| (rate.clone(), Vec::new()));
        // BG-23 has one row per category and rate, with one exemption reason.
        if first.exemption() != rate.exemption() {
            errors.add(
                field,
                format!(
                    "every line of category {} at {} % must give the same exemption reason",
                    rate.category().code(),
                    rate.percent()
                ),
            );
        }
        items.push(item);
    };
    for (index, line) in lines.iter().enumerate() {
        match line_amount(line) {
            Ok(amount) => group(
                &line.rate,
                Item {
                    slot: Slot::Line(index),
                    signed: amount,
                },
                &mut errors,
                format!("lines[{index}].tax_rate"),
            ),
            Err((field, message)) => errors.add(format!("lines[{index}].{field}"), message),
        }
    }
    for (index, adjustment) in adjustments.iter().enumerate() {
        if adjustment.amount <= 0 || adjustment.amount > MAX_AMOUNT {
            errors.add(
                format!("adjustments[{index}].amount"),
                format!("must be from 1 to {MAX_AMOUNT}"),
            );
            continue;
        }
        let signed = match adjustment.kind {
            AdjustmentKind::Allowance => -adjustment.amount,
            AdjustmentKind::Charge => adjustment.amount,
        };
        group(
            &adjustment.rate,
            Item {
                slot: Slot::Adjustment(index),
                signed,
            },
            &mut errors,
            format!("adjustments[{index}].tax_rate"),
        );
    }
    errors.into_result()?;

    let mut errors = FieldErrors::default();
    let mut totals = Totals {
        lines: vec![0; lines.len()],
        adjustments: vec![0; adjustments.len()],
        breakdown: Vec::with_capacity(groups.len()),
        line_total: 0,
        allowance_total: 0,
        charge_total: 0,
        net_total: 0,
        tax_total: 0,
        gross_total: 0,
    };
    for (rate, items) in groups.into_values() {
        let sum: i64 = items.iter().map(|item| item.signed).sum();
        if sum < 0 {
            errors.add(
                "adjustments",
                format!(
                    "the allowances of category {} at {} % are larger than its lines and charges",
                    rate.category().code(),
                    rate.percent()
                ),
            );
            continue;
        }
        let (base, nets) = match basis {
            PriceBasis::Exclusive => (sum, items.iter().map(|item| item.signed).collect()),
            PriceBasis::Inclusive => {
                let base = base_of_gross(sum, rate.percent());
                (base, share_out(base, &items, rate.percent()))
            }
        };
        for (item, net) in items.iter().zip(nets) {
            match item.slot {
                Slot::Line(index) => totals.lines[index] = net,
                Slot::Adjustment(index) => totals.adjustments[index] = net.abs(),
            }
        }
        totals.breakdown.push(TaxSubtotal {
            category: rate.category(),
            percent: rate.percent(),
            exemption: rate.exemption().cloned(),
            base,
            tax: tax_on(base, rate.percent()),
        });
    }
    errors.into_result()?;
    totals.line_total = totals.lines.iter().sum();
    for (adjustment, amount) in adjustments.iter().zip(&totals.adjustments) {
        match adjustment.kind {
            AdjustmentKind::Allowance => totals.allowance_total += amount,
            AdjustmentKind::Charge => totals.charge_total += amount,
        }
    }
    totals.net_total = totals.line_total - totals.allowance_total + totals.charge_total;
    totals.tax_total = totals.breakdown.iter().map(|row| row.tax).sum();
    totals.gross_total = totals.net_total + totals.tax_total;
    if totals.gross_total > MAX_AMOUNT {
        return Err(FieldErrors::single(
            "lines",
            format!("the total must be at most {MAX_AMOUNT}"),
        ));
    }
    Ok(totals)
}

/// `n / d` rounded half away from zero, exactly (`d > 0`).
fn div_round(n: i128, d: i128) -> i128 {
    let (quotient, remainder) = (n / d, n % d);
    if 2 * remainder.abs() >= d {
        quotient + n.signum()
    } else {
        quotient
    }
}

/// `n × k / d` rounded half away from zero, exactly, for `|n|` up to 10³⁷, `k` up to 10⁶ and
/// `d` up to 10²² (what a line can reach): `n = a·d + b`, so `n·k/d = a·k + b·k/d`, and `b·k`
/// stays below 10²⁸.
fn mul_div_round(n: i128, k: i128, d: i128) -> i128 {
    (n / d) * k + div_round((n % d) * k, d)
}

/// 10 to the `exponent`.
fn ten(exponent: u32) -> i128 {
    10i128.pow(exponent)
}

/// A percentage as a whole number of ten-thousandths of a percent (19 % is 190,000), and the
/// divisor that makes it a fraction (1,000,000).
fn hundredths_of_basis_points(percent: Decimal) -> (i128, i128) {
    let percent = percent.normalize();
    let scale = percent.scale().min(MAX_QUANTITY_DECIMALS);
    let units = percent.mantissa() * ten(MAX_QUANTITY_DECIMALS - scale);
    (units, 100 * ten(MAX_QUANTITY_DECIMALS))
}

/// `value` as minor units, if it is within the product's bounds.
fn bounded(value: i128) -> Option<i64> {
    i64::try_from(value)
        .ok()
        .filter(|amount| amount.abs() <= MAX_AMOUNT)
}

/// The tax on `base` at `percent`, rounded once (BR-CO-17).
pub fn tax_on(base: i64, percent: Decimal) -> i64 {
    let (rate, whole) = hundredths_of_basis_points(percent);
    bounded(mul_div_round(i128::from(base), rate, whole))
        .expect("a tax of at most 100 % of a bounded base is bounded")
}

/// `amount` converted from gross to net at `percent`: `amount × 100 / (100 + percent)`,
/// rounded.
fn net_of_gross(amount: i64, percent: Decimal) -> i64 {
    let (rate, whole) = hundredths_of_basis_points(percent);
    bounded(mul_div_round(i128::from(amount), whole, whole + rate))
        .expect("a net amount is at most its gross")
}

/// A line's amount in the invoice's basis: `quantity × unit price − discount`, rounded once;
/// or the field that is wrong and why. The product is exact: quantity and price are whole
/// numbers of their last decimal place, multiplied as 128-bit integers.
fn line_amount(line: &PricedLine) -> Result<i64, (&'static str, String)> {
    let quantity = line.quantity.normalize();
    if quantity <= Decimal::ZERO || quantity > Decimal::from(MAX_QUANTITY) {
        return Err((
            "quantity",
            format!("must be above 0 and at most {MAX_QUANTITY}"),
        ));
    }
    if quantity.scale() > MAX_QUANTITY_DECIMALS {
        return Err((
            "quantity",
            format!("must have at most {MAX_QUANTITY_DECIMALS} decimal places"),
        ));
    }
    let price = line.unit_price.normalize();
    if price.is_sign_negative() && !price.is_zero() {
        return Err(("unit_price", "must not be negative".to_owned()));
    }
    if price > Decimal::from(MAX_AMOUNT) {
        return Err(("unit_price", format!("must be at most {MAX_AMOUNT}")));
    }
    if price.scale() > MAX_UNIT_PRICE_DECIMALS {
        return Err((
            "unit_price",
            format!("must have at most {MAX_UNIT_PRICE_DECIMALS} decimal places of the minor unit"),
        ));
    }
    // gross = product / divisor, exactly.
    let product = quantity.mantissa() * price.mantissa();
    let divisor = ten(quantity.scale() + price.scale());
    let amount = match line.discount {
        None => div_round(product, divisor),
        Some(Discount::Percent(percent)) => {
            let percent = percent.normalize();
            if percent.is_sign_negative() || percent > Decimal::ONE_HUNDRED {
                return Err(("discount", "must be from 0 to 100 %".to_owned()));
            }
            if percent.scale() > MAX_QUANTITY_DECIMALS {
                return Err((
                    "discount",
                    format!("must have at most {MAX_QUANTITY_DECIMALS} decimal places"),
                ));
            }
            let (off, whole) = hundredths_of_basis_points(percent);
            mul_div_round(product, whole - off, divisor * whole)
        }
        Some(Discount::Amount(discount)) => {
            if discount < 0 {
                return Err(("discount", "must not be negative".to_owned()));
            }
            let discount = i128::from(discount) * divisor;
            if discount > product {
                return Err(("discount", "must not be larger than the line".to_owned()));
            }
            div_round(product - discount, divisor)
        }
    };
    bounded(amount).ok_or_else(|| {
        (
            "unit_price",
            format!("the line must come to at most {MAX_AMOUNT}"),
        )
    })
}

/// The base whose tax at `percent` brings it to `gross`: exactly when one does, else the
/// nearest below (a rate above zero can step over a minor unit).
fn base_of_gross(gross: i64, percent: Decimal) -> i64 {
    let estimate = net_of_gross(gross, percent);
    let with_tax = |base: i64| base + tax_on(base, percent);
    (estimate - 2..=estimate + 2)
        .filter(|base| *base >= 0)
        .min_by_key(|base| {
            let reached = with_tax(*base);
            // Exact first; then the nearest, a base below the gross before one above it.
            ((reached - gross).abs(), reached > gross, *base)
        })
        .unwrap_or(0)
}

/// Shares `base` over `items` in proportion to their gross amounts: each item's amount
/// converted at `percent`, rounded, then the difference to `base` spread a minor unit at a
/// time over the largest items (never turning one's sign).
fn share_out(base: i64, items: &[Item], percent: Decimal) -> Vec<i64> {
    let mut nets: Vec<i64> = items
        .iter()
        .map(|item| net_of_gross(item.signed, percent))
        .collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(items[index].signed.abs()));
    let mut left = base - nets.iter().sum::<i64>();
    while left != 0 {
        let step = left.signum();
        let before = left;
        for &index in &order {
            if left == 0 {
                break;
            }
            let moved = nets[index] + step;
            let keeps_sign = if items[index].signed >= 0 {
                moved >= 0
            } else {
                moved <= 0
            };
            if keeps_sign {
                nets[index] = moved;
                left -= step;
            }
        }
        assert_ne!(
            left, before,
            "the base of a category is within its items' reach"
        );
    }
    nets
}

impl Totals {
    /// Every rule EN 16931 states between these amounts and the input, as the list of those
    /// broken: BR-CO-10 (line total), BR-CO-11 and -12 (allowances, charges), BR-CO-13 (net),
    /// BR-CO-14 (tax), BR-CO-15 (gross), BR-CO-17 (each category's tax from its base), and each
    /// category's base being the sum of its lines, charges and allowances (BR-S-8 and its
    /// siblings). Empty when the arithmetic holds.
    pub fn broken_rules(&self, lines: &[PricedLine], adjustments: &[Adjustment]) -> Vec<String> {
        let mut broken = Vec::new();
        let mut check = |rule: &str, holds: bool| {
            if !holds {
                broken.push(rule.to_owned());
            }
        };
        check(
            "BR-CO-10",
            self.line_total == self.lines.iter().sum::<i64>(),
        );
        let of_kind = |kind: AdjustmentKind| -> i64 {
            adjustments
                .iter()
                .zip(&self.adjustments)
                .filter(|(adjustment, _)| adjustment.kind == kind)
                .map(|(_, amount)| amount)
                .sum()
        };
        check(
            "BR-CO-11",
            self.allowance_total == of_kind(AdjustmentKind::Allowance),
        );
        check(
            "BR-CO-12",
            self.charge_total == of_kind(AdjustmentKind::Charge),
        );
        check(
            "BR-CO-13",
            self.net_total == self.line_total - self.allowance_total + self.charge_total,
        );
        check(
            "BR-CO-14",
            self.tax_total == self.breakdown.iter().map(|row| row.tax).sum::<i64>(),
        );
        check(
            "BR-CO-15",
            self.gross_total == self.net_total + self.tax_total,
        );
        for row in &self.breakdown {
            check("BR-CO-17", row.tax == tax_on(row.base, row.percent));
            let of_row =
                |rate: &TaxRate| rate.category() == row.category && rate.percent() == row.percent;
            let lines_sum: i64 = lines
                .iter()
                .zip(&self.lines)
                .filter(|(line, _)| of_row(&line.rate))
                .map(|(_, net)| net)
                .sum();
            let adjustments_sum: i64 = adjustments
                .iter()
                .zip(&self.adjustments)
                .filter(|(adjustment, _)| of_row(&adjustment.rate))
                .map(|(adjustment, amount)| match adjustment.kind {
                    AdjustmentKind::Allowance => -amount,
                    AdjustmentKind::Charge => *amount,
                })
                .sum();
            check(
                &format!("BR-{}-8", row.category.code()),
                row.base == lines_sum + adjustments_sum,
            );
        }
        check(
            "one breakdown row per category and rate",
            self.breakdown.windows(2).all(|pair| {
                (pair[0].category, pair[0].percent) < (pair[1].category, pair[1].percent)
            }),
        );
        broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn standard(percent: &str) -> TaxRate {
        TaxRate::new(VatCategory::Standard, dec(percent), None).unwrap()
    }

    fn reverse_charge() -> TaxRate {
        TaxRate::new(
            VatCategory::ReverseCharge,
            Decimal::ZERO,
            Some(Exemption {
                reason: "Reverse charge".to_owned(),
                code: Some("VATEX-EU-AE".to_owned()),
            }),
        )
        .unwrap()
    }

    fn line(quantity: &str, unit_price: &str, rate: &TaxRate) -> PricedLine {
        PricedLine {
            quantity: dec(quantity),
            unit_price: dec(unit_price),
            discount: None,
            rate: rate.clone(),
        }
    }

    fn holds(totals: &Totals, lines: &[PricedLine], adjustments: &[Adjustment]) {
        assert_eq!(
            totals.broken_rules(lines, adjustments),
            Vec::<String>::new()
        );
    }

    #[test]
    fn german_b2b_with_19_and_7_percent() {
        let full = standard("19");
        let reduced = standard("7");
        let lines = [
            line("3", "12500", &full),
            line("1.5", "8000", &full),
            line("2", "1999", &reduced),
        ];
        let totals = compute(PriceBasis::Exclusive, &lines, &[]).unwrap();
        assert_eq!(totals.lines, [37_500, 12_000, 3_998]);
        let rows: Vec<(Decimal, i64, i64)> = totals
            .breakdown
            .iter()
            .map(|row| (row.percent, row.base, row.tax))
            .collect();
        // 49,500 × 19 % = 9,405; 3,998 × 7 % = 279.86 → 280.
        assert_eq!(rows, [(dec("7"), 3_998, 280), (dec("19"), 49_500, 9_405)]);
        assert_eq!(
            (totals.net_total, totals.tax_total, totals.gross_total),
            (53_498, 9_685, 63_183)
        );
        holds(&totals, &lines, &[]);
    }

    #[test]
    fn a_line_is_rounded_once_half_away_from_zero() {
        let rate = standard("20");
        // 0.3333 × 150 = 49.995 → 50; a unit price finer than the minor unit.
        let lines = [
            line("0.3333", "150", &rate),
            line("7", "0.125", &rate),
            line("1", "0.5", &rate),
        ];
        let totals = compute(PriceBasis::Exclusive, &lines, &[]).unwrap();
        assert_eq!(totals.lines, [50, 1, 1]);
        holds(&totals, &lines, &[]);
    }

    #[test]
    fn discounts_come_off_the_line_before_rounding() {
        let rate = standard("19");
        let mut percent = line("3", "3333", &rate);
        percent.discount = Some(Discount::Percent(dec("12.5")));
        let mut amount = line("1", "5000", &rate);
        amount.discount = Some(Discount::Amount(1_250));
        let lines = [percent, amount];
        let totals = compute(PriceBasis::Exclusive, &lines, &[]).unwrap();
        // 9,999 × 87.5 % = 8,749.125 → 8,749.
        assert_eq!(totals.lines, [8_749, 3_750]);
        holds(&totals, &lines, &[]);
    }

    #[test]
    fn document_allowances_and_charges_count_in_their_category() {
        let full = standard("19");
        let reduced = standard("7");
        let lines = [line("1", "10000", &full), line("1", "5000", &reduced)];
        let adjustments = [
            Adjustment {
                kind: AdjustmentKind::Allowance,
                amount: 1_000,
                rate: full.clone(),
            },
            Adjustment {
                kind: AdjustmentKind::Charge,
                amount: 495,
                rate: reduced.clone(),
            },
        ];
        let totals = compute(PriceBasis::Exclusive, &lines, &adjustments).unwrap();
        assert_eq!(
            (
                totals.allowance_total,
                totals.charge_total,
                totals.net_total
            ),
            (1_000, 495, 14_495)
        );
        let bases: Vec<i64> = totals.breakdown.iter().map(|row| row.base).collect();
        assert_eq!(bases, [5_495, 9_000]);
        holds(&totals, &lines, &adjustments);
    }

    #[test]
    fn reverse_charge_has_no_tax_and_keeps_its_reason() {
        let lines = [line("10", "9500", &reverse_charge())];
        let totals = compute(PriceBasis::Exclusive, &lines, &[]).unwrap();
        let row = &totals.breakdown[0];
        assert_eq!(
            (row.category, row.base, row.tax),
            (VatCategory::ReverseCharge, 95_000, 0)
        );
        assert_eq!(
            row.exemption.as_ref().unwrap().code.as_deref(),
            Some("VATEX-EU-AE")
        );
        assert_eq!(totals.gross_total, 95_000);
    }

    #[test]
    fn inclusive_prices_give_back_the_gross() {
        let rate = standard("20");
        let lines = [line("1", "1999", &rate), line("3", "499", &rate)];
        let totals = compute(PriceBasis::Inclusive, &lines, &[]).unwrap();
        // Gross 3,496: base 2,913 + tax 583 (2,913 × 20 % = 582.6).
        assert_eq!(totals.gross_total, 3_496);
        assert_eq!((totals.net_total, totals.tax_total), (2_913, 583));
        assert_eq!(totals.lines.iter().sum::<i64>(), 2_913);
        holds(&totals, &lines, &[]);
    }

    #[test]
    fn an_unreachable_gross_becomes_the_nearest_below() {
        // At 100 % every base doubles: an odd gross cannot be reached.
        let rate = standard("100");
        let lines = [line("1", "3", &rate)];
        let totals = compute(PriceBasis::Inclusive, &lines, &[]).unwrap();
        assert_eq!(
            (totals.net_total, totals.tax_total, totals.gross_total),
            (1, 1, 2)
        );
        holds(&totals, &lines, &[]);
    }

    #[test]
    fn bad_lines_are_named() {
        let rate = standard("19");
        let mut discount = line("1", "100", &rate);
        discount.discount = Some(Discount::Amount(101));
        let lines = [
            line("0", "100", &rate),
            line("1.00001", "100", &rate),
            line("1", "-1", &rate),
            line("1", "0.0000000000001", &rate),
            discount,
        ];
        let errors = compute(PriceBasis::Exclusive, &lines, &[]).unwrap_err();
        for field in [
            "lines[0].quantity",
            "lines[1].quantity",
            "lines[2].unit_price",
            "lines[3].unit_price",
            "lines[4].discount",
        ] {
            assert!(errors.has(field), "{field}: {errors}");
        }
    }

    #[test]
    fn allowances_larger_than_their_category_are_refused() {
        let rate = standard("19");
        let lines = [line("1", "100", &rate)];
        let adjustments = [Adjustment {
            kind: AdjustmentKind::Allowance,
            amount: 101,
            rate: rate.clone(),
        }];
        let errors = compute(PriceBasis::Exclusive, &lines, &adjustments).unwrap_err();
        assert!(errors.has("adjustments"), "{errors}");
    }

    #[test]
    fn one_category_and_rate_has_one_exemption_reason() {
        let other = TaxRate::new(
            VatCategory::ReverseCharge,
            Decimal::ZERO,
            Some(Exemption {
                reason: "Steuerschuldnerschaft des Leistungsempfängers".to_owned(),
                code: Some("VATEX-EU-AE".to_owned()),
            }),
        )
        .unwrap();
        let lines = [
            line("1", "100", &reverse_charge()),
            line("1", "100", &other),
        ];
        let errors = compute(PriceBasis::Exclusive, &lines, &[]).unwrap_err();
        assert!(errors.has("lines[1].tax_rate"), "{errors}");
    }
}
