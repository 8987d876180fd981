//! The totals block under the table: net, tax, gross, paid and the emphasised amount due.

use super::columns::{GUTTER, INSET, Span, widest, wrap_cell};
use super::flow::Flow;
use super::text::{self, Style};
use super::theme::{CONTENT_WIDTH, INK, LEFT, LINE, MUTED, RIGHT, SHADE, baseline_in};

const GAP_ABOVE: f32 = 10.0;
const ROW: f32 = LINE + 3.0;
const DUE_ROW: f32 = 24.0;

/// One line of the block as text: label, formatted amount, style (both cleaned).
pub(super) type TotalText = (String, String, Style);

/// The labels start no further left than this share of the content width.
const MIN_LEFT_SHARE: f32 = 0.3;

struct Line {
    label: String,
    value: Vec<String>,
    style: Style,
    /// The amount due: bold, shaded, with a rule above.
    emphasised: bool,
}

impl Line {
    fn height(&self) -> f32 {
        let first = if self.emphasised { DUE_ROW } else { ROW };
        first + self.value.len().saturating_sub(1) as f32 * LINE
    }
}

pub(super) struct Totals {
    lines: Vec<Line>,
    /// Left edge of the labels.
    left: f32,
    /// Right edge of the values: the Amount column's.
    right: f32,
}

impl Totals {
    /// Labels line up under the numeric columns, values with the Amount column; the
    /// last entry is the emphasised amount due.
    pub fn new(entries: Vec<TotalText>, amount: Span, unit_price: Span) -> Self {
        let value_width = widest(entries.iter().map(|(_, value, style)| style.width(value)));
        let floor = LEFT + CONTENT_WIDTH * MIN_LEFT_SHARE;
        // Long labels (an allowance's reason) are cut to what is left beside the values.
        let label_room = (amount.right - value_width.min(amount.width()) - GUTTER - floor).max(0.0);
        let entries: Vec<TotalText> = entries
            .into_iter()
            .map(|(label, value, style)| {
                let label = text::wrap_at_most(&label, style, label_room, 1)
                    .pop()
                    .unwrap_or_default();
                (label, value, style)
            })
            .collect();
        let label_width = widest(entries.iter().map(|(label, _, style)| style.width(label)));
        let left = (amount.right - value_width - GUTTER - label_width)
            .min(unit_price.left)
            .max(floor);
        let value_room = amount.right - (left + label_width + GUTTER);
        let last = entries.len().saturating_sub(1);
        let lines = entries
            .into_iter()
            .enumerate()
            .map(|(i, (label, value, style))| Line {
                label,
                value: wrap_cell(&value, style, value_room),
                style,
                emphasised: i == last,
            })
            .collect();
        Self {
            lines,
            left,
            right: amount.right,
        }
    }

    /// Height of the block including the gap above it.
    pub fn height(&self) -> f32 {
        GAP_ABOVE + self.lines.iter().map(Line::height).sum::<f32>()
    }

    /// Draws the block, kept together: on a new page if it does not fit on this one.
    pub fn draw(&self, flow: &mut Flow) {
        if self.height() > flow.remaining() {
            flow.page_break();
        } else {
            flow.y += GAP_ABOVE;
        }
        for line in &self.lines {
            let (first_row, colour) = if line.emphasised {
                let left = self.left - INSET;
                flow.page
                    .fill_rect(left, flow.y, RIGHT - left, line.height(), SHADE);
                flow.page.rule(left, RIGHT, flow.y, 0.8, INK);
                (DUE_ROW, INK)
            } else {
                (ROW, MUTED)
            };
            let baseline = baseline_in(flow.y, first_row, line.style);
            flow.page
                .text(self.left, baseline, &line.label, line.style, colour);
            for (n, value) in line.value.iter().enumerate() {
                let y = baseline + n as f32 * LINE;
                flow.page.text_right(self.right, y, value, line.style, INK);
            }
            flow.y += line.height();
        }
    }

    /// Whether every value stays clear of the labels and inside the Amount column.
    #[cfg(test)]
    pub fn values_fit(&self) -> bool {
        let labels = widest(self.lines.iter().map(|l| l.style.width(&l.label)));
        let room = self.right - (self.left + labels + GUTTER);
        self.lines
            .iter()
            .all(|l| l.value.iter().all(|v| l.style.width(v) <= room + 0.01))
    }
}
