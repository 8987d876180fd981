//! The formats CLDR gives each language, and the Fluent files' completeness.

use super::*;
use invoicing_workflows::domain::Currency;
use rust_decimal_macros_free::dec;

const NBSP: &str = "\u{A0}";
const NNBSP: &str = "\u{202F}";

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

mod rust_decimal_macros_free {
    /// `dec("1.5")`: the tests' decimal literals.
    pub fn dec(value: &str) -> rust_decimal::Decimal {
        value.parse().unwrap()
    }
}

#[test]
fn money_is_written_as_cldr_writes_it() {
    let eur = currency("EUR");
    let cases = [
        (Language::De, 123_456, &eur, format!("1.234,56{NBSP}€")),
        (
            Language::Fr,
            123_456,
            &eur,
            format!("1{NNBSP}234,56{NBSP}€"),
        ),
        (Language::Es, 123_456, &eur, format!("1234,56{NBSP}€")),
        (Language::Es, 1_234_567, &eur, format!("12.345,67{NBSP}€")),
        (Language::En, 123_456, &eur, "€1,234.56".to_owned()),
        (Language::En, -500, &eur, "-€5.00".to_owned()),
        (Language::De, -500, &eur, format!("-5,00{NBSP}€")),
    ];
    for (language, minor, currency, expected) in cases {
        assert_eq!(
            Locale::of(language).money(minor, currency),
            expected,
            "{language}"
        );
    }
    let jpy = currency("JPY");
    assert_eq!(Locale::of(Language::En).money(1235, &jpy), "¥1,235");
    assert_eq!(
        Locale::of(Language::De).money(1235, &jpy),
        format!("1.235{NBSP}¥")
    );
    let bhd = currency("BHD");
    assert_eq!(
        Locale::of(Language::En).money(1_234_567, &bhd),
        format!("BHD{NBSP}1,234.567")
    );
    assert_eq!(
        Locale::of(Language::De).money(1_234_567, &currency("KWD")),
        format!("1.234,567{NBSP}KWD")
    );
    assert_eq!(
        Locale::of(Language::En).money(570_000, &currency("USD")),
        "$5,700.00"
    );
    assert_eq!(
        Locale::of(Language::Fr).money(100, &currency("USD")),
        format!("1,00{NBSP}$US")
    );
    assert_eq!(
        Locale::of(Language::En).money(100, &currency("GBP")),
        "£1.00"
    );
}

#[test]
fn dates_are_medium_dates() {
    let day = date(2026, 12, 6);
    assert_eq!(Locale::of(Language::Fr).date(day), "6 déc. 2026");
    assert_eq!(Locale::of(Language::De).date(day), "06.12.2026");
    assert_eq!(Locale::of(Language::Es).date(day), "6 dic 2026");
    assert_eq!(Locale::of(Language::En).date(day), "6 Dec 2026");
    assert_eq!(Locale::of(Language::En).long_date(day), "6 December 2026");
    assert_eq!(Locale::of(Language::De).long_date(day), "6. Dezember 2026");
}

#[test]
fn percentages_and_quantities() {
    assert_eq!(
        Locale::of(Language::De).percent(dec("19")),
        format!("19{NBSP}%")
    );
    assert_eq!(
        Locale::of(Language::Fr).percent(dec("5.5")),
        format!("5,5{NNBSP}%")
    );
    assert_eq!(Locale::of(Language::En).percent(dec("8.875")), "8.875%");
    assert_eq!(Locale::of(Language::De).decimal(dec("1.5")), "1,5");
    assert_eq!(Locale::of(Language::De).decimal(dec("1.5000")), "1,5");
    assert_eq!(Locale::of(Language::En).decimal(dec("12345")), "12,345");
    assert_eq!(
        Locale::of(Language::En).decimal_min(dec("12.5"), 2),
        "12.50"
    );
    assert_eq!(
        Locale::of(Language::De).decimal_min(dec("0.12345"), 2),
        "0,12345"
    );
}

#[test]
fn units_and_countries_are_named_in_the_language() {
    assert_eq!(Locale::of(Language::De).unit(Unit::Hour), "Std.");
    assert_eq!(Locale::of(Language::En).unit(Unit::Hour), "hour");
    let de = Country::parse("DE").unwrap();
    assert_eq!(Locale::of(Language::Fr).country(&de), "Allemagne");
    assert_eq!(Locale::of(Language::Es).country(&de), "Alemania");
    // Not in the files: the English name.
    assert_eq!(
        Locale::of(Language::De).country(&Country::parse("KE").unwrap()),
        "Kenya"
    );
}

#[test]
fn plural_forms_follow_the_language() {
    let text =
        |language, days: i64| Locale::of(language).text("terms-days", &[("days", days.into())]);
    assert_eq!(text(Language::En, 30), "Net 30 days");
    assert_eq!(text(Language::En, 0), "Due on receipt");
    assert_eq!(text(Language::De, 14), "14 Tage netto");
    assert_eq!(text(Language::Fr, 30), "30 jours net");
    assert_eq!(text(Language::Es, 1), "1 día neto");
}

#[test]
fn every_language_has_every_message_of_english() {
    let english = messages::ids(Language::En);
    assert!(english.len() > 100, "{english:?}");
    for language in [Language::De, Language::Fr, Language::Es] {
        let ids = messages::ids(language);
        let missing: Vec<_> = english.iter().filter(|id| !ids.contains(id)).collect();
        let extra: Vec<_> = ids.iter().filter(|id| !english.contains(id)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{language}: missing {missing:?}, extra {extra:?}"
        );
        // Loading parses the file and refuses duplicate ids.
        Locale::of(language).t("invoice-title");
    }
    for unit in <Unit as strum::VariantArray>::VARIANTS {
        assert!(
            english.contains(&format!("unit-{}", unit.code()).as_str()),
            "{unit}"
        );
    }
}

#[test]
fn no_text_carries_bidi_isolation_marks() {
    let text = Locale::of(Language::En).text("payment-reference", &[("number", "INV-1".into())]);
    assert_eq!(text, "Reference: INV-1");
}
