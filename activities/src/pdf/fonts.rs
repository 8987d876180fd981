//! The embedded DejaVu Sans faces, parsed once per process, with their glyph metrics.

use std::collections::HashMap;
use std::sync::LazyLock;

use printpdf::ParsedFont;

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// `None` only if the bundled font bytes are broken, which `render` reports as an error.
static REGULAR_FACE: LazyLock<Option<Face>> =
    LazyLock::new(|| Face::parse(REGULAR_TTF, Weight::Regular));
static BOLD_FACE: LazyLock<Option<Face>> = LazyLock::new(|| Face::parse(BOLD_TTF, Weight::Bold));

/// Which of the two embedded faces; the canvas picks the document's font id by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// A parsed font: the printpdf handle for embedding plus an advance-width table for
/// measuring. printpdf's own `ParsedFont` API differs with its `text_layout` feature,
/// so metrics come from `ttf-parser`, read once into a table.
#[derive(Debug)]
pub(super) struct Face {
    pub parsed: ParsedFont,
    pub weight: Weight,
    /// Horizontal advance per character, as a fraction of the em.
    advances: HashMap<char, f32>,
}

impl Face {
    fn parse(bytes: &[u8], weight: Weight) -> Option<Self> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())?;
        Some(Self {
            parsed,
            weight,
            advances: advance_table(bytes)?,
        })
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.advances.contains_key(&c)
    }

    /// Advance of `c` in ems; characters without a glyph measure as zero, but text is
    /// cleaned before it is measured, so that never happens in practice.
    pub fn advance_em(&self, c: char) -> f32 {
        self.advances.get(&c).copied().unwrap_or(0.0)
    }
}

/// Every Unicode codepoint the font maps to a real glyph, with that glyph's advance.
fn advance_table(bytes: &[u8]) -> Option<HashMap<char, f32>> {
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let units_per_em = f32::from(face.units_per_em());
    let mut advances = HashMap::new();
    let cmap = face.tables().cmap?;
    for subtable in cmap.subtables.into_iter().filter(|t| t.is_unicode()) {
        subtable.codepoints(|cp| {
            let Some(c) = char::from_u32(cp) else { return };
            // Glyph 0 is .notdef: a codepoint mapped to it is not really covered.
            if let Some(glyph) = subtable.glyph_index(cp).filter(|g| g.0 != 0) {
                let advance = face.glyph_hor_advance(glyph).unwrap_or(0);
                advances.insert(c, f32::from(advance) / units_per_em);
            }
        });
    }
    Some(advances)
}

/// Both faces, or `None` if either failed to parse.
pub(super) fn faces() -> Option<(&'static Face, &'static Face)> {
    Some((REGULAR_FACE.as_ref()?, BOLD_FACE.as_ref()?))
}

/// Direct access for unit tests, which may panic if the bundled fonts are broken.
#[cfg(test)]
pub(super) static REGULAR: LazyLock<&'static Face> = LazyLock::new(|| faces().unwrap().0);
#[cfg(test)]
pub(super) static BOLD: LazyLock<&'static Face> = LazyLock::new(|| faces().unwrap().1);

#[cfg(test)]
mod tests {
    use super::*;

    /// What the locale's formats print besides letters: both no-break spaces, the currency
    /// symbols, the typographic quotes and dashes of the Fluent files.
    #[test]
    fn both_faces_draw_every_character_the_formats_print() {
        for face in [*REGULAR, *BOLD] {
            for c in [
                '\u{A0}', '\u{202F}', '€', '£', '¥', '₹', '’', '–', '„', '“', '²', '³', '·', '…',
            ] {
                assert!(
                    face.has_glyph(c),
                    "{:?} lacks U+{:04X}",
                    face.weight,
                    c as u32
                );
            }
        }
    }
}
