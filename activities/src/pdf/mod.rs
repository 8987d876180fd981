//! Renders an invoice or a credit note to PDF bytes: A4, embedded DejaVu Sans, multi-page line items, in the
//! invoice's language, with everything an EU, UK or US accountant expects on an invoice
//! (EN 16931's content, the VAT directive's Article 226): both parties' names, addresses and
//! tax ids, the dates, every line's quantity, unit, price, discount and rate, the tax per rate,
//! the totals, the legal sentences of untaxed supplies, how to pay (with an EPC QR code on EUR
//! invoices) and the seller's details on every page. A customer's statement of account
//! (`statement`) is laid out from the same parts: header, parties, tables, footer.
//!
//! Layout is computed here rather than by printpdf: text is measured with the font's
//! advance widths, wrapped to its column and paginated, then emitted as plain text
//! operations so the result stays searchable and copyable.

mod breakdown;
mod canvas;
mod columns;
mod credit_note;
mod epc;
pub mod facturx;
mod flow;
mod fonts;
mod header;
mod legal;
mod logo;
mod payment;
mod sample;
pub mod statement;
mod table;
mod text;
mod theme;
mod totals;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use invoicing_workflows::domain::{
    Address, AdjustmentKind, Currency, Discount, Language, PriceBasis, TaxId, TaxRate, Totals, Unit,
};
use printpdf::{ExtendedGraphicsState, PdfDocument, PdfPage, PdfSaveOptions, Pt};
use rust_decimal::Decimal;

use crate::locale::Locale;

pub use credit_note::credit_note_document;
pub use epc::epc_payload;
pub use sample::{sample_document, sample_european_document};

/// Everything printed on an invoice or a credit note. Amounts are integer minor units of
/// `currency`; the amounts of lines, adjustments and the tax breakdown come from `totals` (the
/// domain's `compute`, or a credit note's figures), nothing is recomputed here.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceDocument {
    /// An invoice, or a credit note and the invoice it credits.
    pub kind: DocumentKind,
    /// Every text and format on the document.
    pub language: Language,
    /// How the taxes are named: VAT (and GST) or a US sales tax.
    pub tax_kind: TaxKind,
    pub currency: Currency,
    pub seller: DocumentSeller,
    pub buyer: DocumentBuyer,
    /// The document's number as shown, e.g. "INV-2026-00042" (a credit note's from its own
    /// series).
    pub number: String,
    /// A visible PAID / VOID stamp.
    pub mark: Option<Mark>,
    pub issue_date: NaiveDate,
    /// The date of supply or the service period, when it differs from the issue date.
    pub supply: Option<Supply>,
    /// When an invoice is due. A credit note is due at no date: neither its PDF nor its
    /// e-invoice reads this (`credit_note_document` sets the issue date).
    pub due_date: NaiveDate,
    /// Payment terms in days (`30` prints "Net 30 days"); `None` on a credit note.
    pub terms_days: Option<u32>,
    pub price_basis: PriceBasis,
    pub lines: Vec<DocumentLine>,
    /// Document-level allowances and charges, in the order of `totals.adjustments`.
    pub adjustments: Vec<DocumentAdjustment>,
    pub totals: Totals,
    pub amount_paid: i64,
    pub amount_due: i64,
    pub notes: Option<String>,
}

/// What the document is: its title, its dates, how its totals read, whether it asks for
/// payment, and its type code in the e-invoice (EN 16931 BT-3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DocumentKind {
    /// A commercial invoice (UNTDID 1001 `380`).
    #[default]
    Invoice,
    /// A credit note (`381`): it takes back part or all of a sent invoice, which it names
    /// (BG-3: BT-25, BT-26), and says why. A sent invoice is never edited: the VAT directive
    /// (Article 219) treats a document that amends it and refers to it as an invoice of its
    /// own.
    CreditNote {
        invoice_number: String,
        invoice_issue_date: NaiveDate,
        reason: String,
    },
}

impl InvoiceDocument {
    /// Whether this is a credit note: it asks for no payment, has no due date or terms, and
    /// its totals are what it credits.
    pub fn is_credit_note(&self) -> bool {
        matches!(self.kind, DocumentKind::CreditNote { .. })
    }

    /// The Fluent message that titles the document ("INVOICE", "CREDIT NOTE").
    pub(crate) fn title_id(&self) -> &'static str {
        match self.kind {
            DocumentKind::Invoice => "invoice-title",
            DocumentKind::CreditNote { .. } => "credit-note-title",
        }
    }
}

/// Which tax the rates are: it names the tax column, the totals and the legal sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaxKind {
    /// Value added tax (and GST, which invoices word the same way).
    #[default]
    Vat,
    /// A US state's sales tax.
    SalesTax,
}

impl TaxKind {
    /// The Fluent selector (`$kind`) of the messages that name the tax.
    pub(crate) fn selector(self) -> &'static str {
        match self {
            TaxKind::Vat => "vat",
            TaxKind::SalesTax => "sales",
        }
    }
}

