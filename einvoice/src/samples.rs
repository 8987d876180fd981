//! The golden corpus: invoices that are valid in every format, each a variation of one base
//! invoice ([`build::base`]), together covering every VAT category, several rates on one
//! invoice, line and document allowances and charges, gross prices with discounts and base
//! quantities, prices that included VAT, card and transfer payments, foreign currencies,
//! non-Latin texts, prepaid and rounding amounts, periods, a credit note and the electronic
//! address schemes customers use. The golden test runs each through the official referees;
//! other crates' tests reuse them as known-good input, and the fuzz test
//! (`einvoice/tests/fuzz.rs`) builds its random invoices with the same [`build`] and
//! [`presets`], so that they add up the way the corpus does.

pub mod build;
pub mod presets;

use crate::model::{
    Contact, CreditTransfer, Invoice, PaymentCard, PaymentInstructions, PaymentMeans, Period,
    PrecedingInvoice, TypeCode,
};
use build::{With, allowance, base, charge, d, date, endpoint, line, on, percent, s, untaxed};
use presets::{
    belgian_seller, buyer_in_austria, buyer_in_france, buyer_in_the_us, february, many_lines,
    non_latin, two_rates,
};

/// Invoices addressed by e-mail (scheme `EM`): valid in every format but Peppol BIS, whose
/// network routes no e-mail addresses (PEPPOL-EN16931-CL008 lists the schemes it takes).
pub fn email_endpoints() -> Vec<(&'static str, Invoice)> {
    vec![(
        "email-endpoints",
        base("G-101")
            .with(|invoice| {
                invoice.seller.endpoint = Some(endpoint("EM", "billing@nordlicht.example"));
                invoice.buyer.endpoint = Some(endpoint("EM", "invoices@musterstadt.example"));
            })
            .finish(),
    )]
}

