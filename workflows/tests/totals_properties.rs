//! The invoice arithmetic over random invoices: 1 to 50 lines of mixed VAT categories and rates,
//! decimal quantities, unit prices finer than the minor unit, line discounts, document
//! allowances and charges, prices exclusive and inclusive of tax, in currencies with 0, 2 and 3
//! decimals. Every EN 16931 total rule must hold exactly, and inclusive prices must give back
//! the gross they add up to whenever a base reaches it.

mod support;

use invoicing_workflows::domain::{
    Adjustment, AdjustmentKind, PriceBasis, PricedLine, TaxRate,
    totals::{compute, tax_on},
};
use proptest::prelude::*;
use support::{arb_invoice, rates};

/// A category's gross in the invoice's basis: its lines' rounded amounts and its adjustments.
fn category_sum(
    totals_input: &(PriceBasis, Vec<PricedLine>, Vec<Adjustment>),
    rate: &TaxRate,
) -> i64 {
    let (_, lines, adjustments) = totals_input;
    let lines: i64 = lines
        .iter()
        .filter(|line| line.rate == *rate)
        .map(|line| {
            let alone = compute(PriceBasis::Exclusive, std::slice::from_ref(line), &[]).unwrap();
            alone.lines[0]
        })
        .sum();
    let adjustments: i64 = adjustments
        .iter()
        .filter(|adjustment| adjustment.rate == *rate)
        .map(|adjustment| match adjustment.kind {
            AdjustmentKind::Allowance => -adjustment.amount,
            AdjustmentKind::Charge => adjustment.amount,
        })
        .sum();
    lines + adjustments
}

proptest! {
    // A failure prints its smallest input; nothing is written next to the sources.
    #![proptest_config(ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_total_rule_holds(invoice in arb_invoice()) {
        let (basis, lines, adjustments) = &invoice;
        let totals = match compute(*basis, lines, adjustments) {
            Ok(totals) => totals,
            // Allowances may outweigh a small category; that is a refusal, not arithmetic.
            Err(errors) => {
                prop_assert!(errors.has("adjustments"), "{errors}");
                return Ok(());
            }
        };
        prop_assert_eq!(totals.broken_rules(lines, adjustments), Vec::<String>::new());
        prop_assert!(totals.lines.iter().all(|net| *net >= 0));
        for row in &totals.breakdown {
            let rate = rates().into_iter().find(|rate| {
                rate.category() == row.category && rate.percent() == row.percent
            }).unwrap();
            let gross = category_sum(&invoice, &rate);
            match basis {
                PriceBasis::Exclusive => prop_assert_eq!(row.base, gross),
                PriceBasis::Inclusive => {
                    let reached = row.base + row.tax;
                    let next = row.base + 1 + tax_on(row.base + 1, row.percent);
                    // The gross when a base reaches it, else the nearest below it.
                    prop_assert!(
                        reached == gross || (reached < gross && next > gross),
                        "base {} + tax {} for a gross of {gross}", row.base, row.tax
                    );
                }
            }
        }
    }
}
