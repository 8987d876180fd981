//! Writes random invoices with the totals this arithmetic gives them, for the web app's copy to
//! reproduce (`scripts/test` runs it with 10,000, then the web's `totals.test.ts` reads them):
//!
//! `cargo run -p invoicing-workflows --example totals_vectors -- COUNT PATH [SEED]`

#[path = "../tests/support/mod.rs"]
mod support;

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
    support::write_vectors(&path, &support::random_vectors(seed, count))?;
    println!("{count} invoices (seed {seed}) with their totals in {path}");
    Ok(())
}
