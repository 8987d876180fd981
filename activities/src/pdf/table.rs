//! The line-items table: wrapped rows, page breaks inside and between rows, header rows.

use std::ops::Range;

use invoicing_workflows::domain::{AdjustmentKind, Discount, TaxRate, VatCategory};

use super::InvoiceDocument;
use super::columns::{Span, heading_style, size_columns, wrap_cell};
use super::flow::Flow;
use super::text;
use super::theme::{CONTENT_WIDTH, INK, LEFT, LINE, RIGHT, RULE, SHADE, Styles, baseline_in};
use super::totals::{TotalText, Totals};
use crate::locale::Locale;

/// Space above and below the text of a row.
const ROW_PAD: f32 = 5.0;
const HEADER_HEIGHT: f32 = 22.0;
/// A row taller than a page is split, but not to leave fewer lines than this behind.
const MIN_LINES_BEFORE_BREAK: usize = 2;

/// One line, every cell already wrapped to its column.
struct Row {
    cells: Vec<Vec<String>>,
}

impl Row {
    fn lines(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(1)
    }
}

pub(super) struct Table {
    headings: Vec<String>,
    columns: Vec<Span>,
    rows: Vec<Row>,
    totals: Totals,
    styles: Styles,
}

/// A line's rate as its column shows it: the percentage, and the category's code where the
/// percentage alone does not tell it (`0 % AE`).
fn rate_cell(rate: &TaxRate, locale: Locale) -> String {
    let percent = locale.percent(rate.percent());
    match rate.category() {
        VatCategory::Standard | VatCategory::ZeroRated => percent,
        category => format!("{percent} {}", category.code()),
    }
}

