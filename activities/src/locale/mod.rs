//! The languages documents and e-mails are written in: every text from Fluent messages
//! (`ftl/<language>.ftl`), and numbers, money, percentages and dates in the formats CLDR gives
//! the language, through ICU4X with its data compiled in. See `README.md` beside this file for
//! the choice and for how to add a language.

mod formats;
mod messages;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use fluent_bundle::FluentArgs;
use invoicing_workflows::domain::{Country, Currency, Language, Unit};
use rust_decimal::Decimal;

pub use fluent_bundle::FluentValue;

/// One language's texts and formats. Cheap to make: the bundles and formatters behind it are
/// built once per process.
#[derive(Clone, Copy)]
pub struct Locale {
    language: Language,
    formats: &'static formats::Formats,
    messages: &'static messages::Messages,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Locale").field(&self.language).finish()
    }
}

impl Locale {
    pub fn of(language: Language) -> Self {
        Self {
            language,
            formats: formats::of(language),
            messages: messages::of(language),
        }
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// Whether the language has a message `id` (a label looked up by data, such as a kind of
    /// movement, may not have one yet).
    pub fn has(&self, id: &str) -> bool {
        self.messages.has(id)
    }

    /// The message `id` without arguments.
    pub fn t(&self, id: &str) -> String {
        self.messages.format(id, None)
    }

    /// The message `id` with `args` (`[("number", "INV-1".into())]`). Arguments that are
    /// amounts or dates are passed already formatted, as strings; counts that choose a plural
    /// form are passed as numbers.
    pub fn text<'a>(&self, id: &str, args: &[(&'a str, FluentValue<'a>)]) -> String {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.messages.format(id, Some(&fluent))
    }

    /// An amount of `minor` units of `currency`: `1.234,56 €`, `€1,234.56`, `1 235 ¥`.
    pub fn money(&self, minor: i64, currency: &Currency) -> String {
        self.formats
            .money(minor, currency.exponent(), currency.code())
    }

    /// A unit price given in minor units, finer than one where needed: printed in major
    /// units with the currency's decimals and any finer ones it has (`€0.125`).
    pub fn unit_price(&self, minor: Decimal, currency: &Currency) -> String {
        let exponent = currency.exponent().min(28);
        let major = minor / Decimal::from(10_u64.pow(exponent.min(19)));
        self.formats.money_value(major, exponent, currency.code())
    }

    /// A decimal number with the digits it has: quantities (`1,5`).
    pub fn decimal(&self, value: Decimal) -> String {
        self.formats.decimal(value, 0)
    }

    /// A decimal with at least `min_fraction` digits after the separator (unit prices, which
    /// show the currency's decimals and any finer ones they have).
    pub fn decimal_min(&self, value: Decimal, min_fraction: u32) -> String {
        self.formats.decimal(value, min_fraction)
    }

    /// A percentage given in percent (`19` → `19 %`, `8.875` → `8.875%`).
    pub fn percent(&self, percent: Decimal) -> String {
        self.formats.percent(percent)
    }

    /// A date in the language's medium length: `6 déc. 2026`, `06.12.2026`, `6 Dec 2026`.
    pub fn date(&self, date: NaiveDate) -> String {
        self.formats.date(date)
    }

    /// A date written out, for letters: `6 December 2026`, `6. Dezember 2026`.
    pub fn long_date(&self, date: NaiveDate) -> String {
        self.formats.long_date(date)
    }

    /// A period `from`–`to` as the language writes it.
    pub fn period(&self, from: NaiveDate, to: NaiveDate) -> String {
        self.text(
            "period",
            &[
                ("from", self.date(from).into()),
                ("to", self.date(to).into()),
            ],
        )
    }

    /// The unit's short name as a line of an invoice prints it (`Std.`, `h`, `pcs`).
    pub fn unit(&self, unit: Unit) -> String {
        self.t(&format!("unit-{}", unit.code()))
    }

    /// The country's name in this language, from the Fluent files; countries they do not
    /// name yet fall back to the English name ISO 3166 gives (`celes`).
    pub fn country(&self, country: &Country) -> String {
        let id = format!("country-{}", country.code());
        if self.messages.has(&id) {
            self.t(&id)
        } else {
            celes::Country::from_alpha2(country.code())
                .map(|c| c.long_name.to_owned())
                .unwrap_or_else(|_| country.code().to_owned())
        }
    }
}
