//! A realistic document for previews and benchmarks.

use chrono::NaiveDate;
use invoicing_workflows::domain::{
    Address, Country, Currency, Language, PriceBasis, PricedLine, TaxId, TaxIdKind, TaxRate,
    Totals, Unit, VatCategory, totals::compute,
};
use rust_decimal::Decimal;

use super::{
    AccountNumber, BankAccount, DocumentBuyer, DocumentKind, DocumentLine, DocumentSeller,
    InvoiceDocument, Supply, TaxKind,
};

/// Services a design studio bills for: (description, quantity, unit, unit price in cents).
/// The lengths vary on purpose, from one-liners to descriptions that wrap.
const CATALOGUE: &[(&str, &str, Unit, i64)] = &[
    (
        "Brand discovery workshop (half day)",
        "1",
        Unit::LumpSum,
        180_000,
    ),
    (
        "Logo design — three initial concepts, two rounds of revisions and final artwork in all standard formats",
        "1",
        Unit::LumpSum,
        320_000,
    ),
    ("Art direction", "6.5", Unit::Hour, 14_500),
    (
        "Website wireframes for home, product listing, product detail, cart and checkout pages",
        "5",
        Unit::Piece,
        42_000,
    ),
    (
        "UI design, desktop and mobile breakpoints",
        "12",
        Unit::Hour,
        12_500,
    ),
    ("Stock photography licences", "8", Unit::Piece, 4_900),
    (
        "Illustration set: 12 spot illustrations in the new brand style, delivered as SVG and PNG",
        "1",
        Unit::Set,
        240_000,
    ),
    ("Copywriting for landing page", "1", Unit::LumpSum, 65_000),
    (
        "Packaging dieline adaptation for the 250 ml, 500 ml and 1 l bottle sizes, print-ready PDF with bleed",
        "3",
        Unit::Piece,
        38_000,
    ),
    ("Project management", "10.25", Unit::Hour, 9_500),
    ("Social media templates", "15", Unit::Piece, 3_500),
    (
        "Usability test sessions with five participants, including recruitment, moderation, recordings and a written summary of findings",
        "1",
        Unit::LumpSum,
        275_000,
    ),
    (
        "Font licence: Söhne, 5 desktop seats",
        "1",
        Unit::Set,
        56_000,
    ),
    ("Front-end implementation support", "14", Unit::Hour, 13_000),
    (
        "Print production supervision at the printer’s in Malmö",
        "1",
        Unit::Day,
        85_000,
    ),
];

/// A realistic document for previews and benchmarks: a New York design studio billing a
/// client for `items` line items (the catalogue repeats for long invoices) with New York
/// City's 8.875 % sales tax, a deposit already paid, bank details and notes. USD, English.
pub fn sample_document(items: usize) -> InvoiceDocument {
    let rate = TaxRate::new(VatCategory::Standard, Decimal::new(8875, 3), None)
        .unwrap_or_else(|_| TaxRate::untaxed());
    let lines = catalogue_lines(items, |_| rate.clone());
    let totals = totals_of(PriceBasis::Exclusive, &lines);
    // A 25 % deposit, rounded down to whole dollars, as agencies usually ask for.
    let amount_paid = totals.gross_total / 4 / 100 * 100;

    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: Language::En,
        tax_kind: TaxKind::SalesTax,
        currency: Currency::parse("USD").unwrap_or_else(|_| unreachable!("USD is ISO 4217")),
        seller: DocumentSeller {
            name: Some("Northwind Design Studio".to_owned()),
            legal_name: Some("Northwind Design Studio LLC".to_owned()),
            address: address(
                &["220 Harbor Street, Suite 4"],
                "10013",
                "New York",
                Some("NY"),
                "US",
            ),
            address_lines: Vec::new(),
            tax_ids: vec![TaxId {
                kind: TaxIdKind::UsEin,
                value: "93-1234567".to_owned(),
            }],
            registration: None,
            email: "billing@northwind.studio".to_owned(),
            phone: Some("+1 212 555 0142".to_owned()),
            bank_account: Some(BankAccount {
                holder: "Northwind Design Studio LLC".to_owned(),
                bank_name: Some("First Harbor Bank".to_owned()),
                number: AccountNumber::Domestic {
                    account: "4400 1234 5678".to_owned(),
                    routing: Some("021000021".to_owned()),
                },
            }),
            payment_instructions: Some(
                "Late payments incur interest of 1.5 % per month.".to_owned(),
            ),
            logo: None,
        },
        buyer: DocumentBuyer {
            name: "Acme Outdoor Supply Co.".to_owned(),
            legal_name: None,
            address: address(&["1 Summit Road"], "80302", "Boulder", Some("CO"), "US"),
            tax_id: None,
            email: Some("accounts.payable@acme-outdoor.example".to_owned()),
        },
        number: "INV-000042".to_owned(),
        mark: None,
        issue_date: date(2025, 3, 3),
        supply: Some(Supply::Period {
            from: date(2025, 2, 1),
            to: date(2025, 2, 28),
        }),
        due_date: date(2025, 4, 2),
        terms_days: Some(30),
        price_basis: PriceBasis::Exclusive,
        amount_due: totals.gross_total - amount_paid,
        amount_paid,
        lines,
        adjustments: Vec::new(),
        totals,
        notes: Some(
            "Thank you for working with us! Questions about this invoice? \
             Write to billing@northwind.studio."
                .to_owned(),
        ),
    }
}