impl Table {
    pub fn new(doc: &InvoiceDocument, locale: Locale, styles: &Styles) -> Self {
        let body = styles.body;
        let kind = doc.tax_kind.selector();
        let money = |minor: i64| locale.money(minor, &doc.currency);
        // The discount column only when a line has a discount.
        let discounts = doc.lines.iter().any(|line| line.discount.is_some());

        let mut headings = vec![
            locale.t("col-description"),
            locale.t("col-quantity"),
            locale.t("col-unit"),
            locale.t("col-unit-price"),
        ];
        if discounts {
            headings.push(locale.t("col-discount"));
        }
        headings.push(locale.text("col-tax", &[("kind", kind.into())]));
        headings.push(locale.t("col-net"));
        let headings: Vec<String> = headings
            .iter()
            .map(|h| text::clean_line(h, heading_style(styles).face))
            .collect();

        let cells: Vec<Vec<String>> = doc
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let mut description = line.description.clone();
                if let Some((from, to)) = line.period {
                    description.push('\n');
                    description.push_str(&locale.period(from, to));
                }
                let mut row = vec![
                    description,
                    locale.decimal(line.quantity),
                    locale.unit(line.unit),
                    locale.unit_price(line.unit_price, &doc.currency),
                ];
                if discounts {
                    row.push(match line.discount {
                        Some(Discount::Percent(percent)) => locale.percent(percent),
                        Some(Discount::Amount(amount)) => money(amount),
                        None => String::new(),
                    });
                }
                row.push(rate_cell(&line.rate, locale));
                row.push(money(
                    doc.totals.lines.get(index).copied().unwrap_or_default(),
                ));
                row.into_iter()
                    .map(|cell| text::clean(&cell, body.face))
                    .collect()
            })
            .collect();

        let totals = totals_entries(doc, locale, styles);
        let total_widths = totals.iter().map(|(_, value, style)| style.width(value));
        let columns = size_columns(&headings, &cells, total_widths, styles);
        let rows = cells
            .iter()
            .map(|texts| Row {
                cells: texts
                    .iter()
                    .zip(&columns)
                    .map(|(text, span)| wrap_cell(text, body, span.width()))
                    .collect(),
            })
            .collect();

        let amount = columns[columns.len() - 1];
        Self {
            totals: Totals::new(totals, amount, columns[3]),
            headings,
            columns,
            rows,
            styles: *styles,
        }
    }

    /// All rows, breaking pages as needed and repeating the header on each page. The
    /// last row moves to a new page with the totals rather than leave them stranded on
    /// a page of their own.
    pub fn draw_rows(&self, flow: &mut Flow) {
        self.draw_header(flow);
        let fresh_capacity = lines_fitting(Flow::fresh_page_space() - HEADER_HEIGHT);
        let totals_height = self.totals.height();
        let mut page_has_rows = false;
        for (index, row) in self.rows.iter().enumerate() {
            let is_last = index + 1 == self.rows.len();
            let mut start = 0;
            let total = row.lines();
            while start < total {
                let fits = lines_fitting(flow.remaining());
                let left = total - start;
                let strands_totals = is_last
                    && start == 0
                    && row_height(left) + totals_height > flow.remaining()
                    && row_height(left) + totals_height + HEADER_HEIGHT <= Flow::fresh_page_space();
                let keep_whole = left <= fresh_capacity || fits < MIN_LINES_BEFORE_BREAK;
                if page_has_rows && (strands_totals || (fits < left && keep_whole)) {
                    flow.page_break();
                    self.draw_header(flow);
                    page_has_rows = false;
                    continue;
                }
                // Either it fits, or it is taller than a page: fill this one and go on.
                let end = total.min(start + fits.max(1));
                self.draw_fragment(flow, row, start..end);
                start = end;
                page_has_rows = true;
                if start < total {
                    flow.page_break();
                    self.draw_header(flow);
                    page_has_rows = false;
                }
            }
        }
    }

    fn draw_header(&self, flow: &mut Flow) {
        let style = heading_style(&self.styles);
        flow.page
            .fill_rect(LEFT, flow.y, CONTENT_WIDTH, HEADER_HEIGHT, SHADE);
        let baseline = baseline_in(flow.y, HEADER_HEIGHT, style);
        for (i, (heading, span)) in self.headings.iter().zip(&self.columns).enumerate() {
            let Some(heading) = text::wrap_at_most(heading, style, span.width(), 1).pop() else {
                continue;
            };
            if i == 0 {
                flow.page.text(span.left, baseline, &heading, style, INK);
            } else {
                flow.page
                    .text_right(span.right, baseline, &heading, style, INK);
            }
        }
        flow.y += HEADER_HEIGHT;
    }

    /// Lines `range` of every cell of `row`, then the rule under them.
    fn draw_fragment(&self, flow: &mut Flow, row: &Row, range: Range<usize>) {
        let body = self.styles.body;
        for (i, (cell, span)) in row.cells.iter().zip(&self.columns).enumerate() {
            let lines = cell.iter().enumerate().skip(range.start).take(range.len());
            for (n, line) in lines {
                let top = flow.y + ROW_PAD + (n - range.start) as f32 * LINE;
                let baseline = baseline_in(top, LINE, body);
                if i == 0 {
                    flow.page.text(span.left, baseline, line, body, INK);
                } else {
                    flow.page.text_right(span.right, baseline, line, body, INK);
                }
            }
        }
        flow.y += row_height(range.len());
        flow.page.rule(LEFT, RIGHT, flow.y, 0.5, RULE);
    }

    /// The totals block, after the last row.
    pub fn draw_totals(&self, flow: &mut Flow) {
        self.totals.draw(flow);
    }
}

/// The totals block: the lines' total and the document's allowances and charges when there
/// are any, the net total, the tax, the gross total, what was paid and what is due (on a
/// credit note, the total credited instead of the last three).
fn totals_entries(doc: &InvoiceDocument, locale: Locale, styles: &Styles) -> Vec<TotalText> {
    let body = styles.body;
    let kind = doc.tax_kind.selector();
    // Cleaned for both faces: the amount due prints in bold.
    let money = |minor: i64| {
        let text = locale.money(minor, &doc.currency);
        text::clean_line(&text::clean_line(&text, styles.emphasis.face), body.face)
    };
    let label = |text: String| text::clean_line(&text, body.face);
    let mut entries = Vec::new();
    if !doc.adjustments.is_empty() {
        entries.push((
            label(locale.t("line-total")),
            money(doc.totals.line_total),
            body,
        ));
        for (index, adjustment) in doc.adjustments.iter().enumerate() {
            let amount = doc
                .totals
                .adjustments
                .get(index)
                .copied()
                .unwrap_or_default();
            let (id, signed) = match adjustment.kind {
                AdjustmentKind::Allowance => ("allowance", -amount),
                AdjustmentKind::Charge => ("charge", amount),
            };
            let mut text = locale.t(id);
            let reason = adjustment.reason.trim();
            if !reason.is_empty() {
                text = format!("{text}: {reason}");
            }
            text = format!("{text} ({})", rate_cell(&adjustment.rate, locale));
            entries.push((label(text), money(signed), body));
        }
    }
    let kind_arg = |id: &str| label(locale.text(id, &[("kind", kind.into())]));
    entries.push((kind_arg("net-total"), money(doc.totals.net_total), body));
    entries.push((kind_arg("tax-total"), money(doc.totals.tax_total), body));
    // A credit note's gross total is what it takes back; nothing was paid on it and nothing
    // is due, so it ends on that amount.
    if doc.is_credit_note() {
        entries.push((
            kind_arg("credited-total"),
            money(doc.totals.gross_total),
            styles.emphasis,
        ));
        return entries;
    }
    entries.push((
        kind_arg("gross-total"),
        money(doc.totals.gross_total),
        styles.body_bold,
    ));
    entries.push((label(locale.t("amount-paid")), money(doc.amount_paid), body));
    entries.push((
        label(locale.t("amount-due")),
        money(doc.amount_due),
        styles.emphasis,
    ));
    entries
}

