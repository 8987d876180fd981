//! Numbers, money, percentages and dates as CLDR writes them in each language.
//!
//! Digits, separators and grouping (`1.234,56`, `1 234,56` with U+202F, Spanish leaving
//! four-digit numbers ungrouped) come from ICU4X's `DecimalFormatter`; dates from its
//! `DateTimeFormatter` at medium length. ICU4X's stable crates have no currency or percent
//! formatter yet (those are in `icu_experimental`, a large build), so the few CLDR patterns
//! that place the symbol (`¤#,##0.00` in English, `#,##0.00 ¤` elsewhere; `#,##0%` and
//! `#,##0 %`) and the currency symbols are written out below, from CLDR 46.

use chrono::{Datelike, NaiveDate};
use fixed_decimal::Decimal as Fixed;
use icu_datetime::{FixedCalendarDateTimeFormatter, fieldsets::YMD, input::Date};
use icu_decimal::{DecimalFormatter, options::DecimalFormatterOptions};
use icu_locale_core::{Locale, locale};
use invoicing_workflows::domain::Language;
use rust_decimal::Decimal;
use std::sync::LazyLock;

/// U+00A0, the no-break space CLDR puts between amount and symbol.
const NBSP: char = '\u{A0}';
/// U+202F, the narrow no-break space French writes before `%` (and groups digits with).
const NNBSP: char = '\u{202F}';

/// One language's formatters.
pub(super) struct Formats {
    language: Language,
    decimal: DecimalFormatter,
    date: FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, YMD>,
    long_date: FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, YMD>,
}

/// Built on first use of each language.
static FORMATS: LazyLock<[Formats; 4]> =
    LazyLock::new(|| [Language::En, Language::De, Language::Fr, Language::Es].map(Formats::new));

pub(super) fn of(language: Language) -> &'static Formats {
    let index = match language {
        Language::En => 0,
        Language::De => 1,
        Language::Fr => 2,
        Language::Es => 3,
    };
    &FORMATS[index]
}

impl Formats {
    fn new(language: Language) -> Self {
        let (numbers, dates): (Locale, Locale) = match language {
            Language::En => (locale!("en"), dates_in_english()),
            Language::De => (locale!("de"), locale!("de")),
            Language::Fr => (locale!("fr"), locale!("fr")),
            Language::Es => (locale!("es"), locale!("es")),
        };
        // Compiled data covers every CLDR locale: these constructors cannot fail for the four
        // languages above, which the locale tests exercise.
        let decimal =
            DecimalFormatter::try_new((&numbers).into(), DecimalFormatterOptions::default())
                .expect("compiled decimal data for the language");
        let date = FixedCalendarDateTimeFormatter::try_new((&dates).into(), YMD::medium())
            .expect("compiled date data for the language");
        let long_date = FixedCalendarDateTimeFormatter::try_new((&dates).into(), YMD::long())
            .expect("compiled date data for the language");
        Self {
            language,
            decimal,
            date,
            long_date,
        }
    }

    /// `value` with at least `min_fraction` fraction digits and all the ones it has.
    pub fn decimal(&self, value: Decimal, min_fraction: u32) -> String {
        let mut fixed = fixed(value.normalize());
        fixed
            .absolute
            .pad_end(-(min_fraction.min(i16::MAX as u32) as i16));
        self.decimal.format(&fixed).to_string()
    }

    pub fn money(&self, minor: i64, exponent: u32, code: &str) -> String {
        // rust_decimal holds at most 28 fraction digits; no currency has more than 4.
        let exponent = exponent.min(28);
        self.money_value(Decimal::new(minor, exponent), exponent, code)
    }

    /// An amount in major units with at least `min_fraction` decimals (and any finer ones
    /// it has), placed with the currency's symbol.
    pub fn money_value(&self, value: Decimal, min_fraction: u32, code: &str) -> String {
        let number = self.decimal(value, min_fraction);
        let symbol = symbol(self.language, code);
        match self.language {
            // `¤#,##0.00`; a symbol of letters keeps a space from the digits (CLDR's
            // currencySpacing): `CHF 1,234.56`.
            Language::En => {
                let (sign, digits) = match number.strip_prefix('-') {
                    Some(digits) => ("-", digits),
                    None => ("", number.as_str()),
                };
                let spacing = if symbol.ends_with(|c: char| c.is_alphabetic()) {
                    NBSP.to_string()
                } else {
                    String::new()
                };
                format!("{sign}{symbol}{spacing}{digits}")
            }
            // `#,##0.00 ¤`.
            Language::De | Language::Fr | Language::Es => format!("{number}{NBSP}{symbol}"),
        }
    }

    pub fn percent(&self, percent: Decimal) -> String {
        let number = self.decimal(percent, 0);
        match self.language {
            Language::En => format!("{number}%"),
            Language::De | Language::Es => format!("{number}{NBSP}%"),
            Language::Fr => format!("{number}{NNBSP}%"),
        }
    }

    pub fn date(&self, date: NaiveDate) -> String {
        format_date(&self.date, date)
    }

    pub fn long_date(&self, date: NaiveDate) -> String {
        format_date(&self.long_date, date)
    }
}

fn format_date(
    formatter: &FixedCalendarDateTimeFormatter<icu_calendar::Gregorian, YMD>,
    date: NaiveDate,
) -> String {
    // Every NaiveDate's month and day fit; years outside ICU's range print as ISO.
    let converted = Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8);
    match converted {
        Ok(date) => formatter.format(&date).to_string(),
        Err(_) => date.to_string(),
    }
}

/// English documents go to readers on both sides of the Atlantic: day, abbreviated month,
/// year (`6 Dec 2026`, CLDR's en-GB medium date) is read the same way by all of them, where
/// `Dec 6, 2026` (en-US) is not what a European expects. Numbers and money stay `en`'s.
fn dates_in_english() -> Locale {
    locale!("en-GB")
}

fn fixed(value: Decimal) -> Fixed {
    // `Decimal`'s Display is plain digits with a '.' and an optional '-', which always parses.
    Fixed::try_from_str(&value.to_string()).unwrap_or_default()
}

/// The currency's symbol in `language` (CLDR's `symbol`, not `narrow`: `$US` in French, so
/// that a reader never confuses dollars), or its ISO code where CLDR has none.
fn symbol(language: Language, code: &str) -> String {
    use Language::{De, En, Es, Fr};
    let symbol = match (code, language) {
        ("EUR", _) => "€",
        ("USD", En | De) => "$",
        ("USD", Fr) => "$US",
        ("USD", Es) => "US$",
        ("GBP", En | De) => "£",
        ("GBP", Fr) => "£GB",
        ("JPY", En | De) => "¥",
        ("CAD", En | De | Es) => "CA$",
        ("CAD", Fr) => "$CA",
        ("AUD", En) => "A$",
        ("AUD", De) => "AU$",
        ("AUD", Fr) => "$AU",
        ("CNY", En | De) => "CN¥",
        ("INR", _) => "₹",
        ("BRL", _) => "R$",
        ("MXN", En | De) => "MX$",
        ("MXN", Es) => "MXN",
        _ => code,
    };
    symbol.to_owned()
}
