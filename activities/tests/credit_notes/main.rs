//! Credit notes as documents: a German invoice credited in three notes (2.5 of a line's 10
//! hours, then 20.00 of its 7 % category, then the rest) and an invoice with prices inclusive
//! of VAT credited by a line and an amount, each note from the domain's `credit` and made a
//! document by `credit_note_document`.
//!
//! - Their PDFs, read back with `pdftotext -layout` (Debian's poppler-utils; `ensure_pdf_tools`
//!   in scripts/lib.sh), say what they are and which invoice they credit, and ask for no
//!   payment: no due date, no terms, no bank details, no EPC QR code (`zbarimg`).
//! - Their e-invoices, in every format the product writes, pass the official referees (XSD and
//!   schematron, as `tests/e_invoice.rs`) and the send gate, as type 381 naming the invoice (BG-3).
//! - Their Factur-X PDF is a PDF/A-3 hybrid carrying that CII (scripts/pdfa-check.py).
//!
//! The referees need `source scripts/lib.sh && ensure_einvoice_referees` (REFEREE_PYTHON,
//! REFEREE_SITE). What was checked stays in `.artifacts/credit-notes/` and
//! `target/einvoice-credit-notes/`.

#[path = "../../../einvoice/tests/referee/mod.rs"]
mod referee;
#[path = "../support/mod.rs"]
mod support;

mod e_invoice;
mod notes;
mod pdf;

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("activities sits in the workspace")
        .to_path_buf()
}

/// `.artifacts/credit-notes/`, where the PDFs and what was read from them stay.
fn artifacts() -> PathBuf {
    let dir = workspace().join(".artifacts/credit-notes");
    std::fs::create_dir_all(&dir).expect("the .artifacts/credit-notes directory");
    dir
}
