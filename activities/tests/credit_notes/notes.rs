//! The invoices and their notes, computed by the domain as the send computes them.

use crate::support::{AdjustmentSpec, address, date, line, priced, rate, tax_id};
use invoicing_activities::{
    e_invoice::Routing,
    pdf::{
        AccountNumber, BankAccount, DocumentBuyer, DocumentKind, DocumentLine, DocumentSeller,
        InvoiceDocument, Supply, TaxKind, credit_note_document,
    },
};
use invoicing_einvoice::model::Endpoint;
use invoicing_workflows::domain::{
    Adjustment, AdjustmentKind, Currency, Discount, Language, PriceBasis, PricedLine, TaxIdKind,
    Unit, VatCategory,
    credit::{AmountCredit, CreditNote, CreditScope, Creditable, Credited, LineCredit},
};
use rust_decimal::Decimal;

/// The German invoice, in `language`, and its three notes: 2.5 of line 1's 10 hours, 20.00 of
/// the 7 % category, and the rest.
pub fn german_notes(language: Language) -> [InvoiceDocument; 3] {
    let standard = rate(VatCategory::Standard, "19", None);
    let reduced = rate(VatCategory::Standard, "7", None);
    let mut invoice = invoice(
        PriceBasis::Exclusive,
        vec![
            line(
                "Brand workshop",
                "1",
                Unit::Day,
                180_000,
                None,
                standard.clone(),
            ),
            line(
                "Design hours",
                "10",
                Unit::Hour,
                9_500,
                Some(Discount::Percent(Decimal::from(10))),
                standard.clone(),
            ),
            line(
                "Reference books",
                "3",
                Unit::Piece,
                4_990,
                None,
                reduced.clone(),
            ),
        ],
        vec![(
            AdjustmentKind::Allowance,
            "Loyalty discount",
            5_000,
            standard,
        )],
    );
    invoice.language = language;
    if language == Language::De {
        invoice.adjustments[0].reason = "Treuerabatt".to_owned();
    }
    let mut credits = Credits::of(&invoice);
    [
        credits.note(
            "GS-2026-0001",
            "2.5 design hours were billed twice",
            CreditScope::Lines {
                lines: vec![LineCredit {
                    line: 1,
                    quantity: Decimal::new(25, 1),
                }],
            },
        ),
        credits.note(
            "GS-2026-0002",
            "Kulanz für die verspätete Lieferung",
            CreditScope::Amounts {
                amounts: vec![AmountCredit {
                    rate: reduced,
                    amount: 2_000,
                }],
            },
        ),
        credits.note("GS-2026-0003", "Auftrag storniert", CreditScope::Remaining),
    ]
}

/// A hairdresser's invoice with prices inclusive of VAT, credited one shampoo and 2.00 of the
/// 7 % category: amounts shared out of gross sums, stated as net prices.
pub fn inclusive_notes() -> [InvoiceDocument; 2] {
    let standard = rate(VatCategory::Standard, "19", None);
    let reduced = rate(VatCategory::Standard, "7", None);
    let invoice = invoice(
        PriceBasis::Inclusive,
        vec![
            line("Haircut", "1", Unit::Piece, 4_500, None, standard.clone()),
            line(
                "Shampoo, 250 ml",
                "3",
                Unit::Piece,
                1_299,
                Some(Discount::Percent(Decimal::from(10))),
                standard,
            ),
            line("Magazine", "1", Unit::Piece, 650, None, reduced.clone()),
        ],
        Vec::new(),
    );
    let mut credits = Credits::of(&invoice);
    [
        credits.note(
            "GS-2026-0004",
            "One shampoo returned",
            CreditScope::Lines {
                lines: vec![LineCredit {
                    line: 1,
                    quantity: Decimal::ONE,
                }],
            },
        ),
        credits.note(
            "GS-2026-0005",
            "Magazine damaged",
            CreditScope::Amounts {
                amounts: vec![AmountCredit {
                    rate: reduced,
                    amount: 200,
                }],
            },
        ),
    ]
}

/// An invoice and what its notes have credited so far.
struct Credits {
    invoice: InvoiceDocument,
    lines: Vec<PricedLine>,
    adjustments: Vec<Adjustment>,
    credited: Credited,
}

impl Credits {
    fn of(invoice: &InvoiceDocument) -> Self {
        let lines = invoice
            .lines
            .iter()
            .map(|line| PricedLine {
                quantity: line.quantity,
                unit_price: line.unit_price,
                discount: line.discount,
                rate: line.rate.clone(),
            })
            .collect();
        let adjustments = invoice
            .adjustments
            .iter()
            .zip(&invoice.totals.adjustments)
            .map(|(adjustment, amount)| Adjustment {
                kind: adjustment.kind,
                amount: *amount,
                rate: adjustment.rate.clone(),
            })
            .collect();
        Credits {
            invoice: invoice.clone(),
            lines,
            adjustments,
            credited: Credited::default(),
        }
    }

    /// The next note, issued 15 December 2026, as the domain computes it.
    fn note(&mut self, number: &str, reason: &str, scope: CreditScope) -> InvoiceDocument {
        let note: CreditNote = Creditable {
            basis: self.invoice.price_basis,
            lines: &self.lines,
            adjustments: &self.adjustments,
            totals: &self.invoice.totals,
        }
        .credit(&self.credited, &scope)
        .expect("a valid credit");
        self.credited = note.credited.clone();
        credit_note_document(&self.invoice, number, date(2026, 12, 15), reason, &note)
    }
}

/// A German business's invoice RE-2026-0042 of 6 December 2026 to another, in EUR, due in 14
/// days, with an IBAN (which its credit notes must not print).
fn invoice(
    basis: PriceBasis,
    lines: Vec<DocumentLine>,
    adjustments: Vec<AdjustmentSpec>,
) -> InvoiceDocument {
    let (totals, adjustments) = priced(basis, &lines, adjustments);
    let vat = |value: &str| tax_id(TaxIdKind::EuVat, value);
    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: Language::De,
        tax_kind: TaxKind::Vat,
        currency: Currency::parse("EUR").unwrap(),
        seller: DocumentSeller {
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
        },
        buyer: DocumentBuyer {
            name: "Elbe Outdoor Handel GmbH".to_owned(),
            address: Some(address(
                &["Große Elbstraße 27"],
                "22767",
                "Hamburg",
                None,
                "DE",
            )),
            tax_id: Some(vat("DE987654321")),
            email: Some("kreditoren@buyer.example".to_owned()),
            ..DocumentBuyer::default()
        },
        number: "RE-2026-0042".to_owned(),
        mark: None,
        issue_date: date(2026, 12, 6),
        supply: Some(Supply::Date(date(2026, 11, 30))),
        due_date: date(2026, 12, 20),
        terms_days: Some(14),
        price_basis: basis,
        lines,
        adjustments,
        amount_paid: 0,
        amount_due: totals.gross_total,
        totals,
        notes: None,
    }
}

/// What XRechnung (the buyer reference) and Peppol (both endpoints) need, as `tests/e_invoice.rs`.
pub fn routing() -> Routing {
    let endpoint = |scheme: &str, id: &str| Endpoint {
        id: id.to_owned(),
        scheme: scheme.to_owned(),
    };
    Routing {
        buyer_reference: Some("991-33333TEST-33".to_owned()),
        seller_endpoint: Some(endpoint("0088", "4000001123452")),
        buyer_endpoint: Some(endpoint("9930", "DE987654321")),
        card_payments: false,
    }
}
