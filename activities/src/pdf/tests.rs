//! End-to-end tests: render, parse the PDF back, and check the extracted text.

use super::*;
use invoicing_workflows::domain::{PricedLine, TaxSubtotal, VatCategory, totals::compute};

fn item(description: &str, quantity: i64, unit_amount: i64) -> DocumentLine {
    DocumentLine {
        description: description.to_owned(),
        quantity: Decimal::from(quantity),
        unit: Unit::Hour,
        unit_price: Decimal::from(unit_amount),
        discount: None,
        rate: TaxRate::untaxed(),
        period: None,
    }
}

/// Totals of `lines` as the domain computes them, or, for amounts beyond what the domain
/// accepts (the extreme-value tests), the saturated sums of quantity × price.
fn totals(lines: &[DocumentLine]) -> Totals {
    let priced: Vec<PricedLine> = lines
        .iter()
        .map(|l| PricedLine {
            quantity: l.quantity,
            unit_price: l.unit_price,
            discount: l.discount,
            rate: l.rate.clone(),
        })
        .collect();
    compute(PriceBasis::Exclusive, &priced, &[]).unwrap_or_else(|_| {
        let amounts: Vec<i64> = lines
            .iter()
            .map(|l| {
                i64::try_from(l.quantity.saturating_mul(l.unit_price).trunc().mantissa())
                    .unwrap_or(i64::MAX)
            })
            .collect();
        let sum = amounts.iter().fold(0_i64, |s, a| s.saturating_add(*a));
        Totals {
            lines: amounts,
            adjustments: Vec::new(),
            breakdown: vec![TaxSubtotal {
                category: VatCategory::OutsideScope,
                percent: Decimal::ZERO,
                exemption: None,
                base: sum,
                tax: 0,
            }],
            line_total: sum,
            allowance_total: 0,
            charge_total: 0,
            net_total: sum,
            tax_total: 0,
            gross_total: sum,
        }
    })
}

fn document(lines: Vec<DocumentLine>) -> InvoiceDocument {
    let totals = totals(&lines);
    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: Language::En,
        tax_kind: TaxKind::Vat,
        currency: Currency::parse("USD").unwrap(),
        seller: DocumentSeller {
            name: Some("Zoë Müller–Øster Design".to_owned()),
            email: "zoe@example.com".to_owned(),
            address_lines: vec!["Kungsgatan 12".to_owned(), "111 43 Stockholm".to_owned()],
            tax_ids: vec![TaxId {
                kind: invoicing_workflows::domain::TaxIdKind::Other,
                value: "SE556677889901".to_owned(),
            }],
            ..DocumentSeller::default()
        },
        buyer: DocumentBuyer {
            name: "Ελληνική Εταιρεία Жук".to_owned(),
            email: Some("billing@client.example".to_owned()),
            ..DocumentBuyer::default()
        },
        number: "INV-000042".to_owned(),
        mark: None,
        issue_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
        supply: None,
        due_date: chrono::NaiveDate::from_ymd_opt(2025, 4, 2).unwrap(),
        terms_days: None,
        price_basis: PriceBasis::Exclusive,
        lines,
        adjustments: Vec::new(),
        amount_paid: 0,
        amount_due: totals.gross_total,
        totals,
        notes: None,
    }
}

/// Renders, checks that lopdf can load the result, and returns the bytes.
fn render_ok(doc: &InvoiceDocument) -> Vec<u8> {
    let bytes = render(doc).expect("render");
    lopdf::Document::load_mem(&bytes).expect("output must parse as PDF");
    bytes
}

