//! Pagination: runs the document's sections down the pages and adds the footers. The flow and
//! the footer serve the statement of account too (`super::statement`).

use printpdf::{ExtendedGraphicsStateId, Op};

use super::canvas::{Canvas, FontIds, StampSpec};
use super::fonts::Face;
use super::table::Table;
use super::text::{self, Style};
use super::theme::{
    BODY_BOTTOM, CONTENT_WIDTH, FOOTER_BASELINE, INK, LEFT, LINE, MUTED, PAID_GREEN, RIGHT, Styles,
    TOP, VOID_RED, baseline_in,
};
use super::{DocumentSeller, InvoiceDocument, Mark, breakdown, header, legal, logo, payment};
use crate::locale::Locale;
use invoicing_workflows::domain::Country;

/// Space above each section after the totals.
pub(super) const SECTION_GAP: f32 = 22.0;
/// Lines of a section kept with its heading at a page break.
const KEEP_WITH_HEADING: usize = 2;
/// The footer's lines: the seller's legal details (up to two lines) over the number and page.
const FOOTER_LINE_GAP: f32 = 10.0;
const FOOTER_IDENTITY_LINES: usize = 2;

/// What every part of the layout reads.
pub(super) struct Context<'a> {
    pub doc: &'a InvoiceDocument,
    pub locale: Locale,
    pub regular: &'static Face,
    pub bold: &'static Face,
    pub fonts: FontIds,
    pub stamp_alpha: ExtendedGraphicsStateId,
    pub logo: Option<logo::Placed>,
}

/// The page being filled, the finished ones before it, and the vertical cursor.
pub(super) struct Flow {
    done: Vec<Canvas>,
    pub page: Canvas,
    /// Distance of the cursor from the top edge of the current page.
    pub y: f32,
    fonts: FontIds,
}

impl Flow {
    pub fn new(fonts: FontIds) -> Self {
        Self {
            done: Vec::new(),
            page: Canvas::new(fonts.clone()),
            y: TOP,
            fonts,
        }
    }

