//! The business rules an e-invoice must pass before it leaves: EN 16931 (CEN schematron 1.3.16),
//! XRechnung (KoSIT schematron 2.6.0) and Peppol BIS Billing 3.0.16, checked on the semantic
//! model in Rust so that the gate needs no JVM. Each rule carries the official assert id,
//! flag and text (`catalog.rs`, generated from the referee files by `generate.py`), and reports
//! once per offending node, as the schematron does, so that its verdict can be compared with the
//! referee's id for id. The README beside this file lists every rule and where it was read.
//!
//! Where the CII and UBL files test a rule differently (tolerances, the node a rule is reported
//! on, rules present in one syntax only), the rule follows the syntax of the format it checks.

mod catalog;
pub(crate) mod codelists;
mod codes;
mod core;
mod decimals;
mod empty_elements;
mod exempt;
mod export;
mod intra_community;
mod not_subject;
mod peppol;
mod reverse_charge;
mod standard;
mod totals;
mod vat_category;
mod xrechnung;
mod zero;

#[cfg(test)]
mod tests;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::{Format, Invoice, Syntax, model::VatBreakdown};

/// How the official schematron flags a failed rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The invoice is not compliant: the gate refuses it.
    Fatal,
    /// Reported, but the invoice may be sent.
    Warning,
}

/// One failed rule on one node of the invoice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The schematron assert's `@id`, e.g. `BR-CO-15`, `BR-DE-15`, `PEPPOL-EN16931-R010`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The assertion text, verbatim from the schematron file the rule was read from.
    pub message: &'static str,
    /// The business term or group it concerns (`BT-48`, `BG-23`).
    pub term: Option<&'static str>,
    /// Which node: `lines[3]`, `vat_breakdown[1]`, `allowances_charges[0]`; `None` for the
    /// invoice as a whole.
    pub at: Option<String>,
}

/// Every finding of the rule sets that apply to `format`: EN 16931 in the format's syntax
/// always, the XRechnung rules (with the Peppol rules KoSIT merges into them) for the two
/// XRechnung formats, the Peppol BIS rules for Peppol.
pub fn check(invoice: &Invoice, format: Format) -> Vec<Finding> {
    let mut rules = Rules::new(invoice, format);
    core::check(&mut rules);
    totals::check(&mut rules);
    decimals::check(&mut rules);
    codes::check(&mut rules);
    for category in [
        &standard::CATEGORY,
        &zero::CATEGORY,
        &exempt::CATEGORY,
        &reverse_charge::CATEGORY,
        &intra_community::CATEGORY,
        &export::CATEGORY,
        &not_subject::CATEGORY,
    ] {
        vat_category::check(&mut rules, category);
    }
    standard::check(&mut rules);
    intra_community::check(&mut rules);
    not_subject::check(&mut rules);
    match format {
        Format::FacturX => {}
        Format::XrechnungCii | Format::XrechnungUbl => {
            xrechnung::check(&mut rules);
            peppol::check(&mut rules);
            empty_elements::check(&mut rules);
        }
        Format::PeppolUbl => {
            peppol::check(&mut rules);
            empty_elements::check(&mut rules);
        }
    }
    rules.findings
}

/// The gate's decision: any fatal finding refuses the invoice; warnings are only reported.
pub fn is_refused(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Fatal)
}

/// The invoice under check, the format's rule files and the findings so far.
struct Rules<'a> {
    inv: &'a Invoice,
    format: Format,
    syntax: Syntax,
    sources: &'static [&'static [(&'static str, Severity, &'static str)]],
    findings: Vec<Finding>,
}

impl<'a> Rules<'a> {
    fn new(inv: &'a Invoice, format: Format) -> Self {
        let sources: &'static [&'static [_]] = match format {
            Format::FacturX => &[catalog::CEN_CII],
            Format::XrechnungCii => &[catalog::CEN_CII, catalog::XR_CII],
            Format::XrechnungUbl => &[catalog::CEN_UBL, catalog::XR_UBL],
            Format::PeppolUbl => &[catalog::CEN_UBL, catalog::PEPPOL],
        };
        Rules {
            inv,
            format,
            syntax: format.syntax(),
            sources,
            findings: Vec::new(),
        }
    }

    fn cii(&self) -> bool {
        self.syntax == Syntax::Cii
    }

    /// The VAT breakdowns the rules on every breakdown (BR-48, BR-CO-17, BR-DEC-19, BR-DEC-20)
    /// see. A schematron pattern gives each element to its first matching rule only, and in
    /// CEN's CII file the rules of categories `O`, `L` and `M` have the breakdown element
    /// itself as context, ahead of those general rules: an `O` breakdown never meets them
    /// there. (The other categories' rules, and all of them in UBL, sit on a child element.)
    fn general_breakdowns(&self) -> impl Iterator<Item = (usize, &'a VatBreakdown)> + use<'a> {
        let cii = self.cii();
        (self.inv.vat_breakdown.iter().enumerate())
            .filter(move |(_, b)| !(cii && ["O", "L", "M"].contains(&b.rate.category.as_str())))
    }

    /// Records `rule` as failed, with the flag and text of the format's rule files. A rule the
    /// format's files do not contain (one syntax only, or a Peppol rule KoSIT did not merge)
    /// does not apply to the format and is dropped here, so the rule code needs no list of its
    /// own.
    fn fail(&mut self, rule: &'static str, term: Option<&'static str>, at: Option<String>) {
        let found = self
            .sources
            .iter()
            .find_map(|source| source.iter().find(|(id, _, _)| *id == rule));
        if let Some(&(rule, severity, message)) = found {
            self.findings.push(Finding {
                rule,
                severity,
                message,
                term,
                at,
            });
        }
    }

    /// `fail` unless `ok`.
    fn assert(&mut self, ok: bool, rule: &'static str, term: &'static str, at: Option<String>) {
        if !ok {
            self.fail(rule, Some(term), at);
        }
    }
}

/// XPath's `round(x * 100) div 100`: to two decimals, halves toward positive infinity.
fn round2(x: Decimal) -> Decimal {
    let strategy = if x.is_sign_negative() {
        RoundingStrategy::MidpointTowardZero
    } else {
        RoundingStrategy::MidpointAwayFromZero
    };
    x.round_dp_with_strategy(2, strategy)
}

/// XPath's `round(x)`, halves toward positive infinity.
fn round0(x: Decimal) -> Decimal {
    let strategy = if x.is_sign_negative() {
        RoundingStrategy::MidpointTowardZero
    } else {
        RoundingStrategy::MidpointAwayFromZero
    };
    x.round_dp_with_strategy(0, strategy)
}

/// `normalize-space(x) != ''`.
fn filled(x: &Option<String>) -> bool {
    x.as_deref().is_some_and(|s| !s.trim().is_empty())
}

fn at(list: &str, i: usize) -> Option<String> {
    Some(format!("{list}[{i}]"))
}