/// Extracted text with every run of whitespace collapsed to one space, so wrapped
/// descriptions read as they were written.
fn text_of(bytes: &[u8]) -> String {
    normalise(&pdf_extract::extract_text_from_mem(bytes).expect("extract text"))
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn one_item_invoice_has_its_facts_in_the_text() {
    let doc = document(vec![item("Logo design — three concepts", 2, 62_500)]);
    let text = text_of(&render_ok(&doc));
    assert!(text.contains("INVOICE"), "{text}");
    assert!(text.contains("INV-000042"), "{text}");
    assert!(text.contains("Logo design — three concepts"), "{text}");
    assert!(text.contains("$1,250.00"), "{text}");
    assert!(text.contains("Ελληνική Εταιρεία Жук"), "{text}");
    assert!(text.contains("Zoë Müller–Øster Design"), "{text}");
    assert!(text.contains("Kungsgatan 12 111 43 Stockholm"), "{text}");
    assert!(text.contains("Tax ID: SE556677889901"), "{text}");
    assert!(text.contains("Page 1 of 1"), "{text}");
}

#[test]
fn seller_without_a_name_shows_the_email() {
    let mut doc = document(vec![item("Consulting", 1, 100)]);
    doc.seller.name = None;
    let text = text_of(&render_ok(&doc));
    assert!(text.contains("zoe@example.com"), "{text}");
}

#[test]
fn long_invoices_flow_over_pages_with_repeated_headers() {
    let items: Vec<_> = (0..200)
        .map(|i| {
            let description = if i % 7 == 0 {
                format!("Item {i}: extended design review covering typography, colour, layout and accessibility of every screen")
            } else {
                format!("Item {i}: design hours")
            };
            item(&description, i % 9 + 1, 12_345)
        })
        .collect();
    let mut doc = document(items);
    doc.notes = Some("Payable within 30 days.".to_owned());
    let bytes = render_ok(&doc);

    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("extract");
    let count = pages.len();
    assert!(
        count >= 4,
        "200 items should need several pages, got {count}"
    );
    for (i, page) in pages.iter().enumerate() {
        let page = normalise(page);
        assert!(
            page.contains("Description"),
            "no table header on page {}",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {count}", i + 1)),
            "{page}"
        );
    }
    let text = normalise(&pages.join("\n"));
    for line in &doc.lines {
        assert!(
            text.contains(&line.description),
            "missing {:?}",
            line.description
        );
    }
    assert!(text.contains("Amount due"));
    assert!(text.contains("Payable within 30 days."));
}

#[test]
fn marks_are_stamped() {
    for (mark, label) in [(Mark::Paid, "PAID"), (Mark::Void, "VOID")] {
        let mut doc = document(vec![item("Work", 1, 100)]);
        doc.mark = Some(mark);
        assert!(text_of(&render_ok(&doc)).contains(label), "{label} missing");
    }
    let unmarked = text_of(&render_ok(&document(vec![item("Work", 1, 100)])));
    assert!(!unmarked.contains("PAID") && !unmarked.contains("VOID"));
}

#[test]
fn hostile_text_renders() {
    let hostile = [
        "Emoji 😀🎉👨‍👩‍👧 and flags 🇸🇪".to_owned(),
        "中文描述 日本語の説明 한국어".to_owned(),
        "עברית ועוד العربية".to_owned(),
        "NUL \u{0} in the middle, \u{FFFF} and \u{FFFE}, bell \u{7}".to_owned(),
        "\u{301}\u{302} lone combining marks, RLO \u{202E}reversed".to_owned(),
        "x".repeat(5_000),
        "\n".repeat(100),
        format!("start{}end", "\n".repeat(100)),
        String::new(),
    ];
    let items = hostile.iter().map(|d| item(d, 1, 100)).collect();
    let mut doc = document(items);
    let long_name = "Ŵ".repeat(500);
    doc.seller.name = Some(long_name.clone());
    doc.seller.registration = Some(hostile.join(" "));
    doc.buyer.name = format!("{long_name} {long_name}");
    doc.buyer.email = Some(format!("{}@example.com", "a".repeat(500)));
    doc.number = "N".repeat(500);
    doc.notes = Some(hostile.join("\n"));
    doc.seller.payment_instructions = Some(hostile.join("\n"));
    doc.currency = Currency::parse("BHD").unwrap();
    doc.mark = Some(Mark::Void);
    let text = text_of(&render_ok(&doc));
    assert!(text.contains("lone combining marks"));
    assert!(text.contains("Page 1 of"));
}

#[test]
fn extreme_amounts_render() {
    let mut doc = document(vec![item("Huge", i64::MAX, 1), item("Tiny", i64::MIN, 1)]);
    doc.totals.net_total = i64::MIN;
    doc.amount_due = i64::MAX;
    doc.currency = Currency::parse("JPY").unwrap();
    let text = text_of(&render_ok(&doc));
    assert!(text.contains("9,223,372,036,854,775,807"), "{text}");
}

#[test]
fn empty_invoice_renders() {
    let text = text_of(&render_ok(&document(Vec::new())));
    assert!(text.contains("Amount due"));
}

/// A tiny deterministic xorshift generator; the property test needs no crate for it.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn amount(&mut self) -> i64 {
        match self.below(4) {
            0 => self.next() as i64, // anything, including the extremes' neighbourhood
            1 => [i64::MIN, i64::MAX, 0, -1][self.below(4) as usize],
            _ => self.below(10_000_000) as i64 - 1_000_000,
        }
    }

    /// Text drawn from scripts the font has, scripts it lacks, controls and oddities.
    fn text(&mut self) -> String {
        const RANGES: &[(u32, u32)] = &[
            (0x20, 0x7E),
            (0x00, 0x1F),
            (0xA0, 0x17F),
            (0x300, 0x36F),
            (0x370, 0x3FF),
            (0x400, 0x4FF),
            (0x590, 0x6FF),
            (0x2000, 0x206F),
            (0x4E00, 0x9FFF),
            (0xFFF0, 0xFFFF),
            (0x1F300, 0x1FAFF),
            (0x0, 0x10FFFF),
        ];
        let len = match self.below(20) {
            0 => self.below(3_000),
            1 | 2 => 0,
            _ => self.below(60),
        };
        (0..len)
            .filter_map(|_| {
                let (lo, hi) = RANGES[self.below(RANGES.len() as u64) as usize];
                let c = char::from_u32(lo + self.below(u64::from(hi - lo + 1)) as u32);
                // Spaces now and then, so there are words to wrap as well as long runs.
                if self.below(6) == 0 { Some(' ') } else { c }
            })
            .collect()
    }
}

