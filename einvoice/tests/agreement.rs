//! The product's own verdict against the referee's on the golden corpus: for every golden
//! invoice in every format, the fatal rule ids `einvoice::check` finds are the fatal ids the
//! official schematrons report on the XML, and the XML passes the XSD. For the corpus both
//! are empty; `fuzz.rs` holds the two side by side on invoices they refuse.

mod referee;
mod verdicts;

use invoicing_einvoice::{Format, samples, write};
use referee::{Document, judge};
use strum::VariantArray;
use verdicts::{Tally, compare};

#[test]
fn our_rules_agree_with_the_referee_on_every_golden_invoice() {
    let corpus = samples::golden();
    let documents: Vec<Document> = corpus
        .iter()
        .flat_map(|(name, invoice)| {
            Format::VARIANTS.iter().map(|&format| Document {
                name: (*name).to_owned(),
                format,
                xml: write(invoice, format),
            })
        })
        .collect();
    let verdicts = judge("einvoice-agreement", &documents);

    let invoices = corpus
        .iter()
        .flat_map(|(_, invoice)| Format::VARIANTS.iter().map(move |_| invoice));
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for (invoice, verdict) in invoices.zip(&verdicts) {
        let comparison = compare(invoice, verdict);
        tally.add(&comparison);
        if !verdict.xsd.is_empty() || !comparison.fatal_agrees() || !comparison.referee.is_empty() {
            failures.push(format!(
                "{}\n  {}",
                verdict.brief(),
                comparison.difference()
            ));
        }
    }
    tally.print("golden corpus");
    println!(
        "{} golden invoices × {} formats = {} documents",
        corpus.len(),
        Format::VARIANTS.len(),
        verdicts.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} golden documents: the referee refuses them or our rules disagree:\n{}",
        failures.len(),
        verdicts.len(),
        failures.join("\n")
    );
}
