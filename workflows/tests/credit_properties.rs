//! Credit notes over random invoices (the arithmetic's own generator: 1 to 50 lines of mixed
//! categories and rates, discounts, allowances and charges, exclusive and inclusive prices,
//! currencies with 0, 2 and 3 decimals), credited in random pieces — quantities of lines,
//! amounts of categories — and then the rest. At every step a note takes back something, never
//! more than is left, adds up by itself as EN 16931 asks (lines, allowances and charges to the
//! net, each category's base to its lines and adjustments, its tax within the standard's
//! tolerance), and once the invoice is credited in full the notes add up to it exactly: every
//! total and every category's base and tax.

mod support;

use invoicing_workflows::domain::{
    Adjustment, AdjustmentKind, Discount, PriceBasis, PricedLine, TaxRate, Totals, VatCategory,
    credit::{
        AmountCredit, CreditNote, CreditScope, CreditSource, Creditable, Credited, LineCredit,
    },
    totals::{compute, tax_on},
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use support::arb_invoice;

/// A step of crediting: a share (in thousandths) of a line's quantity left, or an amount of a
/// category in thousandths of what the category has left.
#[derive(Clone, Debug)]
enum Step {
    Line { pick: usize, share: u32 },
    Amount { pick: usize, share: u32 },
}

fn arb_steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            4 => (any::<usize>(), 1u32..=1_000).prop_map(|(pick, share)| Step::Line { pick, share }),
            1 => (any::<usize>(), 1u32..=600).prop_map(|(pick, share)| Step::Amount { pick, share }),
        ],
        0..=6,
    )
}

/// The note adds up by itself: its lines, allowances and charges to its net, each category's
/// base to its own items, and each tax within a unit of the minor unit's rounding tolerance.
fn check_note(note: &CreditNote) -> Result<(), TestCaseError> {
    prop_assert!(note.gross_total > 0, "{note:?}");
    prop_assert!(note.lines.iter().all(|line| line.amount >= 0));
    prop_assert!(
        note.adjustments
            .iter()
            .all(|adjustment| adjustment.amount > 0)
    );
    prop_assert_eq!(
        note.line_total,
        note.lines.iter().map(|line| line.amount).sum::<i64>()
    );
    prop_assert_eq!(
        note.net_total,
        note.line_total - note.allowance_total + note.charge_total
    );
    prop_assert_eq!(
        note.tax_total,
        note.breakdown.iter().map(|row| row.tax).sum::<i64>()
    );
    prop_assert_eq!(note.gross_total, note.net_total + note.tax_total);
    for row in &note.breakdown {
        let key = (row.category, row.percent.normalize());
        let lines: i64 = note
            .lines
            .iter()
            .filter(|line| (line.rate.category(), line.rate.percent().normalize()) == key)
            .map(|line| line.amount)
            .sum();
        let adjustments: i64 = note
            .adjustments
            .iter()
            .filter(|a| (a.rate.category(), a.rate.percent().normalize()) == key)
            .map(|a| match a.kind {
                AdjustmentKind::Allowance => -a.amount,
                AdjustmentKind::Charge => a.amount,
            })
            .sum();
        prop_assert_eq!(row.base, lines + adjustments, "{:?}", note);
        prop_assert!(row.base >= 0 && row.tax >= 0);
        // The tax of the note's base, to within one minor unit per step that rounded it: the
        // note's tax is a difference of two rounded taxes.
        prop_assert!(
            (row.tax - tax_on(row.base, row.percent)).abs() <= 1,
            "{row:?}"
        );
    }
    Ok(())
}

/// The notes' running sums: their totals, and base and tax per category and rate.
type Sums = (Totals, BTreeMap<(String, Decimal), (i64, i64)>);