/// The same catalogue billed the way an EU business bills another: a Berlin design studio
/// invoicing a Hamburg client for `items` line items in EUR, 19 % VAT on the work and 7 % on
/// the licences (every seventh line), with both VAT ids and an IBAN. In German. What a Factur-X
/// customer receives, so the e-invoice benchmark measures a valid EN 16931 invoice.
pub fn sample_european_document(items: usize) -> InvoiceDocument {
    let standard = TaxRate::new(VatCategory::Standard, Decimal::from(19), None)
        .unwrap_or_else(|_| TaxRate::untaxed());
    let reduced = TaxRate::new(VatCategory::Standard, Decimal::from(7), None)
        .unwrap_or_else(|_| TaxRate::untaxed());
    let lines = catalogue_lines(items, |index| {
        if index % 7 == 6 {
            reduced.clone()
        } else {
            standard.clone()
        }
    });
    let totals = totals_of(PriceBasis::Exclusive, &lines);
    let vat_id = |value: &str| TaxId {
        kind: TaxIdKind::EuVat,
        value: value.to_owned(),
    };
    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: Language::De,
        tax_kind: TaxKind::Vat,
        currency: Currency::parse("EUR").unwrap_or_else(|_| unreachable!("EUR is ISO 4217")),
        seller: DocumentSeller {
            name: Some("Nordwind Designstudio".to_owned()),
            legal_name: Some("Nordwind Designstudio GmbH".to_owned()),
            address: address(&["Torstraße 140"], "10119", "Berlin", None, "DE"),
            address_lines: Vec::new(),
            tax_ids: vec![vat_id("DE123456789")],
            registration: None,
            email: "rechnung@nordwind.example".to_owned(),
            phone: Some("+49 30 5550142".to_owned()),
            bank_account: Some(BankAccount {
                holder: "Nordwind Designstudio GmbH".to_owned(),
                bank_name: Some("Berliner Volksbank".to_owned()),
                number: AccountNumber::Iban {
                    iban: "DE89370400440532013000".to_owned(),
                    bic: Some("COBADEFFXXX".to_owned()),
                },
            }),
            payment_instructions: None,
            logo: None,
        },
        buyer: DocumentBuyer {
            name: "Elbe Outdoor Handel GmbH".to_owned(),
            legal_name: None,
            address: address(&["Große Elbstraße 27"], "22767", "Hamburg", None, "DE"),
            tax_id: Some(vat_id("DE987654321")),
            email: Some("kreditoren@elbe-outdoor.example".to_owned()),
        },
        number: "RE-2025-000042".to_owned(),
        mark: None,
        issue_date: date(2025, 3, 3),
        supply: Some(Supply::Period {
            from: date(2025, 2, 1),
            to: date(2025, 2, 28),
        }),
        due_date: date(2025, 4, 2),
        terms_days: Some(30),
        price_basis: PriceBasis::Exclusive,
        amount_due: totals.gross_total,
        amount_paid: 0,
        lines,
        adjustments: Vec::new(),
        totals,
        notes: None,
    }
}

/// `items` lines from the catalogue (repeating it for long invoices), the `index`th taxed at
/// `rate_of(index)`.
fn catalogue_lines(items: usize, rate_of: impl Fn(usize) -> TaxRate) -> Vec<DocumentLine> {
    CATALOGUE
        .iter()
        .cycle()
        .take(items)
        .enumerate()
        .map(
            |(index, &(description, quantity, unit, unit_price))| DocumentLine {
                description: description.to_owned(),
                quantity: quantity.parse().unwrap_or(Decimal::ONE),
                unit,
                unit_price: Decimal::from(unit_price),
                discount: None,
                rate: rate_of(index),
                period: None,
            },
        )
        .collect()
}

/// The domain's totals of `lines` without adjustments; the catalogue's lines are valid, so
/// the empty totals are never used.
fn totals_of(basis: PriceBasis, lines: &[DocumentLine]) -> Totals {
    let priced: Vec<PricedLine> = lines
        .iter()
        .map(|line| PricedLine {
            quantity: line.quantity,
            unit_price: line.unit_price,
            discount: line.discount,
            rate: line.rate.clone(),
        })
        .collect();
    compute(basis, &priced, &[]).unwrap_or_else(|_| Totals {
        lines: vec![0; lines.len()],
        adjustments: Vec::new(),
        breakdown: Vec::new(),
        line_total: 0,
        allowance_total: 0,
        charge_total: 0,
        net_total: 0,
        tax_total: 0,
        gross_total: 0,
    })
}

