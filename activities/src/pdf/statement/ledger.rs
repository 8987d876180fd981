//! The statement's table, one section per currency: a heading, the opening balance, a row per
//! movement, the period's totals (and what credit notes took off), the closing balance (and
//! the customer's credit balance). Columns are sized once for every
//! currency (so the sections line up), from what their cells hold; a section that runs over a
//! page goes on under its heading and the table's header again.

use super::super::columns::{GUTTER, INSET, Span, heading_style, widest, wrap_cell};
use super::super::flow::Flow;
use super::super::text::Style;
use super::super::theme::{
    CONTENT_WIDTH, INK, LEFT, LINE, MUTED, RIGHT, RULE, SHADE, Styles, baseline_in,
};
use super::{StatementCurrency, StatementDocument, clean, kind_label};
use crate::locale::Locale;

const COLUMNS: usize = 6;
/// Which columns are right-aligned: the amounts.
const NUMERIC: [bool; COLUMNS] = [false, false, false, true, true, true];
/// Space above and below the text of a row.
const ROW_PAD: f32 = 4.0;
const HEADER_HEIGHT: f32 = 20.0;
const HEADING_HEIGHT: f32 = LINE + 8.0;
/// The document column never takes more than this share of the width.
const MAX_DOCUMENT_SHARE: f32 = 0.22;
/// The amounts and dates never leave the description less than this share of the width; past
/// it, absurdly long amounts wrap instead.
const MIN_DESCRIPTION_SHARE: f32 = 0.25;

/// How a row is printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Movement,
    /// The opening balance and the period's totals.
    Summary,
    /// The closing balance: bold, shaded, with a rule above.
    Closing,
}

/// One row, every cell wrapped to its column.
struct Row {
    cells: Vec<Vec<String>>,
    kind: Kind,
}

impl Row {
    fn height(&self) -> f32 {
        let lines = self.cells.iter().map(Vec::len).max().unwrap_or(1);
        2.0 * ROW_PAD + lines as f32 * LINE
    }
}

pub(super) struct Ledger {
    locale: Locale,
    styles: Styles,
    headings: Vec<String>,
    columns: Vec<Span>,
}

impl Ledger {
    /// The columns, sized for every section of `doc`.
    pub fn new(doc: &StatementDocument, locale: Locale, styles: &Styles) -> Self {
        let heading = heading_style(styles);
        let headings: Vec<String> = [
            "statement-col-date",
            "statement-col-transaction",
            "statement-col-document",
            "statement-col-debit",
            "statement-col-credit",
            "statement-col-balance",
        ]
        .iter()
        .map(|id| clean(&locale.t(id), heading))
        .collect();
        let mut ledger = Self {
            locale,
            styles: *styles,
            headings,
            columns: Vec::new(),
        };
        let texts: Vec<Vec<String>> = doc
            .currencies
            .iter()
            .flat_map(|currency| ledger.texts(doc, currency))
            .map(|(cells, _)| cells)
            .collect();
        ledger.columns = ledger.size(&texts);
        ledger
    }

    /// Draws `currency`'s section, `gap` below what is above it.
    pub fn draw(
        &self,
        flow: &mut Flow,
        doc: &StatementDocument,
        currency: &StatementCurrency,
        gap: f32,
    ) {
        let rows: Vec<Row> = self
            .texts(doc, currency)
            .into_iter()
            .map(|(cells, kind)| Row {
                cells: cells
                    .iter()
                    .zip(&self.columns)
                    .map(|(text, span)| wrap_cell(text, self.style(kind), span.width()))
                    .collect(),
                kind,
            })
            .collect();
        let code = currency.currency.code();
        // The heading keeps the header and the first two rows with it.
        let first: f32 = rows.iter().take(2).map(Row::height).sum();
        flow.keep(gap, HEADING_HEIGHT + HEADER_HEIGHT + first);
        self.draw_heading(flow, "statement-currency", code);
        self.draw_header(flow);
        // The opening balance, then the movements: the rows after them are the summary.
        let last = 1 + currency.lines.len();
        for (index, row) in rows.iter().enumerate() {
            // The totals and the closing balance (with what is printed beside them) stay
            // together.
            let needed = if index == last {
                rows[index..].iter().map(Row::height).sum()
            } else {
                row.height()
            };
            if needed > flow.remaining() {
                flow.page_break();
                self.draw_heading(flow, "statement-currency-continued", code);
                self.draw_header(flow);
            }
            self.draw_row(flow, row);
        }
    }

