//! Golden invoices, the acceptance of issue 24's PDF: each is built from domain types with
//! its totals from the domain's `compute`, rendered, read back with `pdftotext -layout`, and
//! checked for what an accountant needs to find on it, in its language and the locale's
//! formats; the EUR ones' EPC QR code is decoded with `zbarimg` (from `pdftoppm -r 200`) and
//! must carry the seller's IBAN, the amount due and the invoice number.
//!
//! The PDFs, their text and page images are written to `.artifacts/golden/` for people to
//! look at. The tools are Debian's `poppler-utils` and `zbar-tools` (`ensure_pdf_tools` in
//! scripts/lib.sh installs them); without them the tests fail saying which is missing.

mod support;

use invoicing_activities::pdf::{
    AccountNumber, BankAccount, DocumentBuyer, DocumentKind, DocumentLine, DocumentSeller,
    InvoiceDocument, Supply, TaxKind, render,
};
use invoicing_workflows::domain::{
    Address, AdjustmentKind, Currency, Discount, Exemption, Language, PriceBasis, TaxId, TaxIdKind,
    TaxRate, Unit, VatCategory,
};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{AdjustmentSpec, address, date, line, priced, rate, tax_id};

// ---------------------------------------------------------------------------------------------
// The invoices.

#[test]
fn german_b2b_with_19_and_7_percent() {
    let doc = invoice(Invoice {
        language: Language::De,
        currency: "EUR",
        seller: german_seller(),
        buyer: buyer(
            "Bergmann Verlag GmbH",
            address(&["Leopoldstraße 8"], "80802", "München", None, "DE"),
            Some(tax_id(TaxIdKind::EuVat, "DE987654321")),
        ),
        number: "RE-2026-0042",
        basis: PriceBasis::Exclusive,
        lines: vec![
            line(
                "Beratung Redaktionssystem",
                "12.5",
                Unit::Hour,
                12_000,
                None,
                standard("19"),
            ),
            line(
                "Fachbuch „Typografie“",
                "3",
                Unit::Piece,
                4_990,
                None,
                standard("7"),
            ),
        ],
        adjustments: Vec::new(),
        amount_paid: 0,
    });
    // 12.5 × 120.00 = 1,500.00 at 19 % (285.00); 3 × 49.90 = 149.70 at 7 % (10.479 → 10.48).
    let text = check(
        "de-b2b-19-7",
        &doc,
        &[
            "RECHNUNG",
            "RE-2026-0042",
            "Rechnungsdatum",
            "06.12.2026",
            "Liefer-/Leistungsdatum",
            "30.11.2026",
            "Fällig am",
            "20.12.2026",
            "14 Tage netto",
            "Northwind Studio GmbH",
            "Torstraße 12",
            "10119 Berlin",
            "USt-IdNr.: DE123456789",
            "Amtsgericht Charlottenburg HRB 123456",
            "Bergmann Verlag GmbH",
            "80802 München",
            "USt-IdNr.: DE987654321",
            "Beschreibung",
            "Menge",
            "Einheit",
            "Einzelpreis",
            "12,5",
            "Std.",
            "Stk.",
            "120,00 €",
            "49,90 €",
            "1.500,00 €",
            "149,70 €",
            "Aufstellung der Umsatzsteuer",
            "Kontoinhaber: Northwind Studio GmbH",
            "IBAN: DE89 3704 0044 0532 0130 00",
            "BIC: COBADEFFXXX",
            "Verwendungszweck: RE-2026-0042",
            "Seite 1 von 1",
        ],
        &[
            &["Gesamtbetrag netto", "1.649,70 €"],
            &["19 %", "1.500,00 €", "285,00 €"],
            &["7 %", "149,70 €", "10,48 €"],
            &["Umsatzsteuer", "295,48 €"],
            &["Gesamtbetrag brutto", "1.945,18 €"],
            &["Zahlbetrag", "1.945,18 €"],
        ],
    );
    // Domestic: Germany is not named on either address.
    assert!(!text.contains("Deutschland"), "{text}");
    assert_epc(
        "de-b2b-19-7",
        "DE89370400440532013000",
        "EUR1945.18",
        "RE-2026-0042",
    );
}

