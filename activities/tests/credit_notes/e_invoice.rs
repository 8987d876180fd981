//! The e-invoices, judged by the official referees and the send gate, and the Factur-X PDF.

use crate::notes::{german_notes, inclusive_notes, routing};
use crate::referee::{Document, judge};
use crate::{artifacts, workspace};
use invoicing_activities::{
    e_invoice::{checked, e_invoice},
    pdf::{InvoiceDocument, facturx::render_hybrid},
};
use invoicing_einvoice::{Format, write};
use invoicing_workflows::domain::Language;
use std::process::Command;
use strum::VariantArray;

#[test]
fn credit_notes_pass_the_referee_and_the_gate_in_every_format() {
    let mut notes: Vec<(String, InvoiceDocument)> = Vec::new();
    for (index, note) in german_notes(Language::De).into_iter().enumerate() {
        notes.push((format!("german-{}", index + 1), note));
    }
    for (index, note) in inclusive_notes().into_iter().enumerate() {
        notes.push((format!("inclusive-{}", index + 1), note));
    }
    let mut documents = Vec::new();
    let mut failures = Vec::new();
    for (name, note) in &notes {
        for &format in Format::VARIANTS {
            if let Err(findings) = checked(note, &routing(), format) {
                failures.push(format!(
                    "{name} in {format}: the gate refuses it: {findings:?}"
                ));
            }
            let xml = write(&e_invoice(note, &routing()), format);
            assert_credit_note(name, format, &String::from_utf8_lossy(&xml));
            documents.push(Document {
                name: name.clone(),
                format,
                xml,
            });
        }
    }
    let verdicts = judge("einvoice-credit-notes", &documents);
    for (document, verdict) in documents.iter().zip(&verdicts) {
        if !verdict.passes() {
            failures.push(format!(
                "{} in {}: the referee says\n{}",
                document.name,
                document.format,
                verdict.report()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(documents.len(), 5 * Format::VARIANTS.len());
}

/// BT-3 is 381, BG-3 names the invoice and its date, and there is no due date (BT-9).
fn assert_credit_note(name: &str, format: Format, xml: &str) {
    // The writers indent; the elements are compared without the white space between them.
    let xml: String = xml
        .split('<')
        .map(|part| part.trim_end())
        .collect::<Vec<_>>()
        .join("<");
    let expected: &[&str] = match format {
        Format::FacturX | Format::XrechnungCii => &[
            "<ram:TypeCode>381</ram:TypeCode>",
            "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>RE-2026-0042</ram:IssuerAssignedID>\
             <ram:FormattedIssueDateTime><qdt:DateTimeString format=\"102\">20261206</qdt:DateTimeString>",
        ],
        Format::XrechnungUbl | Format::PeppolUbl => &[
            "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"",
            "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>",
            "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>RE-2026-0042</cbc:ID>\
             <cbc:IssueDate>2026-12-06</cbc:IssueDate>",
        ],
    };
    for element in expected {
        assert!(
            xml.contains(element),
            "{name} in {format} lacks {element}:\n{xml}"
        );
    }
    for due in ["DueDateDateTime", "cbc:DueDate", "cbc:PaymentDueDate"] {
        assert!(!xml.contains(due), "{name} in {format} has {due}:\n{xml}");
    }
}

#[test]
fn a_credit_notes_factur_x_pdf_is_a_pdfa3_hybrid_carrying_its_cii() {
    let [first, ..] = german_notes(Language::De);
    let xml = write(&e_invoice(&first, &routing()), Format::FacturX);

    let pdf = render_hybrid(&first, &xml).expect("the hybrid");

    let dir = artifacts();
    let (pdf_path, xml_path) = (dir.join("de-facturx.pdf"), dir.join("de-facturx.xml"));
    std::fs::write(&pdf_path, &pdf).unwrap();
    std::fs::write(&xml_path, &xml).unwrap();
    let python = std::env::var_os("REFEREE_PYTHON")
        .expect("REFEREE_PYTHON: `source scripts/lib.sh; ensure_einvoice_referees` first");
    let output = Command::new(python)
        .arg(workspace().join("scripts/pdfa-check.py"))
        .args([&pdf_path, &xml_path])
        .output()
        .expect("scripts/pdfa-check.py runs");
    let verdict: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the checker's verdict");
    assert_eq!(verdict["passed"], true, "{verdict:#}");
    assert_eq!(verdict["failed"], serde_json::json!([]), "{verdict:#}");
}
