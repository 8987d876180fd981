//! Random texts for names, notes and descriptions: words in several scripts, characters XML
//! must escape, emoji, and runs of code points from whole Unicode blocks, so that the writers'
//! escaping and the referee's parsing meet more than the corpus's few sentences.

use rand::{Rng, seq::SliceRandom};

const WORDS: &[&str] = &[
    "Software licence",
    "Beratung",
    "Größenänderung",
    "Straße",
    "Œuvre d'art",
    "café crème",
    "Ελληνικά",
    "Υπηρεσία",
    "Программное обеспечение",
    "поддержка",
    "技术支持",
    "年度许可证",
    "契約に従って納品",
    "한국어 설명",
    "دعم فني",
    "עברית",
    "R&D <phase 2>",
    "\"quoted\" & 'apostrophes'",
    "50 % off > 10 units",
    "🎉📦",
    "🛠️ Remote support",
    "Ω-level SLA",
    "naïve façade",
    "Zürich–Genève",
];

/// Blocks random runs are drawn from: Latin-1 letters, Latin Extended-A, Greek, Cyrillic,
/// Hebrew, Arabic, CJK ideographs, Hangul syllables and emoji (no controls, no noncharacters).
const BLOCKS: &[(u32, u32)] = &[
    (0x00C0, 0x00FF),
    (0x0100, 0x017F),
    (0x0391, 0x03C9),
    (0x0410, 0x044F),
    (0x05D0, 0x05EA),
    (0x0627, 0x064A),
    (0x4E00, 0x9FA5),
    (0xAC00, 0xD7A3),
    (0x1F300, 0x1F5FF),
];

/// One to a few words, sometimes with a run of random characters; never blank.
pub fn text(rng: &mut impl Rng) -> String {
    let words = rng.gen_range(1..=4);
    let mut parts: Vec<String> = (0..words)
        .map(|_| (*WORDS.choose(rng).expect("words")).to_owned())
        .collect();
    if rng.gen_bool(0.4) {
        let &(low, high) = BLOCKS.choose(rng).expect("blocks");
        let run: String = (0..rng.gen_range(1..=12))
            .map(|_| char::from_u32(rng.gen_range(low..=high)).expect("a scalar value"))
            .collect();
        parts.push(run);
    }
    parts.join(" ")
}

/// A longer text: several sentences of [`text`].
pub fn paragraph(rng: &mut impl Rng) -> String {
    let sentences = rng.gen_range(1..=6);
    (0..sentences)
        .map(|_| text(rng) + ".")
        .collect::<Vec<_>>()
        .join(" ")
}
