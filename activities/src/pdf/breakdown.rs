//! The tax breakdown (EN 16931 BG-23): one row per VAT category and rate with its taxable
//! amount and its tax, under the totals and kept together on one page.

use invoicing_workflows::domain::{TaxSubtotal, VatCategory};

use super::InvoiceDocument;
use super::columns::{GUTTER, INSET, widest};
use super::flow::{Flow, SECTION_GAP};
use super::text::{self, Style};
use super::theme::{
    CONTENT_WIDTH, INK, LEFT, LINE, MUTED, RIGHT, RULE, SHADE, Styles, baseline_in,
};
use crate::locale::Locale;

const ROW: f32 = LINE + 4.0;
const HEADER: f32 = 18.0;
/// The block takes the right part of the page, like the totals.
const LEFT_SHARE: f32 = 0.3;

/// The row's rate as the breakdown names it: `19 %`, `0 % (reverse charge)`.
fn rate_label(row: &TaxSubtotal, locale: Locale) -> String {
    let id = format!("category-{}", row.category.code());
    locale.text(&id, &[("percent", locale.percent(row.percent).into())])
}

pub(super) fn draw(flow: &mut Flow, doc: &InvoiceDocument, locale: Locale, styles: &Styles) {
    if doc.totals.breakdown.is_empty() {
        return;
    }
    let body = styles.body;
    let heading = Style::new(styles.body_bold.face, 8.0);
    let kind = doc.tax_kind.selector();
    let clean = |text: String, style: Style| text::clean_line(&text, style.face);
    let money = |minor: i64| clean(locale.money(minor, &doc.currency), body);

    let headings = [
        clean(locale.text("breakdown", &[("kind", kind.into())]), heading),
        clean(locale.t("breakdown-base"), heading),
        clean(locale.t("breakdown-tax"), heading),
    ];
    let rows: Vec<[String; 3]> = doc
        .totals
        .breakdown
        .iter()
        .map(|row| {
            [
                clean(rate_label(row, locale), body),
                money(row.base),
                // Untaxed categories show their zero too: the reader sees nothing was charged.
                money(if row.category == VatCategory::OutsideScope {
                    0
                } else {
                    row.tax
                }),
            ]
        })
        .collect();

    let width = |col: usize| {
        widest(rows.iter().map(|row| body.width(&row[col]))).max(heading.width(&headings[col]))
    };
    let tax_right = RIGHT - INSET;
    let base_right = tax_right - width(2) - GUTTER;
    let label_left = (base_right - width(1) - GUTTER - width(0))
        .max(LEFT + CONTENT_WIDTH * LEFT_SHARE)
        .min(base_right - width(1) - GUTTER)
        .max(LEFT + INSET);
    let label_room = (base_right - width(1) - GUTTER - label_left).max(10.0);
    let block_left = label_left - INSET;

    let height = HEADER + rows.len() as f32 * ROW;
    flow.keep(SECTION_GAP, height);
    flow.page
        .fill_rect(block_left, flow.y, RIGHT - block_left, HEADER, SHADE);
    let baseline = baseline_in(flow.y, HEADER, heading);
    if let Some(label) = text::wrap_at_most(&headings[0], heading, label_room, 1).first() {
        flow.page.text(label_left, baseline, label, heading, INK);
    }
    flow.page
        .text_right(base_right, baseline, &headings[1], heading, INK);
    flow.page
        .text_right(tax_right, baseline, &headings[2], heading, INK);
    flow.y += HEADER;
    for row in &rows {
        let baseline = baseline_in(flow.y, ROW, body);
        if let Some(label) = text::wrap_at_most(&row[0], body, label_room, 1).first() {
            flow.page.text(label_left, baseline, label, body, MUTED);
        }
        flow.page
            .text_right(base_right, baseline, &row[1], body, INK);
        flow.page
            .text_right(tax_right, baseline, &row[2], body, INK);
        flow.y += ROW;
        flow.page.rule(block_left, RIGHT, flow.y, 0.5, RULE);
    }
}