/// Every golden invoice with a short name (used in file names).
pub fn golden() -> Vec<(&'static str, Invoice)> {
    let mut corpus = vec![
        ("standard", base("G-001").finish()),
        ("two-rates", two_rates("G-002").finish()),
        (
            "three-categories",
            base("G-003")
                .lines(vec![
                    line("Consulting", "8", "HUR", "95.00", s("19")),
                    line("Reference book", "2", "C62", "39.90", s("7")),
                    line("Export documentation", "1", "C62", "50.00", untaxed("Z")),
                ])
                .finish(),
        ),
        (
            "zero-rated",
            base("G-004")
                .lines(vec![line(
                    "Printed newspaper subscription",
                    "12",
                    "MON",
                    "4.50",
                    untaxed("Z"),
                )])
                .finish(),
        ),
        (
            "exempt",
            base("G-005")
                .lines(vec![line(
                    "Physiotherapy session",
                    "6",
                    "C62",
                    "65.00",
                    untaxed("E"),
                )])
                .finish(),
        ),
        (
            "standard-and-exempt",
            base("G-006")
                .lines(vec![
                    line("Medical care", "3", "C62", "80.00", untaxed("E")),
                    line("Wellness drink", "3", "C62", "3.50", s("19")),
                ])
                .finish(),
        ),
        (
            "reverse-charge",
            base("G-007")
                .with(buyer_in_austria)
                .lines(vec![line(
                    "Installation works",
                    "16",
                    "HUR",
                    "72.50",
                    untaxed("AE"),
                )])
                .finish(),
        ),
        (
            "intra-community-delivery-date",
            base("G-008")
                .with(buyer_in_france)
                .lines(vec![
                    line("Industrial sensor", "40", "C62", "18.75", untaxed("K")),
                    line("Mounting bracket", "40", "C62", "2.10", untaxed("K")),
                ])
                .finish(),
        ),
        (
            "intra-community-period",
            base("G-009")
                .with(buyer_in_france)
                .with(|invoice| {
                    invoice.delivery_date = None;
                    invoice.period = Some(february());
                })
                .lines(vec![line(
                    "Monthly spare parts supply",
                    "1",
                    "C62",
                    "2450.00",
                    untaxed("K"),
                )])
                .finish(),
        ),
        (
            "export",
            base("G-010")
                .with(buyer_in_the_us)
                .lines(vec![line(
                    "Machine component",
                    "5",
                    "C62",
                    "410.00",
                    untaxed("G"),
                )])
                .finish(),
        ),
        (
            "not-subject-to-vat",
            base("G-011")
                .with(|invoice| {
                    // BR-O-2: neither party's VAT identifier; the seller's tax number stays.
                    invoice.seller.vat_id = None;
                    invoice.seller.tax_registration = Some("22/815/08150".to_owned());
                    invoice.seller.endpoint = Some(endpoint("0088", "4000000001232"));
                })
                .lines(vec![line(
                    "Membership fee 2026",
                    "1",
                    "C62",
                    "240.00",
                    untaxed("O"),
                )])
                .finish(),
        ),
        (
            "line-allowance-percent",
            base("G-012")
                .lines(vec![line("Laptop", "4", "C62", "250.00", s("19")).with(
                    |line| {
                        line.allowances_charges
                            .push(percent(allowance("0", "Volume discount", "95"), "10"));
                    },
                )])
                .finish(),
        ),
        (
            "line-charge-amount",
            base("G-013")
                .lines(vec![
                    line("Spare part", "2", "C62", "140.00", s("19")).with(|line| {
                        line.allowances_charges
                            .push(charge("25.00", "Express handling", "SAA"));
                    }),
                ])
                .finish(),
        ),
        (
            "line-allowances-and-charges",
            base("G-014")
                .lines(vec![
                    line("Office chair", "10", "C62", "189.00", s("19")).with(|line| {
                        line.allowances_charges
                            .push(percent(allowance("0", "Framework discount", "95"), "12.5"));
                        line.allowances_charges
                            .push(charge("35.00", "Assembly", "ABK"));
                    }),
                    line("Desk lamp", "10", "C62", "29.90", s("19")).with(|line| {
                        line.allowances_charges
                            .push(allowance("9.90", "Rounding goodwill", "95"));
                    }),
                    line("Catalogue", "1", "C62", "12.00", s("7")),
                ])
                .finish(),
        ),
        (
            "document-allowance-percent",
            base("G-015")
                .with(|invoice| {
                    let discount = percent(allowance("0", "Loyalty discount", "95"), "5");
                    invoice.allowances_charges.push(on(discount, s("19")));
                })
                .lines(vec![line(
                    "Hosting, yearly",
                    "1",
                    "C62",
                    "1800.00",
                    s("19"),
                )])
                .finish(),
        ),
        (
            "document-allowances-and-charges-across-categories",
            two_rates("G-016")
                .with(|invoice| {
                    invoice
                        .allowances_charges
                        .push(on(charge("14.90", "Freight", "FC"), s("19")));
                    let discount = percent(allowance("0", "Book club discount", "95"), "3");
                    invoice.allowances_charges.push(on(discount, s("7")));
                    invoice
                        .allowances_charges
                        .push(on(allowance("5.00", "Voucher", "95"), s("19")));
                    invoice
                        .allowances_charges
                        .push(on(charge("2.50", "Packaging", "ABL"), s("7")));
                })
                .finish(),
        ),
        (
            "gross-price-discount-base-quantity",
            base("G-017")
                .lines(vec![
                    line("Copy paper, per 10 reams", "25", "C62", "85.00", s("19")).with(|line| {
                        line.price.gross = Some(d("100.00"));
                        line.price.discount = Some(d("15.00"));
                        line.price.base_quantity = Some(d("10"));
                    }),
                ])
                .finish(),
        ),
        (
            "base-quantity-fine-price",
            base("G-018")
                .lines(vec![
                    line("Screws, per 100", "2500", "C62", "3.4567", s("19")).with(|line| {
                        line.price.base_quantity = Some(d("100"));
                    }),
                ])
                .finish(),
        ),
        (
            "prices-included-vat",
            base("G-019")
                .lines(vec![
                    line("Coffee beans 1 kg", "3", "C62", "9.99", s("7")),
                    line("Espresso cup", "1", "C62", "14.99", s("19")),
                    line("Milk jug", "1", "C62", "24.95", s("19")),
                ])
                .prices_include_vat()
                .finish(),
        ),
        (
            "card-payment",
            base("G-020")
                .with(|invoice| {
                    invoice.payment = Some(PaymentInstructions {
                        means: PaymentMeans::Card,
                        remittance: Some("G-020".to_owned()),
                        transfer: None,
                        card: Some(PaymentCard {
                            last_digits: "4242".to_owned(),
                            holder: Some("Max Mustermann".to_owned()),
                        }),
                    });
                    invoice.payment_terms = Some("Charged to the card on file.".to_owned());
                })
                .finish(),
        ),
        (
            "non-sepa-credit-transfer",
            base("G-021")
                .with(|invoice| {
                    invoice.payment = Some(PaymentInstructions {
                        means: PaymentMeans::CreditTransfer,
                        remittance: Some("G-021".to_owned()),
                        transfer: Some(CreditTransfer {
                            account_id: "000123456789".to_owned(),
                            account_name: Some("Nordlicht Software GmbH".to_owned()),
                            bic: Some("CHASUS33XXX".to_owned()),
                        }),
                        card: None,
                    });
                })
                .finish(),
        ),
        (
            "usd-with-vat-in-eur",
            base("G-022")
                .with(|invoice| invoice.currency = "USD".to_owned())
                .lines(vec![
                    line("Cloud credits", "1000", "C62", "0.85", s("19")),
                    line("Support plan", "1", "MON", "299.00", s("19")),
                ])
                .vat_in("EUR", "0.9231")
                .finish(),
        ),
        (
            "jpy",
            base("G-023")
                .with(|invoice| invoice.currency = "JPY".to_owned())
                .lines(vec![
                    line("Translation, per page", "3", "C62", "1500", s("19")),
                    line("Proofreading", "2", "HUR", "4000", s("19")),
                ])
                .finish(),
        ),
        ("non-latin-texts", non_latin("G-024").finish()),
        (
            "prepaid",
            base("G-025")
                .with(|invoice| invoice.totals.prepaid = Some(d("500.00")))
                .finish(),
        ),
        (
            "rounding",
            base("G-026")
                .lines(vec![line("Cleaning service", "7", "HUR", "31.37", s("19"))])
                .round_payable_to("0.05")
                .finish(),
        ),
        (
            "invoicing-and-line-periods",
            base("G-027")
                .with(|invoice| invoice.period = Some(february()))
                .lines(vec![
                    line("Server rental", "1", "MON", "420.00", s("19"))
                        .with(|line| line.period = Some(february())),
                    line("Backup storage", "28", "DAY", "1.20", s("19")).with(|line| {
                        line.period = Some(Period {
                            start: date("2026-02-01"),
                            end: date("2026-02-28"),
                        });
                        line.note = Some("Billed per day of use.".to_owned());
                    }),
                ])
                .finish(),
        ),
        (
            "credit-note",
            base("G-028")
                .with(|invoice| {
                    invoice.type_code = TypeCode::CreditNote;
                    invoice.preceding.push(PrecedingInvoice {
                        number: "G-001".to_owned(),
                        issue_date: Some(date("2026-03-02")),
                    });
                    invoice
                        .notes
                        .push("Credit for the licence returned on 2026-03-05.".to_owned());
                    invoice.payment_terms =
                        Some("The amount will be refunded to your account.".to_owned());
                })
                .lines(vec![line(
                    "Software licence (returned)",
                    "1",
                    "C62",
                    "1200.00",
                    s("19"),
                )])
                .finish(),
        ),
        (
            "credit-note-with-allowance",
            two_rates("G-029")
                .with(|invoice| {
                    invoice.type_code = TypeCode::CreditNote;
                    invoice.preceding.push(PrecedingInvoice {
                        number: "G-002".to_owned(),
                        issue_date: None,
                    });
                    invoice.allowances_charges.push(on(
                        allowance("10.00", "Restocking fee waived", "95"),
                        s("19"),
                    ));
                })
                .finish(),
        ),
        (
            "gln-endpoints",
            base("G-030")
                .with(|invoice| {
                    invoice.seller.endpoint = Some(endpoint("0088", "4012345000016"));
                    invoice.buyer.endpoint = Some(endpoint("0088", "5901234123457"));
                })
                .finish(),
        ),
        ("belgian-seller", belgian_seller("G-031").finish()),
        (
            "order-reference-and-note",
            base("G-032")
                .with(|invoice| {
                    invoice.order_reference = Some("PO-2026-0815".to_owned());
                    invoice
                        .notes
                        .push("Delivered to the goods receipt, gate 3.".to_owned());
                })
                .finish(),
        ),
        (
            "tax-number-without-vat-id",
            base("G-033")
                .with(|invoice| {
                    invoice.seller.vat_id = None;
                    invoice.seller.tax_registration = Some("22/815/08150".to_owned());
                    invoice.seller.endpoint = Some(endpoint("0088", "4000000001232"));
                })
                .finish(),
        ),
        (
            "full-addresses-and-trading-names",
            base("G-034")
                .with(|invoice| {
                    invoice.seller.trading_name = Some("Nordlicht".to_owned());
                    invoice.seller.address.lines = vec![
                        "Am Sandtorkai 1".to_owned(),
                        "Building B, 4th floor".to_owned(),
                        "c/o Harbour Office".to_owned(),
                    ];
                    invoice.seller.address.subdivision = Some("Hamburg".to_owned());
                    invoice.buyer.trading_name = Some("Musterstadt".to_owned());
                    invoice.buyer.legal_registration = Some("DE-KOMM-12345".to_owned());
                    invoice.buyer.contact = Some(Contact {
                        name: Some("Erika Musterfrau".to_owned()),
                        phone: Some("+49 30 9876543".to_owned()),
                        email: Some("erika.musterfrau@musterstadt.example".to_owned()),
                    });
                })
                .finish(),
        ),
    ];
    corpus.push(("many-lines", many_lines("G-035").finish()));
    corpus
}
