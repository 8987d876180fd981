//! Page geometry, colours and type sizes shared by every part of the layout.

use super::fonts::Face;
use super::text::Style;

/// A4 portrait, in points.
pub(super) const PAGE_WIDTH: f32 = 595.276;
pub(super) const PAGE_HEIGHT: f32 = 841.89;

pub(super) const MARGIN_X: f32 = 50.0;
pub(super) const LEFT: f32 = MARGIN_X;
pub(super) const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
pub(super) const CONTENT_WIDTH: f32 = RIGHT - LEFT;
/// Where content starts on every page (distance from the top edge).
pub(super) const TOP: f32 = 48.0;
/// Content must end above this line; the footer lives below it.
pub(super) const BODY_BOTTOM: f32 = PAGE_HEIGHT - 64.0;
pub(super) const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 36.0;

/// Height of one line of body text.
pub(super) const LINE: f32 = 12.5;

/// Colours as 0–1 RGB triples.
pub(super) type Colour = (f32, f32, f32);
pub(super) const INK: Colour = (0.12, 0.13, 0.15);
pub(super) const MUTED: Colour = (0.42, 0.44, 0.48);
pub(super) const RULE: Colour = (0.86, 0.87, 0.89);
pub(super) const SHADE: Colour = (0.945, 0.95, 0.96);
pub(super) const ACCENT: Colour = (0.13, 0.23, 0.42);
pub(super) const PAID_GREEN: Colour = (0.05, 0.55, 0.25);
pub(super) const VOID_RED: Colour = (0.80, 0.10, 0.10);

/// The handful of type styles the document uses.
#[derive(Clone, Copy)]
pub(super) struct Styles {
    pub body: Style,
    pub body_bold: Style,
    pub small: Style,
    pub label: Style,
    pub party_name: Style,
    pub emphasis: Style,
    pub title: Style,
    pub number: Style,
    pub stamp: Style,
}

impl Styles {
    pub fn new(regular: &'static Face, bold: &'static Face) -> Self {
        Self {
            body: Style::new(regular, 9.0),
            body_bold: Style::new(bold, 9.0),
            small: Style::new(regular, 8.0),
            label: Style::new(bold, 7.5),
            party_name: Style::new(bold, 10.5),
            emphasis: Style::new(bold, 10.5),
            title: Style::new(bold, 24.0),
            number: Style::new(regular, 11.0),
            stamp: Style::new(bold, 34.0),
        }
    }
}

/// Baseline of a line of `style` text centred in a box of `height` starting at `top`.
/// Capitals of DejaVu Sans are ~0.73 em tall, so this centres them optically.
pub(super) fn baseline_in(top: f32, height: f32, style: Style) -> f32 {
    top + height / 2.0 + style.size * 0.365
}