#[test]
fn eu_b2b_reverse_charge_in_french() {
    let reverse = TaxRate::new(
        VatCategory::ReverseCharge,
        Decimal::ZERO,
        Some(Exemption {
            reason: "Autoliquidation".to_owned(),
            code: Some("VATEX-EU-AE".to_owned()),
        }),
    )
    .unwrap();
    let doc = invoice(Invoice {
        language: Language::Fr,
        currency: "EUR",
        seller: german_seller(),
        buyer: buyer(
            "Atelier Lumière SARL",
            address(&["14 rue de la Paix"], "75002", "Paris", None, "FR"),
            Some(tax_id(TaxIdKind::EuVat, "FR12345678901")),
        ),
        number: "RE-2026-0043",
        basis: PriceBasis::Exclusive,
        lines: vec![line(
            "Développement du site vitrine",
            "10",
            Unit::Day,
            80_000,
            None,
            reverse,
        )],
        adjustments: Vec::new(),
        amount_paid: 0,
    });
    check(
        "eu-reverse-charge-fr",
        &doc,
        &[
            "FACTURE",
            "Date de facture",
            "6 déc. 2026",
            "Date de livraison",
            "20 déc. 2026",
            "14 jours net",
            // Cross-border: each party's country is named, in French.
            "Allemagne",
            "France",
            "N° TVA : DE123456789",
            "N° TVA : FR12345678901",
            "Désignation",
            "Qté",
            "jour",
            "800,00 €",
            "0 % AE",
            "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE).",
            "Détail de la TVA",
            "0 % (autoliquidation)",
            "Référence : RE-2026-0043",
            "Page 1 sur 1",
        ],
        &[
            &["Total HT", "8 000,00 €"],
            &["TVA", "0,00 €"],
            &["Total TTC", "8 000,00 €"],
            &["Net à payer", "8 000,00 €"],
        ],
    );
    assert_epc(
        "eu-reverse-charge-fr",
        "DE89370400440532013000",
        "EUR8000.00",
        "RE-2026-0043",
    );
}

#[test]
fn uk_20_percent_vat_in_pounds() {
    let mut seller = seller(
        "Harbour Analytics Ltd",
        address(&["1 Canada Square"], "E14 5AB", "London", None, "GB"),
        vec![tax_id(TaxIdKind::GbVat, "GB123456789")],
    );
    seller.registration = Some("Company no. 01234567 (England and Wales)".to_owned());
    seller.bank_account = Some(BankAccount {
        holder: "Harbour Analytics Ltd".to_owned(),
        bank_name: Some("NatWest".to_owned()),
        number: AccountNumber::Domestic {
            account: "31926819".to_owned(),
            routing: Some("60-16-13".to_owned()),
        },
    });
    let doc = invoice(Invoice {
        language: Language::En,
        currency: "GBP",
        seller,
        buyer: buyer(
            "Thames Logistics plc",
            address(&["22 Wharf Road"], "M1 2AB", "Manchester", None, "GB"),
            Some(tax_id(TaxIdKind::GbVat, "GB987654321")),
        ),
        number: "HA-2026-118",
        basis: PriceBasis::Exclusive,
        lines: vec![
            DocumentLine {
                period: Some((date(2026, 11, 2), date(2026, 11, 27))),
                ..line(
                    "Data pipeline review",
                    "7.5",
                    Unit::Hour,
                    15_000,
                    None,
                    standard("20"),
                )
            },
            line(
                "Travel to Manchester",
                "1",
                Unit::LumpSum,
                8_450,
                None,
                standard("20"),
            ),
        ],
        adjustments: Vec::new(),
        amount_paid: 0,
    });
    // 7.5 × 150.00 + 84.50 = 1,209.50; VAT 241.90.
    check(
        "uk-vat-20-gbp",
        &doc,
        &[
            "INVOICE",
            "HA-2026-118",
            "Issue date",
            "6 Dec 2026",
            "Date of supply",
            "30 Nov 2026",
            "Net 14 days",
            "VAT ID: GB123456789",
            "VAT ID: GB987654321",
            "Company no. 01234567 (England and Wales)",
            "London",
            "E14 5AB",
            "£150.00",
            "£1,125.00",
            // The line's service period, under its description.
            "2 Nov 2026 – 27 Nov 2026",
            "£84.50",
            "hour",
            "lump sum",
            "VAT breakdown",
            "Account number: 31926819",
            "Routing number: 60-16-13",
            "Reference: HA-2026-118",
            "Page 1 of 1",
        ],
        &[
            &["Total excl. VAT", "£1,209.50"],
            &["20%", "£1,209.50", "£241.90"],
            &["Total incl. VAT", "£1,451.40"],
            &["Amount due", "£1,451.40"],
        ],
    );
    assert_no_qr("uk-vat-20-gbp");
}