/// Adds `note` into the running sums.
fn add(sums: &mut Sums, note: &CreditNote) {
    let (totals, rows) = sums;
    totals.line_total += note.line_total;
    totals.allowance_total += note.allowance_total;
    totals.charge_total += note.charge_total;
    totals.net_total += note.net_total;
    totals.tax_total += note.tax_total;
    totals.gross_total += note.gross_total;
    for row in &note.breakdown {
        let entry = rows
            .entry((row.category.code().to_owned(), row.percent.normalize()))
            .or_default();
        entry.0 += row.base;
        entry.1 += row.tax;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn credit_notes_never_exceed_the_invoice_and_add_up_to_it_exactly(
        (basis, lines, adjustments) in arb_invoice(),
        steps in arb_steps(),
    ) {
        let Ok(totals) = compute(basis, &lines, &adjustments) else {
            // An invoice the arithmetic refuses is never sent, so never credited.
            return Ok(());
        };
        let invoice = Creditable { basis, lines: &lines, adjustments: &adjustments, totals: &totals };
        let mut credited = Credited::default();
        let mut sums = (
            Totals { lines: Vec::new(), adjustments: Vec::new(), breakdown: Vec::new(),
                     line_total: 0, allowance_total: 0, charge_total: 0, net_total: 0,
                     tax_total: 0, gross_total: 0 },
            BTreeMap::new(),
        );
        for step in steps {
            if credited.complete {
                break;
            }
            let scope = match step {
                Step::Line { pick, share } => {
                    let line = pick % lines.len();
                    let left = lines[line].quantity
                        - credited.quantities.get(line).copied().unwrap_or(Decimal::ZERO);
                    let quantity = (left * Decimal::new(i64::from(share), 3)).round_dp(4);
                    if quantity <= Decimal::ZERO {
                        continue;
                    }
                    CreditScope::Lines { lines: vec![LineCredit { line, quantity }] }
                }
                Step::Amount { pick, share } => {
                    let row = &totals.breakdown[pick % totals.breakdown.len()];
                    let rate = lines.iter().map(|line| &line.rate)
                        .chain(adjustments.iter().map(|a| &a.rate))
                        .find(|rate| rate.category() == row.category && rate.percent() == row.percent)
                        .unwrap()
                        .clone();
                    let amount = row.base * i64::from(share) / 1_000 / 2;
                    if amount <= 0 {
                        continue;
                    }
                    CreditScope::Amounts { amounts: vec![AmountCredit { rate, amount }] }
                }
            };
            match invoice.credit(&credited, &scope) {
                Ok(note) => {
                    check_note(&note)?;
                    add(&mut sums, &note);
                    prop_assert!(sums.0.gross_total <= totals.gross_total);
                    credited = note.credited.clone();
                }
                // More than is left of a category, or a piece that rounds to nothing: refused,
                // and nothing changed.
                Err(errors) => prop_assert!(
                    errors.has("lines") || errors.has("amounts") || errors.has("scope"),
                    "{errors}"
                ),
            }
        }
        if !credited.complete {
            let note = invoice.credit(&credited, &CreditScope::Remaining);
            prop_assert!(note.is_ok(), "crediting the rest was refused: {:?}", note);
            let note = note.unwrap();
            check_note(&note)?;
            add(&mut sums, &note);
            credited = note.credited;
        }
        prop_assert!(credited.complete);
        prop_assert_eq!(sums.0.line_total - sums.0.allowance_total + sums.0.charge_total, totals.net_total);
        prop_assert_eq!(sums.0.net_total, totals.net_total);
        prop_assert_eq!(sums.0.tax_total, totals.tax_total);
        prop_assert_eq!(sums.0.gross_total, totals.gross_total);
        for row in &totals.breakdown {
            let key = (row.category.code().to_owned(), row.percent.normalize());
            prop_assert_eq!(sums.1.get(&key).copied().unwrap_or_default(), (row.base, row.tax));
        }
        // Nothing is left to credit.
        let refused = invoice.credit(&credited, &CreditScope::Remaining);
        prop_assert!(refused.is_err_and(|errors| errors.has("scope")));
    }
}

/// [`example`] with its totals, to credit.
struct Example {
    basis: PriceBasis,
    lines: Vec<PricedLine>,
    adjustments: Vec<Adjustment>,
    totals: Totals,
}

impl Example {
    fn new() -> Self {
        let (basis, lines, adjustments) = example();
        let totals = compute(basis, &lines, &adjustments).unwrap();
        Self {
            basis,
            lines,
            adjustments,
            totals,
        }
    }

    fn creditable(&self) -> Creditable<'_> {
        Creditable {
            basis: self.basis,
            lines: &self.lines,
            adjustments: &self.adjustments,
            totals: &self.totals,
        }
    }
}

/// Two days of work at 19 % with a 10 % discount, three licences at 7 % with 5.00 off, and a
/// 20.00 allowance at 19 %: 1,000.00 EUR-like amounts in cents.
fn example() -> (PriceBasis, Vec<PricedLine>, Vec<Adjustment>) {
    let rate =
        |percent: i64| TaxRate::new(VatCategory::Standard, Decimal::from(percent), None).unwrap();
    (
        PriceBasis::Exclusive,
        vec![
            PricedLine {
                quantity: Decimal::from(2),
                unit_price: Decimal::from(40_000),
                discount: Some(Discount::Percent(Decimal::TEN)),
                rate: rate(19),
            },
            PricedLine {
                quantity: Decimal::from(3),
                unit_price: Decimal::from(9_999),
                discount: Some(Discount::Amount(500)),
                rate: rate(7),
            },
        ],
        vec![Adjustment {
            kind: AdjustmentKind::Allowance,
            amount: 2_000,
            rate: rate(19),
        }],
    )
}

