//! Writes random invoices with the totals this arithmetic gives them, for the web app's copy to
//! reproduce (`scripts/test` runs it with 10,000, then the web's `totals.test.ts` reads them):
//!
//! `cargo run -p invoicing-workflows --example totals_vectors -- COUNT PATH [SEED]`

#[path = "../tests/support/mod.rs"]
mod support;

use invoicing_workflows::domain::totals::compute;
use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: totals_vectors COUNT PATH [SEED]";
    let count: usize = args.next().ok_or(usage)?.parse()?;
    let path = args.next().ok_or(usage)?;
    let seed: u8 = args
        .next()
        .map(|seed| seed.parse())
        .transpose()?
        .unwrap_or(42);
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = support::arb_invoice();
    let mut lines = Vec::with_capacity(count);
    while lines.len() < count {
        let tree = strategy
            .new_tree(&mut runner)
            .map_err(|reason| reason.to_string())?;
        let (basis, items, adjustments) = tree.current();
        // An invoice the arithmetic refuses (allowances larger than their category) is not a
        // vector: the web's refusals are tested on their own.
        let Ok(totals) = compute(basis, &items, &adjustments) else {
            continue;
        };
        let vector = json!({
            "name": format!("random {} (seed {seed})", lines.len() + 1),
            "basis": basis,
            "lines": items,
            "adjustments": adjustments,
            "totals": totals,
        });
        lines.push(vector.to_string());
    }
    std::fs::write(&path, format!("[\n{}\n]\n", lines.join(",\n")))?;
    println!("{count} invoices with their totals in {path}");
    Ok(())
}