    /// Vertical space left on the current page.
    pub fn remaining(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// Space on a page that holds nothing yet.
    pub fn fresh_page_space() -> f32 {
        BODY_BOTTOM - TOP
    }

    pub fn page_break(&mut self) {
        let full = std::mem::replace(&mut self.page, Canvas::new(self.fonts.clone()));
        self.done.push(full);
        self.y = TOP;
    }

    /// Moves down by `gap` before a block of `height`, or to a new page when the block
    /// would not fit below the gap (and fits on a fresh page at all).
    pub fn keep(&mut self, gap: f32, height: f32) {
        if gap + height > self.remaining() && height <= Self::fresh_page_space() {
            self.page_break();
        } else {
            self.y += gap;
        }
    }

    fn into_pages(mut self) -> Vec<Canvas> {
        self.done.push(self.page);
        self.done
    }
}

/// Lays the whole document out and returns each page's operations.
pub(super) fn lay_out(context: &Context<'_>) -> Vec<Vec<Op>> {
    let styles = Styles::new(context.regular, context.bold);
    let (doc, locale) = (context.doc, context.locale);
    let mut flow = Flow::new(context.fonts.clone());

    // Drawn first so everything printed afterwards sits on top of it.
    if let Some(mark) = doc.mark {
        draw_stamp(
            &mut flow.page,
            mark,
            locale,
            &styles,
            context.stamp_alpha.clone(),
        );
    }
    header::draw(&mut flow, context, &styles);

    let table = Table::new(doc, locale, &styles);
    table.draw_rows(&mut flow);
    table.draw_totals(&mut flow);
    breakdown::draw(&mut flow, doc, locale, &styles);

    let sentences = legal::sentences(doc, locale);
    if !sentences.is_empty() {
        draw_paragraphs(&mut flow, None, &sentences.join("\n"), &styles);
    }
    payment::draw(&mut flow, doc, locale, &styles);
    if let Some(notes) = &doc.notes {
        draw_paragraphs(&mut flow, Some(&locale.t("notes")), notes, &styles);
    }

    let footer = Footer::new(
        &doc.seller,
        doc.buyer.address.as_ref().map(|a| &a.country),
        &doc.number,
        locale,
        styles.small,
    );
    footer.finish(flow)
}

fn draw_stamp(
    page: &mut Canvas,
    mark: Mark,
    locale: Locale,
    styles: &Styles,
    alpha: ExtendedGraphicsStateId,
) {
    let (label, colour) = match mark {
        Mark::Paid => (locale.t("mark-paid"), PAID_GREEN),
        Mark::Void => (locale.t("mark-void"), VOID_RED),
    };
    let label = text::clean_line(&label, styles.stamp.face);
    let spec = StampSpec {
        cx: header::STAMP_CENTRE.0,
        cy: header::STAMP_CENTRE.1,
        degrees: 10.0,
        label: &label,
        style: styles.stamp,
        colour,
    };
    page.stamp(spec, alpha);
}

/// An optional heading and wrapped text, which may continue on later pages; the heading
/// keeps its first lines with it.
pub(super) fn draw_paragraphs(flow: &mut Flow, heading: Option<&str>, body: &str, styles: &Styles) {
    let cleaned = text::clean(body, styles.body.face);
    let lines = text::wrap(&cleaned, styles.body, CONTENT_WIDTH);
    if lines.is_empty() {
        return;
    }
    let heading_height = if heading.is_some() { LINE + 2.0 } else { 0.0 };
    let kept = lines.len().min(KEEP_WITH_HEADING) as f32 * LINE;
    flow.keep(SECTION_GAP, heading_height + kept);
    if let Some(heading) = heading {
        let heading = text::clean_line(heading, styles.body_bold.face);
        let baseline = baseline_in(flow.y, LINE, styles.body_bold);
        flow.page
            .text(LEFT, baseline, &heading, styles.body_bold, INK);
        flow.y += heading_height;
    }
    for line in &lines {
        if LINE > flow.remaining() {
            flow.page_break();
        }
        let baseline = baseline_in(flow.y, LINE, styles.body);
        flow.page.text(LEFT, baseline, line, styles.body, MUTED);
        flow.y += LINE;
    }
}

/// What every page ends with: the seller's legal identity (name, address, tax ids,
/// registration) over the document's reference (its number) with the seller's contact, which
/// identify a loose page, and the page's number.
pub(super) struct Footer {
    lines: [String; 2],
    locale: Locale,
    style: Style,
}

impl Footer {
    /// The footer of a document from `seller` to a buyer in `buyer_country` (the seller's
    /// address names its country when it is not the buyer's), referred to as `reference`.
    pub fn new(
        seller: &DocumentSeller,
        buyer_country: Option<&Country>,
        reference: &str,
        locale: Locale,
        style: Style,
    ) -> Self {
        let face = style.face;
        let name = seller
            .legal_name
            .as_deref()
            .or(seller.name.as_deref())
            .map(str::to_owned);
        let address = match &seller.address {
            Some(address) => header::address_lines(address, buyer_country, locale),
            None => seller.address_lines.clone(),
        };
        let mut identity: Vec<String> = name.into_iter().collect();
        identity.push(address.join(", "));
        identity.extend(
            seller
                .tax_ids
                .iter()
                .map(|id| header::tax_id_text(id, locale)),
        );
        identity.extend(seller.registration.clone());
        let mut contact = vec![reference.to_owned(), seller.email.clone()];
        contact.extend(seller.phone.clone());
        let lines = [identity, contact].map(|parts| {
            parts
                .iter()
                .map(|part| text::clean_line(part, face).trim().to_owned())
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("  ·  ")
        });
        Self {
            lines,
            locale,
            style,
        }
    }

    /// Ends the flow: every page with this footer and its number, as the pages' operations.
    pub fn finish(&self, flow: Flow) -> Vec<Vec<Op>> {
        let pages = flow.into_pages();
        let count = pages.len();
        pages
            .into_iter()
            .enumerate()
            .map(|(i, mut page)| {
                draw_footer(
                    &mut page,
                    &self.lines,
                    self.locale,
                    i + 1,
                    count,
                    self.style,
                );
                page.into_ops()
            })
            .collect()
    }
}

fn draw_footer(
    page: &mut Canvas,
    footer: &[String; 2],
    locale: Locale,
    number: usize,
    count: usize,
    style: Style,
) {
    let page_label = text::clean_line(
        &locale.text("page", &[("page", number.into()), ("count", count.into())]),
        style.face,
    );
    page.text_right(RIGHT, FOOTER_BASELINE, &page_label, style, MUTED);
    let identity = text::wrap_at_most(&footer[0], style, CONTENT_WIDTH, FOOTER_IDENTITY_LINES);
    let count = identity.len();
    for (i, line) in identity.iter().enumerate() {
        let above = (count - i) as f32 * FOOTER_LINE_GAP;
        page.text(LEFT, FOOTER_BASELINE - above, line, style, MUTED);
    }
    let room = CONTENT_WIDTH - style.width(&page_label) - 24.0;
    if let Some(line) = text::wrap_at_most(&footer[1], style, room, 1).first() {
        page.text(LEFT, FOOTER_BASELINE, line, style, MUTED);
    }
}
