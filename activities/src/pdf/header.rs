//! The first-page header: title and number, issue/due dates, seller and client blocks.

use chrono::NaiveDate;
use std::borrow::Cow;

use super::InvoiceDocument;
use super::flow::Flow;
use super::text::{self, Style};
use super::theme::{
    ACCENT, CONTENT_WIDTH, Colour, INK, LEFT, LINE, MUTED, RIGHT, RULE, Styles, TOP, baseline_in,
};

/// Where a PAID / VOID stamp is centred: in the open space between title and dates.
pub(super) const STAMP_CENTRE: (f32, f32) = (LEFT + CONTENT_WIDTH * 0.53, TOP + 22.0);

/// Baseline of the big "INVOICE" title.
const TITLE_BASELINE: f32 = TOP + 22.0;
/// Gap between a date label and its value.
const DATES_GAP: f32 = 14.0;
/// Where the seller and client blocks start.
const PARTIES_TOP: f32 = TOP + 72.0;
/// Each party block's share of the content width.
const PARTY_WIDTH: f32 = CONTENT_WIDTH * 0.45;
const BILL_TO_LEFT: f32 = LEFT + CONTENT_WIDTH * 0.5;
/// Room between the header and the table.
const GAP_AFTER: f32 = 30.0;

pub(super) fn draw(flow: &mut Flow, doc: &InvoiceDocument, styles: &Styles) {
    let dates_width = draw_dates(flow, doc, styles);
    draw_title(flow, doc, styles, CONTENT_WIDTH - dates_width - 24.0);

    flow.page.rule(LEFT, RIGHT, PARTIES_TOP - 18.0, 0.6, RULE);
    let seller_bottom = draw_party(flow, LEFT, "FROM", seller_lines(doc, styles), styles);
    let client = vec![
        (
            Cow::Borrowed(doc.client_name.as_str()),
            styles.party_name,
            INK,
        ),
        (Cow::Borrowed(doc.client_email.as_str()), styles.body, MUTED),
    ];
    let client_bottom = draw_party(flow, BILL_TO_LEFT, "BILL TO", client, styles);

    flow.y = seller_bottom.max(client_bottom) + GAP_AFTER;
}

/// "INVOICE" and the number under it, within `width`.
fn draw_title(flow: &mut Flow, doc: &InvoiceDocument, styles: &Styles, width: f32) {
    flow.page
        .text(LEFT, TITLE_BASELINE, "INVOICE", styles.title, ACCENT);
    let style = styles.number;
    let number = text::clean_line(&doc.number, style.face);
    for line in text::wrap_at_most(&number, style, width, 1) {
        flow.page
            .text(LEFT, TITLE_BASELINE + 19.0, &line, style, MUTED);
    }
}

/// The issue/due date block, flush right; returns its width.
fn draw_dates(flow: &mut Flow, doc: &InvoiceDocument, styles: &Styles) -> f32 {
    let rows = [
        ("Issue date", format_date(doc.issue_date)),
        ("Due date", format_date(doc.due_date)),
    ];
    let label_width = widest(rows.iter().map(|(label, _)| *label), styles.body);
    let value_width = widest(
        rows.iter().map(|(_, value)| value.as_str()),
        styles.body_bold,
    );
    let label_left = RIGHT - value_width - DATES_GAP - label_width;

    for (i, (label, value)) in rows.iter().enumerate() {
        let top = TOP + 2.0 + i as f32 * (LINE + 3.0);
        let baseline = baseline_in(top, LINE, styles.body);
        flow.page
            .text(label_left, baseline, label, styles.body, MUTED);
        flow.page
            .text_right(RIGHT, baseline, value, styles.body_bold, INK);
    }
    RIGHT - label_left
}

/// The seller as shown: the name in bold if there is one, the address, the e-mail and the tax
/// number.
fn seller_lines<'a>(
    doc: &'a InvoiceDocument,
    styles: &Styles,
) -> Vec<(Cow<'a, str>, Style, Colour)> {
    // A name that is blank once cleaned (e.g. only control characters) counts as none.
    let has_text = |name: &&str| {
        !text::clean_line(name, styles.party_name.face)
            .trim()
            .is_empty()
    };
    let mut lines = Vec::new();
    let email_colour = match doc.seller_name.as_deref().filter(has_text) {
        Some(name) => {
            lines.push((Cow::Borrowed(name), styles.party_name, INK));
            MUTED
        }
        None => INK,
    };
    for line in &doc.seller_address {
        lines.push((Cow::Borrowed(line.as_str()), styles.body, MUTED));
    }
    lines.push((
        Cow::Borrowed(doc.seller_email.as_str()),
        styles.body,
        email_colour,
    ));
    if let Some(tax_id) = &doc.seller_tax_id {
        lines.push((Cow::Owned(format!("Tax ID: {tax_id}")), styles.body, MUTED));
    }
    lines
}

/// A small caption and up to two lines per entry; long names and addresses are broken
/// to the block's width and ellipsised after the second line. Returns the block's bottom.
fn draw_party(
    flow: &mut Flow,
    left: f32,
    caption: &str,
    entries: Vec<(Cow<'_, str>, Style, Colour)>,
    styles: &Styles,
) -> f32 {
    flow.page
        .text(left, PARTIES_TOP, caption, styles.label, MUTED);
    let mut y = PARTIES_TOP + 6.0;
    for (raw, style, colour) in entries {
        let height = style.size * 1.4;
        let cleaned = text::clean_line(&raw, style.face);
        for line in text::wrap_at_most(&cleaned, style, PARTY_WIDTH, 2) {
            flow.page
                .text(left, baseline_in(y, height, style), &line, style, colour);
            y += height;
        }
    }
    y
}

fn widest<'a>(texts: impl Iterator<Item = &'a str>, style: Style) -> f32 {
    texts.map(|t| style.width(t)).fold(0.0, f32::max)
}

/// "5 Mar 2025": unambiguous whichever way round the reader writes dates.
fn format_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}
