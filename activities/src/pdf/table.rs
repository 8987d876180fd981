//! The line-items table: wrapped rows, page breaks inside and between rows, header rows.

use std::ops::Range;

use super::InvoiceDocument;
use super::columns::{HEADINGS, Span, heading_style, size_columns, wrap_cell};
use super::flow::Flow;
use super::money::{format_money, format_quantity, rounded_minor};
use super::text;
use super::theme::{CONTENT_WIDTH, INK, LEFT, LINE, RIGHT, RULE, SHADE, Styles, baseline_in};
use super::totals::{TotalText, Totals};

/// Space above and below the text of a row.
const ROW_PAD: f32 = 5.0;
const HEADER_HEIGHT: f32 = 22.0;
/// A row taller than a page is split, but not to leave fewer lines than this behind.
const MIN_LINES_BEFORE_BREAK: usize = 2;

/// One item, every cell already wrapped to its column.
struct Row {
    cells: [Vec<String>; 4],
}

impl Row {
    fn lines(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(1)
    }
}

pub(super) struct Table {
    columns: [Span; 4],
    rows: Vec<Row>,
    totals: Totals,
    styles: Styles,
}

impl Table {
    pub fn new(doc: &InvoiceDocument, styles: &Styles) -> Self {
        let body = styles.body;
        // Cleaned for both faces: the amount due prints it in bold.
        let bold = styles.emphasis.face;
        let currency = text::clean_line(&text::clean_line(&doc.currency, bold), body.face);
        let money = |minor| format_money(minor, currency.trim(), doc.currency_exponent);

        let cells: Vec<[String; 4]> = doc
            .items
            .iter()
            .map(|item| {
                [
                    text::clean(&item.description, body.face),
                    format_quantity(item.quantity),
                    money(rounded_minor(item.unit_amount)),
                    money(item.amount),
                ]
            })
            .collect();
        let totals: Vec<TotalText> = vec![
            ("Subtotal", money(doc.subtotal), body),
            ("Total", money(doc.total), body),
            ("Amount paid", money(doc.amount_paid), body),
            ("Amount due", money(doc.amount_due), styles.emphasis),
        ];

        let total_widths = totals.iter().map(|(_, value, style)| style.width(value));
        let columns = size_columns(&cells, total_widths, styles);
        let rows = cells
            .iter()
            .map(|texts| Row {
                cells: std::array::from_fn(|i| wrap_cell(&texts[i], body, columns[i].width())),
            })
            .collect();

        Self {
            totals: Totals::new(totals, columns[3], columns[2]),
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
        for (i, (heading, span)) in HEADINGS.iter().zip(self.columns).enumerate() {
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
        for (i, (cell, span)) in row.cells.iter().zip(self.columns).enumerate() {
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

    fn table_for(descriptions: &[&str], amount: i64, exponent: u32) -> Table {
        let mut doc = sample_document(0);
        doc.items = descriptions
            .iter()
            .map(|d| DocumentLine {
                description: (*d).to_owned(),
                quantity: amount.into(),
                unit_amount: amount.into(),
                amount,
            })
            .collect();
        (doc.total, doc.amount_due, doc.currency_exponent) = (amount, amount, exponent);
        Table::new(&doc, &Styles::new(&REGULAR, &BOLD))
    }

    /// The guarantee the layout rests on: no cell line is wider than its column, and
    /// the columns stay inside the page in order.
    fn assert_fits(table: &Table) {
        let mut previous_right = LEFT;
        for span in table.columns {
            assert!(span.left >= previous_right && span.right > span.left);
            previous_right = span.right;
        }
        assert!(previous_right <= RIGHT);
        for row in &table.rows {
            for (cell, span) in row.cells.iter().zip(table.columns) {
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
        let table = table_for(&["Design", long], 123_456, 2);
        assert_fits(&table);
        assert!(
            table.rows[1].cells[0].len() > 1,
            "the long description should wrap"
        );
        assert_eq!(table.rows[0].cells[3], ["1,234.56 USD"]);
    }

    #[test]
    fn hostile_cells_fit_their_columns() {
        let word = "W".repeat(300);
        let table = table_for(&[&word, "\u{0}😀中", ""], i64::MIN, 0);
        assert_fits(&table);
        assert!(
            table.rows[0].cells[0].len() > 3,
            "a 300-letter word is broken up"
        );
        assert_eq!(table.rows[2].cells[0], [""]);
    }

    #[test]
    fn absurd_exponents_wrap_instead_of_overflowing() {
        assert_fits(&table_for(&["x"], i64::MAX, 38));
    }
}