#[test]
fn us_exclusive_sales_tax_8_875_percent() {
    let mut seller = seller(
        "Lenswork Studio LLC",
        address(&["55 Water Street"], "11201", "Brooklyn", Some("NY"), "US"),
        vec![tax_id(TaxIdKind::UsEin, "12-3456789")],
    );
    seller.bank_account = Some(BankAccount {
        holder: "Lenswork Studio LLC".to_owned(),
        bank_name: Some("Hudson Community Bank".to_owned()),
        number: AccountNumber::Domestic {
            account: "000123456789".to_owned(),
            routing: Some("021000021".to_owned()),
        },
    });
    let mut doc = invoice(Invoice {
        language: Language::En,
        currency: "USD",
        seller,
        buyer: buyer(
            "Madison Avenue Books Inc.",
            address(
                &["410 Madison Avenue"],
                "10017",
                "New York",
                Some("NY"),
                "US",
            ),
            None,
        ),
        number: "LS-1007",
        basis: PriceBasis::Exclusive,
        lines: vec![
            line(
                "Product photography session",
                "3",
                Unit::Hour,
                25_000,
                None,
                standard("8.875"),
            ),
            line(
                "Fine art prints, A3",
                "20",
                Unit::Piece,
                1_250,
                None,
                standard("8.875"),
            ),
        ],
        adjustments: Vec::new(),
        amount_paid: 0,
    });
    doc.tax_kind = TaxKind::SalesTax;
    // 750.00 + 250.00 = 1,000.00; 8.875 % = 88.75.
    check(
        "us-sales-tax-8875-usd",
        &doc,
        &[
            "INVOICE",
            "EIN: 12-3456789",
            "Brooklyn, NY 11201",
            "New York, NY 10017",
            "$250.00",
            "$12.50",
            "$750.00",
            "Tax breakdown",
            "Routing number: 021000021",
            "Reference: LS-1007",
        ],
        &[
            &["Subtotal", "$1,000.00"],
            &["8.875%", "$1,000.00", "$88.75"],
            &["Sales tax", "$88.75"],
            &["Total", "$1,088.75"],
            &["Amount due", "$1,088.75"],
        ],
    );
    let text = std::fs::read_to_string(artifact("us-sales-tax-8875-usd.txt")).unwrap();
    assert!(
        !text.contains("VAT"),
        "a sales-tax invoice says nothing of VAT:\n{text}"
    );
    assert_no_qr("us-sales-tax-8875-usd");
}

#[test]
fn french_b2c_prices_inclusive_of_20_percent() {
    let mut seller = seller(
        "Cuisine & Co",
        address(&["3 place Bellecour"], "69002", "Lyon", None, "FR"),
        vec![tax_id(TaxIdKind::EuVat, "FR40123456789")],
    );
    seller.legal_name = Some("Cuisine et Compagnie SAS".to_owned());
    seller.registration = Some("RCS Lyon 123 456 789".to_owned());
    seller.bank_account = Some(BankAccount {
        holder: "Cuisine et Compagnie SAS".to_owned(),
        bank_name: None,
        number: AccountNumber::Iban {
            iban: "FR1420041010050500013M02606".to_owned(),
            bic: None,
        },
    });
    let doc = invoice(Invoice {
        language: Language::Fr,
        currency: "EUR",
        seller,
        buyer: buyer(
            "Camille Martin",
            address(&["8 rue Mercière"], "69002", "Lyon", None, "FR"),
            None,
        ),
        number: "F-2026-301",
        basis: PriceBasis::Inclusive,
        lines: vec![
            line(
                "Cours de cuisine du marché",
                "2",
                Unit::One,
                6_000,
                None,
                standard("20"),
            ),
            line(
                "Tablier brodé",
                "1",
                Unit::Piece,
                2_400,
                None,
                standard("20"),
            ),
        ],
        adjustments: Vec::new(),
        amount_paid: 4_400,
    });
    // 144.00 including 20 %: 120.00 net and 24.00 VAT; 44.00 paid leaves 100.00.
    check(
        "fr-b2c-inclusive-20",
        &doc,
        &[
            "FACTURE",
            "Cuisine et Compagnie SAS",
            "RCS Lyon 123 456 789",
            "Camille Martin",
            "60,00 €",
            "100,00 €",
            "20,00 €",
            "Tous les prix s’entendent TTC.",
            "IBAN : FR14 2004 1010 0505 0001 3M02 606",
            "Référence : F-2026-301",
        ],
        &[
            &["Total HT", "120,00 €"],
            &["20 %", "120,00 €", "24,00 €"],
            &["Total TTC", "144,00 €"],
            &["Déjà payé", "44,00 €"],
            &["Net à payer", "100,00 €"],
        ],
    );
    assert_epc(
        "fr-b2c-inclusive-20",
        "FR1420041010050500013M02606",
        "EUR100.00",
        "F-2026-301",
    );
}

