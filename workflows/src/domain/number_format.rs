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
