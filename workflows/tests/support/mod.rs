#![allow(dead_code)] // each test file uses part of it
//! Random invoices for the arithmetic's tests: 1 to 50 lines of mixed VAT categories and rates,
//! decimal quantities, unit prices finer than the minor unit, line discounts, document
//! allowances and charges, prices exclusive and inclusive of tax, in currencies with 0, 2 and 3
//! decimals; and the shared vectors' form (an invoice with the totals the server gives it).

use invoicing_workflows::domain::{
    Adjustment, AdjustmentKind, Discount, Exemption, PriceBasis, PricedLine, TaxRate, VatCategory,
    totals::{Totals, compute},
};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An invoice and what it adds up to, as the shared vectors hold it (and the web's test reads).
#[derive(Debug, Serialize, Deserialize)]
pub struct Vector {
    pub name: String,
    pub basis: PriceBasis,
    pub lines: Vec<PricedLine>,
    pub adjustments: Vec<Adjustment>,
    pub totals: Totals,
}

impl Vector {
    /// `totals` computed by the server's arithmetic; `None` for an invoice it refuses.
    pub fn new(
        name: String,
        basis: PriceBasis,
        lines: Vec<PricedLine>,
        adjustments: Vec<Adjustment>,
    ) -> Option<Self> {
        let totals = compute(basis, &lines, &adjustments).ok()?;
        Some(Self {
            name,
            basis,
            lines,
            adjustments,
            totals,
        })
    }
}

/// `count` random invoices the arithmetic accepts, drawn from `seed`, named `random N`.
pub fn random_vectors(seed: u8, count: usize) -> Vec<Vector> {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = arb_invoice();
    let mut vectors = Vec::with_capacity(count);
    while vectors.len() < count {
        let (basis, lines, adjustments) = strategy
            .new_tree(&mut runner)
            .expect("a random invoice")
            .current();
        // An invoice the arithmetic refuses (allowances larger than their category) is not a
        // vector: refusals are tested on their own.
        let name = format!("random {}", vectors.len() + 1);
        vectors.extend(Vector::new(name, basis, lines, adjustments));
    }
    vectors
}

/// Writes `vectors` to `path` as a JSON array, one invoice a line: small enough to commit,
/// readable enough to diff.
pub fn write_vectors(path: &str, vectors: &[Vector]) -> std::io::Result<()> {
    let lines: Vec<String> = vectors
        .iter()
        .map(|vector| serde_json::to_string(vector).expect("a vector serializes"))
        .collect();
    std::fs::write(path, format!("[\n{}\n]\n", lines.join(",\n")))
}

/// The rates a random invoice draws from: the EU's, the UK's, a US sales tax, and the untaxed
/// categories.
pub fn rates() -> Vec<TaxRate> {
    let standard = |percent: &str| {
        TaxRate::new(VatCategory::Standard, percent.parse().unwrap(), None).unwrap()
    };
    let untaxed = |category: VatCategory, reason: &str, code: &str| {
        TaxRate::new(
            category,
            Decimal::ZERO,
            Some(Exemption {
                reason: reason.to_owned(),
                code: Some(code.to_owned()),
            }),
        )
        .unwrap()
    };
    vec![
        standard("19"),
        standard("7"),
        standard("20"),
        standard("5.5"),
        standard("8.875"),
        standard("0.0001"),
        standard("100"),
        TaxRate::new(VatCategory::ZeroRated, Decimal::ZERO, None).unwrap(),
        untaxed(VatCategory::ReverseCharge, "Reverse charge", "VATEX-EU-AE"),
        untaxed(
            VatCategory::IntraCommunity,
            "Intra-community supply",
            "VATEX-EU-IC",
        ),
        untaxed(VatCategory::Export, "Export outside the EU", "VATEX-EU-G"),
        untaxed(
            VatCategory::Exempt,
            "Exempt under Article 132",
            "VATEX-EU-132-1A",
        ),
        untaxed(
            VatCategory::OutsideScope,
            "Not subject to VAT",
            "VATEX-EU-O",
        ),
    ]
}

/// A decimal of `scale` places from a whole number of its smallest unit.
pub fn decimal(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

prop_compose! {
    pub fn arb_line(exponent: u32)(
        quantity in prop_oneof![
            (1i64..=1_000).prop_map(|units| decimal(units, 0)),
            // Up to the largest quantity, 1,000,000, with four decimals.
            (1i64..=10_000_000_000).prop_map(|units| decimal(units, 4)),
        ],
        // Up to 10,000 of the major unit, in minor units, and sometimes a fraction of one.
        price in 0i64..=10_000 * 10i64.pow(exponent),
        (fraction, fraction_scale) in prop_oneof![
            2 => Just((0i64, 0u32)),
            1 => (0i64..100).prop_map(|f| (f, 2u32)),
            1 => (0i64..1_000_000_000_000).prop_map(|f| (f, 12u32)),
        ],
        discount in prop_oneof![
            3 => Just(None),
            1 => (0i64..=1_000_000).prop_map(|p| Some(Discount::Percent(decimal(p, 4)))),
            1 => (0i64..=500).prop_map(|a| Some(Discount::Amount(a))),
        ],
        rate in 0usize..13,
    ) -> PricedLine {
        let mut line = PricedLine {
            quantity,
            unit_price: decimal(price, 0) + decimal(fraction, fraction_scale),
            discount,
            rate: rates()[rate].clone(),
        };
        // A discount amount never exceeds its line (that is refused, and tested elsewhere).
        if let Some(Discount::Amount(amount)) = line.discount
            && Decimal::from(amount) > line.quantity * line.unit_price
        {
            line.discount = None;
        }
        line
    }
}

prop_compose! {
    pub fn arb_invoice()(exponent in prop_oneof![Just(0u32), Just(2), Just(3)])(
        lines in prop::collection::vec(arb_line(exponent), 1..=50),
        adjustments in prop::collection::vec((any::<bool>(), 1i64..=2_000, 0usize..13), 0..=3),
        inclusive in any::<bool>(),
    ) -> (PriceBasis, Vec<PricedLine>, Vec<Adjustment>) {
        let basis = if inclusive { PriceBasis::Inclusive } else { PriceBasis::Exclusive };
        // Allowances and charges only in categories that have lines, charges first: an
        // allowance larger than its category is refused (tested elsewhere).
        let mut adjustments: Vec<Adjustment> = adjustments
            .into_iter()
            .map(|(charge, amount, pick)| Adjustment {
                kind: if charge { AdjustmentKind::Charge } else { AdjustmentKind::Allowance },
                amount,
                rate: lines[pick % lines.len()].rate.clone(),
            })
            .collect();
        adjustments.sort_by_key(|adjustment| adjustment.kind == AdjustmentKind::Allowance);
        (basis, lines, adjustments)
    }
}