#[test]
fn japanese_yen_without_minor_units() {
    let doc = invoice(Invoice {
        language: Language::En,
        currency: "JPY",
        seller: seller(
            "Sakura Translations K.K.",
            address(&["1-2-3 Shibuya"], "150-0002", "Tokyo", None, "JP"),
            vec![tax_id(TaxIdKind::Other, "T1234567890123")],
        ),
        buyer: buyer(
            "Northwind Studio GmbH",
            address(&["Torstraße 12"], "10119", "Berlin", None, "DE"),
            Some(tax_id(TaxIdKind::EuVat, "DE123456789")),
        ),
        number: "ST-77",
        basis: PriceBasis::Exclusive,
        lines: vec![line(
            "Translation, 1,000 words",
            "3",
            Unit::Piece,
            12_345,
            None,
            standard("10"),
        )],
        adjustments: Vec::new(),
        amount_paid: 0,
    });
    // 3 × ¥12,345 = ¥37,035; 10 % = 3,703.5 → ¥3,704 (half away from zero).
    check(
        "jpy",
        &doc,
        &[
            "Japan",
            "Germany",
            "Tax ID: T1234567890123",
            "¥12,345",
            "¥37,035",
        ],
        &[
            &["Total excl. VAT", "¥37,035"],
            &["10%", "¥37,035", "¥3,704"],
            &["Total incl. VAT", "¥40,739"],
            &["Amount due", "¥40,739"],
        ],
    );
    assert_no_qr("jpy");
}

#[test]
fn line_and_invoice_discounts_across_two_rates_in_spanish() {
    let mut seller = seller(
        "Estudio Sol S.L.",
        address(&["Calle Mayor 5"], "28013", "Madrid", None, "ES"),
        vec![tax_id(TaxIdKind::EuVat, "ESB12345678")],
    );
    seller.bank_account = Some(BankAccount {
        holder: "Estudio Sol S.L.".to_owned(),
        bank_name: Some("CaixaBank".to_owned()),
        number: AccountNumber::Iban {
            iban: "ES9121000418450200051332".to_owned(),
            bic: Some("CAIXESBBXXX".to_owned()),
        },
    });
    let doc = invoice(Invoice {
        language: Language::Es,
        currency: "EUR",
        seller,
        buyer: buyer(
            "Librería Norte S.A.",
            address(&["Avenida de América 10"], "28028", "Madrid", None, "ES"),
            Some(tax_id(TaxIdKind::EuVat, "ESA87654321")),
        ),
        number: "ES-2026-015",
        basis: PriceBasis::Exclusive,
        lines: vec![
            line(
                "Diseño web",
                "20",
                Unit::Hour,
                8_000,
                Some(Discount::Percent(Decimal::TEN)),
                standard("21"),
            ),
            line(
                "Libros de estilo",
                "4",
                Unit::Piece,
                2_500,
                Some(Discount::Amount(500)),
                standard("4"),
            ),
        ],
        adjustments: vec![
            (
                AdjustmentKind::Allowance,
                "Descuento por fidelidad",
                5_000,
                standard("21"),
            ),
            (
                AdjustmentKind::Allowance,
                "Descuento por fidelidad",
                500,
                standard("4"),
            ),
        ],
        amount_paid: 0,
    });
    // 21 %: 20 × 80 − 10 % = 1440, − 50 = 1390 → 291.90; 4 %: 4 × 25 − 5 = 95, − 5 = 90 → 3.60.
    check(
        "es-discounts-two-rates",
        &doc,
        &[
            "FACTURA",
            "Fecha de factura",
            "6 dic 2026",
            "NIF-IVA: ESB12345678",
            "Descripción",
            "Descuento",
            "10 %",
            "5,00 €",
            // Spanish leaves four-digit amounts ungrouped.
            "1440,00 €",
            "95,00 €",
            "Desglose del IVA",
            "IBAN: ES91 2100 0418 4502 0005 1332",
            "Concepto: ES-2026-015",
            "Página 1 de 1",
        ],
        &[
            &["Total de líneas", "1535,00 €"],
            &["Descuento: Descuento por fidelidad (21 %)", "-50,00 €"],
            &["Descuento: Descuento por fidelidad (4 %)", "-5,00 €"],
            &["Base imponible", "1480,00 €"],
            &["21 %", "1390,00 €", "291,90 €"],
            &["4 %", "90,00 €", "3,60 €"],
            &["IVA", "295,50 €"],
            &["Total factura", "1775,50 €"],
            &["Importe a pagar", "1775,50 €"],
        ],
    );
    assert_epc(
        "es-discounts-two-rates",
        "ES9121000418450200051332",
        "EUR1775.50",
        "ES-2026-015",
    );
}

