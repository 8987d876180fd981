//! How an account's invoice numbers read: a pattern such as `INV-{YYYY}-{SEQ:5}`, filled in
//! with the issue date and the invoice's place in its sequence when the invoice is sent, and
//! whether that sequence starts again every calendar year.
//!
//! The number is rendered once, at sending, and stored as text on the invoice: a later change
//! of format never alters a number already issued. Each sequence stays gapless (the store
//! allocates the next place in the same transaction that marks the invoice sent).

use super::validation::FieldErrors;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

pub const MAX_PATTERN_CHARS: usize = 40;
/// `{SEQ:n}` pads to at most this many digits.
pub const MAX_SEQ_DIGITS: usize = 12;
/// Every account's format until it chooses another: the numbers it always had (`INV-000042`).
pub const DEFAULT_PATTERN: &str = "INV-{SEQ:6}";
/// The credit notes' default pattern: their own series.
pub const DEFAULT_CREDIT_NOTE_PATTERN: &str = "CN-{SEQ:6}";

/// When the sequence starts again at 1.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SequenceReset {
    /// One sequence for the account's whole life.
    #[default]
    Never,
    /// One sequence per calendar year of the issue date (the pattern must show the year, or
    /// numbers would repeat).
    Yearly,
}

impl SequenceReset {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A number format as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = NumberFormat, example = json!({
    "pattern": "INV-{YYYY}-{SEQ:5}", "reset": "yearly"
})))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberFormatFields {
    /// Letters, digits, `-`, `_` and `.`, with the placeholders `{YYYY}` (year of the issue
    /// date), `{YY}`, `{MM}` (its month) and `{SEQ}` or `{SEQ:n}` (the place in the sequence,
    /// zero-padded to n digits), which must appear exactly once. At most 40 characters.
    pub pattern: String,
    #[serde(default)]
    pub reset: SequenceReset,
}

impl Default for NumberFormatFields {
    fn default() -> Self {
        NumberFormat::default().into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Year4,
    Year2,
    Month,
    Sequence { digits: usize },
}

impl Part {
    /// How many characters the part renders to; `None` for the sequence, which grows.
    fn width(&self) -> Option<usize> {
        match self {
            Part::Text(text) => Some(text.len()),
            Part::Year4 => Some(4),
            Part::Year2 | Part::Month => Some(2),
            Part::Sequence { .. } => None,
        }
    }
}

/// A valid number format: the pattern, read into its parts, and the reset rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "NumberFormatFields", into = "NumberFormatFields")]
pub struct NumberFormat {
    pattern: String,
    parts: Vec<Part>,
    reset: SequenceReset,
}

impl Default for NumberFormat {
    fn default() -> Self {
        Self::new(DEFAULT_PATTERN, SequenceReset::Never).expect("the default format is valid")
    }
}

impl NumberFormat {
    /// The credit notes' default format, `CN-{SEQ:6}`.
    pub fn credit_notes() -> Self {
        Self::new(DEFAULT_CREDIT_NOTE_PATTERN, SequenceReset::Never)
            .expect("the default format is valid")
    }
}

/// What a number of this format says, read back from its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadNumber {
    /// The calendar year, when the pattern shows it (`{YY}` is read as 20YY).
    pub year: Option<i32>,
    pub sequence: i64,
}

