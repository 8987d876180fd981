//! The product's invoices as e-invoices, judged by the official artefacts: documents as the
//! send prints them (built from domain types, totals from the domain's `compute`) go through
//! `e_invoice` — the product's mapping, where discounts become allowances and inclusive prices
//! become net ones — and are written in every format. Each must pass the XSD and the
//! schematrons with no fatal finding, and the product's own rules (the send gate) must agree.
//!
//! The einvoice crate's golden corpus checks the writers on EN 16931 invoices built by hand;
//! this corpus checks what the product feeds them. The XML stays in
//! `target/einvoice-product/` for a person to open.

#[path = "../../einvoice/tests/referee/mod.rs"]
mod referee;
mod support;

use invoicing_activities::{
    e_invoice::{Routing, e_invoice},
    pdf::{
        AccountNumber, BankAccount, DocumentBuyer, DocumentKind, DocumentLine, DocumentSeller,
        InvoiceDocument, Supply, TaxKind, sample_european_document,
    },
};
use invoicing_einvoice::{Format, model::Endpoint, rules, write};
use invoicing_workflows::domain::{
    Address, AdjustmentKind, Currency, Discount, Language, PriceBasis, TaxId, TaxIdKind, TaxRate,
    Unit, VatCategory,
};
use referee::{Document, judge};
use rust_decimal::Decimal;
use strum::VariantArray;
use support::{AdjustmentSpec, address, date, line, priced, rate, tax_id};

