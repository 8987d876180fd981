//! Fuzzing the product's gate against the referee (issue 25): a seeded generator (`random`)
//! builds 1,000 valid invoices, which must pass the official XSDs and schematrons and our
//! rules alike (with the same warnings, where XRechnung warns), and 200 broken ones, which our
//! gate must refuse with exactly the fatal rule ids the referee reports. Each invoice is
//! written in one format, round robin: the four formats of every invoice would take the
//! referee four times as long. Each set goes to the referee in one run (`referee::judge`),
//! which compiles each XSLT once.
//!
//! The seed is printed; `FUZZ_SEED=<n>` replays a run, `FUZZ_VALID` and `FUZZ_BROKEN` change
//! the counts (e.g. a long run by hand). The documents stay in `target/einvoice-fuzz-*/`.

mod random;
mod referee;
mod verdicts;

use invoicing_einvoice::{Format, write};
use rand::{SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use random::{Generated, Needs, breakage::KINDS};
use referee::{Document, judge};
use std::time::Instant;
use strum::VariantArray;
use verdicts::{Tally, compare, print_counts};

const SEED: u64 = 25_2026;

fn seed() -> u64 {
    let seed = match std::env::var("FUZZ_SEED") {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("FUZZ_SEED={text} is not a number")),
        Err(_) => SEED,
    };
    println!("seed {seed} (FUZZ_SEED={seed} replays this run)");
    seed
}

fn count(variable: &str, default: usize) -> usize {
    std::env::var(variable).map_or(default, |text| {
        text.parse()
            .unwrap_or_else(|_| panic!("{variable}={text} is not a count"))
    })
}

/// One stream of the seed per test, so that each replays alone.
fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

#[test]
fn generated_valid_invoices_pass_the_referee_and_our_rules() {
    let seed = seed();
    let mut rng = rng(seed, 1);
    let started = Instant::now();
    let generated: Vec<(Generated, Format)> = (0..count("FUZZ_VALID", 1_000))
        .map(|i| {
            let invoice = random::invoice(&mut rng, &format!("F-{i:05}"), Needs::default());
            // Round robin: each format gets a quarter.
            (invoice, Format::VARIANTS[i % Format::VARIANTS.len()])
        })
        .collect();
    let documents: Vec<Document> = (generated.iter().enumerate())
        .map(|(i, (generated, format))| Document {
            name: format!("{i:05}"),
            format: *format,
            xml: write(&generated.invoice, *format),
        })
        .collect();
    let written = started.elapsed();
    let verdicts = judge("einvoice-fuzz-valid", &documents);
    let judged = started.elapsed();

    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for ((generated, _), verdict) in generated.iter().zip(&verdicts) {
        let comparison = compare(&generated.invoice, verdict);
        tally.add(&comparison);
        // Valid, yet warned about: both sides must warn alike.
        let (ours, referee) = (&comparison.our_warnings, &comparison.referee_warnings);
        if !verdict.passes() || comparison.refused || ours != referee {
            failures.push(format!(
                "{}  fatal: {}\n  warnings ours {ours:?}, referee {referee:?}",
                verdict.brief(),
                comparison.difference()
            ));
        }
    }
    let checked = started.elapsed();

    print_counts(
        "documents per format",
        generated.iter().map(|(_, format)| format.into()),
    );
    print_counts(
        "invoices per feature",
        (generated.iter()).flat_map(|(g, _)| g.features.iter().map(String::as_str)),
    );
    tally.print("valid invoices");
    println!(
        "{} documents: written in {:.1?}, judged by the referee in {:.1?}, checked by our rules in {:.1?}",
        verdicts.len(),
        written,
        judged - written,
        checked - judged
    );
    assert!(
        failures.is_empty(),
        "{} of {} generated valid invoices fail (seed {seed}):\n{}",
        failures.len(),
        verdicts.len(),
        failures.join("\n")
    );
}

#[test]
fn broken_invoices_are_refused_with_the_rule_ids_the_referee_reports() {
    let seed = seed();
    let mut rng = rng(seed, 2);
    let started = Instant::now();
    let mut broken = Vec::new();
    for i in 0..count("FUZZ_BROKEN", 200) {
        // Evenly over the kinds.
        let kind = KINDS[i % KINDS.len()];
        let number = format!("B-{i:05}");
        let mut generated = random::invoice(&mut rng, &number, kind.needs());
        let format = *kind.formats().choose(&mut rng).expect("formats");
        let how = kind.apply(&mut rng, &mut generated.invoice, format);
        broken.push((kind, how, generated.invoice, format));
    }
    let documents: Vec<Document> = (broken.iter().enumerate())
        .map(|(i, (_, _, invoice, format))| Document {
            name: format!("{i:05}"),
            format: *format,
            xml: write(invoice, *format),
        })
        .collect();
    let verdicts = judge("einvoice-fuzz-broken", &documents);
    let judged = started.elapsed();

    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for ((kind, how, invoice, _), verdict) in broken.iter().zip(&verdicts) {
        let comparison = compare(invoice, verdict);
        tally.add(&comparison);
        let problem = if !verdict.xsd.is_empty() {
            Some("the XSD refuses it: the breakage should leave it well-formed".to_owned())
        } else if comparison.referee.is_empty() {
            Some("the referee accepts it: not broken".to_owned())
        } else if !comparison.refused {
            Some("our gate lets it through".to_owned())
        } else if !comparison.fatal_agrees() {
            Some(comparison.difference())
        } else {
            None
        };
        if let Some(problem) = problem {
            failures.push(format!(
                "{} ({how}): {problem}\n{}",
                kind.name(),
                verdict.brief()
            ));
        }
    }

    print_counts(
        "documents per format",
        broken.iter().map(|(_, _, _, format)| format.into()),
    );
    let kinds: Vec<String> = (broken.iter())
        .map(|(kind, how, _, _)| format!("{}: {how}", kind.name()))
        .collect();
    print_counts("documents per breakage", kinds.iter().map(String::as_str));
    tally.print("broken invoices");
    println!(
        "{} documents generated, broken, written and judged in {:.1?}",
        verdicts.len(),
        judged
    );
    assert!(
        failures.is_empty(),
        "{} of {} broken invoices (seed {seed}):\n{}",
        failures.len(),
        verdicts.len(),
        failures.join("\n")
    );
}