// ---------------------------------------------------------------------------------------------
// Building invoices from domain types.

struct Invoice {
    language: Language,
    currency: &'static str,
    seller: DocumentSeller,
    buyer: DocumentBuyer,
    number: &'static str,
    basis: PriceBasis,
    lines: Vec<DocumentLine>,
    adjustments: Vec<AdjustmentSpec>,
    amount_paid: i64,
}

/// The document, its totals computed by the domain. Issued 6 December 2026, supplied on 30
/// November (20 December for the reverse charge, to show another date), due in 14 days.
fn invoice(spec: Invoice) -> InvoiceDocument {
    let (totals, adjustments) = priced(spec.basis, &spec.lines, spec.adjustments);
    let supplied = if spec.number == "RE-2026-0043" {
        date(2026, 12, 20)
    } else {
        date(2026, 11, 30)
    };
    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: spec.language,
        tax_kind: TaxKind::Vat,
        currency: Currency::parse(spec.currency).unwrap(),
        seller: spec.seller,
        buyer: spec.buyer,
        number: spec.number.to_owned(),
        mark: None,
        issue_date: date(2026, 12, 6),
        supply: Some(Supply::Date(supplied)),
        due_date: date(2026, 12, 20),
        terms_days: Some(14),
        price_basis: spec.basis,
        lines: spec.lines,
        adjustments,
        amount_paid: spec.amount_paid,
        amount_due: totals.gross_total - spec.amount_paid,
        totals,
        notes: None,
    }
}

fn german_seller() -> DocumentSeller {
    let mut seller = seller(
        "Northwind Studio GmbH",
        address(&["Torstraße 12"], "10119", "Berlin", None, "DE"),
        vec![tax_id(TaxIdKind::EuVat, "DE123456789")],
    );
    seller.registration = Some("Amtsgericht Charlottenburg HRB 123456".to_owned());
    seller.phone = Some("+49 30 1234567".to_owned());
    seller.bank_account = Some(BankAccount {
        holder: "Northwind Studio GmbH".to_owned(),
        bank_name: Some("Commerzbank".to_owned()),
        number: AccountNumber::Iban {
            iban: "DE89370400440532013000".to_owned(),
            bic: Some("COBADEFFXXX".to_owned()),
        },
    });
    seller
}

fn seller(name: &str, address: Address, tax_ids: Vec<TaxId>) -> DocumentSeller {
    DocumentSeller {
        name: Some(name.to_owned()),
        address: Some(address),
        tax_ids,
        email: "billing@seller.example".to_owned(),
        ..DocumentSeller::default()
    }
}

fn buyer(name: &str, address: Address, tax_id: Option<TaxId>) -> DocumentBuyer {
    DocumentBuyer {
        name: name.to_owned(),
        address: Some(address),
        tax_id,
        ..DocumentBuyer::default()
    }
}

/// A standard rate, as most of these invoices use.
fn standard(percent: &str) -> TaxRate {
    rate(VatCategory::Standard, percent, None)
}

// ---------------------------------------------------------------------------------------------
// Reading the PDFs back.

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/golden"));
    std::fs::create_dir_all(&dir).expect("the .artifacts/golden directory");
    dir
}