#[test]
fn the_products_invoices_pass_the_referee_in_every_format() {
    let corpus = corpus();
    let mut documents = Vec::new();
    let mut ours = Vec::new();
    for (name, doc, routing) in &corpus {
        let invoice = e_invoice(doc, routing);
        for &format in Format::VARIANTS {
            documents.push(Document {
                name: (*name).to_owned(),
                format,
                xml: write(&invoice, format),
            });
            ours.push(rules::check(&invoice, format));
        }
    }
    let verdicts = judge("einvoice-product", &documents);
    let mut failures = Vec::new();
    for ((document, verdict), findings) in documents.iter().zip(&verdicts).zip(&ours) {
        if !verdict.passes() {
            failures.push(format!(
                "{} in {}: the referee says\n{}",
                document.name,
                document.format,
                verdict.report()
            ));
        }
        if rules::is_refused(findings) {
            failures.push(format!(
                "{} in {}: the product's gate refuses it: {findings:?}",
                document.name, document.format
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} documents fail:\n{}",
        failures.len(),
        documents.len(),
        failures.join("\n")
    );
    assert!(corpus.len() >= 10, "the corpus covers the product's cases");
}

/// What a customer who receives e-invoices has on file, and a seller with a Peppol id: what
/// XRechnung (the buyer reference) and Peppol (both endpoints) need on top of EN 16931.
fn routing() -> Routing {
    Routing {
        buyer_reference: Some("991-33333TEST-33".to_owned()),
        seller_endpoint: Some(endpoint("0088", "4000001123452")),
        buyer_endpoint: Some(endpoint("9930", "DE987654321")),
        card_payments: false,
    }
}

fn corpus() -> Vec<(&'static str, InvoiceDocument, Routing)> {
    let standard = rate(VatCategory::Standard, "19", None);
    let reduced = rate(VatCategory::Standard, "7", None);
    let mut cases = vec![
        (
            "german-200-lines-19-and-7",
            sample_european_document(200),
            routing(),
        ),
        (
            "line-discounts-percent-and-amount",
            invoice(Spec {
                lines: vec![
                    line("Workshop", "1", Unit::Day, 120_000, None, standard.clone()),
                    line(
                        "Design hours",
                        "7.5",
                        Unit::Hour,
                        9_950,
                        Some(Discount::Percent(Decimal::new(125, 1))),
                        standard.clone(),
                    ),
                    line(
                        "Reference books",
                        "3",
                        Unit::Piece,
                        2_999,
                        Some(Discount::Amount(1_000)),
                        reduced.clone(),
                    ),
                ],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "prices-inclusive-of-vat",
            invoice(Spec {
                basis: PriceBasis::Inclusive,
                lines: vec![
                    line("Haircut", "1", Unit::Piece, 4_500, None, standard.clone()),
                    line(
                        "Shampoo, 250 ml",
                        "3",
                        Unit::Piece,
                        1_299,
                        Some(Discount::Percent(Decimal::from(10))),
                        standard.clone(),
                    ),
                    line("Magazine", "1", Unit::Piece, 650, None, reduced.clone()),
                ],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "document-allowance-and-charge-across-two-rates",
            invoice(Spec {
                lines: vec![
                    line(
                        "Consulting",
                        "10",
                        Unit::Hour,
                        11_000,
                        None,
                        standard.clone(),
                    ),
                    line(
                        "Printed manuals",
                        "20",
                        Unit::Piece,
                        1_450,
                        None,
                        reduced.clone(),
                    ),
                ],
                adjustments: vec![
                    (
                        AdjustmentKind::Allowance,
                        "Loyalty discount",
                        5_000,
                        standard.clone(),
                    ),
                    (AdjustmentKind::Charge, "Shipping", 1_290, reduced.clone()),
                ],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "reverse-charge-to-a-french-business",
            invoice(Spec {
                buyer: buyer(
                    "Atelier Lumière SARL",
                    address(&["12 rue de la Paix"], "75002", "Paris", None, "FR"),
                    Some(vat("FR61954506077")),
                ),
                lines: vec![line(
                    "Software development",
                    "40",
                    Unit::Hour,
                    9_500,
                    None,
                    rate(
                        VatCategory::ReverseCharge,
                        "0",
                        Some("Reverse charge: the recipient accounts for the VAT"),
                    ),
                )],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "intra-community-supply-of-goods",
            invoice(Spec {
                buyer: buyer(
                    "Bicicletas del Sur S.L.",
                    address(&["Calle Mayor 5"], "41001", "Sevilla", None, "ES"),
                    Some(vat("ESB12345674")),
                ),
                lines: vec![line(
                    "Bicycle frames",
                    "12",
                    Unit::Piece,
                    18_900,
                    None,
                    rate(
                        VatCategory::IntraCommunity,
                        "0",
                        Some("Intra-community supply, exempt under § 4 Nr. 1b UStG"),
                    ),
                )],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "export-outside-the-eu",
            invoice(Spec {
                buyer: buyer(
                    "Harbor Outfitters Inc.",
                    address(&["1 Pier Road"], "02110", "Boston", None, "US"),
                    None,
                ),
                lines: vec![line(
                    "Sailing jackets",
                    "25",
                    Unit::Piece,
                    21_000,
                    None,
                    rate(
                        VatCategory::Export,
                        "0",
                        Some("Export delivery, exempt under § 4 Nr. 1a UStG"),
                    ),
                )],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "exempt-beside-standard",
            invoice(Spec {
                lines: vec![
                    line(
                        "Physiotherapy session",
                        "6",
                        Unit::Piece,
                        6_500,
                        None,
                        rate(
                            VatCategory::Exempt,
                            "0",
                            Some("Exempt under § 4 Nr. 14 UStG"),
                        ),
                    ),
                    line(
                        "Training band",
                        "1",
                        Unit::Piece,
                        1_900,
                        None,
                        standard.clone(),
                    ),
                ],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "zero-rated-beside-standard",
            invoice(Spec {
                lines: vec![
                    line(
                        "Solar panel installation",
                        "1",
                        Unit::LumpSum,
                        850_000,
                        None,
                        rate(VatCategory::ZeroRated, "0", None),
                    ),
                    line(
                        "Site survey",
                        "2",
                        Unit::Hour,
                        9_000,
                        None,
                        standard.clone(),
                    ),
                ],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "yen-without-minor-units",
            invoice(Spec {
                currency: "JPY",
                lines: vec![
                    line(
                        "Translation, pages",
                        "12",
                        Unit::Piece,
                        4_800,
                        None,
                        standard.clone(),
                    ),
                    line(
                        "Rush fee",
                        "1",
                        Unit::LumpSum,
                        15_000,
                        None,
                        standard.clone(),
                    ),
                ],
                ..Spec::german()
            }),
            routing(),
        ),
        (
            "long-texts-in-greek-and-japanese",
            invoice(Spec {
                buyer: buyer(
                    "Ελληνικά Εργαστήρια Α.Ε. — 東京デザイン株式会社 joint venture",
                    address(&["Οδός Ερμού 25"], "10563", "Αθήνα", None, "GR"),
                    Some(vat("EL094259216")),
                ),
                lines: vec![line(
                    &"Σχεδιασμός ιστοσελίδας, ウェブサイトのデザインと実装、 ".repeat(12),
                    "1",
                    Unit::LumpSum,
                    420_000,
                    None,
                    rate(
                        VatCategory::ReverseCharge,
                        "0",
                        Some("Reverse charge: the recipient accounts for the VAT"),
                    ),
                )],
                ..Spec::german()
            }),
            routing(),
        ),
    ];
    // Outside the scope of VAT: an invoice with such a line names no VAT id (BR-O-02), so
    // the seller is identified by its tax number and its court registration.
    let mut untaxed = invoice(Spec {
        buyer: buyer(
            "Verein der Freunde des Stadtparks e.V.",
            address(&["Parkweg 3"], "20249", "Hamburg", None, "DE"),
            None,
        ),
        lines: vec![line(
            "Damages as agreed in the settlement",
            "1",
            Unit::LumpSum,
            250_000,
            None,
            TaxRate::untaxed(),
        )],
        ..Spec::german()
    });
    untaxed.seller.tax_ids = vec![TaxId {
        kind: TaxIdKind::Other,
        value: "30/123/45678".to_owned(),
    }];
    cases.push(("outside-the-scope-of-vat", untaxed, routing()));
    // Paid by card online (a pay link) rather than by transfer: no bank account.
    let mut card = invoice(Spec::german());
    card.seller.bank_account = None;
    cases.push((
        "card-payment-without-bank-account",
        card,
        Routing {
            card_payments: true,
            ..routing()
        },
    ));
    // A deposit already paid (BT-113) and a Belgian buyer on Peppol.
    let mut deposit = invoice(Spec {
        buyer: buyer(
            "Brouwerij De Klok BV",
            address(&["Grote Markt 1"], "1000", "Brussel", None, "BE"),
            Some(vat("BE0403170701")),
        ),
        lines: vec![line(
            "Label design",
            "1",
            Unit::LumpSum,
            300_000,
            None,
            rate(
                VatCategory::ReverseCharge,
                "0",
                Some("Reverse charge: the recipient accounts for the VAT"),
            ),
        )],
        ..Spec::german()
    });
    deposit.amount_paid = 100_000;
    deposit.amount_due = deposit.totals.gross_total - deposit.amount_paid;
    cases.push((
        "deposit-paid-belgian-buyer-on-peppol",
        deposit,
        Routing {
            buyer_endpoint: Some(endpoint("0208", "0403170701")),
            ..routing()
        },
    ));
    cases
}

// ---------------------------------------------------------------------------------------------
// Building invoices from domain types, as the send's document has them.

struct Spec {
    currency: &'static str,
    buyer: DocumentBuyer,
    basis: PriceBasis,
    lines: Vec<DocumentLine>,
    adjustments: Vec<AdjustmentSpec>,
}

impl Spec {
    /// A German business billing another, 19 %, in EUR.
    fn german() -> Self {
        Spec {
            currency: "EUR",
            buyer: buyer(
                "Elbe Outdoor Handel GmbH",
                address(&["Große Elbstraße 27"], "22767", "Hamburg", None, "DE"),
                Some(vat("DE987654321")),
            ),
            basis: PriceBasis::Exclusive,
            lines: vec![line(
                "Brand workshop",
                "1",
                Unit::Day,
                180_000,
                None,
                rate(VatCategory::Standard, "19", None),
            )],
            adjustments: Vec::new(),
        }
    }
}

/// The document, its totals computed by the domain; issued 6 December 2026, supplied on 30
/// November, due in 14 days.
fn invoice(spec: Spec) -> InvoiceDocument {
    let (totals, adjustments) = priced(spec.basis, &spec.lines, spec.adjustments);
    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: Language::De,
        tax_kind: TaxKind::Vat,
        currency: Currency::parse(spec.currency).expect("ISO 4217"),
        seller: seller(),
        buyer: spec.buyer,
        number: "RE-2026-0042".to_owned(),
        mark: None,
        issue_date: date(2026, 12, 6),
        supply: Some(Supply::Date(date(2026, 11, 30))),
        due_date: date(2026, 12, 20),
        terms_days: Some(14),
        price_basis: spec.basis,
        lines: spec.lines,
        adjustments,
        amount_paid: 0,
        amount_due: totals.gross_total,
        totals,
        notes: Some("Vielen Dank für Ihren Auftrag.".to_owned()),
    }
}

fn seller() -> DocumentSeller {
    DocumentSeller {
        name: Some("Nordwind Designstudio".to_owned()),
        legal_name: Some("Nordwind Designstudio GmbH".to_owned()),
        address: Some(address(&["Torstraße 140"], "10119", "Berlin", None, "DE")),
        tax_ids: vec![vat("DE123456789")],
        registration: Some("Amtsgericht Charlottenburg HRB 123456".to_owned()),
        email: "rechnung@nordwind.example".to_owned(),
        phone: Some("+49 30 5550142".to_owned()),
        bank_account: Some(BankAccount {
            holder: "Nordwind Designstudio GmbH".to_owned(),
            bank_name: Some("Commerzbank".to_owned()),
            number: AccountNumber::Iban {
                iban: "DE89370400440532013000".to_owned(),
                bic: Some("COBADEFFXXX".to_owned()),
            },
        }),
        ..DocumentSeller::default()
    }
}

fn buyer(name: &str, address: Address, tax_id: Option<TaxId>) -> DocumentBuyer {
    DocumentBuyer {
        name: name.to_owned(),
        address: Some(address),
        tax_id,
        email: Some("kreditoren@buyer.example".to_owned()),
        ..DocumentBuyer::default()
    }
}

fn vat(value: &str) -> TaxId {
    tax_id(TaxIdKind::EuVat, value)
}

fn endpoint(scheme: &str, id: &str) -> Endpoint {
    Endpoint {
        id: id.to_owned(),
        scheme: scheme.to_owned(),
    }
}
