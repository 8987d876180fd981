//! Pagination: runs the document's sections down the pages and adds the footers.

use printpdf::{ExtendedGraphicsStateId, Op};

use super::canvas::{Canvas, FontIds, StampSpec};
use super::fonts::Face;
use super::table::Table;
use super::text::{self, Style};
use super::theme::{
    BODY_BOTTOM, CONTENT_WIDTH, FOOTER_BASELINE, INK, LEFT, LINE, MUTED, PAID_GREEN, RIGHT, Styles,
    TOP, VOID_RED, baseline_in,
};
use super::{InvoiceDocument, Mark, header};

/// Space between the totals and the notes.
const NOTES_GAP: f32 = 26.0;
/// Lines of notes kept with their heading at a page break.
const NOTES_KEEP: usize = 2;

/// The page being filled, the finished ones before it, and the vertical cursor.
pub(super) struct Flow {
    done: Vec<Canvas>,
    pub page: Canvas,
    /// Distance of the cursor from the top edge of the current page.
    pub y: f32,
    fonts: FontIds,
}

impl Flow {
    fn new(fonts: FontIds) -> Self {
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

    fn into_pages(mut self) -> Vec<Canvas> {
        self.done.push(self.page);
        self.done
    }
}

/// Lays the whole document out and returns each page's operations.
pub(super) fn lay_out(
    doc: &InvoiceDocument,
    regular: &'static Face,
    bold: &'static Face,
    fonts: FontIds,
    stamp_alpha: ExtendedGraphicsStateId,
) -> Vec<Vec<Op>> {
    let styles = Styles::new(regular, bold);
    let mut flow = Flow::new(fonts);

    // Drawn first so everything printed afterwards sits on top of it.
    if let Some(mark) = doc.mark {
        draw_stamp(&mut flow.page, mark, &styles, stamp_alpha);
    }
    header::draw(&mut flow, doc, &styles);

    let table = Table::new(doc, &styles);
    table.draw_rows(&mut flow);
    table.draw_totals(&mut flow);

    if let Some(notes) = &doc.notes {
        draw_notes(&mut flow, notes, &styles);
    }

    let footer = footer_text(doc, styles.small);
    let pages = flow.into_pages();
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(i, mut page)| {
            draw_footer(&mut page, &footer, i + 1, count, styles.small);
            page.into_ops()
        })
        .collect()
}

fn draw_stamp(page: &mut Canvas, mark: Mark, styles: &Styles, alpha: ExtendedGraphicsStateId) {
    let (label, colour) = match mark {
        Mark::Paid => ("PAID", PAID_GREEN),
        Mark::Void => ("VOID", VOID_RED),
    };
    let spec = StampSpec {
        cx: header::STAMP_CENTRE.0,
        cy: header::STAMP_CENTRE.1,
        degrees: 10.0,
        label,
        style: styles.stamp,
        colour,
    };
    page.stamp(spec, alpha);
}

/// A "Notes" heading and the wrapped notes, which may continue on later pages.
fn draw_notes(flow: &mut Flow, notes: &str, styles: &Styles) {
    let cleaned = text::clean(notes, styles.body.face);
    let lines = text::wrap(&cleaned, styles.body, CONTENT_WIDTH);
    if lines.is_empty() {
        return;
    }
    let heading_height = LINE + 2.0;
    let kept = lines.len().min(NOTES_KEEP) as f32 * LINE;
    if NOTES_GAP + heading_height + kept > flow.remaining() {
        flow.page_break();
    } else {
        flow.y += NOTES_GAP;
    }
    let baseline = baseline_in(flow.y, LINE, styles.body_bold);
    flow.page
        .text(LEFT, baseline, "Notes", styles.body_bold, INK);
    flow.y += heading_height;

    for line in &lines {
        if LINE > flow.remaining() {
            flow.page_break();
        }
        let baseline = baseline_in(flow.y, LINE, styles.body);
        flow.page.text(LEFT, baseline, line, styles.body, MUTED);
        flow.y += LINE;
    }
}

/// "INV-000042 · Seller": identifies loose pages without the first one.
fn footer_text(doc: &InvoiceDocument, style: Style) -> String {
    let face = style.face;
    let seller = doc
        .seller_name
        .as_deref()
        .map(|name| text::clean_line(name, face))
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| text::clean_line(&doc.seller_email, face));
    let number = text::clean_line(&doc.number, face);
    [number.trim(), seller.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("  ·  ")
}

fn draw_footer(page: &mut Canvas, footer: &str, number: usize, count: usize, style: Style) {
    let page_label = format!("Page {number} of {count}");
    page.text_right(RIGHT, FOOTER_BASELINE, &page_label, style, MUTED);
    let room = CONTENT_WIDTH - style.width(&page_label) - 24.0;
    if let Some(line) = text::wrap_at_most(footer, style, room, 1).first() {
        page.text(LEFT, FOOTER_BASELINE, line, style, MUTED);
    }
}