#[test]
fn a_whole_invoice_credited_at_once_is_the_invoice() {
    let example = Example::new();
    let invoice = example.creditable();
    let (lines, totals) = (&example.lines, &example.totals);
    let note = invoice
        .credit(&Credited::default(), &CreditScope::Remaining)
        .unwrap();
    assert_eq!(note.gross_total, totals.gross_total);
    assert_eq!(note.net_total, totals.net_total);
    let amounts: Vec<i64> = note.lines.iter().map(|line| line.amount).collect();
    assert_eq!(amounts, totals.lines);
    assert!(
        note.lines
            .iter()
            .enumerate()
            .all(|(index, line)| line.source == CreditSource::Line(index)
                && line.quantity == lines[index].quantity.normalize())
    );
    assert!(note.credited.complete);
    let again = invoice
        .credit(&note.credited, &CreditScope::Remaining)
        .unwrap_err();
    assert!(again.has("scope"), "{again}");
}

#[test]
fn a_third_of_a_line_three_times_is_the_line_to_the_minor_unit() {
    let example = Example::new();
    let invoice = example.creditable();
    let totals = &example.totals;
    let mut credited = Credited::default();
    let mut amounts = Vec::new();
    for _ in 0..3 {
        let scope = CreditScope::Lines {
            lines: vec![LineCredit {
                line: 1,
                quantity: Decimal::ONE,
            }],
        };
        let note = invoice.credit(&credited, &scope).unwrap();
        amounts.push(note.lines[0].amount);
        credited = note.credited;
    }
    // 3 × 99.99 − 5.00 = 294.97, credited as 98.32, 98.32 and 98.33: the amount discount is
    // shared out in thirds, and the last piece takes what rounding left.
    assert_eq!(amounts.iter().sum::<i64>(), totals.lines[1]);
    assert_eq!(totals.lines[1], 29_497);
    assert!(
        amounts
            .iter()
            .all(|amount| (9_832..=9_833).contains(amount)),
        "{amounts:?}"
    );
}

#[test]
fn more_than_is_left_is_refused_naming_the_field() {
    let example = Example::new();
    let invoice = example.creditable();
    let totals = &example.totals;
    let line = |line: usize, quantity: &str| CreditScope::Lines {
        lines: vec![LineCredit {
            line,
            quantity: quantity.parse().unwrap(),
        }],
    };
    let refused =
        |scope: CreditScope, credited: &Credited| invoice.credit(credited, &scope).unwrap_err();

    let none = Credited::default();
    assert!(refused(line(0, "2.5"), &none).has("lines[0].quantity"));
    assert!(refused(line(0, "0"), &none).has("lines[0].quantity"));
    assert!(refused(line(0, "-1"), &none).has("lines[0].quantity"));
    assert!(refused(line(2, "1"), &none).has("lines[0].line"));
    assert!(refused(CreditScope::Lines { lines: vec![] }, &none).has("lines"));
    let twice = CreditScope::Lines {
        lines: vec![
            LineCredit {
                line: 0,
                quantity: Decimal::ONE,
            },
            LineCredit {
                line: 0,
                quantity: Decimal::ONE,
            },
        ],
    };
    assert!(refused(twice, &none).has("lines[1].line"));

    let rate = |category: VatCategory, percent: i64| {
        TaxRate::new(category, Decimal::from(percent), None).unwrap()
    };
    let amount = |rate: TaxRate, amount: i64| CreditScope::Amounts {
        amounts: vec![AmountCredit { rate, amount }],
    };
    // The 19 % category's base is 2 × 400.00 − 10 % − 20.00 = 700.00.
    assert_eq!(
        totals
            .breakdown
            .iter()
            .find(|row| row.percent == Decimal::from(19))
            .unwrap()
            .base,
        70_000
    );
    assert!(refused(amount(rate(VatCategory::Standard, 19), 70_001), &none).has("amounts"));
    assert!(refused(amount(rate(VatCategory::Standard, 20), 100), &none).has("amounts[0].rate"));
    assert!(refused(amount(rate(VatCategory::Standard, 19), 0), &none).has("amounts[0].amount"));

    // One day credited: a second and a third do not fit; an amount of what is left does.
    let one_day = invoice.credit(&none, &line(0, "1")).unwrap();
    assert_eq!(one_day.lines[0].amount, 36_000);
    // Half the allowance goes with half the category's lines.
    assert_eq!(one_day.allowance_total, 1_000);
    assert!(refused(line(0, "1.0001"), &one_day.credited).has("lines[0].quantity"));
    let left = 70_000 - 35_000;
    assert!(
        refused(
            amount(rate(VatCategory::Standard, 19), left + 1),
            &one_day.credited
        )
        .has("amounts")
    );
    let rest_by_amount = invoice
        .credit(
            &one_day.credited,
            &amount(rate(VatCategory::Standard, 19), left),
        )
        .unwrap();
    assert_eq!(rest_by_amount.net_total, left);
    // The 19 % category is then used up: another day is more than is left of it.
    assert!(refused(line(0, "1"), &rest_by_amount.credited).has("lines"));
    // The rest is the 7 % licences; the amount credited earlier is not credited again.
    let rest = invoice
        .credit(&rest_by_amount.credited, &CreditScope::Remaining)
        .unwrap();
    assert_eq!(
        one_day.gross_total + rest_by_amount.gross_total + rest.gross_total,
        totals.gross_total
    );
}
