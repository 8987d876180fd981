//! The PDFs, read back with `pdftotext -layout` and `zbarimg`.

use crate::artifacts;
use crate::notes::german_notes;
use invoicing_activities::pdf::{InvoiceDocument, render};
use invoicing_workflows::domain::Language;
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn an_english_credit_note_names_its_invoice_and_asks_for_no_payment() {
    let [first, ..] = german_notes(Language::En);

    let text = pdf_text("en-partial-line", &first);

    for expected in [
        "CREDIT NOTE",
        "GS-2026-0001",
        "Credit note for invoice RE-2026-0042 of 6 Dec 2026",
        "Reason: 2.5 design hours were billed twice",
        "Issue date",
        "15 Dec 2026",
        "CREDIT TO",
        "Design hours",
        // 2.5 h × €95.00 less 10 %; its €4.03 share of the €50.00 loyalty discount; 19 % of
        // €209.72 is €39.85.
        "€213.75",
        "Loyalty discount",
        "-€4.03",
        "€39.85",
        "Total credited",
        "€249.57",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
    for absent in [
        "Due date",
        "Terms",
        "Net 14",
        "Amount due",
        "Amount paid",
        "Payment",
        "IBAN",
        "Scan to pay",
        "INVOICE",
    ] {
        assert!(!text.contains(absent), "has {absent:?}:\n{text}");
    }
    assert_no_qr_code("en-partial-line");
}

#[test]
fn a_german_credit_note_is_a_rechnungskorrektur_without_payment_details() {
    let [_, amount, rest] = german_notes(Language::De);

    let text = pdf_text("de-amount", &amount);
    for expected in [
        "RECHNUNGSKORREKTUR",
        "GS-2026-0002",
        "Korrektur zur Rechnung RE-2026-0042 vom 06.12.2026",
        "Grund: Kulanz für die verspätete Lieferung",
        "Liefer-/Leistungsdatum",
        "Entgeltminderung, USt. 7",
        "Korrekturbetrag brutto",
        "21,40 €",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
    for absent in [
        "Fällig am",
        "Zahlungsziel",
        "Zahlbetrag",
        "Bereits bezahlt",
        "Kontoinhaber",
        "IBAN",
        "Rechnungsdatum",
    ] {
        assert!(!text.contains(absent), "has {absent:?}:\n{text}");
    }
    assert_no_qr_code("de-amount");

    // The rest: every line's remaining quantity, the loyalty discount's remaining €45.97, and
    // the 20.00 the second note took back left out as an allowance.
    let text = pdf_text("de-rest", &rest);
    for expected in [
        "Treuerabatt",
        "-45,97 €",
        "Bereits früher korrigiert",
        "-20,00 €",
        "Korrekturbetrag brutto",
        "2.989,16 €",
    ] {
        assert!(text.contains(expected), "lacks {expected:?}:\n{text}");
    }
}

/// Runs `tool` on `args`, failing with the Debian package to install when it is missing.
fn run(tool: &str, args: &[&str]) -> std::process::Output {
    Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "{tool} could not be run ({error}): scripts/lib.sh's ensure_pdf_tools installs it"
            )
        })
}

/// Renders `doc` as `<name>.pdf` and its pages as `<name>-N.png`, and returns its text as
/// `pdftotext -layout` reads it, each run of white space one space.
fn pdf_text(name: &str, doc: &InvoiceDocument) -> String {
    let pdf = artifacts().join(format!("{name}.pdf"));
    std::fs::write(&pdf, render(doc).expect("the credit note renders")).unwrap();
    let txt = artifacts().join(format!("{name}.txt"));
    let output = run("pdftotext", &["-layout", path(&pdf), path(&txt)]);
    assert!(output.status.success(), "pdftotext: {output:?}");
    let prefix = artifacts().join(name);
    let output = run(
        "pdftoppm",
        &["-r", "200", "-png", path(&pdf), path(&prefix)],
    );
    assert!(output.status.success(), "pdftoppm: {output:?}");
    let raw = std::fs::read_to_string(&txt).unwrap();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// No page of `name` carries a QR code (the same invoice's PDF carries its EPC code).
fn assert_no_qr_code(name: &str) {
    let pages: Vec<PathBuf> = std::fs::read_dir(artifacts())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let file = path.file_name().unwrap().to_string_lossy();
            file.starts_with(&format!("{name}-")) && file.ends_with(".png")
        })
        .collect();
    assert!(!pages.is_empty(), "{name}: no page images");
    for page in pages {
        let output = run("zbarimg", &["-q", path(&page)]);
        // Exit status 4: no code found.
        assert_eq!(
            output.status.code(),
            Some(4),
            "{}: {output:?}",
            page.display()
        );
    }
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