#[test]
fn random_documents_always_render_and_parse() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let currencies = ["USD", "EUR", "JPY", "BHD", "GBP", "CHF"];
    let languages = [Language::En, Language::De, Language::Fr, Language::Es];
    for round in 0..300 {
        let lines: Vec<DocumentLine> = (0..rng.below(25))
            .map(|_| DocumentLine {
                description: rng.text(),
                quantity: Decimal::new(rng.amount(), rng.below(5) as u32),
                unit: Unit::Day,
                unit_price: Decimal::new(rng.amount(), rng.below(13) as u32),
                discount: None,
                rate: TaxRate::untaxed(),
                period: None,
            })
            .collect();
        let mut doc = document(lines);
        doc.language = languages[rng.below(4) as usize];
        doc.seller.name = (rng.below(3) > 0).then(|| rng.text());
        doc.seller.email = rng.text();
        doc.seller.address_lines = (0..rng.below(6)).map(|_| rng.text()).collect();
        doc.seller.registration = (rng.below(2) == 0).then(|| rng.text());
        doc.seller.payment_instructions = (rng.below(2) == 0).then(|| rng.text());
        doc.number = rng.text();
        doc.buyer.name = rng.text();
        doc.buyer.email = Some(rng.text());
        doc.currency = Currency::parse(currencies[rng.below(6) as usize]).unwrap();
        doc.totals.lines = doc.lines.iter().map(|_| rng.amount()).collect();
        (doc.totals.net_total, doc.totals.gross_total) = (rng.amount(), rng.amount());
        (doc.amount_paid, doc.amount_due) = (rng.amount(), rng.amount());
        doc.notes = (rng.below(2) == 0).then(|| rng.text());
        doc.mark = [None, Some(Mark::Paid), Some(Mark::Void)][rng.below(3) as usize];

        let bytes = render(&doc).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let parsed = lopdf::Document::load_mem(&bytes)
            .unwrap_or_else(|e| panic!("round {round}: output does not parse: {e}"));
        assert!(!parsed.get_pages().is_empty(), "round {round}: no pages");
    }
}

#[test]
fn sample_document_is_consistent() {
    let doc = sample_document(20);
    assert_eq!(doc.lines.len(), 20);
    assert_eq!(doc.totals.lines.len(), 20);
    assert_eq!(doc.totals.net_total, doc.totals.lines.iter().sum::<i64>());
    assert!(doc.totals.tax_total > 0);
    assert_eq!(doc.amount_due, doc.totals.gross_total - doc.amount_paid);
    let text = text_of(&render_ok(&doc));
    assert!(text.contains("Northwind Design Studio"));
}

