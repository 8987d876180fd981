//! Renders an invoice to PDF bytes: A4, embedded DejaVu Sans, multi-page line items.
//!
//! Layout is computed here rather than by printpdf: text is measured with the font's
//! advance widths, wrapped to its column and paginated, then emitted as plain text
//! operations so the result stays searchable and copyable.

mod canvas;
mod columns;
mod flow;
mod fonts;
mod header;
mod money;
mod sample;
mod table;
mod text;
mod theme;
mod totals;

#[cfg(test)]
mod tests;

use printpdf::{ExtendedGraphicsState, PdfDocument, PdfPage, PdfSaveOptions, Pt};

pub use money::format_money;
pub use sample::sample_document;

/// Everything printed on an invoice. Amounts are integer minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDocument {
    /// May be `None`: then only the e-mail identifies the seller.
    pub seller_name: Option<String>,
    pub seller_email: String,
    /// Postal address, one entry per line.
    pub seller_address: Vec<String>,
    /// VAT number, EIN, ABN, ... as the seller writes it.
    pub seller_tax_id: Option<String>,
    /// The invoice number as shown, e.g. "INV-000042".
    pub number: String,
    /// A visible PAID / VOID stamp.
    pub mark: Option<Mark>,
    pub issue_date: chrono::NaiveDate,
    pub due_date: chrono::NaiveDate,
    pub client_name: String,
    pub client_email: String,
    /// ISO 4217 code, e.g. "USD".
    pub currency: String,
    /// Minor-unit digits: 2 for USD, 0 for JPY, 3 for BHD.
    pub currency_exponent: u32,
    pub items: Vec<DocumentLine>,
    pub subtotal: i64,
    pub total: i64,
    pub amount_paid: i64,
    pub amount_due: i64,
    pub notes: Option<String>,
}

/// One line item. `amount` is printed as given; nothing is recomputed here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLine {
    pub description: String,
    pub quantity: rust_decimal::Decimal,
    /// Minor units, possibly finer than one (printed rounded to the minor unit).
    pub unit_amount: rust_decimal::Decimal,
    pub amount: i64,
}

/// A stamp across the first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Paid,
    Void,
}

/// Rendering fails only when the bundled resources are broken, never because of the
/// document's content: odd text is cleaned, long text wrapped, huge tables paginated.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the embedded DejaVu Sans font could not be parsed")]
    FontUnavailable,
}

/// Renders `doc` as a complete PDF file.
pub fn render(doc: &InvoiceDocument) -> Result<Vec<u8>, RenderError> {
    let (regular, bold) = fonts::faces().ok_or(RenderError::FontUnavailable)?;

    let title = format!("Invoice {}", text::clean_line(&doc.number, regular).trim());
    let mut pdf = PdfDocument::new(&title);
    let font_ids = canvas::FontIds {
        regular: pdf.add_font(&regular.parsed),
        bold: pdf.add_font(&bold.parsed),
    };
    let stamp_alpha = pdf.add_graphics_state(
        ExtendedGraphicsState::default()
            .with_current_fill_alpha(0.18)
            .with_current_stroke_alpha(0.55),
    );

    let pages = flow::lay_out(doc, regular, bold, font_ids, stamp_alpha)
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
    Ok(pdf
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings))
}
