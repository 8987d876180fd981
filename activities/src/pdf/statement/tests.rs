//! The statement rendered and read back: its facts in the text, in every language, over as
//! many pages as it needs. The samples land in `.artifacts/pdf/` beside the invoices'.

use super::*;
use crate::pdf::{DocumentBuyer, DocumentSeller};
use invoicing_store::statements::MovementKind;
use invoicing_workflows::domain::{Address, Country, TaxId, TaxIdKind};
use std::path::PathBuf;
use strum::VariantArray;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn seller() -> DocumentSeller {
    DocumentSeller {
        name: Some("Northwind Design Studio".to_owned()),
        legal_name: Some("Northwind Design GmbH".to_owned()),
        address: Some(Address {
            lines: vec!["Torstraße 1".to_owned()],
            postal_code: Some("10119".to_owned()),
            city: Some("Berlin".to_owned()),
            region: None,
            country: Country::parse("DE").unwrap(),
        }),
        tax_ids: vec![TaxId {
            kind: TaxIdKind::EuVat,
            value: "DE123456789".to_owned(),
        }],
        email: "billing@northwind.example".to_owned(),
        ..DocumentSeller::default()
    }
}

fn line(date: &str, kind: MovementKind, number: &str, amount: i64, balance: i64) -> StatementLine {
    StatementLine {
        date: day(date),
        kind: kind.as_str().to_owned(),
        number: Some(number.to_owned()),
        amount,
        balance,
    }
}

/// Owed 100.00 EUR at the start; every kind of movement once; and a USD account.
fn statement(language: Language) -> StatementDocument {
    let eur = Currency::parse("EUR").unwrap();
    let usd = Currency::parse("USD").unwrap();
    StatementDocument {
        language,
        seller: seller(),
        customer: DocumentBuyer {
            name: "Acme Ltd".to_owned(),
            legal_name: Some("Acme Industries Ltd".to_owned()),
            address: None,
            tax_id: None,
            email: Some("ap@acme.example".to_owned()),
        },
        from: day("2026-01-01"),
        to: day("2026-03-31"),
        date: day("2026-04-02"),
        currencies: vec![
            StatementCurrency {
                currency: eur,
                opening: 10_000,
                lines: vec![
                    line(
                        "2026-01-10",
                        MovementKind::Invoice,
                        "INV-000042",
                        25_000,
                        35_000,
                    ),
                    line(
                        "2026-01-20",
                        MovementKind::Payment,
                        "INV-000017",
                        -15_000,
                        20_000,
                    ),
                    line(
                        "2026-01-21",
                        MovementKind::Refund,
                        "INV-000017",
                        1_000,
                        21_000,
                    ),
                    line(
                        "2026-02-01",
                        MovementKind::Invoice,
                        "INV-000043",
                        5_000,
                        26_000,
                    ),
                    line(
                        "2026-02-02",
                        MovementKind::Void,
                        "INV-000043",
                        -5_000,
                        21_000,
                    ),
                    line(
                        "2026-03-01",
                        MovementKind::WriteOff,
                        "INV-000017",
                        -4_000,
                        17_000,
                    ),
                    line(
                        "2026-03-09",
                        MovementKind::Recovery,
                        "INV-000017",
                        1_000,
                        18_000,
                    ),
                ],
                closing: 18_000,
                credited: 0,
                credit_balance: 0,
            },
            StatementCurrency {
                currency: usd,
                opening: 0,
                lines: vec![line(
                    "2026-02-14",
                    MovementKind::Invoice,
                    "INV-000044",
                    123_456,
                    123_456,
                )],
                closing: 123_456,
                credited: 0,
                credit_balance: 0,
            },
        ],
    }
}

fn render_ok(doc: &StatementDocument) -> Vec<u8> {
    let bytes = render(doc).expect("render");
    lopdf::Document::load_mem(&bytes).expect("output must parse as PDF");
    bytes
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages_of(bytes: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(bytes)
        .expect("extract")
        .iter()
        .map(|page| normalise(page))
        .collect()
}

/// Writes `bytes` into the samples' directory (`SAMPLES_DIR`, else `.artifacts/pdf/`).
fn keep(name: &str, bytes: &[u8]) {
    let dir = std::env::var_os("SAMPLES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/pdf"))
        });
    std::fs::create_dir_all(&dir).expect("the samples directory");
    std::fs::write(dir.join(name), bytes).expect("writing a sample");
}