fn address(
    lines: &[&str],
    postal_code: &str,
    city: &str,
    region: Option<&str>,
    country: &str,
) -> Option<Address> {
    Some(Address {
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        postal_code: Some(postal_code.to_owned()),
        city: Some(city.to_owned()),
        region: region.map(str::to_owned),
        country: Country::parse(country).ok()?,
    })
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // The literals above are valid dates; `MIN` only keeps this function total.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Renders the samples a person looks at (plain, long, PAID, VOID, a currency without minor
/// units, each language, a credit note in each language) into `SAMPLES_DIR`, else `.artifacts/pdf/`; `scripts/test` runs it
/// with the unit tests.
#[cfg(test)]
mod samples {
    use super::sample_document;
    use crate::pdf::{Mark, credit_note_document, render};
    use invoicing_workflows::domain::{
        Currency, Language, PricedLine,
        credit::{CreditScope, Creditable, Credited, LineCredit},
    };
    use rust_decimal::Decimal;
    use std::path::PathBuf;

    fn samples_dir() -> PathBuf {
        std::env::var_os("SAMPLES_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/pdf"))
            })
    }

    #[test]
    fn the_samples_render_to_valid_pdfs_of_the_expected_length() {
        let dir = samples_dir();
        std::fs::create_dir_all(&dir).expect("the samples directory");
        let samples = [
            ("invoice-3-items.pdf", 3, None, 1),
            ("invoice-60-items.pdf", 60, None, 3),
            ("invoice-paid.pdf", 12, Some(Mark::Paid), 1),
            ("invoice-void.pdf", 5, Some(Mark::Void), 1),
            ("invoice-jpy.pdf", 4, None, 1),
            ("invoice-de.pdf", 6, None, 1),
            ("invoice-fr.pdf", 6, None, 1),
            ("invoice-es.pdf", 6, None, 1),
        ];
        for (name, items, mark, min_pages) in samples {
            let mut document = sample_document(items);
            // As the product stamps them: paid in full, or cancelled with nothing owed.
            match mark {
                Some(Mark::Paid) => document.amount_paid = document.totals.gross_total,
                Some(Mark::Void) => document.amount_paid = 0,
                None => {}
            }
            if mark.is_some() {
                document.amount_due = 0;
            }
            document.mark = mark;
            match name {
                // Amounts print as whole yen (the cents become yen: only the format matters).
                "invoice-jpy.pdf" => document.currency = Currency::parse("JPY").unwrap(),
                "invoice-de.pdf" => document.language = Language::De,
                "invoice-fr.pdf" => document.language = Language::Fr,
                "invoice-es.pdf" => document.language = Language::Es,
                _ => {}
            }
            let bytes = render(&document).expect("a sample renders");
            let pages = lopdf::Document::load_mem(&bytes)
                .expect("a sample parses as a PDF")
                .get_pages()
                .len();
            assert!(
                pages >= min_pages,
                "{name}: {pages} page(s), expected at least {min_pages}"
            );
            std::fs::write(dir.join(name), bytes).expect("writing a sample");
        }
    }

    /// The sample invoice's first credit note, 2 of its 6.5 hours of art direction, in each
    /// language: the title and the reference have to fit beside the dates in all of them.
    #[test]
    fn credit_note_samples_render_in_each_language() {
        let dir = samples_dir();
        std::fs::create_dir_all(&dir).expect("the samples directory");
        for (language, tag) in [
            (Language::En, "en"),
            (Language::De, "de"),
            (Language::Fr, "fr"),
            (Language::Es, "es"),
        ] {
            let mut invoice = sample_document(6);
            invoice.language = language;
            let lines: Vec<PricedLine> = invoice
                .lines
                .iter()
                .map(|line| PricedLine {
                    quantity: line.quantity,
                    unit_price: line.unit_price,
                    discount: line.discount,
                    rate: line.rate.clone(),
                })
                .collect();
            let note = Creditable {
                basis: invoice.price_basis,
                lines: &lines,
                adjustments: &[],
                totals: &invoice.totals,
            }
            .credit(
                &Credited::default(),
                &CreditScope::Lines {
                    lines: vec![LineCredit {
                        line: 2,
                        quantity: Decimal::from(2),
                    }],
                },
            )
            .expect("a valid credit");
            let document = credit_note_document(
                &invoice,
                "CN-000007",
                invoice.issue_date + chrono::Days::new(10),
                "Two hours of art direction were billed twice",
                &note,
            );
            let bytes = render(&document).expect("a sample renders");
            lopdf::Document::load_mem(&bytes).expect("a sample parses as a PDF");
            std::fs::write(dir.join(format!("credit-note-{tag}.pdf")), bytes)
                .expect("writing a sample");
        }
    }
}
