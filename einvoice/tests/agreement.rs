//! The product's own verdict against the referee's on the golden corpus: for every golden
//! invoice in every format, the fatal rule ids `einvoice::check` finds are the fatal ids the
//! official schematrons report on the XML, and the XML passes the XSD. For the corpus both
//! are empty; the e-mail addressed invoice shows them agreeing on a refusal, and `fuzz.rs`
//! holds the two side by side on many more.

mod referee;
mod verdicts;

use invoicing_einvoice::{Format, Invoice, samples, write};
use referee::{Document, judge};
use strum::VariantArray;
use verdicts::{Tally, compare};

fn every_format(corpus: &[(&str, Invoice)]) -> Vec<Document> {
    corpus
        .iter()
        .flat_map(|(name, invoice)| {
            Format::VARIANTS.iter().map(|&format| Document {
                name: (*name).to_owned(),
                format,
                xml: write(invoice, format),
            })
        })
        .collect()
}

#[test]
fn our_rules_agree_with_the_referee_on_every_golden_invoice() {
    let corpus = samples::golden();
    let verdicts = judge("einvoice-agreement", &every_format(&corpus));

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

/// Peppol routes no e-mail addresses: both sides refuse that invoice there, with the same rule,
/// and accept it in the other formats.
#[test]
fn our_rules_refuse_e_mail_endpoints_in_peppol_as_the_referee_does() {
    let corpus = samples::email_endpoints();
    let verdicts = judge("einvoice-agreement-email", &every_format(&corpus));
    let invoices = corpus
        .iter()
        .flat_map(|(_, invoice)| Format::VARIANTS.iter().map(move |_| invoice));
    for (invoice, verdict) in invoices.zip(&verdicts) {
        let comparison = compare(invoice, verdict);
        assert!(verdict.xsd.is_empty(), "{}", verdict.brief());
        assert!(
            comparison.fatal_agrees(),
            "{}\n{}",
            verdict.brief(),
            comparison.difference()
        );
        let peppol = verdict.format == Format::PeppolUbl;
        assert_eq!(comparison.refused, peppol, "{}", verdict.brief());
    }
}