#[test]
fn a_statement_shows_both_parties_the_period_and_every_movement_with_its_balance() {
    let bytes = render_ok(&statement(Language::En));
    keep("statement-en.pdf", &bytes);
    let text = pages_of(&bytes).join(" ");
    for expected in [
        "STATEMENT OF ACCOUNT",
        "1 Jan 2026 – 31 Mar 2026",
        "Statement date",
        "2 Apr 2026",
        "Northwind Design Studio",
        "DE123456789",
        "CUSTOMER",
        "Acme Ltd",
        "Amounts in EUR",
        "Amounts in USD",
        "Opening balance",
        "€100.00",
        "Invoice INV-000042 €250.00 €350.00",
        "Payment INV-000017 €150.00 €200.00",
        "Refund INV-000017 €10.00 €210.00",
        "Invoice voided INV-000043 €50.00 €210.00",
        "Written off INV-000017 €40.00 €170.00",
        "Write-off recovered INV-000017 €10.00 €180.00",
        // Debits 250 + 10 + 50 + 10, credits 150 + 50 + 40.
        "Total for the period €320.00 €240.00",
        "Closing balance €180.00",
        "$1,234.56",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
}

#[test]
fn a_german_statement_is_german() {
    let bytes = render_ok(&statement(Language::De));
    keep("statement-de.pdf", &bytes);
    let text = pages_of(&bytes).join(" ");
    for expected in [
        "KONTOAUSZUG",
        "01.01.2026 – 31.03.2026",
        "Anfangssaldo",
        "100,00\u{a0}€",
        "Rechnung INV-000042 250,00\u{a0}€ 350,00\u{a0}€",
        "Zahlung INV-000017",
        "Abschreibung",
        "Soll",
        "Haben",
        "31.03.2026 Endsaldo 180,00\u{a0}€",
        "180,00\u{a0}€",
        "Seite 1 von 1",
    ] {
        let expected = normalise(expected);
        assert!(
            text.contains(&expected) || text.contains(&expected.replace('\u{a0}', " ")),
            "{expected:?} in {text}"
        );
    }
}

#[test]
fn every_language_names_every_kind_of_movement_and_titles_the_statement() {
    for language in [Language::En, Language::De, Language::Fr, Language::Es] {
        let locale = Locale::of(language);
        for kind in MovementKind::VARIANTS {
            let id = format!("statement-kind-{}", kind.as_str());
            assert!(locale.has(&id), "{language} has no {id}");
        }
        let bytes = render_ok(&statement(language));
        keep(&format!("statement-{language}.pdf"), &bytes);
        let text = pages_of(&bytes).join(" ");
        assert!(
            text.contains(&locale.t("statement-title")),
            "{language}: {text}"
        );
        assert!(
            text.contains(&normalise(&locale.t("statement-closing"))),
            "{language}"
        );
        let name = file_name(language, day("2026-01-01"), day("2026-03-31"));
        assert!(
            name.is_ascii() && name.ends_with(".pdf") && name.contains("2026-03-31"),
            "{language}: {name}"
        );
    }
    assert_eq!(
        file_name(Language::De, day("2026-01-01"), day("2026-03-31")),
        "Kontoauszug-2026-01-01-bis-2026-03-31.pdf"
    );
}

/// The USD account with a credit note that took more than was due: 1,234.56 invoiced, paid,
/// then 300.00 credited, 200.00 of it kept for the customer.
fn with_credit_note(language: Language) -> StatementDocument {
    let mut doc = statement(language);
    let usd = &mut doc.currencies[1];
    usd.lines.push(line(
        "2026-02-20",
        MovementKind::Payment,
        "INV-000044",
        -123_456,
        0,
    ));
    usd.lines.push(line(
        "2026-03-02",
        MovementKind::CreditNote,
        "CN-000007",
        -30_000,
        -30_000,
    ));
    usd.lines.push(line(
        "2026-03-02",
        MovementKind::Refund,
        "CN-000007",
        10_000,
        -20_000,
    ));
    usd.closing = -20_000;
    usd.credited = 30_000;
    usd.credit_balance = 20_000;
    doc
}

#[test]
fn credit_notes_are_totalled_and_the_credit_balance_shown_below_the_closing_balance() {
    let bytes = render_ok(&with_credit_note(Language::En));
    keep("statement-credit-en.pdf", &bytes);
    let text = pages_of(&bytes).join(" ");
    for expected in [
        "Credit note CN-000007 $300.00 -$300.00",
        // Debits 1,234.56 + 100.00, credits 1,234.56 + 300.00.
        "Total for the period $1,334.56 $1,534.56",
        "Of which credit notes $300.00",
        "31 Mar 2026 Closing balance -$200.00",
        "31 Mar 2026 Your credit balance $200.00",
        "the closing balance already counts it.",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    // A currency without credit notes or a credit balance shows neither line.
    let eur = text.split("Amounts in USD").next().unwrap();
    assert!(!eur.contains("Of which credit notes"), "{eur}");
    assert!(!eur.contains("Your credit balance"), "{eur}");
    let without = pages_of(&render_ok(&statement(Language::En))).join(" ");
    assert!(!without.contains("Your credit balance"), "{without}");

    for language in [Language::De, Language::Fr, Language::Es] {
        let locale = Locale::of(language);
        let bytes = render_ok(&with_credit_note(language));
        keep(&format!("statement-credit-{language}.pdf"), &bytes);
        let text = pages_of(&bytes).join(" ").replace('\u{a0}', " ");
        for (id, amount) in [
            ("statement-credited", 30_000),
            ("statement-credit-balance", 20_000),
        ] {
            let expected = normalise(&format!(
                "{} {}",
                locale.t(id),
                locale.money(amount, &Currency::parse("USD").unwrap())
            ))
            .replace('\u{a0}', " ");
            assert!(
                text.contains(&expected),
                "{language}: {expected:?} in {text}"
            );
        }
        let note = normalise(&locale.t("statement-credit-balance-note"));
        assert!(text.contains(&note), "{language}: {note:?} in {text}");
    }
}

#[test]
fn a_kind_no_language_names_yet_still_prints_in_words() {
    let mut doc = statement(Language::En);
    doc.currencies[1].lines[0].kind = "late_fee".to_owned();
    let text = pages_of(&render_ok(&doc)).join(" ");
    assert!(text.contains("Late fee INV-000044"), "{text}");
}

#[test]
fn hundreds_of_movements_run_over_pages_with_the_header_on_each() {
    let eur = Currency::parse("EUR").unwrap();
    let mut balance = 0;
    let lines: Vec<StatementLine> = (0..400)
        .map(|i| {
            let (kind, amount) = if i % 2 == 0 {
                (MovementKind::Invoice, 10_000 + i)
            } else {
                (MovementKind::Payment, -9_000)
            };
            balance += amount;
            let date = day("2026-01-01") + chrono::Days::new(i as u64 / 2);
            StatementLine {
                date,
                kind: kind.as_str().to_owned(),
                number: Some(format!("INV-{:06}", i / 2 + 1)),
                amount,
                balance,
            }
        })
        .collect();
    let mut doc = statement(Language::En);
    doc.to = day("2026-12-31");
    doc.currencies = vec![StatementCurrency {
        currency: eur,
        opening: 0,
        lines,
        closing: balance,
        credited: 0,
        credit_balance: 0,
    }];
    let bytes = render_ok(&doc);
    keep("statement-400-movements.pdf", &bytes);
    let pages = pages_of(&bytes);
    let count = pages.len();
    assert!(count >= 8, "400 movements need several pages, got {count}");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("Debit Credit Balance"),
            "no header on page {}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {count}", i + 1)),
            "{page}"
        );
        assert!(
            page.contains("billing@northwind.example"),
            "no footer on page {}",
            i + 1
        );
        if i > 0 {
            assert!(page.contains("Amounts in EUR (continued)"), "{page}");
        }
    }
    let text = pages.join(" ");
    for n in 1..=200 {
        assert!(
            text.contains(&format!("INV-{n:06}")),
            "INV-{n:06} is missing"
        );
    }
    let closing = Locale::of(Language::En).money(balance, &eur);
    assert!(
        text.contains(&format!("Closing balance {closing}")),
        "{closing}"
    );
    // The closing balance is on the last page, with the totals.
    assert!(pages[count - 1].contains("Total for the period"));
}

#[test]
fn a_statement_of_nothing_says_so() {
    let mut doc = statement(Language::En);
    doc.currencies.clear();
    let text = pages_of(&render_ok(&doc)).join(" ");
    assert!(
        text.contains("Nothing was owed on 1 Jan 2026, and nothing was invoiced, paid or written off until 31 Mar 2026."),
        "{text}"
    );
    assert!(!text.contains("Opening balance"));
}

#[test]
fn hostile_names_and_absurd_amounts_still_render() {
    let mut doc = statement(Language::Fr);
    doc.customer.name = format!("{}\u{0}😀中\u{202e}", "W".repeat(300));
    doc.currencies[0].lines[0].number = Some("N".repeat(200));
    doc.currencies[0].lines[1].amount = i64::MIN;
    doc.currencies[0].lines[1].balance = i64::MAX;
    doc.currencies[0].closing = i64::MIN;
    doc.currencies[1].currency = Currency::parse("BHD").unwrap();
    let bytes = render_ok(&doc);
    assert!(!pages_of(&bytes).is_empty());
}