impl NumberFormat {
    /// Checks a pattern and its reset rule; the message says what is wrong with the pattern.
    pub fn new(pattern: &str, reset: SequenceReset) -> Result<Self, String> {
        let pattern = pattern.trim();
        if pattern.is_empty() {
            return Err("must not be empty; use e.g. INV-{SEQ:6}".to_owned());
        }
        if pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(format!("must be at most {MAX_PATTERN_CHARS} characters"));
        }
        let parts = parse_parts(pattern)?;
        let sequences = parts
            .iter()
            .filter(|part| matches!(part, Part::Sequence { .. }))
            .count();
        if sequences != 1 {
            return Err("must contain {SEQ} (or {SEQ:n}) exactly once".to_owned());
        }
        if reset == SequenceReset::Yearly
            && !parts.iter().any(|p| matches!(p, Part::Year4 | Part::Year2))
        {
            return Err(
                "must show the year ({YYYY} or {YY}) when the sequence restarts every year, \
                 or numbers would repeat"
                    .to_owned(),
            );
        }
        Ok(Self {
            pattern: pattern.to_owned(),
            parts,
            reset,
        })
    }

    /// Reads the fields, reporting problems at `{prefix}.pattern`.
    pub fn parse(
        fields: NumberFormatFields,
        prefix: &str,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        Self::new(&fields.pattern, fields.reset)
            .map_err(|message| errors.add(format!("{prefix}.pattern"), message))
            .ok()
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    pub fn reset(&self) -> SequenceReset {
        self.reset
    }

    /// The sequence an invoice issued on `issue_date` is numbered in: `None` for the account's
    /// one sequence, the year for a yearly one.
    pub fn sequence_year(&self, issue_date: NaiveDate) -> Option<i32> {
        match self.reset {
            SequenceReset::Never => None,
            SequenceReset::Yearly => Some(issue_date.year()),
        }
    }

    /// The number of the `sequence`-th invoice (from 1) issued on `issue_date`.
    pub fn render(&self, issue_date: NaiveDate, sequence: i64) -> String {
        let mut number = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => number.push_str(text),
                Part::Year4 => number.push_str(&format!("{:04}", issue_date.year())),
                Part::Year2 => {
                    number.push_str(&format!("{:02}", issue_date.year().rem_euclid(100)))
                }
                Part::Month => number.push_str(&format!("{:02}", issue_date.month())),
                Part::Sequence { digits } => {
                    number.push_str(&format!("{sequence:0width$}", width = *digits))
                }
            }
        }
        number
    }

    /// Whether `number` is one this format renders, and if so for which year and place in the
    /// sequence. Every part but the sequence has a fixed width, so the reading is unambiguous:
    /// this is how a change of format is checked against the numbers already issued.
    pub fn read(&self, number: &str) -> Option<ReadNumber> {
        let fixed: usize = self.parts.iter().filter_map(Part::width).sum();
        let seq_width = number.len().checked_sub(fixed)?;
        let mut rest = number;
        let mut year = None;
        let mut sequence = None;
        for part in &self.parts {
            let width = part.width().unwrap_or(seq_width);
            if rest.len() < width || !rest.is_char_boundary(width) {
                return None;
            }
            let (piece, tail) = rest.split_at(width);
            rest = tail;
            let digits = || -> Option<i64> {
                (!piece.is_empty() && piece.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| piece.parse().ok())
                    .flatten()
            };
            match part {
                Part::Text(text) if piece == text => {}
                Part::Text(_) => return None,
                Part::Year4 => year = Some(i32::try_from(digits()?).ok()?),
                Part::Year2 => year = Some(2000 + i32::try_from(digits()?).ok()?),
                Part::Month => {
                    if !(1..=12).contains(&digits()?) {
                        return None;
                    }
                }
                Part::Sequence { digits: padded } => {
                    let value = digits()?;
                    // Wider than the padding only without a leading zero, as rendered.
                    let as_rendered = piece.len() == *padded
                        || (piece.len() > *padded && !piece.starts_with('0'));
                    if value < 1 || !as_rendered {
                        return None;
                    }
                    sequence = Some(value);
                }
            }
        }
        Some(ReadNumber {
            year,
            sequence: sequence?,
        })
    }
}

/// The texts a format can render, as a nondeterministic automaton over bytes (patterns are
/// ASCII): state 0 is the start, `accept` the states a whole number ends in.
struct Automaton {
    edges: Vec<Vec<(Class, usize)>>,
    accept: Vec<usize>,
}

/// The bytes an edge reads: one, or a range of digits.
#[derive(Clone, Copy, Debug)]
enum Class {
    Byte(u8),
    Digit(u8, u8),
}

const ANY_DIGIT: Class = Class::Digit(b'0', b'9');
const NON_ZERO: Class = Class::Digit(b'1', b'9');

