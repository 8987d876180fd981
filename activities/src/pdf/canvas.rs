//! A thin drawing surface over printpdf's operation list, in top-down page coordinates.

use printpdf::{
    Color, ExtendedGraphicsStateId, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point,
    Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix, TextRenderingMode, WindingOrder,
};

use super::fonts::Weight;
use super::text::Style;
use super::theme::{Colour, PAGE_HEIGHT};

/// The two embedded fonts as registered in this document.
#[derive(Clone)]
pub(super) struct FontIds {
    pub regular: FontId,
    pub bold: FontId,
}

/// One page's operations. Callers give `y` as the distance from the top edge (layout
/// flows downwards); the flip to PDF's bottom-up space happens only here.
pub(super) struct Canvas {
    ops: Vec<Op>,
    fonts: FontIds,
}

impl Canvas {
    pub fn new(fonts: FontIds) -> Self {
        Self {
            ops: Vec::new(),
            fonts,
        }
    }

    pub fn into_ops(self) -> Vec<Op> {
        self.ops
    }

    /// An operation built elsewhere (an image), in PDF space.
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    /// Left-aligned text with its baseline at `y`. Text must already be cleaned.
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: Style, colour: Colour) {
        if text.is_empty() {
            return;
        }
        let matrix = TextMatrix::Translate(Pt(x), Pt(PAGE_HEIGHT - y));
        self.text_with_matrix(matrix, text, style, colour);
    }

    /// Right-aligned text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, text: &str, style: Style, colour: Colour) {
        self.text(right - style.width(text), y, text, style, colour);
    }

    fn text_with_matrix(&mut self, matrix: TextMatrix, text: &str, style: Style, colour: Colour) {
        let font = match style.face.weight {
            Weight::Regular => self.fonts.regular.clone(),
            Weight::Bold => self.fonts.bold.clone(),
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(style.size),
            },
            Op::SetFillColor { col: rgb(colour) },
            Op::SetTextMatrix { matrix },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    /// A horizontal rule from `x1` to `x2` at `y`.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, colour: Colour) {
        let y = PAGE_HEIGHT - y;
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(colour) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![point(x1, y), point(x2, y)],
                    is_closed: false,
                },
            },
        ]);
    }

    /// A filled rectangle whose top-left corner is at (`x`, `top`).
    pub fn fill_rect(&mut self, x: f32, top: f32, width: f32, height: f32, colour: Colour) {
        self.ops.extend([
            Op::SetFillColor { col: rgb(colour) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(PAGE_HEIGHT - top - height),
                    width: Pt(width),
                    height: Pt(height),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ]);
    }

    /// A rubber-stamp style label: outlined text in a rounded frame, rotated
    /// `degrees` anticlockwise about (`cx`, `cy`) and drawn through `alpha` so whatever
    /// is printed over it stays readable.
    pub fn stamp(&mut self, stamp: StampSpec<'_>, alpha: ExtendedGraphicsStateId) {
        let StampSpec {
            cx,
            cy,
            degrees,
            label,
            style,
            colour,
        } = stamp;
        let (sin, cos) = degrees.to_radians().sin_cos();
        let origin = [cos, sin, -sin, cos, cx, PAGE_HEIGHT - cy];
        let half_w = style.width(label) / 2.0 + style.size * 0.35;
        let half_h = style.size * 0.62;
        // Cap height of DejaVu is ~0.73 em: this baseline centres capitals in the frame.
        let baseline = -style.size * 0.365;
        let frame = rounded_rect(-half_w, -half_h, half_w, half_h, style.size * 0.18);

        self.ops.extend([
            Op::SaveGraphicsState,
            Op::LoadGraphicsState { gs: alpha },
            Op::SetTransformationMatrix {
                matrix: printpdf::CurTransMat::Raw(origin),
            },
            Op::SetOutlineColor { col: rgb(colour) },
            Op::SetOutlineThickness {
                pt: Pt(style.size * 0.06),
            },
            Op::DrawPolygon { polygon: frame },
            Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            },
            Op::SetOutlineThickness {
                pt: Pt(style.size * 0.02),
            },
        ]);
        let x = -style.width(label) / 2.0;
        // The text matrix is relative to the rotated space set up above.
        self.text_with_matrix(
            TextMatrix::Translate(Pt(x), Pt(baseline)),
            label,
            style,
            colour,
        );
        self.ops.extend([
            Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            },
            Op::RestoreGraphicsState,
        ]);
    }
}

/// Where and how to draw a stamp; see [`Canvas::stamp`].
pub(super) struct StampSpec<'a> {
    pub cx: f32,
    pub cy: f32,
    pub degrees: f32,
    pub label: &'a str,
    pub style: Style,
    pub colour: Colour,
}

fn rgb((r, g, b): Colour) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn control(x: f32, y: f32) -> LinePoint {
    LinePoint {
        bezier: true,
        ..point(x, y)
    }
}

/// A stroked rectangle with corners rounded by cubic Béziers of radius `r`.
fn rounded_rect(x0: f32, y0: f32, x1: f32, y1: f32, r: f32) -> Polygon {
    // Control-point distance that makes a cubic Bézier approximate a quarter circle.
    let k = r * 0.552_284_8;
    let points = vec![
        point(x0 + r, y0),
        point(x1 - r, y0),
        control(x1 - r + k, y0),
        control(x1, y0 + r - k),
        point(x1, y0 + r),
        point(x1, y1 - r),
        control(x1, y1 - r + k),
        control(x1 - r + k, y1),
        point(x1 - r, y1),
        point(x0 + r, y1),
        control(x0 + r - k, y1),
        control(x0, y1 - r + k),
        point(x0, y1 - r),
        point(x0, y0 + r),
        control(x0, y0 + r - k),
        control(x0 + r - k, y0),
        point(x0 + r, y0),
    ];
    Polygon {
        rings: vec![PolygonRing { points }],
        mode: PaintMode::Stroke,
        winding_order: WindingOrder::NonZero,
    }
}
