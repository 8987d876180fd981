//! Column geometry of the line-items table: the description first, then numeric columns
//! sized to their contents.

use super::text::{self, Style};
use super::theme::{CONTENT_WIDTH, LEFT, Styles};

/// Text inset from the table's outer edges.
pub(super) const INSET: f32 = 6.0;
/// Space between two columns.
pub(super) const GUTTER: f32 = 10.0;
/// The description keeps at least this share of the width however wide the numbers get.
pub(super) const MIN_DESCRIPTION_SHARE: f32 = 0.3;

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
    Style::new(styles.body_bold.face, 8.0)
}

/// Numeric columns (every column after the first) get what their widest entry or heading
/// needs (`extra_last` must fit the last column too: the totals' amounts); the description
/// gets the rest, but never less than [`MIN_DESCRIPTION_SHARE`]: absurdly long numbers wrap
/// instead.
pub(super) fn size_columns(
    headings: &[String],
    cells: &[Vec<String>],
    extra_last: impl Iterator<Item = f32>,
    styles: &Styles,
) -> Vec<Span> {
    let heading = heading_style(styles);
    let count = headings.len();
    let mut numeric: Vec<f32> = (1..count)
        .map(|col| {
            let cells = widest(
                cells
                    .iter()
                    .map(|row| row.get(col).map_or(0.0, |c| styles.body.width(c))),
            );
            heading.width(&headings[col]).max(cells)
        })
        .collect();
    if let Some(last) = numeric.last_mut() {
        *last = last.max(widest(extra_last));
    }

    let available = CONTENT_WIDTH - 2.0 * INSET - (count - 1) as f32 * GUTTER;
    let cap = available * (1.0 - MIN_DESCRIPTION_SHARE);
    let sum: f32 = numeric.iter().sum();
    if sum > cap {
        numeric.iter_mut().for_each(|w| *w *= cap / sum);
    }

    let description = Span {
        left: LEFT + INSET,
        right: LEFT + INSET + available - numeric.iter().sum::<f32>(),
    };
    let mut spans = vec![description];
    for width in numeric {
        let left = spans[spans.len() - 1].right + GUTTER;
        spans.push(Span {
            left,
            right: left + width,
        });
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