impl Class {
    /// A byte both classes read, if there is one.
    fn common(self, other: Class) -> Option<u8> {
        match (self, other) {
            (Class::Byte(a), Class::Byte(b)) => (a == b).then_some(a),
            (Class::Byte(a), Class::Digit(lo, hi)) | (Class::Digit(lo, hi), Class::Byte(a)) => {
                (lo..=hi).contains(&a).then_some(a)
            }
            (Class::Digit(lo1, hi1), Class::Digit(lo2, hi2)) => {
                let (lo, hi) = (lo1.max(lo2), hi1.min(hi2));
                (lo <= hi).then_some(lo)
            }
        }
    }
}

impl Automaton {
    fn new(parts: &[Part]) -> Self {
        let mut automaton = Self {
            edges: vec![Vec::new()],
            accept: Vec::new(),
        };
        let mut at = vec![0];
        for part in parts {
            at = match part {
                Part::Text(text) => {
                    let bytes: Vec<Class> = text.bytes().map(Class::Byte).collect();
                    vec![automaton.chain(&at, &bytes)]
                }
                // Issue dates start in 2000 (`draft::EARLIEST_ISSUE_DATE`).
                Part::Year4 => vec![automaton.chain(
                    &at,
                    &[Class::Digit(b'2', b'9'), ANY_DIGIT, ANY_DIGIT, ANY_DIGIT],
                )],
                Part::Year2 => vec![automaton.chain(&at, &[ANY_DIGIT; 2])],
                Part::Month => {
                    let end = automaton.chain(&at, &[Class::Byte(b'0'), NON_ZERO]);
                    let from_ten = automaton.chain(&at, &[Class::Byte(b'1')]);
                    automaton.edges[from_ten].push((Class::Digit(b'0', b'2'), end));
                    vec![end]
                }
                Part::Sequence { digits } => automaton.sequence(&at, *digits),
            };
        }
        automaton.accept = at;
        automaton
    }

    fn state(&mut self) -> usize {
        self.edges.push(Vec::new());
        self.edges.len() - 1
    }

    /// New states reading `classes` one after the other from every state of `from`; returns
    /// the last.
    fn chain(&mut self, from: &[usize], classes: &[Class]) -> usize {
        let mut from = from.to_vec();
        for class in classes {
            let to = self.state();
            for state in from {
                self.edges[state].push((*class, to));
            }
            from = vec![to];
        }
        from[0]
    }

    /// `{SEQ:n}` as rendered from 1 up: without a leading zero, `n` digits or more; with
    /// one (padded), exactly `n` digits that are not all zeros.
    fn sequence(&mut self, from: &[usize], padded: usize) -> Vec<usize> {
        let mut ends = Vec::new();
        if padded > 1 {
            // `zeros`: only zeros read so far; `digits`: a non-zero digit among them.
            let mut zeros = self.chain(from, &[Class::Byte(b'0')]);
            let mut digits: Option<usize> = None;
            for _ in 1..padded {
                let next_digits = self.state();
                self.edges[zeros].push((NON_ZERO, next_digits));
                if let Some(digits) = digits {
                    self.edges[digits].push((ANY_DIGIT, next_digits));
                }
                digits = Some(next_digits);
                let next_zeros = self.state();
                self.edges[zeros].push((Class::Byte(b'0'), next_zeros));
                zeros = next_zeros;
            }
            ends.extend(digits);
        }
        let mut unpadded = vec![NON_ZERO];
        unpadded.resize(padded, ANY_DIGIT);
        let long = self.chain(from, &unpadded);
        self.edges[long].push((ANY_DIGIT, long));
        ends.push(long);
        ends
    }
}

