//! Factur-X hybrids held against the referees: the sample invoice rendered, made PDF/A-3b with
//! a CII XML embedded, and checked by scripts/pdfa-check.py (pikepdf's libqpdf, LittleCMS for
//! the colour profile, and the PyPI factur-x and drafthorse readers) in the referee venv.
//!
//! Until the einvoice crate writes CII, the XML is the CEN example 1 of
//! ConnectingEurope/eInvoicing-EN16931 (`cii/examples/CII_example1.xml`, EUPL 1.2 as its header
//! says), a Factur-X EN 16931 document. The PDFs and the checker's verdicts are written to
//! `.artifacts/facturx/` for people to look at.
//!
//! The referees come from `source scripts/lib.sh; ensure_einvoice_referees`, which exports
//! REFEREE_PYTHON; without it these tests fail saying so.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use invoicing_activities::pdf::facturx::{HybridMeta, hybrid};
use invoicing_activities::pdf::{Mark, render, sample_document};

const CEN_EXAMPLE: &[u8] = include_bytes!("fixtures/cii-en16931-example1.xml");

#[test]
fn the_sample_invoice_with_a_cii_xml_is_a_pdfa3_factur_x_hybrid() {
    let mut doc = sample_document(20);
    // The stamp draws with transparency, which PDF/A-3 restricts.
    doc.mark = Some(Mark::Paid);
    // Text the XMP must escape and the Info dictionary must write as UTF-16.
    doc.seller.legal_name = Some("Northwind Design Studio — Ærø & <Söhne>".to_owned());
    let meta = HybridMeta::of(&doc);
    let pdf = hybrid(&render(&doc).expect("renders"), CEN_EXAMPLE, &meta).expect("hybrid");

    let verdict = check("sample-paid", &pdf, CEN_EXAMPLE);

    assert!(verdict.failed.is_empty(), "{verdict:#?}");
    assert!(verdict.passed);
    assert_eq!(
        verdict.checks.len(),
        ALL_CHECKS.len(),
        "{:?}",
        verdict.checks
    );
}

#[test]
fn the_plain_pdf_fails_every_factur_x_and_pdfa_check_render_leaves_to_the_hybrid() {
    let plain = render(&sample_document(3)).expect("renders");

    let verdict = check("plain", &plain, CEN_EXAMPLE);

    // What render already does as PDF/A wants passes: fonts embedded, no encryption, a file
    // identifier, no JavaScript, a well-formed file.
    let passed: BTreeSet<&str> = [
        "syntax",
        "not_encrypted",
        "trailer_id",
        "fonts_embedded",
        "no_javascript",
    ]
    .into();
    let expected: BTreeSet<&str> = ALL_CHECKS
        .iter()
        .copied()
        .filter(|c| !passed.contains(c))
        .collect();
    assert_eq!(verdict.failed_names(), expected, "{verdict:#?}");
    assert!(!verdict.passed);
}

#[test]
fn a_hybrid_with_other_xml_than_expected_fails_the_comparison() {
    let doc = sample_document(3);
    let other: Vec<u8> = String::from_utf8_lossy(CEN_EXAMPLE)
        .replace("<ram:ID>12115118</ram:ID>", "<ram:ID>12115119</ram:ID>")
        .into_bytes();
    assert_ne!(
        other, CEN_EXAMPLE,
        "the example has the invoice number to change"
    );
    let pdf = hybrid(
        &render(&doc).expect("renders"),
        &other,
        &HybridMeta::of(&doc),
    )
    .expect("hybrid");

    let verdict = check("other-xml", &pdf, CEN_EXAMPLE);

    assert_eq!(
        verdict.failed_names(),
        ["facturx_reader", "xml_equal"].into(),
        "{verdict:#?}"
    );
}

/// Each way of breaking a valid hybrid is found by the check that is about it, and by no other.
#[test]
fn a_tampered_hybrid_fails_the_check_about_what_was_broken() {
    let doc = sample_document(3);
    let valid = hybrid(
        &render(&doc).expect("renders"),
        CEN_EXAMPLE,
        &HybridMeta::of(&doc),
    )
    .expect("hybrid");
    type Tamper = fn(&mut lopdf::Document);
    let cases: [(&str, Tamper, &[&str]); 5] = [
        (
            "font-not-embedded",
            |pdf| {
                let descriptor = pdf
                    .objects
                    .values_mut()
                    .filter_map(|o| o.as_dict_mut().ok())
                    .find(|d| d.has(b"FontFile2"))
                    .expect("a font descriptor with its font file");
                descriptor.remove(b"FontFile2");
            },
            &["fonts_embedded"],
        ),
        (
            "alternative-relationship",
            |pdf| {
                filespec(pdf).set("AFRelationship", "Alternative");
            },
            &["attachment"],
        ),
        (
            "compressed-xmp",
            |pdf| {
                metadata(pdf).compress().expect("compress");
            },
            &["xmp_packet"],
        ),
        (
            "no-extension-schema",
            |pdf| {
                let stream = metadata(pdf);
                let text = String::from_utf8(stream.content.clone()).expect("UTF-8 XMP");
                let start = text.find("<pdfaExtension:schemas>").expect("the schemas");
                let end = text.find("</pdfaExtension:schemas>").expect("their end")
                    + "</pdfaExtension:schemas>".len();
                stream.set_content(format!("{}{}", &text[..start], &text[end..]).into_bytes());
            },
            &["xmp_extension_schema"],
        ),
        (
            "info-disagrees",
            |pdf| {
                let info = pdf
                    .trailer
                    .get(b"Info")
                    .and_then(lopdf::Object::as_reference)
                    .expect("Info");
                pdf.get_dictionary_mut(info)
                    .expect("Info")
                    .set("Title", lopdf::Object::string_literal("Another title"));
            },
            &["info_matches_xmp"],
        ),
    ];

    for (name, tamper, expected) in cases {
        let mut pdf = lopdf::Document::load_mem(&valid).expect("reads");
        tamper(&mut pdf);
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).expect("writes");

        let verdict = check(&format!("tampered-{name}"), &bytes, CEN_EXAMPLE);

        assert_eq!(
            verdict.failed_names(),
            expected.iter().copied().collect(),
            "{name}: {verdict:#?}"
        );
    }
}