/// The seller, as the invoice shows it and its footer repeats on every page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentSeller {
    /// The trading name; without one, the e-mail identifies the seller.
    pub name: Option<String>,
    /// The registered name when it differs from the trading name ("Northwind GmbH").
    pub legal_name: Option<String>,
    pub address: Option<Address>,
    /// Printed as before the structured address existed, one entry per line, when `address`
    /// is `None`.
    pub address_lines: Vec<String>,
    pub tax_ids: Vec<TaxId>,
    /// Company registration as the seller writes it ("Amtsgericht Berlin HRB 12345").
    pub registration: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub bank_account: Option<BankAccount>,
    /// Free text printed under the bank details.
    pub payment_instructions: Option<String>,
    pub logo: Option<Logo>,
}

/// Where a transfer goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    pub holder: String,
    pub bank_name: Option<String>,
    pub number: AccountNumber,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountNumber {
    /// An IBAN (validated by the seller settings), with the BIC when the seller gave one.
    Iban { iban: String, bic: Option<String> },
    /// A domestic account: US account and ABA routing number, UK account and sort code, ….
    Domestic {
        account: String,
        routing: Option<String>,
    },
}

/// The seller's logo as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub bytes: Vec<u8>,
    pub format: LogoFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoFormat {
    Png,
    Jpeg,
}

/// The buyer as the invoice was sent to them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentBuyer {
    pub name: String,
    pub legal_name: Option<String>,
    pub address: Option<Address>,
    /// Needed on a reverse charge or an intra-community supply.
    pub tax_id: Option<TaxId>,
    pub email: Option<String>,
}

/// When the goods or services were supplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supply {
    Date(NaiveDate),
    Period { from: NaiveDate, to: NaiveDate },
}

/// One line as the invoice prints it; its net amount is `totals.lines[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentLine {
    pub description: String,
    pub quantity: Decimal,
    pub unit: Unit,
    /// In minor units, possibly finer than one, in the invoice's price basis.
    pub unit_price: Decimal,
    pub discount: Option<Discount>,
    pub rate: TaxRate,
    pub period: Option<(NaiveDate, NaiveDate)>,
}

/// A document-level allowance or charge; its amount is `totals.adjustments[i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentAdjustment {
    pub kind: AdjustmentKind,
    /// Why ("Loyalty discount", "Shipping").
    pub reason: String,
    pub rate: TaxRate,
}

/// A stamp across the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Paid,
    Void,
}

/// Rendering fails only when the bundled resources are broken, never because of the
/// document's content: odd text is cleaned, long text wrapped, huge tables paginated, a logo
/// that does not decode left out.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the embedded DejaVu Sans font could not be parsed")]
    FontUnavailable,
}

/// Renders `doc` as a complete PDF file.
pub fn render(doc: &InvoiceDocument) -> Result<Vec<u8>, RenderError> {
    let locale = Locale::of(doc.language);
    let (regular, _) = fonts::faces().ok_or(RenderError::FontUnavailable)?;
    let title = format!(
        "{} {}",
        locale.t(doc.title_id()),
        text::clean_line(&doc.number, regular).trim()
    );
    let mut pdf = Blank::new(&title, doc.seller.logo.as_ref())?;
    let stamp_alpha = pdf.document.add_graphics_state(
        ExtendedGraphicsState::default()
            .with_current_fill_alpha(0.18)
            .with_current_stroke_alpha(0.55),
    );
    let context = flow::Context {
        doc,
        locale,
        regular: pdf.regular,
        bold: pdf.bold,
        fonts: pdf.fonts.clone(),
        stamp_alpha,
        logo: pdf.logo.clone(),
    };
    let pages = flow::lay_out(&context);
    Ok(pdf.save(pages))
}

/// A PDF with nothing on it yet: the embedded fonts and the seller's logo registered, ready for
/// pages laid out with them.
struct Blank {
    document: PdfDocument,
    regular: &'static fonts::Face,
    bold: &'static fonts::Face,
    fonts: canvas::FontIds,
    logo: Option<logo::Placed>,
}

impl Blank {
    fn new(title: &str, logo: Option<&Logo>) -> Result<Self, RenderError> {
        let (regular, bold) = fonts::faces().ok_or(RenderError::FontUnavailable)?;
        let mut document = PdfDocument::new(title);
        let fonts = canvas::FontIds {
            regular: document.add_font(&regular.parsed),
            bold: document.add_font(&bold.parsed),
        };
        let logo = logo.and_then(logo::decode).map(|image| {
            logo::Placed::new(document.add_image(&image.raw), image.width, image.height)
        });
        Ok(Self {
            document,
            regular,
            bold,
            fonts,
            logo,
        })
    }

    /// The finished file, from each page's operations.
    fn save(mut self, pages: Vec<Vec<printpdf::Op>>) -> Vec<u8> {
        let pages = pages
            .into_iter()
            .map(|ops| {
                PdfPage::new(
                    Pt(theme::PAGE_WIDTH).into(),
                    Pt(theme::PAGE_HEIGHT).into(),
                    ops,
                )
            })
            .collect();
        // Warnings are informational (e.g. unused resources); nothing in them makes the
        // output unusable, so they are not surfaced as errors.
        let mut warnings = Vec::new();
        self.document
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings)
    }
}