impl NumberFormat {
    /// The shortest number both formats can render (the first in alphabetical order), if any: `None` proves the two series
    /// never print the same text, whatever the dates and places in their sequences.
    ///
    /// Exact over the texts each pattern renders: literal text as it stands, `{YYYY}` as the
    /// years 2000–9999 and `{YY}` as any two digits, `{MM}` as `01`–`12`, and `{SEQ:n}` as the sequence renders from 1: `n`
    /// digits or more without a leading zero, or exactly `n` with one (`A{SEQ}` never gives
    /// `A05`, `A0{SEQ}` does, so the two never meet). Both are finite automata; a breadth-
    /// first walk of their product finds a common text, or shows there is none. Comparing a
    /// few sample renderings would miss a clash at a larger sequence or another year.
    pub fn shared_number(&self, other: &NumberFormat) -> Option<String> {
        let (a, b) = (Automaton::new(&self.parts), Automaton::new(&other.parts));
        let mut came_from: HashMap<(usize, usize), ((usize, usize), u8)> = HashMap::new();
        let mut queue = VecDeque::from([(0, 0)]);
        let mut seen = HashSet::from([(0, 0)]);
        while let Some(pair) = queue.pop_front() {
            if a.accept.contains(&pair.0) && b.accept.contains(&pair.1) {
                let mut text = Vec::new();
                let mut at = pair;
                while let Some(&(before, byte)) = came_from.get(&at) {
                    text.push(byte);
                    at = before;
                }
                text.reverse();
                return Some(String::from_utf8(text).expect("patterns are ASCII"));
            }
            // Smallest byte first: the queue then holds texts in (length, alphabetical)
            // order, so the number found is the first one a reader would list.
            let mut next: Vec<(u8, (usize, usize))> = Vec::new();
            for (class_a, to_a) in &a.edges[pair.0] {
                for (class_b, to_b) in &b.edges[pair.1] {
                    if let Some(byte) = class_a.common(*class_b) {
                        next.push((byte, (*to_a, *to_b)));
                    }
                }
            }
            next.sort_unstable();
            for (byte, to) in next {
                if seen.insert(to) {
                    came_from.insert(to, (pair, byte));
                    queue.push_back(to);
                }
            }
        }
        None
    }
}