fn filespec(pdf: &mut lopdf::Document) -> &mut lopdf::Dictionary {
    pdf.objects
        .values_mut()
        .filter_map(|o| o.as_dict_mut().ok())
        .find(|d| d.has_type(b"Filespec"))
        .expect("the file specification")
}

fn metadata(pdf: &mut lopdf::Document) -> &mut lopdf::Stream {
    let id = pdf
        .catalog()
        .and_then(|c| c.get(b"Metadata"))
        .and_then(lopdf::Object::as_reference)
        .expect("the catalog's metadata");
    pdf.get_object_mut(id)
        .and_then(lopdf::Object::as_stream_mut)
        .expect("a stream")
}

#[test]
fn the_same_invoice_makes_the_same_hybrid() {
    let doc = sample_document(5);
    let pdf = render(&doc).expect("renders");
    let meta = HybridMeta::of(&doc);

    let first = hybrid(&pdf, CEN_EXAMPLE, &meta).expect("hybrid");
    let second = hybrid(&pdf, CEN_EXAMPLE, &meta).expect("hybrid");

    assert_eq!(first, second);
    assert!(first.starts_with(b"%PDF-1.7\n"), "{:?}", &first[..12]);
}

/// Every check scripts/pdfa-check.py makes, in its order.
const ALL_CHECKS: &[&str] = &[
    "header",
    "syntax",
    "not_encrypted",
    "trailer_id",
    "fonts_embedded",
    "no_javascript",
    "output_intent",
    "icc_profile",
    "xmp_packet",
    "xmp_pdfa",
    "xmp_facturx",
    "xmp_extension_schema",
    "info_matches_xmp",
    "attachment",
    "catalog_af",
    "xml_equal",
    "facturx_reader",
    "facturx_xsd",
    "drafthorse_parse",
];

#[derive(Debug, serde::Deserialize)]
struct Verdict {
    passed: bool,
    failed: Vec<Failure>,
    checks: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // `detail` is read through Debug when an assertion fails.
struct Failure {
    check: String,
    detail: String,
}

impl Verdict {
    fn failed_names(&self) -> BTreeSet<&str> {
        self.failed.iter().map(|f| f.check.as_str()).collect()
    }
}

/// Writes `pdf` and `xml` to `.artifacts/facturx/NAME.*` and runs the checker on them.
fn check(name: &str, pdf: &[u8], xml: &[u8]) -> Verdict {
    let python = std::env::var_os("REFEREE_PYTHON").unwrap_or_else(|| {
        panic!(
            "REFEREE_PYTHON is unset: run `source scripts/lib.sh; ensure_einvoice_referees` \
             (it installs pikepdf, factur-x and drafthorse into .tools/referee-venv) and run \
             the tests from that shell"
        )
    });
    let root = workspace_root();
    let dir = root.join(".artifacts/facturx");
    std::fs::create_dir_all(&dir).expect("create .artifacts/facturx");
    let pdf_path = dir.join(format!("{name}.pdf"));
    let xml_path = dir.join(format!("{name}.expected.xml"));
    std::fs::write(&pdf_path, pdf).expect("write the PDF");
    std::fs::write(&xml_path, xml).expect("write the XML");

    let output = Command::new(&python)
        .arg(root.join("scripts/pdfa-check.py"))
        .arg(&pdf_path)
        .arg(&xml_path)
        .output()
        .unwrap_or_else(|e| panic!("{} could not run: {e}", Path::new(&python).display()));
    std::fs::write(dir.join(format!("{name}.verdict.json")), &output.stdout)
        .expect("write the verdict");
    let verdict: Verdict = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the checker printed no verdict ({e}), exit {:?}:\n{}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    // The exit code says the same as the verdict.
    assert_eq!(
        output.status.code(),
        Some(if verdict.passed { 0 } else { 1 }),
        "{verdict:#?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    verdict
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("activities sits in the workspace")
        .to_path_buf()
}