fn artifact(name: &str) -> PathBuf {
    artifacts().join(name)
}

/// Runs `tool`, failing the test with the package to install when it is not there.
fn run(tool: &str, package: &str, args: &[&str]) -> std::process::Output {
    Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "{tool} could not be run ({error}): install Debian's {package} \
             (scripts/lib.sh: ensure_pdf_tools)"
            )
        })
}

/// Without spaces of any kind: pdftotext's layout spreads columns with spaces and reads a
/// no-break space (CLDR's U+00A0 and U+202F, whose exact use the locale's unit tests check)
/// as a space or as nothing, depending on the gap it measures.
fn normalise(line: &str) -> String {
    line.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Renders `doc` as `<name>.pdf`, reads its text into `<name>.txt`, and checks that every one
/// of `contains` is in it and that each group of `rows` is found, in order, on one line.
/// Returns the text with its whitespace collapsed.
fn check(name: &str, doc: &InvoiceDocument, contains: &[&str], rows: &[&[&str]]) -> String {
    let pdf = artifact(&format!("{name}.pdf"));
    std::fs::write(&pdf, render(doc).expect("the invoice renders")).unwrap();
    let txt = artifact(&format!("{name}.txt"));
    let output = run(
        "pdftotext",
        "poppler-utils",
        &["-layout", path(&pdf), path(&txt)],
    );
    assert!(output.status.success(), "pdftotext: {output:?}");
    let raw = std::fs::read_to_string(&txt).unwrap();
    let lines: Vec<String> = raw.lines().map(normalise).collect();
    let text = lines.join("\n");
    let spaced: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in contains {
        assert!(
            text.contains(&normalise(expected)),
            "{name}: the PDF lacks {expected:?}:\n{raw}"
        );
    }
    for row in rows {
        let parts: Vec<String> = row.iter().map(|p| normalise(p)).collect();
        let found = lines.iter().any(|line| {
            let mut rest = line.as_str();
            parts.iter().all(|part| match rest.find(part.as_str()) {
                Some(at) => {
                    rest = &rest[at + part.len()..];
                    true
                }
                None => false,
            })
        });
        assert!(found, "{name}: no line reads {row:?}:\n{raw}");
    }
    // Pages as images, for people and for the QR decoder.
    let prefix = artifact(name);
    let output = run(
        "pdftoppm",
        "poppler-utils",
        &["-r", "200", "-png", path(&pdf), path(&prefix)],
    );
    assert!(output.status.success(), "pdftoppm: {output:?}");
    spaced
}

/// The QR codes zbarimg finds on the pages of `name`.
fn qr_codes(name: &str) -> Vec<String> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(artifacts())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| {
            let file = p.file_name().unwrap().to_string_lossy().into_owned();
            file.starts_with(&format!("{name}-")) && file.ends_with(".png")
        })
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "{name}: no page images");
    let mut codes = Vec::new();
    for page in pages {
        let output = run(
            "zbarimg",
            "zbar-tools",
            &["--raw", "-q", "-Sbinary", path(&page)],
        );
        // Exit status 4: no code on the page.
        match output.status.code() {
            Some(0) => codes.push(String::from_utf8(output.stdout).expect("a UTF-8 payload")),
            Some(4) => {}
            _ => panic!("zbarimg failed on {}: {output:?}", page.display()),
        }
    }
    codes
}

/// The invoice carries one EPC QR code for a transfer of `amount` to `iban` quoting
/// `reference`.
fn assert_epc(name: &str, iban: &str, amount: &str, reference: &str) {
    let codes = qr_codes(name);
    assert_eq!(codes.len(), 1, "{name}: {codes:?}");
    let payload = codes[0].trim_end_matches('\n');
    let lines: Vec<&str> = payload.split('\n').collect();
    assert_eq!(&lines[..4], ["BCD", "002", "1", "SCT"], "{payload:?}");
    assert_eq!(lines[6], iban, "{payload:?}");
    assert_eq!(lines[7], amount, "{payload:?}");
    assert_eq!(lines.last().copied(), Some(reference), "{payload:?}");
}

fn assert_no_qr(name: &str) {
    assert_eq!(
        qr_codes(name),
        Vec::<String>::new(),
        "{name}: only EUR invoices carry a code"
    );
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