fn parse_parts(pattern: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        match c {
            '{' => {
                let (token, after) = rest
                    .split_once('}')
                    .ok_or_else(|| "has a '{' without its '}'".to_owned())?;
                rest = after;
                let part = match token {
                    "YYYY" => Part::Year4,
                    "YY" => Part::Year2,
                    "MM" => Part::Month,
                    "SEQ" => Part::Sequence { digits: 1 },
                    _ => match token.strip_prefix("SEQ:").map(str::parse::<usize>) {
                        Some(Ok(digits)) if (1..=MAX_SEQ_DIGITS).contains(&digits) => {
                            Part::Sequence { digits }
                        }
                        Some(_) => {
                            return Err(format!(
                                "{{{token}}}: the sequence pads to 1 to {MAX_SEQ_DIGITS} digits"
                            ));
                        }
                        None => {
                            return Err(format!(
                                "{{{token}}} is not a placeholder: use {{YYYY}}, {{YY}}, {{MM}}, \
                                 {{SEQ}} or {{SEQ:n}}"
                            ));
                        }
                    },
                };
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(part);
            }
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => text.push(c),
            c => {
                return Err(format!(
                    "may hold only letters A–Z, digits, '-', '_', '.' and placeholders, \
                     not '{c}': numbers become file names and e-invoice identifiers"
                ));
            }
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    if matches!(parts.first(), Some(Part::Text(t)) if t.starts_with('.')) {
        return Err("must not start with '.'".to_owned());
    }
    Ok(parts)
}

impl TryFrom<NumberFormatFields> for NumberFormat {
    type Error = String;
    fn try_from(fields: NumberFormatFields) -> Result<Self, String> {
        Self::new(&fields.pattern, fields.reset)
    }
}

impl From<NumberFormat> for NumberFormatFields {
    fn from(format: NumberFormat) -> Self {
        Self {
            pattern: format.pattern,
            reset: format.reset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn format(pattern: &str, reset: SequenceReset) -> NumberFormat {
        NumberFormat::new(pattern, reset).unwrap()
    }

    #[test]
    fn the_default_keeps_the_numbers_accounts_always_had() {
        let default = NumberFormat::default();
        assert_eq!(default.pattern(), "INV-{SEQ:6}");
        assert_eq!(default.reset(), SequenceReset::Never);
        assert_eq!(default.render(date(2026, 12, 6), 42), "INV-000042");
        assert_eq!(default.render(date(2026, 12, 6), 1_234_567), "INV-1234567");
        assert_eq!(default.sequence_year(date(2026, 12, 6)), None);
    }

    #[test]
    fn every_placeholder_renders() {
        let yearly = format("INV-{YYYY}-{SEQ:5}", SequenceReset::Yearly);
        assert_eq!(yearly.render(date(2027, 1, 2), 7), "INV-2027-00007");
        assert_eq!(yearly.sequence_year(date(2027, 1, 2)), Some(2027));
        let short = format("{YY}{MM}.{SEQ}", SequenceReset::Never);
        assert_eq!(short.render(date(2026, 3, 9), 123), "2603.123");
        assert_eq!(
            format(" R_{SEQ:3} ", SequenceReset::Never).render(date(2026, 1, 1), 1),
            "R_001"
        );
    }

    #[test]
    fn bad_patterns_say_what_is_wrong() {
        let error = |pattern: &str, reset| NumberFormat::new(pattern, reset).unwrap_err();
        let never = SequenceReset::Never;
        assert!(error("INV-{YYYY}", never).contains("exactly once"));
        assert!(error("{SEQ}-{SEQ}", never).contains("exactly once"));
        assert!(error("INV {SEQ}", never).contains("not ' '"));
        assert!(error("INV/{SEQ}", never).contains("not '/'"));
        assert!(error("INV-{DD}-{SEQ}", never).contains("{DD} is not a placeholder"));
        assert!(error("INV-{SEQ:0}", never).contains("1 to 12 digits"));
        assert!(error("INV-{SEQ:13}", never).contains("1 to 12 digits"));
        assert!(error("INV-{SEQ", never).contains("without its '}'"));
        assert!(error("", never).contains("empty"));
        assert!(error(&format!("{}{{SEQ}}", "A".repeat(36)), never).contains("40"));
        assert!(error("INV-{SEQ}", SequenceReset::Yearly).contains("show the year"));
        assert!(error(".{SEQ}", never).contains("start with"));
        assert!(NumberFormat::new(&format!("{}{{SEQ}}", "A".repeat(35)), never).is_ok());
    }

    #[test]
    fn numbers_read_back_to_their_year_and_place() {
        let yearly = format("INV-{YYYY}-{SEQ:5}", SequenceReset::Yearly);
        for (year, sequence) in [(2026, 1), (2027, 99_999), (2027, 123_456)] {
            let rendered = yearly.render(date(year, 6, 1), sequence);
            assert_eq!(
                yearly.read(&rendered),
                Some(ReadNumber {
                    year: Some(year),
                    sequence
                }),
                "{rendered}"
            );
        }
        assert_eq!(
            yearly.read("INV-2026-0001"),
            None,
            "too short for the padding"
        );
        assert_eq!(
            yearly.read("INV-2026-000001"),
            None,
            "a zero the format never pads"
        );
        assert_eq!(yearly.read("INV-2026-00000"), None, "sequences start at 1");
        assert_eq!(yearly.read("INV-20X6-00001"), None);
        assert_eq!(yearly.read("RE-2026-00001"), None);

        let default = NumberFormat::default();
        assert_eq!(default.read("INV-000042").map(|n| n.sequence), Some(42));
        assert_eq!(
            default.read("INV-1234567").map(|n| n.sequence),
            Some(1_234_567)
        );
        let months = format("{YY}{MM}{SEQ}", SequenceReset::Yearly);
        assert_eq!(
            months.read("26127"),
            Some(ReadNumber {
                year: Some(2026),
                sequence: 7
            })
        );
        assert_eq!(months.read("26137"), None, "no 13th month");
        assert_eq!(months.read("261207"), None, "a zero the format never pads");
    }

    #[test]
    fn formats_that_can_print_the_same_number_are_found_with_the_first_such_number() {
        let shared = |a: &str, b: &str| {
            let (a, b) = (
                format(a, SequenceReset::Never),
                format(b, SequenceReset::Never),
            );
            let found = a.shared_number(&b);
            assert_eq!(found.is_some(), b.shared_number(&a).is_some(), "symmetric");
            if let Some(number) = &found {
                assert!(
                    a.read(number).is_some() && b.read(number).is_some(),
                    "{number}"
                );
            }
            found
        };
        assert_eq!(shared("INV-{SEQ:6}", "CN-{SEQ:6}"), None);
        assert_eq!(
            shared("INV-{SEQ:6}", "INV-{SEQ:6}").as_deref(),
            Some("INV-000001")
        );
        // Another padding of the same prefix meets it once the sequence outgrows the padding.
        assert_eq!(
            shared("INV-{SEQ:6}", "INV-{SEQ:4}").as_deref(),
            Some("INV-100000")
        );
        // A literal digit against a padded sequence: A01 is the second's first number.
        assert_eq!(shared("A{SEQ:2}", "A0{SEQ}").as_deref(), Some("A01"));
        // An unpadded sequence never starts with 0, so it never gives A0….
        assert_eq!(shared("A{SEQ}", "A0{SEQ}"), None);
        assert_eq!(shared("{SEQ}", "CN{SEQ}"), None);
        // A literal dash after the year the other format's digits never reach.
        assert_eq!(shared("INV-{YYYY}-{SEQ}", "INV-{SEQ}"), None);
        // The year is digits like the sequence: the ten-digit numbers of both meet.
        assert!(shared("INV-{YYYY}{SEQ:2}", "INV-{SEQ:6}").is_some());
        // Months run 01–12 only: a pattern that needs a 13th month never meets.
        assert_eq!(shared("{MM}-{SEQ}", "13-{SEQ}"), None);
        assert_eq!(shared("{MM}-{SEQ}", "12-{SEQ}").as_deref(), Some("12-1"));
        assert_eq!(
            shared("R{YY}{MM}{SEQ:3}", "R2612{SEQ:3}").as_deref(),
            Some("R2612001")
        );
        // Case matters: numbers are compared as printed.
        assert_eq!(shared("cn-{SEQ}", "CN-{SEQ}"), None);
    }

    #[test]
    fn formats_found_apart_never_render_a_number_the_other_reads() {
        let patterns = [
            "{SEQ}",
            "{SEQ:3}",
            "0{SEQ}",
            "1{SEQ:2}",
            "A{SEQ}",
            "A{SEQ:2}",
            "A0{SEQ}",
            "A1{SEQ:2}",
            "{YY}{SEQ}",
            "{YY}{MM}{SEQ:2}",
            "{MM}{SEQ}",
            "1{MM}{SEQ}",
            "{SEQ:2}1",
            "{YYYY}-{SEQ}",
            "2026-{SEQ:2}",
        ];
        let dates = [date(2026, 1, 5), date(2026, 11, 5), date(2010, 12, 5)];
        for a in patterns {
            for b in patterns {
                let (fa, fb) = (
                    format(a, SequenceReset::Never),
                    format(b, SequenceReset::Never),
                );
                let apart = fa.shared_number(&fb).is_none();
                let met = dates.iter().find_map(|day| {
                    (1..=1200)
                        .map(|sequence| fa.render(*day, sequence))
                        .find(|number| fb.read(number).is_some())
                });
                if apart {
                    assert_eq!(met, None, "{a} and {b} were found apart");
                }
                if a == b {
                    assert!(!apart, "{a} meets itself");
                }
            }
        }
    }

    #[test]
    fn serialises_as_its_fields() {
        let yearly = format("INV-{YYYY}-{SEQ:5}", SequenceReset::Yearly);
        let json = serde_json::to_value(&yearly).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "pattern": "INV-{YYYY}-{SEQ:5}", "reset": "yearly" })
        );
        assert_eq!(
            serde_json::from_value::<NumberFormat>(json).unwrap(),
            yearly
        );
    }
}