/// Image XObjects in a PDF.
fn images_in(bytes: &[u8]) -> usize {
    let parsed = lopdf::Document::load_mem(bytes).expect("a PDF");
    parsed
        .objects
        .values()
        .filter(|object| {
            object.as_stream().is_ok_and(|stream| {
                stream
                    .dict
                    .get(b"Subtype")
                    .and_then(|s| s.as_name())
                    .is_ok_and(|name| name == b"Image")
            })
        })
        .count()
}

fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let logo = image::RgbImage::from_fn(120, 40, |x, _| image::Rgb([(x * 2) as u8, 40, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    logo.write_to(&mut bytes, format)
        .expect("encoding a test logo");
    bytes.into_inner()
}

#[test]
fn png_and_jpeg_logos_are_embedded_and_broken_ones_left_out() {
    for (format, logo_format) in [
        (image::ImageFormat::Png, LogoFormat::Png),
        (image::ImageFormat::Jpeg, LogoFormat::Jpeg),
    ] {
        let mut doc = document(vec![item("Work", 1, 100)]);
        doc.seller.logo = Some(Logo {
            bytes: encoded(format),
            format: logo_format,
        });
        let bytes = render_ok(&doc);
        assert_eq!(images_in(&bytes), 1, "{logo_format:?}");
        assert!(text_of(&bytes).contains("Zoë Müller–Øster Design"));
    }
    let mut broken = document(vec![item("Work", 1, 100)]);
    broken.seller.logo = Some(Logo {
        bytes: b"\x89PNG\r\n\x1a\nnot really".to_vec(),
        format: LogoFormat::Png,
    });
    assert_eq!(images_in(&render_ok(&broken)), 0);
    // A JPEG claimed to be a PNG is refused rather than guessed.
    broken.seller.logo = Some(Logo {
        bytes: encoded(image::ImageFormat::Jpeg),
        format: LogoFormat::Png,
    });
    assert_eq!(images_in(&render_ok(&broken)), 0);
}

#[test]
fn every_language_titles_and_numbers_its_pages() {
    for (language, title, page) in [
        (Language::En, "INVOICE", "Page 1 of 1"),
        (Language::De, "RECHNUNG", "Seite 1 von 1"),
        (Language::Fr, "FACTURE", "Page 1 sur 1"),
        (Language::Es, "FACTURA", "Página 1 de 1"),
    ] {
        let mut doc = document(vec![item("Work", 1, 100)]);
        doc.language = language;
        doc.mark = Some(Mark::Paid);
        let text = text_of(&render_ok(&doc));
        assert!(
            text.contains(title) && text.contains(page),
            "{language}: {text}"
        );
    }
}

#[test]
fn every_language_titles_a_credit_note_and_asks_for_no_payment() {
    for (language, title, reference, total, due) in [
        (
            Language::En,
            "CREDIT NOTE",
            "Credit note for invoice INV-000041 of 3 Mar 2025",
            "Total credited",
            ["Due date", "Amount due"],
        ),
        (
            Language::De,
            "RECHNUNGSKORREKTUR",
            "Korrektur zur Rechnung INV-000041 vom 03.03.2025",
            "Korrekturbetrag brutto",
            ["Fällig am", "Zahlbetrag"],
        ),
        (
            Language::Fr,
            "AVOIR",
            "Avoir sur la facture INV-000041 du 3 mars 2025",
            "Total de l’avoir TTC",
            ["échéance", "Net à payer"],
        ),
        (
            Language::Es,
            "FACTURA RECTIFICATIVA",
            "Rectifica la factura INV-000041 del 3 mar 2025",
            "Total abonado",
            ["Vencimiento", "Importe a pagar"],
        ),
    ] {
        let mut doc = document(vec![item("Work", 1, 100)]);
        doc.kind = DocumentKind::CreditNote {
            invoice_number: "INV-000041".to_owned(),
            invoice_issue_date: doc.issue_date,
            reason: "Returned".to_owned(),
        };
        doc.language = language;
        doc.terms_days = Some(30);
        doc.seller.payment_instructions = Some("Pay by cheque".to_owned());
        let text = text_of(&render_ok(&doc));
        for expected in [title, reference, total, "Returned"] {
            assert!(
                text.contains(expected),
                "{language} lacks {expected:?}: {text}"
            );
        }
        for absent in due.iter().chain(&["Pay by cheque"]) {
            assert!(!text.contains(absent), "{language} has {absent:?}: {text}");
        }
    }
}