fn row_height(lines: usize) -> f32 {
    2.0 * ROW_PAD + lines as f32 * LINE
}

/// How many text lines of a row fit in `space`.
fn lines_fitting(space: f32) -> usize {
    ((space - 2.0 * ROW_PAD) / LINE).floor().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::super::fonts::{BOLD, REGULAR};
    use super::super::{DocumentLine, sample_document};
    use super::*;
    use invoicing_workflows::domain::{Currency, Language, Unit};
    use rust_decimal::Decimal;

    fn table_for(descriptions: &[&str], amount: i64, currency: &str) -> Table {
        let mut doc = sample_document(0);
        doc.lines = descriptions
            .iter()
            .map(|d| DocumentLine {
                description: (*d).to_owned(),
                quantity: Decimal::from(amount),
                unit: Unit::Hour,
                unit_price: Decimal::from(amount),
                discount: Some(Discount::Percent(Decimal::new(125, 1))),
                rate: TaxRate::untaxed(),
                period: None,
            })
            .collect();
        doc.totals.lines = vec![amount; descriptions.len()];
        (doc.totals.gross_total, doc.amount_due) = (amount, amount);
        doc.currency = Currency::parse(currency).unwrap();
        Table::new(
            &doc,
            Locale::of(Language::En),
            &Styles::new(&REGULAR, &BOLD),
        )
    }

    /// The guarantee the layout rests on: no cell line is wider than its column, and
    /// the columns stay inside the page in order.
    fn assert_fits(table: &Table) {
        let mut previous_right = LEFT;
        for span in &table.columns {
            assert!(span.left >= previous_right && span.right > span.left);
            previous_right = span.right;
        }
        assert!(previous_right <= RIGHT);
        for row in &table.rows {
            for (cell, span) in row.cells.iter().zip(&table.columns) {
                for line in cell {
                    let width = table.styles.body.width(line);
                    assert!(
                        width <= span.width() + 0.01,
                        "{line:?} is {width} > {}",
                        span.width()
                    );
                }
            }
        }
        assert!(table.totals.values_fit());
    }

    #[test]
    fn ordinary_cells_fit_their_columns() {
        let long = "Strategy workshop with the leadership team, including preparation and notes";
        let table = table_for(&["Design", long], 123_456, "USD");
        assert_fits(&table);
        assert!(
            table.rows[1].cells[0].len() > 1,
            "the long description should wrap"
        );
        assert_eq!(table.headings.len(), 7, "{:?}", table.headings);
        assert_eq!(table.rows[0].cells[6], ["$1,234.56"]);
        assert_eq!(table.rows[0].cells[4], ["12.5%"]);
        assert_eq!(table.rows[0].cells[5], ["0% O"]);
    }

    #[test]
    fn hostile_cells_fit_their_columns() {
        let word = "W".repeat(300);
        let table = table_for(&[&word, "\u{0}😀中", ""], i64::MIN, "JPY");
        assert_fits(&table);
        assert!(
            table.rows[0].cells[0].len() > 3,
            "a 300-letter word is broken up"
        );
        assert_eq!(table.rows[2].cells[0], [""]);
    }

    #[test]
    fn absurd_amounts_wrap_instead_of_overflowing() {
        assert_fits(&table_for(&["x"], i64::MAX, "BHD"));
    }
}
