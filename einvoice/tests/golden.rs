//! The golden corpus in every format, judged by the official artefacts (`mod referee`): each
//! must pass the XSD and the schematrons with no fatal finding. The files stay in
//! `target/einvoice-golden/` for a person to open.

mod referee;

use invoicing_einvoice::{Format, Invoice, model::Endpoint, samples, write};
use referee::{Document, judge};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use strum::VariantArray;

fn documents(corpus: &[(&str, Invoice)]) -> Vec<Document> {
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
fn every_golden_invoice_passes_the_referee_in_every_format() {
    let corpus = samples::golden();
    let verdicts = judge("einvoice-golden", &documents(&corpus));

    let failures: Vec<String> = verdicts
        .iter()
        .filter(|verdict| !verdict.passes())
        .map(|verdict| verdict.report())
        .collect();
    // The warnings are not failures, but a person should see them.
    let mut warnings: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for verdict in &verdicts {
        for finding in verdict.warnings() {
            *warnings.entry((&finding.id, &finding.text)).or_default() += 1;
        }
    }
    for ((id, text), count) in &warnings {
        println!("warning {id} in {count} document(s): {text}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} documents fail the referee:\n{}",
        failures.len(),
        verdicts.len(),
        failures.join("\n")
    );
    println!("{} documents pass", verdicts.len());
}

/// What issue 25 asks the corpus to cover; if a variation is dropped, this says what is lost.
#[test]
fn the_golden_corpus_covers_what_it_must() {
    let corpus = samples::golden();
    assert!(corpus.len() >= 30, "only {} golden invoices", corpus.len());
    let invoices = || corpus.iter().map(|(_, invoice)| invoice);
    let mut names: Vec<&str> = corpus.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        corpus.len(),
        "golden names are file names: unique"
    );
    for category in ["S", "Z", "E", "AE", "K", "G", "O"] {
        assert!(
            invoices().any(|i| i
                .vat_breakdown
                .iter()
                .any(|row| row.rate.category == category)),
            "no golden invoice in VAT category {category}"
        );
    }
    let has = |what: &str, test: &dyn Fn(&Invoice) -> bool| {
        assert!(invoices().any(test), "no golden invoice with {what}");
    };
    has("several rates", &|i| i.vat_breakdown.len() >= 3);
    has("a line allowance with percent and base", &|i| {
        i.lines
            .iter()
            .flat_map(|l| &l.allowances_charges)
            .any(|a| !a.is_charge && a.percent.is_some() && a.base_amount.is_some())
    });
    has("a line charge of an amount only", &|i| {
        i.lines
            .iter()
            .flat_map(|l| &l.allowances_charges)
            .any(|a| a.is_charge && a.percent.is_none())
    });
    has("document allowances and charges in two categories", &|i| {
        let rates: Vec<_> = i
            .allowances_charges
            .iter()
            .filter_map(|a| a.vat.as_ref())
            .collect();
        i.allowances_charges.iter().any(|a| a.is_charge)
            && i.allowances_charges.iter().any(|a| !a.is_charge)
            && rates.iter().any(|r| *r != rates[0])
    });
    has("a gross price, discount and base quantity", &|i| {
        i.lines.iter().any(|l| {
            l.price.gross.is_some() && l.price.discount.is_some() && l.price.base_quantity.is_some()
        })
    });
    has("a card payment", &|i| {
        i.payment.as_ref().is_some_and(|p| p.card.is_some())
    });
    has("a SEPA transfer with IBAN and BIC", &|i| {
        i.payment.as_ref().is_some_and(|p| {
            p.means.code() == "58" && p.transfer.as_ref().is_some_and(|t| t.bic.is_some())
        })
    });
    has("VAT accounted in another currency", &|i| {
        i.tax_currency.is_some()
    });
    has("JPY", &|i| i.currency == "JPY");
    has("a prepaid amount", &|i| {
        i.totals.prepaid.is_some_and(|p| p > Decimal::ZERO)
    });
    has("a rounding amount", &|i| {
        i.totals.rounding.is_some_and(|r| r != Decimal::ZERO)
    });
    has("line periods", &|i| {
        i.period.is_some() && i.lines.iter().any(|l| l.period.is_some())
    });
    has("a credit note with its invoice", &|i| {
        i.type_code.code() == "381" && !i.preceding.is_empty()
    });
    // Greek, Cyrillic, Arabic, CJK and emoji, in the notes of one invoice.
    let scripts = [
        '\u{0370}'..='\u{03FF}',
        '\u{0400}'..='\u{04FF}',
        '\u{0600}'..='\u{06FF}',
        '\u{4E00}'..='\u{9FFF}',
        '\u{1F300}'..='\u{1FAFF}',
    ];
    has("notes in Greek, Cyrillic, Arabic, CJK and emoji", &|i| {
        scripts.iter().all(|script| {
            i.notes
                .iter()
                .any(|n| n.chars().any(|c| script.contains(&c)))
        })
    });
    for scheme in ["0088", "0208", "9930"] {
        assert!(
            invoices().any(|i| i
                .seller
                .endpoint
                .as_ref()
                .is_some_and(|e| e.scheme == scheme)),
            "no golden seller with an endpoint in scheme {scheme}"
        );
    }
    has("a seller with a tax number and no VAT id", &|i| {
        i.seller.vat_id.is_none()
            && i.seller.tax_registration.is_some()
            && i.vat_breakdown.iter().any(|r| r.rate.category == "S")
    });
}

#[test]
fn writing_is_deterministic() {
    for (name, invoice) in samples::golden() {
        for &format in Format::VARIANTS {
            assert_eq!(
                write(&invoice, format),
                write(&invoice, format),
                "{name} as {format}"
            );
        }
    }
}

/// E-mail addresses are valid endpoints everywhere but in Peppol, whose referee must say so.
#[test]
fn email_endpoints_pass_everywhere_but_peppol() {
    let corpus = samples::email_endpoints();
    let email = |endpoint: Option<&Endpoint>| endpoint.is_some_and(|e| e.scheme == "EM");
    assert!(
        corpus
            .iter()
            .all(|(_, i)| email(i.seller.endpoint.as_ref()))
    );
    let verdicts = judge("einvoice-email", &documents(&corpus));
    for verdict in &verdicts {
        if verdict.format == Format::PeppolUbl {
            assert!(verdict.xsd.is_empty(), "{}", verdict.report());
            assert_eq!(
                verdict.fatal_ids(),
                ["PEPPOL-EN16931-CL008"],
                "{}",
                verdict.report()
            );
        } else {
            assert!(verdict.passes(), "{}", verdict.report());
        }
    }
}

/// The fatal rule ids each format's referee must report.
type Expected = &'static [(Format, &'static [&'static str])];

/// The referee can fail: golden invoices broken on purpose get the official rule ids.
#[test]
fn the_referee_refuses_broken_invoices_with_the_official_rule_ids() {
    let golden: BTreeMap<&str, Invoice> = samples::golden().into_iter().collect();
    let broken = |name: &str, change: fn(&mut Invoice)| {
        let mut invoice = golden[name].clone();
        change(&mut invoice);
        invoice
    };
    let cases: Vec<(&str, Invoice, Expected)> = vec![
        (
            "reverse-charge-without-buyer-vat-id",
            broken("reverse-charge", |i| i.buyer.vat_id = None),
            &[
                (Format::FacturX, &["BR-AE-02"]),
                (Format::XrechnungCii, &["BR-AE-02"]),
                (Format::XrechnungUbl, &["BR-AE-02"]),
                (Format::PeppolUbl, &["BR-AE-02"]),
            ],
        ),
        (
            "amount-due-off-by-a-cent",
            broken("standard", |i| i.totals.payable += Decimal::new(1, 2)),
            &[
                (Format::FacturX, &["BR-CO-16"]),
                (Format::XrechnungCii, &["BR-CO-16"]),
                (Format::XrechnungUbl, &["BR-CO-16"]),
                (Format::PeppolUbl, &["BR-CO-16"]),
            ],
        ),
        (
            "exempt-without-reason",
            broken("exempt", |i| {
                i.vat_breakdown[0].exemption_reason = None;
                i.vat_breakdown[0].exemption_code = None;
            }),
            &[
                (Format::FacturX, &["BR-E-10"]),
                (Format::XrechnungUbl, &["BR-E-10"]),
            ],
        ),
        (
            "without-leitweg-id",
            broken("standard", |i| i.buyer_reference = None),
            &[
                (Format::XrechnungCii, &["BR-DE-15"]),
                (Format::XrechnungUbl, &["BR-DE-15"]),
                (Format::PeppolUbl, &["PEPPOL-EN16931-R003"]),
            ],
        ),
    ];
    let documents: Vec<Document> = cases
        .iter()
        .flat_map(|(name, invoice, expected)| {
            expected.iter().map(|&(format, _)| Document {
                name: (*name).to_owned(),
                format,
                xml: write(invoice, format),
            })
        })
        .collect();
    let verdicts = judge("einvoice-broken", &documents);
    let expected = cases.iter().flat_map(|(_, _, expected)| expected.iter());
    for (verdict, (_, ids)) in verdicts.iter().zip(expected) {
        assert!(verdict.xsd.is_empty(), "{}", verdict.report());
        let fatal = verdict.fatal_ids();
        for id in *ids {
            assert!(
                fatal.contains(id),
                "expected {id}; got {fatal:?}\n{}",
                verdict.report()
            );
        }
    }
}
