//! The seller's logo: decoded from PNG or JPEG by printpdf's image support (the `image` crate
//! with only those two codecs), embedded once and scaled into the header's logo box.

use printpdf::{Op, Pt, RawImage, XObjectId, XObjectTransform};

use super::{Logo, LogoFormat};

/// The box the logo is fitted into, keeping its proportions.
pub(super) const MAX_WIDTH: f32 = 150.0;
pub(super) const MAX_HEIGHT: f32 = 48.0;

pub(super) struct Decoded {
    pub raw: RawImage,
    pub width: usize,
    pub height: usize,
}

/// The image, or `None` when the bytes are not the format they claim (uploads are checked,
/// but a document must still render without its logo rather than fail).
pub(super) fn decode(logo: &Logo) -> Option<Decoded> {
    let signature_ok = match logo.format {
        LogoFormat::Png => logo.bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        LogoFormat::Jpeg => logo.bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
    };
    if !signature_ok {
        return None;
    }
    let raw = RawImage::decode_from_bytes(&logo.bytes, &mut Vec::new()).ok()?;
    if raw.width == 0 || raw.height == 0 {
        return None;
    }
    Some(Decoded {
        width: raw.width,
        height: raw.height,
        raw,
    })
}

/// An embedded logo and the size it is drawn at, in points.
#[derive(Clone)]
pub(super) struct Placed {
    id: XObjectId,
    pixels: (usize, usize),
    pub width: f32,
    pub height: f32,
}

impl Placed {
    pub fn new(id: XObjectId, width_px: usize, height_px: usize) -> Self {
        let (w, h) = (width_px as f32, height_px as f32);
        let scale = (MAX_WIDTH / w).min(MAX_HEIGHT / h);
        Self {
            id,
            pixels: (width_px, height_px),
            width: w * scale,
            height: h * scale,
        }
    }

    /// The operation drawing it with its bottom-left corner at (`x`, `y`) in PDF space.
    pub fn op(&self, x: f32, y: f32) -> Op {
        // At `dpi`, printpdf draws a pixel as 72/dpi points; scale from there to our size.
        const DPI: f32 = 300.0;
        let natural_width = self.pixels.0 as f32 * 72.0 / DPI;
        let natural_height = self.pixels.1 as f32 * 72.0 / DPI;
        Op::UseXobject {
            id: self.id.clone(),
            transform: XObjectTransform {
                translate_x: Some(Pt(x)),
                translate_y: Some(Pt(y)),
                scale_x: Some(self.width / natural_width),
                scale_y: Some(self.height / natural_height),
                dpi: Some(DPI),
                ..Default::default()
            },
        }
    }
}
