//! Text clean-up, measurement and line wrapping against the embedded font's real metrics.

use super::fonts::Face;

/// Drawn in place of a character the font has no glyph for.
const PLACEHOLDER: char = '?';
const ELLIPSIS: char = '…';

/// A face at a size: everything needed to measure a line.
#[derive(Clone, Copy)]
pub(super) struct Style {
    pub face: &'static Face,
    pub size: f32,
}

impl Style {
    pub fn new(face: &'static Face, size: f32) -> Self {
        Self { face, size }
    }

    /// Width in points of text that has already been through [`clean`].
    pub fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.char_width(c)).sum()
    }

    fn char_width(&self, c: char) -> f32 {
        self.face.advance_em(c) * self.size
    }
}

/// Makes arbitrary user text safe to draw with `face`: line breaks become `'\n'`, other
/// whitespace a plain space, invisible and control characters are dropped, and anything
/// the font cannot draw becomes [`PLACEHOLDER`]. After this every character has a glyph,
/// so measuring and drawing agree.
pub(super) fn clean(text: &str, face: &Face) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // "\r\n" is one break, a lone "\r" is one too.
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}' => out.push('\n'),
            // Keep no-break spaces unbreakable (if the font has them): CLDR's formats put
            // U+00A0 before a currency symbol and U+202F in French numbers.
            '\u{A0}' | '\u{202F}' if face.has_glyph(c) => out.push(c),
            '\u{202F}' if face.has_glyph('\u{A0}') => out.push('\u{A0}'),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() || is_default_ignorable(c) => {}
            c if face.has_glyph(c) => out.push(c),
            _ => out.push(PLACEHOLDER),
        }
    }
    out
}

/// Like [`clean`] but for one-line fields: line breaks become spaces.
pub(super) fn clean_line(text: &str, face: &Face) -> String {
    clean(text, face).replace('\n', " ")
}

/// Invisible format characters (joiners, bidi controls, variation selectors, BOM, …).
/// Fonts rarely map them, and a '?' for something the writer never saw would be noise.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Greedy word wrap of cleaned text into lines no wider than `max_width`.
///
/// Explicit line breaks are kept (runs of blank lines collapse into one, leading and
/// trailing ones are dropped); runs of spaces collapse. A word wider than the line is
/// broken between characters, because running into the next column is never acceptable.
pub(super) fn wrap(text: &str, style: Style, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        if paragraph.trim().is_empty() {
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            continue;
        }
        wrap_paragraph(paragraph, style, max_width, &mut lines);
    }
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// [`wrap`], but at most `max_lines` lines; when more were needed the last one kept
/// ends in an ellipsis. Always returns at least one line, so callers can rely on a height.
pub(super) fn wrap_at_most(
    text: &str,
    style: Style,
    max_width: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = wrap(text, style, max_width);
    if lines.is_empty() {
        lines.push(String::new());
    }
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsize(last, style, max_width);
        }
    }
    lines
}

/// Shortens `line` until it and a trailing ellipsis fit in `max_width`.
fn ellipsize(line: &str, style: Style, max_width: f32) -> String {
    let budget = max_width - style.char_width(ELLIPSIS);
    let mut out = String::new();
    let mut width = 0.0;
    for c in line.chars() {
        width += style.char_width(c);
        if width > budget {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push(ELLIPSIS);
    out
}

fn wrap_paragraph(paragraph: &str, style: Style, max_width: f32, lines: &mut Vec<String>) {
    let space = style.char_width(' ');
    let mut line = String::new();
    let mut line_width = 0.0;
    for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
        let word_width = style.width(word);
        if !line.is_empty() && line_width + space + word_width <= max_width {
            line.push(' ');
            line.push_str(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word_width <= max_width {
            line.push_str(word);
            line_width = word_width;
        } else {
            line_width = break_word(word, style, max_width, lines, &mut line);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
}

/// Splits an over-long word across lines, preferably after punctuation that reads
/// naturally at a line end ("accounts.payable@" / "example.com"), otherwise between
/// any two characters. Full lines go to `lines`; the unfinished tail is left in `tail`
/// and its width returned, so following words can join it.
fn break_word(
    word: &str,
    style: Style,
    max_width: f32,
    lines: &mut Vec<String>,
    tail: &mut String,
) -> f32 {
    let mut width = 0.0;
    for c in word.chars() {
        let w = style.char_width(c);
        // Zero-width marks stay with their base character; every line gets at least one
        // character so that a column narrower than a glyph cannot loop forever.
        if w > 0.0 && width + w > max_width && !tail.is_empty() {
            let carried = split_at_soft_break(tail, style, max_width);
            lines.push(std::mem::replace(tail, carried));
            width = style.width(tail);
        }
        tail.push(c);
        width += w;
    }
    width
}

/// Cuts `line` after its last soft break character if that keeps at least half of the
/// line, returning the part moved to the next line (empty if there is no good break).
fn split_at_soft_break(line: &mut String, style: Style, max_width: f32) -> String {
    const SOFT_BREAKS: &[char] = &[
        '@', '.', '/', '-', '_', '–', '—', ',', ';', ':', '&', '?', '=',
    ];
    let Some((index, c)) = line
        .char_indices()
        .rev()
        .find(|(_, c)| SOFT_BREAKS.contains(c))
    else {
        return String::new();
    };
    let cut = index + c.len_utf8();
    if cut == line.len() || style.width(&line[..cut]) < max_width / 2.0 {
        return String::new();
    }
    line.split_off(cut)
}

#[cfg(test)]
mod tests {
    use super::super::fonts::{BOLD, REGULAR};
    use super::*;

    fn style() -> Style {
        Style::new(&REGULAR, 10.0)
    }

    #[test]
    fn widths_come_from_the_font() {
        let s = style();
        assert!(s.width("WWW") > s.width("iii") * 2.0);
        assert_eq!(s.width(""), 0.0);
        assert!(Style::new(&BOLD, 10.0).width("Total") > s.width("Total"));
    }

    #[test]
    fn clean_replaces_what_the_font_cannot_draw() {
        let cleaned = clean("Zoë\u{0}–Øster\u{FFFF}中\u{200D}\r\nΑβγ Жж\t!", &REGULAR);
        assert_eq!(cleaned, "Zoë–Øster??\nΑβγ Жж !");
    }

    #[test]
    fn wrap_respects_the_width_and_keeps_every_word() {
        let s = style();
        let text = "Brand strategy workshop with stakeholders, including preparation and a written summary";
        let lines = wrap(text, s, 120.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| s.width(l) <= 120.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn long_words_are_broken_not_overflowed() {
        let s = style();
        let word = "x".repeat(300);
        let lines = wrap(&word, s, 100.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| s.width(l) <= 100.0));
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn long_words_prefer_punctuation_breaks() {
        let s = style();
        let email = "accounts.payable@acme-outdoor-supply-company.example";
        let lines = wrap(email, s, s.width("accounts.payable@acme-outdoor-su"));
        assert_eq!(lines[0], "accounts.payable@acme-outdoor-");
        assert_eq!(lines.concat(), email);
    }

    #[test]
    fn blank_lines_collapse() {
        let text = format!("a{}b\n\n\n", "\n".repeat(100));
        assert_eq!(wrap(&text, style(), 100.0), ["a", "", "b"]);
    }

    #[test]
    fn wrap_at_most_ellipsises_the_last_line() {
        let s = style();
        let lines = wrap_at_most(&"word ".repeat(100), s, 80.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        assert!(s.width(&lines[1]) <= 80.0);
        assert_eq!(wrap_at_most("", s, 80.0, 2), [""]);
    }
}
