//! Our rules' verdict beside the referee's, rule id for rule id: for one document, the fatal
//! and the warning rule ids `einvoice::check` finds on the invoice and those the official
//! schematrons report on the XML written from it, as sets; and a tally per rule over many
//! documents for the summary the tests print. A test module included with `mod verdicts;`
//! beside `mod referee;`.

#![allow(dead_code)] // each test binary uses its own part of this module

use crate::referee::Verdict;
use invoicing_einvoice::{Invoice, Severity, check, is_refused};
use std::collections::{BTreeMap, BTreeSet};

/// What each side says about one document.
pub struct Comparison {
    /// Fatal rule ids from `einvoice::check`.
    pub ours: BTreeSet<String>,
    /// Fatal failed-assert ids from the referee's schematrons.
    pub referee: BTreeSet<String>,
    pub our_warnings: BTreeSet<String>,
    pub referee_warnings: BTreeSet<String>,
    /// The product's gate: `einvoice::is_refused`.
    pub refused: bool,
}

/// Checks `invoice` in the verdict's format and sets the findings beside the verdict's.
pub fn compare(invoice: &Invoice, verdict: &Verdict) -> Comparison {
    let findings = check(invoice, verdict.format);
    let ids = |severity: Severity| -> BTreeSet<String> {
        (findings.iter())
            .filter(|finding| finding.severity == severity)
            .map(|finding| finding.rule.to_owned())
            .collect()
    };
    Comparison {
        ours: ids(Severity::Fatal),
        referee: verdict.fatal().map(|f| f.id.clone()).collect(),
        our_warnings: ids(Severity::Warning),
        referee_warnings: verdict.warnings().map(|f| f.id.clone()).collect(),
        refused: is_refused(&findings),
    }
}

impl Comparison {
    pub fn fatal_agrees(&self) -> bool {
        self.ours == self.referee
    }

    /// The fatal ids only one side reports, for a failure message.
    pub fn difference(&self) -> String {
        let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| -> Vec<String> {
            a.difference(b).cloned().collect()
        };
        format!(
            "ours only {:?}, referee only {:?} (both {:?})",
            only(&self.ours, &self.referee),
            only(&self.referee, &self.ours),
            self.ours.intersection(&self.referee).collect::<Vec<_>>()
        )
    }
}

/// Per rule id: in how many documents each side reported it.
#[derive(Default)]
pub struct Tally {
    rules: BTreeMap<String, Counts>,
}

#[derive(Default)]
struct Counts {
    ours: usize,
    referee: usize,
    our_warnings: usize,
    referee_warnings: usize,
}

impl Tally {
    pub fn add(&mut self, comparison: &Comparison) {
        let mut count = |ids: &BTreeSet<String>, field: fn(&mut Counts) -> &mut usize| {
            for id in ids {
                *field(self.rules.entry(id.clone()).or_default()) += 1;
            }
        };
        count(&comparison.ours, |c| &mut c.ours);
        count(&comparison.referee, |c| &mut c.referee);
        count(&comparison.our_warnings, |c| &mut c.our_warnings);
        count(&comparison.referee_warnings, |c| &mut c.referee_warnings);
    }

    /// One line per rule: documents where it was fatal (ours / referee's), then where it was
    /// a warning.
    pub fn print(&self, title: &str) {
        println!("{title}: documents per rule, fatal ours/referee, warning ours/referee");
        if self.rules.is_empty() {
            println!("  (none)");
        }
        for (id, c) in &self.rules {
            println!(
                "  {id:<24} fatal {:>4}/{:<4} warning {:>4}/{:<4}",
                c.ours, c.referee, c.our_warnings, c.referee_warnings
            );
        }
    }
}

/// How many of each, for the summaries' counts by format, kind and feature.
pub fn print_counts<'a>(title: &str, items: impl IntoIterator<Item = &'a str>) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    println!("{title}:");
    for (item, count) in counts {
        println!("  {item:<52} {count:>5}");
    }
}