    /// The texts of a section's rows: the opening balance (on the first day), each movement,
    /// the period's totals, the closing balance (on the last day).
    fn texts(
        &self,
        doc: &StatementDocument,
        currency: &StatementCurrency,
    ) -> Vec<(Vec<String>, Kind)> {
        let locale = self.locale;
        let body = self.styles.body;
        let bold = self.styles.body_bold;
        // Summary rows print in bold: their texts are cleaned for both faces.
        let both = |text: &str| clean(&clean(text, bold), body);
        let money = |minor: i64| both(&locale.money(minor, &currency.currency));
        let label = |id: &str| both(&locale.t(id));
        let day = |date| both(&locale.date(date));
        let mut rows = Vec::with_capacity(currency.lines.len() + 3);
        rows.push((
            vec![
                day(doc.from),
                label("statement-opening"),
                String::new(),
                String::new(),
                String::new(),
                money(currency.opening),
            ],
            Kind::Summary,
        ));
        let (mut debits, mut credits) = (0_i64, 0_i64);
        for line in &currency.lines {
            let (debit, credit) = if line.amount >= 0 {
                debits = debits.saturating_add(line.amount);
                (money(line.amount), String::new())
            } else {
                credits = credits.saturating_add(line.amount.saturating_neg());
                (String::new(), money(line.amount.saturating_neg()))
            };
            rows.push((
                vec![
                    day(line.date),
                    clean(&kind_label(locale, &line.kind), body),
                    clean(line.number.as_deref().unwrap_or_default(), body),
                    debit,
                    credit,
                    money(line.balance),
                ],
                Kind::Movement,
            ));
        }
        rows.push((
            vec![
                String::new(),
                label("statement-totals"),
                String::new(),
                money(debits),
                money(credits),
                String::new(),
            ],
            Kind::Summary,
        ));
        if currency.credited != 0 {
            rows.push((
                vec![
                    String::new(),
                    label("statement-credited"),
                    String::new(),
                    String::new(),
                    money(currency.credited),
                    String::new(),
                ],
                Kind::Summary,
            ));
        }
        rows.push((
            vec![
                day(doc.to),
                label("statement-closing"),
                String::new(),
                String::new(),
                String::new(),
                money(currency.closing),
            ],
            Kind::Closing,
        ));
        if currency.credit_balance != 0 {
            // In the customer's favour, so in the credit column; the closing balance above
            // already counts it.
            rows.push((
                vec![
                    day(doc.to),
                    label("statement-credit-balance"),
                    String::new(),
                    String::new(),
                    money(currency.credit_balance),
                    String::new(),
                ],
                Kind::Summary,
            ));
        }
        rows
    }

    fn style(&self, kind: Kind) -> Style {
        match kind {
            Kind::Movement => self.styles.body,
            Kind::Summary | Kind::Closing => self.styles.body_bold,
        }
    }

    /// Every column but the description gets what its widest entry or heading needs (the
    /// document column at most [`MAX_DOCUMENT_SHARE`]); the description gets the rest, but
    /// never less than [`MIN_DESCRIPTION_SHARE`].
    fn size(&self, rows: &[Vec<String>]) -> Vec<Span> {
        let heading = heading_style(&self.styles);
        // Measured in bold: the summary rows print their amounts in bold.
        let measure = self.styles.body_bold;
        let available = CONTENT_WIDTH - 2.0 * INSET - (COLUMNS - 1) as f32 * GUTTER;
        let mut widths: Vec<f32> = (0..COLUMNS)
            .map(|col| {
                let cells = widest(
                    rows.iter()
                        .map(|row| row.get(col).map_or(0.0, |cell| measure.width(cell))),
                );
                heading.width(&self.headings[col]).max(cells)
            })
            .collect();
        widths[2] = widths[2].min(available * MAX_DOCUMENT_SHARE);
        let fixed: f32 = widths
            .iter()
            .enumerate()
            .filter(|(col, _)| *col != 1)
            .map(|(_, w)| w)
            .sum();
        let cap = available * (1.0 - MIN_DESCRIPTION_SHARE);
        if fixed > cap {
            for (col, width) in widths.iter_mut().enumerate() {
                if col != 1 {
                    *width *= cap / fixed;
                }
            }
        }
        widths[1] = available - fixed.min(cap);
        let mut left = LEFT + INSET;
        widths
            .into_iter()
            .map(|width| {
                let span = Span {
                    left,
                    right: left + width,
                };
                left = span.right + GUTTER;
                span
            })
            .collect()
    }

    fn draw_heading(&self, flow: &mut Flow, id: &str, code: &str) {
        let style = self.styles.party_name;
        let text = clean(&self.locale.text(id, &[("currency", code.into())]), style);
        let baseline = baseline_in(flow.y, HEADING_HEIGHT - 4.0, style);
        flow.page.text(LEFT, baseline, &text, style, INK);
        flow.y += HEADING_HEIGHT;
    }

    fn draw_header(&self, flow: &mut Flow) {
        let style = heading_style(&self.styles);
        flow.page
            .fill_rect(LEFT, flow.y, CONTENT_WIDTH, HEADER_HEIGHT, SHADE);
        let baseline = baseline_in(flow.y, HEADER_HEIGHT, style);
        for (col, (heading, span)) in self.headings.iter().zip(&self.columns).enumerate() {
            let Some(heading) =
                super::super::text::wrap_at_most(heading, style, span.width(), 1).pop()
            else {
                continue;
            };
            if NUMERIC[col] {
                flow.page
                    .text_right(span.right, baseline, &heading, style, INK);
            } else {
                flow.page.text(span.left, baseline, &heading, style, INK);
            }
        }
        flow.y += HEADER_HEIGHT;
    }

    fn draw_row(&self, flow: &mut Flow, row: &Row) {
        let style = self.style(row.kind);
        let colour = match row.kind {
            Kind::Movement | Kind::Closing => INK,
            Kind::Summary => MUTED,
        };
        if row.kind == Kind::Closing {
            flow.page
                .fill_rect(LEFT, flow.y, CONTENT_WIDTH, row.height(), SHADE);
            flow.page.rule(LEFT, RIGHT, flow.y, 0.8, INK);
        }
        for (col, (cell, span)) in row.cells.iter().zip(&self.columns).enumerate() {
            for (n, line) in cell.iter().enumerate() {
                let top = flow.y + ROW_PAD + n as f32 * LINE;
                let baseline = baseline_in(top, LINE, style);
                if NUMERIC[col] {
                    flow.page
                        .text_right(span.right, baseline, line, style, colour);
                } else {
                    flow.page.text(span.left, baseline, line, style, colour);
                }
            }
        }
        flow.y += row.height();
        if row.kind != Kind::Closing {
            flow.page.rule(LEFT, RIGHT, flow.y, 0.5, RULE);
        }
    }
}
