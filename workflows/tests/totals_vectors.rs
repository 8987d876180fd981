//! The shared test vectors of the invoice arithmetic: `tests/vectors/totals.json` holds invoices
//! and what they add up to. This arithmetic must give exactly those totals, and so must the web
//! app's (`web/src/lib/totals.test.ts` reads the same file): both sides are held to one record.
//!
//! The file is written by this test from a fixed seed, named cases first:
//! `UPDATE_VECTORS=1 cargo test -p invoicing-workflows --test totals_vectors`. Rewrite it only
//! when the arithmetic is meant to change, and say why in the commit.

mod support;

use invoicing_workflows::domain::{
    Adjustment, AdjustmentKind, Discount, Exemption, PriceBasis, PricedLine, TaxRate, VatCategory,
    totals::compute,
};
use std::path::Path;
use support::{Vector, random_vectors, write_vectors};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/totals.json");
/// Random invoices in the file, after the named ones.
const RANDOM: usize = 60;
/// The seed of the file's random invoices.
const SEED: u8 = 23;

fn rate(category: VatCategory, percent: &str, exemption: Option<(&str, &str)>) -> TaxRate {
    let exemption = exemption.map(|(reason, code)| Exemption {
        reason: reason.to_owned(),
        code: Some(code.to_owned()),
    });
    TaxRate::new(category, percent.parse().unwrap(), exemption).unwrap()
}

fn line(
    quantity: &str,
    unit_price: &str,
    discount: Option<Discount>,
    rate: &TaxRate,
) -> PricedLine {
    PricedLine {
        quantity: quantity.parse().unwrap(),
        unit_price: unit_price.parse().unwrap(),
        discount,
        rate: rate.clone(),
    }
}

/// The cases the issue names, by name.
fn named() -> Vec<(&'static str, PriceBasis, Vec<PricedLine>, Vec<Adjustment>)> {
    let de19 = rate(VatCategory::Standard, "19", None);
    let de7 = rate(VatCategory::Standard, "7", None);
    let uk = rate(VatCategory::Standard, "20", None);
    let nyc = rate(VatCategory::Standard, "8.875", None);
    let reverse = rate(
        VatCategory::ReverseCharge,
        "0",
        Some(("Reverse charge", "VATEX-EU-AE")),
    );
    vec![
        (
            "German B2B, 19 % and 7 %",
            PriceBasis::Exclusive,
            vec![
                line("3", "12500", None, &de19),
                line("1.5", "8000", None, &de19),
                line("2", "1999", None, &de7),
            ],
            vec![],
        ),
        (
            "EU B2B reverse charge",
            PriceBasis::Exclusive,
            vec![line("40", "9500", None, &reverse)],
            vec![],
        ),
        (
            "UK 20 % VAT",
            PriceBasis::Exclusive,
            vec![line("7.5", "6000", None, &uk), line("1", "2499", None, &uk)],
            vec![],
        ),
        (
            "US sales tax 8.875 %, exclusive",
            PriceBasis::Exclusive,
            vec![
                line("3", "1999", None, &nyc),
                line("0.25", "12000", None, &nyc),
            ],
            vec![],
        ),
        (
            "French B2C, 20 % inclusive",
            PriceBasis::Inclusive,
            vec![line("1", "1999", None, &uk), line("3", "499", None, &uk)],
            vec![],
        ),
        (
            "JPY, no minor unit",
            PriceBasis::Exclusive,
            vec![line(
                "3",
                "1480",
                None,
                &rate(VatCategory::Standard, "10", None),
            )],
            vec![],
        ),
        (
            "A line and an invoice-level discount across two rates",
            PriceBasis::Exclusive,
            vec![
                line(
                    "3",
                    "3333",
                    Some(Discount::Percent("12.5".parse().unwrap())),
                    &de19,
                ),
                line("1", "5000", Some(Discount::Amount(1_250)), &de7),
            ],
            vec![
                Adjustment {
                    kind: AdjustmentKind::Allowance,
                    amount: 1_000,
                    rate: de19.clone(),
                },
                Adjustment {
                    kind: AdjustmentKind::Allowance,
                    amount: 375,
                    rate: de7.clone(),
                },
                Adjustment {
                    kind: AdjustmentKind::Charge,
                    amount: 495,
                    rate: de19.clone(),
                },
            ],
        ),
        (
            "Unit prices finer than the minor unit",
            PriceBasis::Exclusive,
            vec![
                line("12000", "0.012345678901", None, &uk),
                line("0.3333", "150", None, &uk),
            ],
            vec![],
        ),
    ]
}

/// The file's invoices: the named ones, then [`RANDOM`] drawn from [`SEED`].
fn generate() -> Vec<Vector> {
    named()
        .into_iter()
        .map(|(name, basis, lines, adjustments)| {
            Vector::new(name.to_owned(), basis, lines, adjustments).expect("a valid invoice")
        })
        .chain(random_vectors(SEED, RANDOM))
        .collect()
}

#[test]
fn the_shared_vectors_are_this_arithmetic() {
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        write_vectors(VECTORS, &generate()).unwrap();
    }
    let text = std::fs::read_to_string(Path::new(VECTORS)).unwrap_or_else(|error| {
        panic!("{VECTORS}: {error}; write it with UPDATE_VECTORS=1 (see this file's comment)")
    });
    let vectors: Vec<Vector> = serde_json::from_str(&text).unwrap();
    assert!(vectors.len() > RANDOM, "{} vectors", vectors.len());
    for vector in &vectors {
        let totals = compute(vector.basis, &vector.lines, &vector.adjustments)
            .unwrap_or_else(|errors| panic!("{}: {errors}", vector.name));
        assert_eq!(totals, vector.totals, "{}", vector.name);
    }
}
