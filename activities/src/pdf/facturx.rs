//! Factur-X 1.07 / ZUGFeRD 2.3 (profile EN 16931): the rendered invoice made a PDF/A-3b hybrid
//! that carries its CII XML, so one file is both the invoice a person reads and the one a
//! machine books.
//!
//! printpdf's own `PdfConformance::A3_2012_PDF_1_7` does not produce PDF/A-3: it writes a CMYK
//! FOGRA39 output intent for PDF/X (`/S /GTS_PDFX`) and an XMP packet with PDF/X keys but no
//! `pdfaid`, at PDF 1.3. So [`render`](super::render) stays a plain PDF and this module
//! completes it with lopdf (printpdf's own version): the sRGB output intent PDF/A-3 needs for
//! the DeviceRGB drawing, the XMP packet and an Info dictionary that agrees with it, the XML as
//! an associated file (ISO 19005-3 §6.8: `/AF`, `/AFRelationship`, a MIME type), a file
//! identifier and version 1.7. What printpdf already writes as PDF/A wants it is kept: every
//! font is a TrueType subset with its `FontFile2`, nothing is encrypted, there is no
//! JavaScript. The PAID / VOID stamp's transparency needs no page `/Group`: ISO 19005-3
//! §6.2.10 asks for one only when the file has no PDF/A output intent.

mod icc;
mod xmp;

use chrono::{DateTime, NaiveTime, Utc};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat, dictionary, text_string};
use md5::{Digest, Md5};

use super::InvoiceDocument;
use crate::locale::Locale;

/// The attachment's name: readers look the XML up by it, and the XMP names it.
pub const XML_FILE_NAME: &str = "factur-x.xml";

/// The Factur-X profile of the XML, as the XMP's `fx:ConformanceLevel` names it.
const CONFORMANCE_LEVEL: &str = "EN 16931";

/// What the PDF says about itself, in its Info dictionary and its XMP packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HybridMeta {
    /// The document's title, "Invoice INV-2026-00042".
    pub title: String,
    /// The invoice number (BT-1), in the subject and the file identifier.
    pub number: String,
    /// What the document is, in the subject: "invoice" or "credit note" (BT-3 `380`, `381`).
    pub document: &'static str,
    /// The seller, as the document's author.
    pub author: String,
    /// When the invoice was issued: the PDF's creation and modification dates and the
    /// attachment's. An input rather than the clock, so the same invoice makes the same file.
    pub created: DateTime<Utc>,
}

impl HybridMeta {
    /// The metadata of `doc`'s PDF: its title as [`render`](super::render) sets it, the
    /// seller's registered name (or trading name, or e-mail) as author, created on the issue
    /// date.
    pub fn of(doc: &InvoiceDocument) -> Self {
        let seller = &doc.seller;
        HybridMeta {
            title: format!(
                "{} {}",
                Locale::of(doc.language).t(doc.title_id()),
                doc.number
            ),
            number: doc.number.clone(),
            document: if doc.is_credit_note() {
                "credit note"
            } else {
                "invoice"
            },
            author: seller
                .legal_name
                .clone()
                .or_else(|| seller.name.clone())
                .unwrap_or_else(|| seller.email.clone()),
            created: doc.issue_date.and_time(NaiveTime::MIN).and_utc(),
        }
    }
}

