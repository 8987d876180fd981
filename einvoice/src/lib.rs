//! EN 16931 e-invoices. An [`model::Invoice`] is the standard's semantic model (its business
//! terms BT-n and groups BG-n), built by the caller from a stored invoice; from it come the
//! syntaxes a customer receives ([`Format`]) and the verdict of the business rules that must
//! hold before one leaves.

pub mod cii;
pub mod eas;
pub mod model;
pub mod rules;
pub mod samples;
pub mod ubl;
mod xml;

pub use model::Invoice;
pub use rules::{Finding, Severity, check, is_refused};

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// The e-invoice a customer receives.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = EInvoiceFormat))]
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Format {
    /// Factur-X 1.07 / ZUGFeRD 2.3, profile EN 16931: CII XML inside the invoice's PDF/A-3.
    FacturX,
    /// XRechnung 3.0 in UN/CEFACT CII.
    XrechnungCii,
    /// XRechnung 3.0 in UBL 2.1.
    XrechnungUbl,
    /// Peppol BIS Billing 3.0 (UBL 2.1).
    PeppolUbl,
}

/// The invoice in `format`'s syntax: UTF-8 XML, the same bytes for the same invoice.
pub fn write(invoice: &Invoice, format: Format) -> Vec<u8> {
    match format.syntax() {
        Syntax::Cii => cii::write(invoice, format),
        Syntax::Ubl => ubl::write(invoice, format),
    }
}

/// Which XML syntax a format is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// UN/CEFACT Cross Industry Invoice D16B.
    Cii,
    /// OASIS UBL 2.1.
    Ubl,
}

impl Format {
    pub fn syntax(self) -> Syntax {
        match self {
            Format::FacturX | Format::XrechnungCii => Syntax::Cii,
            Format::XrechnungUbl | Format::PeppolUbl => Syntax::Ubl,
        }
    }

    /// The format's name as people know it.
    pub fn title(self) -> &'static str {
        match self {
            Format::FacturX => "Factur-X",
            Format::XrechnungCii => "XRechnung (CII)",
            Format::XrechnungUbl => "XRechnung (UBL)",
            Format::PeppolUbl => "Peppol BIS Billing",
        }
    }

    /// The specification identifier (BT-24) the document declares.
    pub fn specification(self) -> &'static str {
        match self {
            Format::FacturX => "urn:cen.eu:en16931:2017",
            Format::XrechnungCii | Format::XrechnungUbl => {
                "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
            }
            Format::PeppolUbl => {
                "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
            }
        }
    }

    /// The file name it travels under (as an e-mail attachment, in a download).
    pub fn file_name(self, number: &str) -> String {
        match self {
            // Factur-X names its embedded file; the PDF itself is named like every invoice PDF.
            Format::FacturX => "factur-x.xml".to_owned(),
            Format::XrechnungCii => format!("{number}-xrechnung-cii.xml"),
            Format::XrechnungUbl => format!("{number}-xrechnung-ubl.xml"),
            Format::PeppolUbl => format!("{number}-peppol.xml"),
        }
    }
}
