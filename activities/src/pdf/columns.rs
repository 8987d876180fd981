//! Column geometry of the line-items table: numeric columns sized to their contents.

use super::text::{self, Style};
use super::theme::{CONTENT_WIDTH, LEFT, Styles};

/// Text inset from the table's outer edges.
pub(super) const INSET: f32 = 6.0;
/// Space between two columns.
pub(super) const GUTTER: f32 = 14.0;
/// The description keeps at least this share of the width however wide the amounts get.
pub(super) const MIN_DESCRIPTION_SHARE: f32 = 0.42;

pub(super) const HEADINGS: [&str; 4] = ["Description", "Qty", "Unit price", "Amount"];

/// Horizontal extent of a column's text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    pub left: f32,
    pub right: f32,
}

impl Span {
    pub fn width(self) -> f32 {
        self.right - self.left
    }
}

/// The style of the column headings.
pub(super) fn heading_style(styles: &Styles) -> Style {
    Style::new(styles.body_bold.face, 8.5)
}

/// Numeric columns get what their widest entry needs (`extra_amounts` must fit the
/// Amount column too); the description gets the rest, but never less than
/// [`MIN_DESCRIPTION_SHARE`] — absurdly long amounts wrap instead.
pub(super) fn size_columns(
    cells: &[[String; 4]],
    extra_amounts: impl Iterator<Item = f32>,
    styles: &Styles,
) -> [Span; 4] {
    let heading = heading_style(styles);
    let need = |col: usize| {
        let cells = widest(cells.iter().map(|c| styles.body.width(&c[col])));
        heading.width(HEADINGS[col]).max(cells)
    };
    let mut numeric = [need(1), need(2), need(3).max(widest(extra_amounts))];

    let available = CONTENT_WIDTH - 2.0 * INSET - 3.0 * GUTTER;
    let cap = available * (1.0 - MIN_DESCRIPTION_SHARE);
    let sum: f32 = numeric.iter().sum();
    if sum > cap {
        numeric = numeric.map(|w| w * cap / sum);
    }

    let description = Span {
        left: LEFT + INSET,
        right: LEFT + INSET + available - numeric.iter().sum::<f32>(),
    };
    let mut spans = [description; 4];
    for (i, width) in numeric.into_iter().enumerate() {
        let left = spans[i].right + GUTTER;
        spans[i + 1] = Span {
            left,
            right: left + width,
        };
    }
    spans
}

/// Wraps a cell; every cell has at least one (possibly empty) line.
pub(super) fn wrap_cell(text: &str, style: Style, width: f32) -> Vec<String> {
    let mut lines = text::wrap(text, style, width);
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

pub(super) fn widest(widths: impl Iterator<Item = f32>) -> f32 {
    widths.fold(0.0, f32::max)
}