/// The rendered PDF could not be completed; nothing here depends on the invoice's content.
#[derive(Debug, thiserror::Error)]
pub enum HybridError {
    #[error("the rendered PDF could not be read")]
    Unreadable(#[source] lopdf::Error),
    #[error("the rendered PDF is encrypted, which PDF/A forbids")]
    Encrypted,
    #[error("the sRGB ICC profile could not be encoded")]
    Profile(#[source] moxcms::CmsError),
    #[error("the hybrid PDF could not be written")]
    Unwritable(#[source] std::io::Error),
}

/// A Factur-X customer's PDF, as the send stores it: `doc` rendered, then made the hybrid that
/// carries `xml`, its CII.
pub fn render_hybrid(doc: &InvoiceDocument, xml: &[u8]) -> anyhow::Result<Vec<u8>> {
    let pdf = super::render(doc)?;
    Ok(hybrid(&pdf, xml, &HybridMeta::of(doc))?)
}

/// Turns `pdf`, as [`render`](super::render) made it, into a PDF/A-3b Factur-X invoice that
/// embeds `xml` (CII, profile EN 16931) as `factur-x.xml`.
pub fn hybrid(pdf: &[u8], xml: &[u8], meta: &HybridMeta) -> Result<Vec<u8>, HybridError> {
    let mut doc = Document::load_mem(pdf).map_err(HybridError::Unreadable)?;
    if doc.is_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(HybridError::Encrypted);
    }
    // PDF/A-3 is based on ISO 32000-1, PDF 1.7.
    doc.version = "1.7".to_owned();

    let pdf_date = meta.created.format("D:%Y%m%d%H%M%S+00'00'").to_string();
    let xmp_date = meta.created.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    let subject = format!("Factur-X {} {}", meta.document, meta.number);

    let output_intent = output_intent(&mut doc)?;
    let file_spec = attach(&mut doc, xml, &pdf_date);
    let metadata = doc.add_object(
        Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp::packet(&xmp::Described {
                title: &meta.title,
                author: &meta.author,
                subject: &subject,
                creator_tool: CREATOR,
                producer: PRODUCER,
                date: &xmp_date,
                file_name: XML_FILE_NAME,
                conformance_level: CONFORMANCE_LEVEL,
            })
            .into_bytes(),
        )
        // PDF/A keeps the packet readable by tools that do not decode PDF streams.
        .with_compression(false),
    );
    // printpdf's Info dictionary claims PDF/X and carries keys the XMP does not repeat; PDF/A
    // wants the two to agree (ISO 19005-3 §6.6.2.3), so it is replaced by one that does.
    let info = doc.add_object(dictionary! {
        "Title" => text_string(&meta.title),
        "Author" => text_string(&meta.author),
        "Subject" => text_string(&subject),
        "Creator" => text_string(CREATOR),
        "Producer" => text_string(PRODUCER),
        "CreationDate" => Object::string_literal(pdf_date.as_str()),
        "ModDate" => Object::string_literal(pdf_date.as_str()),
    });

    let catalog = doc.catalog_mut().map_err(HybridError::Unreadable)?;
    catalog.set("Metadata", metadata);
    catalog.set("OutputIntents", vec![output_intent.into()]);
    catalog.set("AF", vec![file_spec.into()]);
    // printpdf writes no name tree, so the embedded files' one is the catalog's only entry.
    catalog.set(
        "Names",
        dictionary! {
            "EmbeddedFiles" => dictionary! {
                "Names" => vec![text_string(XML_FILE_NAME), file_spec.into()],
            },
        },
    );
    if let Ok(Object::Reference(replaced)) = doc.trailer.get(b"Info") {
        let replaced = *replaced;
        doc.objects.remove(&replaced);
    }
    doc.trailer.set("Info", info);
    let id = file_id(xml, meta);
    doc.trailer.set("ID", vec![id.clone(), id]);

    let mut out = Vec::with_capacity(pdf.len() + xml.len() + 8 * 1024);
    doc.save_to(&mut out).map_err(HybridError::Unwritable)?;
    Ok(out)
}

/// Names the software in the Info dictionary and the XMP.
const CREATOR: &str = "Invoicing";
const PRODUCER: &str = concat!(
    "invoicing-activities ",
    env!("CARGO_PKG_VERSION"),
    " (printpdf, lopdf)"
);

/// The PDF/A output intent with its embedded sRGB profile.
fn output_intent(doc: &mut Document) -> Result<Dictionary, HybridError> {
    let mut profile = Stream::new(
        dictionary! { "N" => 3 },
        icc::srgb().map_err(HybridError::Profile)?,
    );
    // Compression cannot fail on bytes in memory; an uncompressed profile is valid as well.
    let _ = profile.compress();
    let profile = doc.add_object(profile);
    Ok(dictionary! {
        "Type" => "OutputIntent",
        "S" => "GTS_PDFA1",
        "OutputConditionIdentifier" => Object::string_literal("sRGB IEC61966-2.1"),
        "RegistryName" => Object::string_literal("http://www.color.org"),
        "Info" => Object::string_literal("sRGB IEC61966-2.1"),
        "DestOutputProfile" => profile,
    })
}

/// Embeds the XML and returns its file specification, as Factur-X 1.07 §6.2 and ISO 19005-3
/// §6.8 describe it: both names, the relationship `Data` (the XML carries the same invoice as
/// the pages), the MIME type and the parameters.
fn attach(doc: &mut Document, xml: &[u8], pdf_date: &str) -> lopdf::ObjectId {
    let mut file = Stream::new(
        dictionary! {
            "Type" => "EmbeddedFile",
            "Subtype" => Object::Name(b"text/xml".to_vec()),
            "Params" => dictionary! {
                "ModDate" => Object::string_literal(pdf_date),
                "Size" => i64::try_from(xml.len()).unwrap_or(i64::MAX),
                "CheckSum" => Object::String(Md5::digest(xml).to_vec(), StringFormat::Hexadecimal),
            },
        },
        xml.to_vec(),
    );
    // As for the profile: an uncompressed attachment is as valid.
    let _ = file.compress();
    let file = doc.add_object(file);
    doc.add_object(dictionary! {
        "Type" => "Filespec",
        "F" => text_string(XML_FILE_NAME),
        "UF" => text_string(XML_FILE_NAME),
        "Desc" => text_string("Factur-X invoice (CII, EN 16931)"),
        "AFRelationship" => "Data",
        "EF" => dictionary! { "F" => file, "UF" => file },
    })
}

/// The file identifier PDF/A requires (ISO 19005-3 §6.1.3): a digest of what makes this
/// invoice, so the same invoice has the same identifier.
fn file_id(xml: &[u8], meta: &HybridMeta) -> Object {
    let mut digest = Md5::new();
    for part in [
        meta.number.as_bytes(),
        meta.title.as_bytes(),
        meta.author.as_bytes(),
        meta.created.to_rfc3339().as_bytes(),
        xml,
    ] {
        digest.update((part.len() as u64).to_be_bytes());
        digest.update(part);
    }
    Object::String(digest.finalize().to_vec(), StringFormat::Hexadecimal)
}
