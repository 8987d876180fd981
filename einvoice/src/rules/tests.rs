//! Each rule fires on an invoice broken in the one way it forbids, and only there: the base
//! invoices (one per VAT category) pass every rule set of every format without a fatal
//! finding, and each mutation below must make the named rule fail.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Severity, check, is_refused};
use crate::Format;
use crate::model::*;

/// A decimal literal as written, scale included (`dec!(10.00)` has two decimals).
macro_rules! dec {
    ($x:expr) => {
        stringify!($x)
            .replace(' ', "")
            .parse::<Decimal>()
            .expect("a decimal")
    };
}

const ALL: [Format; 4] = [
    Format::FacturX,
    Format::XrechnungCii,
    Format::XrechnungUbl,
    Format::PeppolUbl,
];
const CII: [Format; 2] = [Format::FacturX, Format::XrechnungCii];
const UBL: [Format; 2] = [Format::XrechnungUbl, Format::PeppolUbl];
const XRECHNUNG: [Format; 2] = [Format::XrechnungCii, Format::XrechnungUbl];

fn date(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).expect("valid date")
}

fn rate(category: &str, percent: Option<Decimal>) -> VatRate {
    VatRate {
        category: category.into(),
        percent,
    }
}

fn address(country: &str) -> PostalAddress {
    PostalAddress {
        lines: vec!["Hauptstraße 1".into()],
        city: Some("Berlin".into()),
        postal_code: Some("10115".into()),
        subdivision: None,
        country: country.into(),
    }
}

fn line(id: &str, quantity: Decimal, price: Decimal, vat: VatRate) -> Line {
    Line {
        id: id.into(),
        note: None,
        quantity,
        unit: "C62".into(),
        net_amount: quantity * price,
        period: None,
        allowances_charges: vec![],
        price: Price {
            net: price,
            discount: None,
            gross: None,
            base_quantity: None,
        },
        vat,
        item_name: "Beratung".into(),
        item_description: None,
    }
}

/// A standard rated German invoice to a German public buyer, valid in every format: two
/// lines at 19 %, a document level allowance, SEPA credit transfer, both parties addressed by
/// GLN (Peppol routes no e-mail addresses, PEPPOL-EN16931-CL008).
fn base() -> Invoice {
    let s19 = rate("S", Some(dec!(19)));
    Invoice {
        number: "RE-2026-0001".into(),
        issue_date: date(2),
        type_code: TypeCode::Invoice,
        currency: "EUR".into(),
        tax_currency: None,
        due_date: Some(date(30)),
        buyer_reference: Some("04011000-12345-03".into()),
        order_reference: None,
        notes: vec!["Vielen Dank für Ihren Auftrag.".into()],
        preceding: vec![],
        seller: Seller {
            name: "Beispiel GmbH".into(),
            trading_name: None,
            legal_registration: Some("HRB 12345".into()),
            vat_id: Some("DE123456789".into()),
            tax_registration: None,
            legal_info: None,
            endpoint: Some(Endpoint {
                id: "4012345000016".into(),
                scheme: "0088".into(),
            }),
            address: address("DE"),
            contact: Some(Contact {
                name: Some("Erika Mustermann".into()),
                phone: Some("+49 30 1234567".into()),
                email: Some("erika@beispiel.de".into()),
            }),
        },
        buyer: Buyer {
            name: "Bundesamt für Beispiele".into(),
            endpoint: Some(Endpoint {
                id: "5901234123457".into(),
                scheme: "0088".into(),
            }),
            address: address("DE"),
            ..Buyer::default()
        },
        delivery_date: Some(date(1)),
        delivery_address: None,
        period: None,
        payment: Some(PaymentInstructions {
            means: PaymentMeans::SepaCreditTransfer,
            remittance: Some("RE-2026-0001".into()),
            transfer: Some(CreditTransfer {
                account_id: "DE89370400440532013000".into(),
                account_name: None,
                bic: None,
            }),
            card: None,
        }),
        payment_terms: None,
        allowances_charges: vec![AllowanceCharge {
            is_charge: false,
            amount: dec!(10.00),
            base_amount: None,
            percent: None,
            vat: Some(s19.clone()),
            reason: Some("Treuerabatt".into()),
            reason_code: Some("95".into()),
        }],
        totals: DocumentTotals {
            line_total: dec!(130.00),
            allowance_total: Some(dec!(10.00)),
            charge_total: None,
            tax_exclusive: dec!(120.00),
            tax_total: Some(dec!(22.80)),
            tax_inclusive: dec!(142.80),
            prepaid: None,
            rounding: None,
            payable: dec!(142.80),
        },
        vat_breakdown: vec![VatBreakdown {
            taxable: dec!(120.00),
            tax: dec!(22.80),
            rate: s19.clone(),
            exemption_reason: None,
            exemption_code: None,
        }],
        lines: vec![
            line("1", dec!(2), dec!(50.00), s19.clone()),
            line("2", dec!(1), dec!(30.00), s19),
        ],
    }
}

/// One line of 100.00 in a category without VAT, with what that category needs: the
/// exemption reason, the buyer's VAT id (`AE`, `K`), delivery place (`K`), no VAT ids (`O`).
fn untaxed(category: &str) -> Invoice {
    let percent = (category != "O").then_some(Decimal::ZERO);
    let mut inv = base();
    inv.allowances_charges.clear();
    inv.lines = vec![line("1", dec!(1), dec!(100.00), rate(category, percent))];
    inv.totals = DocumentTotals {
        line_total: dec!(100.00),
        tax_exclusive: dec!(100.00),
        tax_total: Some(dec!(0.00)),
        tax_inclusive: dec!(100.00),
        payable: dec!(100.00),
        ..DocumentTotals::default()
    };
    let (reason, code) = match category {
        "E" => (Some("Steuerfrei nach § 4 UStG".into()), None),
        "AE" => (Some("Reverse charge".into()), Some("VATEX-EU-AE".into())),
        "K" => (
            Some("Intra-community supply".into()),
            Some("VATEX-EU-IC".into()),
        ),
        "G" => (
            Some("Export outside the EU".into()),
            Some("VATEX-EU-G".into()),
        ),
        "O" => (Some("Not subject to VAT".into()), Some("VATEX-EU-O".into())),
        _ => (None, None),
    };
    inv.vat_breakdown = vec![VatBreakdown {
        taxable: dec!(100.00),
        tax: dec!(0.00),
        // XRechnung wants a rate in every breakdown (BR-DE-14), `O` included.
        rate: rate(category, Some(Decimal::ZERO)),
        exemption_reason: reason,
        exemption_code: code,
    }];
    match category {
        "AE" | "K" => inv.buyer.vat_id = Some("FR12345678901".into()),
        "O" => inv.seller.vat_id = None,
        _ => {}
    }
    if category == "K" {
        inv.buyer.address.country = "FR".into();
        inv.delivery_address = Some(address("FR"));
    }
    inv
}

const CATEGORIES: [&str; 6] = ["Z", "E", "AE", "K", "G", "O"];

fn ids(inv: &Invoice, format: Format) -> Vec<&'static str> {
    check(inv, format).into_iter().map(|f| f.rule).collect()
}

#[track_caller]
fn fires(formats: &[Format], rule: &str, mutate: impl Fn(&mut Invoice)) {
    fires_on(base(), formats, rule, mutate)
}

#[track_caller]
fn fires_on(start: Invoice, formats: &[Format], rule: &str, mutate: impl Fn(&mut Invoice)) {
    for &format in formats {
        assert!(
            !ids(&start, format).contains(&rule),
            "{rule} already fails on the base ({format})"
        );
        let mut inv = start.clone();
        mutate(&mut inv);
        let found = ids(&inv, format);
        assert!(
            found.contains(&rule),
            "{rule} did not fire in {format}: {found:?}"
        );
    }
}

#[test]
fn the_base_invoices_pass_every_format() {
    let mut invoices = vec![("S", base())];
    invoices.extend(CATEGORIES.iter().map(|c| (*c, untaxed(c))));
    for (category, inv) in invoices {
        for format in ALL {
            let findings = check(&inv, format);
            assert!(findings.is_empty(), "{category} in {format}: {findings:#?}");
        }
    }
}

#[test]
fn fatal_findings_refuse_and_warnings_do_not() {
    let mut inv = base();
    inv.seller.contact.as_mut().unwrap().phone = Some("12".into());
    let findings = check(&inv, Format::XrechnungUbl);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule, "BR-DE-27");
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(!is_refused(&findings));
    inv.buyer_reference = None;
    assert!(is_refused(&check(&inv, Format::XrechnungUbl)));
}

#[test]
fn a_finding_quotes_the_official_text_and_says_where() {
    let mut inv = base();
    inv.lines[1].item_name = " ".into();
    let findings = check(&inv, Format::FacturX);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f.rule, "BR-25");
    assert_eq!(
        f.message,
        "[BR-25]-Each Invoice line (BG-25) shall contain the Item name (BT-153)."
    );
    assert_eq!(
        (f.term, f.at.as_deref()),
        (Some("BT-153"), Some("lines[1]"))
    );
    let json = serde_json::to_value(f).expect("serializable");
    assert_eq!(json["severity"], "fatal");
}

#[test]
fn a_rule_fails_once_per_offending_node() {
    let mut inv = base();
    for l in &mut inv.lines {
        l.id.clear();
    }
    let at: Vec<_> = check(&inv, Format::PeppolUbl)
        .into_iter()
        .filter(|f| f.rule == "BR-21")
        .map(|f| f.at)
        .collect();
    assert_eq!(
        at,
        [Some("lines[0]".to_owned()), Some("lines[1]".to_owned())]
    );
}

#[test]
fn core_rules() {
    fires(&ALL, "BR-02", |i| i.number = " ".into());
    fires(&ALL, "BR-05", |i| i.currency.clear());
    fires(&ALL, "BR-06", |i| i.seller.name.clear());
    fires(&ALL, "BR-07", |i| i.buyer.name.clear());
    fires(&ALL, "BR-09", |i| i.seller.address.country.clear());
    fires(&ALL, "BR-11", |i| i.buyer.address.country.clear());
    fires(&ALL, "BR-16", |i| i.lines.clear());
    fires(&ALL, "BR-21", |i| i.lines[0].id.clear());
    fires(&ALL, "BR-25", |i| i.lines[0].item_name.clear());
    fires(&ALL, "BR-27", |i| i.lines[0].price.net = dec!(-1));
    fires(&ALL, "BR-28", |i| i.lines[0].price.gross = Some(dec!(-1)));
    let backwards = Period {
        start: date(31),
        end: date(1),
    };
    fires(&ALL, "BR-29", |i| i.period = Some(backwards));
    fires(&ALL, "BR-30", |i| i.lines[0].period = Some(backwards));
    fires(&ALL, "BR-32", |i| i.allowances_charges[0].vat = None);
    for rule in ["BR-33", "BR-CO-21"] {
        fires(&ALL, rule, |i| {
            i.allowances_charges[0].reason = None;
            i.allowances_charges[0].reason_code = None;
        });
    }
    for rule in ["BR-37", "BR-38", "BR-CO-22"] {
        fires(&ALL, rule, |i| {
            let ac = &mut i.allowances_charges[0];
            ac.is_charge = true;
            ac.vat = None;
            ac.reason = None;
            ac.reason_code = None;
        });
    }
    for (charge, rules) in [
        (false, ["BR-42", "BR-CO-23"]),
        (true, ["BR-44", "BR-CO-24"]),
    ] {
        for rule in rules {
            fires(&ALL, rule, |i| {
                i.lines[0].allowances_charges.push(AllowanceCharge {
                    is_charge: charge,
                    amount: dec!(0.00),
                    base_amount: None,
                    percent: None,
                    vat: None,
                    reason: None,
                    reason_code: None,
                })
            });
        }
    }
    fires(&ALL, "BR-48", |i| i.vat_breakdown[0].rate.percent = None);
    fires(&ALL, "BR-50", |i| {
        i.payment
            .as_mut()
            .unwrap()
            .transfer
            .as_mut()
            .unwrap()
            .account_id
            .clear()
    });
    fires(&UBL, "BR-61", |i| {
        i.payment.as_mut().unwrap().transfer = None
    });
    fires(&ALL, "BR-51", |i| {
        i.payment.as_mut().unwrap().card = Some(PaymentCard {
            last_digits: "4111111111111111".into(),
            holder: None,
        })
    });
    let preceding = PrecedingInvoice {
        number: String::new(),
        issue_date: None,
    };
    fires(&ALL, "BR-55", |i| i.preceding.push(preceding.clone()));
    // UBL tests that the country element exists, which the writer always writes.
    fires(&CII, "BR-57", |i| {
        i.delivery_address = Some(PostalAddress::default())
    });
    fires(&ALL, "BR-62", |i| {
        i.seller.endpoint.as_mut().unwrap().scheme.clear()
    });
    fires(&ALL, "BR-63", |i| {
        i.buyer.endpoint.as_mut().unwrap().scheme.clear()
    });
    fires(&ALL, "BR-CO-04", |i| i.lines[0].vat.category.clear());
    fires(&ALL, "BR-CO-09", |i| i.seller.vat_id = Some("XY123".into()));
    fires(&ALL, "BR-CO-09", |i| i.buyer.vat_id = Some("123456".into()));
    fires(&ALL, "BR-CO-18", |i| i.vat_breakdown.clear());
    fires(&ALL, "BR-CO-26", |i| {
        i.seller.vat_id = None;
        i.seller.legal_registration = None;
        i.seller.tax_registration = Some("12/345/67890".into());
    });
}

#[test]
fn totals_rules() {
    // CII's rule of category O takes the breakdown element ahead of BR-CO-17 and BR-DEC-20.
    let mut inv = untaxed("O");
    inv.vat_breakdown[0].tax = dec!(0.705);
    for format in ALL {
        let found = ids(&inv, format);
        assert!(found.contains(&"BR-O-09"), "{format}: {found:?}");
        let general = format.syntax() == crate::Syntax::Ubl;
        assert_eq!(found.contains(&"BR-CO-17"), general, "{format}: {found:?}");
        assert_eq!(found.contains(&"BR-DEC-20"), general, "{format}: {found:?}");
    }
    fires(&ALL, "BR-CO-10", |i| i.totals.line_total = dec!(130.01));
    fires(&ALL, "BR-CO-11", |i| i.totals.allowance_total = None);
    fires(&ALL, "BR-CO-12", |i| {
        i.totals.charge_total = Some(dec!(1.00))
    });
    fires(&ALL, "BR-CO-13", |i| i.totals.tax_exclusive = dec!(130.00));
    fires(&ALL, "BR-CO-14", |i| i.totals.tax_total = Some(dec!(22.81)));
    fires(&ALL, "BR-CO-15", |i| i.totals.tax_inclusive = dec!(142.90));
    fires(&ALL, "BR-CO-16", |i| i.totals.payable = dec!(142.00));
    fires(&ALL, "BR-CO-16", |i| i.totals.prepaid = Some(dec!(40.00)));
    // One unit of the currency either way is tolerated; UBL excludes the bound, CII not.
    fires(&ALL, "BR-CO-17", |i| i.vat_breakdown[0].tax = dec!(24.00));
    fires(&UBL, "BR-CO-17", |i| i.vat_breakdown[0].tax = dec!(23.80));
    for format in CII {
        let mut inv = base();
        inv.vat_breakdown[0].tax = dec!(23.80);
        assert!(!ids(&inv, format).contains(&"BR-CO-17"), "{format}");
    }
    // A prepaid amount and a rounding amount that are accounted for pass.
    let mut inv = base();
    inv.totals.prepaid = Some(dec!(40.00));
    inv.totals.rounding = Some(dec!(0.20));
    inv.totals.payable = dec!(103.00);
    for format in ALL {
        assert!(!ids(&inv, format).contains(&"BR-CO-16"), "{format}");
    }
}

#[test]
fn decimal_rules() {
    fires(&ALL, "BR-DEC-01", |i| {
        i.allowances_charges[0].amount = dec!(10.000)
    });
    fires(&ALL, "BR-DEC-02", |i| {
        i.allowances_charges[0].base_amount = Some(dec!(1.001))
    });
    fires(&ALL, "BR-DEC-09", |i| i.totals.line_total = dec!(130.000));
    fires(&ALL, "BR-DEC-12", |i| {
        i.totals.tax_exclusive = dec!(120.000)
    });
    fires(&ALL, "BR-DEC-13", |i| {
        i.totals.tax_total = Some(dec!(22.801))
    });
    fires(&ALL, "BR-DEC-19", |i| {
        i.vat_breakdown[0].taxable = dec!(120.000)
    });
    fires(&ALL, "BR-DEC-20", |i| i.vat_breakdown[0].tax = dec!(22.800));
    fires(&ALL, "BR-DEC-23", |i| i.lines[0].net_amount = dec!(100.000));
    // CII's BR-DEC-13 compares the value, UBL's counts the digits.
    fires(&UBL, "BR-DEC-13", |i| {
        i.totals.tax_total = Some(dec!(22.800))
    });
    let mut inv = base();
    inv.totals.tax_total = Some(dec!(22.800));
    assert!(!ids(&inv, Format::FacturX).contains(&"BR-DEC-13"));
}

#[test]
fn code_list_rules() {
    fires(&ALL, "BR-CL-04", |i| i.currency = "EUX".into());
    fires(&ALL, "BR-CL-05", |i| {
        i.tax_currency = Some(TaxCurrency {
            code: "XXY".into(),
            tax_total: dec!(1),
        })
    });
    fires(&ALL, "BR-CL-14", |i| i.buyer.address.country = "XX".into());
    fires(&ALL, "BR-CL-17", |i| {
        i.allowances_charges[0].vat.as_mut().unwrap().category = "Q".into()
    });
    fires(&ALL, "BR-CL-18", |i| i.lines[0].vat.category = "Q".into());
    fires(&ALL, "BR-CL-19", |i| {
        i.allowances_charges[0].reason_code = Some("ZZZ".into())
    });
    fires(&ALL, "BR-CL-20", |i| {
        i.allowances_charges[0].is_charge = true
    });
    fires(&ALL, "BR-CL-22", |i| {
        i.vat_breakdown[0].exemption_code = Some("VATEX-XX".into())
    });
    fires(&ALL, "BR-CL-23", |i| i.lines[0].unit = "PIECES".into());
    fires(&ALL, "BR-CL-25", |i| {
        i.seller.endpoint.as_mut().unwrap().scheme = "0000".into()
    });
    // The currency of the amounts: UBL writes it on every amount, CII on the VAT total.
    fires(&ALL, "BR-CL-03", |i| i.currency = "EUX".into());
    fires(&ALL, "BR-CL-03", |i| {
        i.tax_currency = Some(TaxCurrency {
            code: "XXY".into(),
            tax_total: dec!(1),
        })
    });
    // A code the writers always write fails its list when blank; VATEX codes are compared in
    // upper case.
    fires(&ALL, "BR-CL-14", |i| i.buyer.address.country.clear());
    fires(&ALL, "BR-CL-23", |i| i.lines[0].unit.clear());
    let mut inv = untaxed("G");
    inv.vat_breakdown[0].exemption_code = Some("vatex-eu-g".into());
    assert!(!ids(&inv, Format::FacturX).contains(&"BR-CL-22"));
}

#[test]
fn standard_rated_rules() {
    fires(&ALL, "BR-S-01", |i| {
        i.vat_breakdown[0].rate.category = "Z".into()
    });
    fires(&ALL, "BR-S-02", |i| i.seller.vat_id = None);
    fires(&ALL, "BR-S-03", |i| i.seller.vat_id = None);
    fires(&ALL, "BR-S-04", |i| {
        i.seller.vat_id = None;
        i.allowances_charges[0].is_charge = true;
        i.allowances_charges[0].reason_code = None;
    });
    fires(&ALL, "BR-S-05", |i| i.lines[0].vat.percent = Some(dec!(0)));
    fires(&ALL, "BR-S-06", |i| {
        i.allowances_charges[0].vat.as_mut().unwrap().percent = None
    });
    fires(&ALL, "BR-S-07", |i| {
        let ac = &mut i.allowances_charges[0];
        ac.is_charge = true;
        ac.reason_code = None;
        ac.vat.as_mut().unwrap().percent = Some(dec!(0));
    });
    fires(&ALL, "BR-S-08", |i| {
        i.vat_breakdown[0].taxable = dec!(125.00)
    });
    fires(&ALL, "BR-S-09", |i| i.vat_breakdown[0].tax = dec!(20.00));
    fires(&ALL, "BR-S-10", |i| {
        i.vat_breakdown[0].exemption_reason = Some("frei".into())
    });
    // BR-S-08 tolerates less than one unit in UBL and nothing in CII.
    fires(&CII, "BR-S-08", |i| {
        i.vat_breakdown[0].taxable = dec!(120.50)
    });
    let mut inv = base();
    inv.vat_breakdown[0].taxable = dec!(120.50);
    for format in UBL {
        assert!(!ids(&inv, format).contains(&"BR-S-08"), "{format}");
    }
}

/// The rules 01 … 10 of the categories without VAT, from their base invoice.
#[test]
fn untaxed_category_rules() {
    for (code, prefix) in [
        ("Z", "BR-Z"),
        ("E", "BR-E"),
        ("AE", "BR-AE"),
        ("K", "BR-IC"),
        ("G", "BR-G"),
        ("O", "BR-O"),
    ] {
        let id = |n: u32| -> &'static str { format!("{prefix}-{n:02}").leak() };
        let inv = untaxed(code);
        fires_on(inv.clone(), &ALL, id(1), |i| {
            i.vat_breakdown.push(i.vat_breakdown[0].clone())
        });
        let parties = |i: &mut Invoice| {
            if code == "O" {
                i.buyer.vat_id = Some("DE987654321".into());
            } else {
                i.seller.vat_id = None;
                if code == "AE" {
                    i.buyer.vat_id = None;
                }
            }
        };
        fires_on(inv.clone(), &ALL, id(2), parties);
        let with_ac = |charge: bool| {
            let mut inv = inv.clone();
            inv.allowances_charges.push(AllowanceCharge {
                is_charge: charge,
                amount: dec!(5.00),
                base_amount: None,
                percent: None,
                vat: Some(inv.lines[0].vat.clone()),
                reason: Some("Fracht".into()),
                reason_code: None,
            });
            let sign = if charge {
                Decimal::ONE
            } else {
                Decimal::NEGATIVE_ONE
            };
            let t = &mut inv.totals;
            if charge {
                t.charge_total = Some(dec!(5.00));
            } else {
                t.allowance_total = Some(dec!(5.00));
            }
            t.tax_exclusive += sign * dec!(5.00);
            t.tax_inclusive = t.tax_exclusive;
            t.payable = t.tax_exclusive;
            inv.vat_breakdown[0].taxable = t.tax_exclusive;
            inv
        };
        for charge in [false, true] {
            assert!(
                check(&with_ac(charge), Format::PeppolUbl).is_empty(),
                "{code} {charge}"
            );
            let n = if charge { 4 } else { 3 };
            fires_on(with_ac(charge), &ALL, id(n), parties);
            fires_on(with_ac(charge), &ALL, id(n + 3), |i| {
                i.allowances_charges[0].vat.as_mut().unwrap().percent = Some(dec!(7));
            });
        }
        fires_on(inv.clone(), &ALL, id(5), |i| {
            i.lines[0].vat.percent = Some(dec!(7))
        });
        fires_on(inv.clone(), &ALL, id(8), |i| {
            i.vat_breakdown[0].taxable = dec!(102.00)
        });
        fires_on(inv.clone(), &ALL, id(9), |i| {
            i.vat_breakdown[0].tax = dec!(1.00)
        });
        let reason = |i: &mut Invoice| {
            let b = &mut i.vat_breakdown[0];
            if b.exemption_reason.is_some() {
                (b.exemption_reason, b.exemption_code) = (None, None);
            } else {
                b.exemption_reason = Some("frei".into());
            }
        };
        fires_on(inv, &ALL, id(10), reason);
    }
}

#[test]
fn category_specific_rules() {
    fires_on(untaxed("K"), &ALL, "BR-IC-11", |i| i.delivery_date = None);
    fires_on(untaxed("K"), &ALL, "BR-IC-12", |i| {
        i.delivery_address = None
    });
    for rule in ["BR-O-11", "BR-O-12"] {
        fires_on(untaxed("O"), &ALL, rule, |i| {
            i.lines
                .push(line("2", dec!(1), dec!(0.00), rate("E", Some(dec!(0)))));
            i.vat_breakdown.push(VatBreakdown {
                taxable: dec!(0.00),
                tax: dec!(0.00),
                rate: rate("E", Some(dec!(0))),
                exemption_reason: Some("frei".into()),
                exemption_code: None,
            });
        });
    }
    for (charge, rule) in [(false, "BR-O-13"), (true, "BR-O-14")] {
        fires_on(untaxed("O"), &ALL, rule, |i| {
            i.allowances_charges.push(AllowanceCharge {
                is_charge: charge,
                amount: dec!(0.00),
                base_amount: None,
                percent: None,
                vat: Some(rate("E", Some(dec!(0)))),
                reason: Some("x".into()),
                reason_code: None,
            })
        });
    }
}

#[test]
fn xrechnung_rules() {
    fires(&XRECHNUNG, "BR-DE-1", |i| i.payment = None);
    fires(&XRECHNUNG, "BR-DE-2", |i| i.seller.contact = None);
    fires(&XRECHNUNG, "BR-DE-3", |i| i.seller.address.city = None);
    fires(&XRECHNUNG, "BR-DE-4", |i| {
        i.seller.address.postal_code = Some(" ".into())
    });
    fires(&XRECHNUNG, "BR-DE-5", |i| {
        i.seller.contact.as_mut().unwrap().name = None
    });
    fires(&XRECHNUNG, "BR-DE-6", |i| {
        i.seller.contact.as_mut().unwrap().phone = None
    });
    fires(&XRECHNUNG, "BR-DE-7", |i| {
        i.seller.contact.as_mut().unwrap().email = None
    });
    fires(&XRECHNUNG, "BR-DE-8", |i| i.buyer.address.city = None);
    fires(&XRECHNUNG, "BR-DE-9", |i| {
        i.buyer.address.postal_code = None
    });
    let mut no_city = address("DE");
    no_city.city = None;
    fires(&XRECHNUNG, "BR-DE-10", |i| {
        i.delivery_address = Some(no_city.clone())
    });
    fires(&XRECHNUNG, "BR-DE-11", |i| {
        i.delivery_address = Some(PostalAddress {
            postal_code: None,
            ..address("DE")
        })
    });
    // The writers give every breakdown a rate (0 for `O`), so BR-DE-14 cannot fail.
    let mut inv = untaxed("O");
    inv.vat_breakdown[0].rate.percent = None;
    assert!(!ids(&inv, Format::XrechnungUbl).contains(&"BR-DE-14"));
    fires(&XRECHNUNG, "BR-DE-15", |i| i.buyer_reference = None);
    fires(&XRECHNUNG, "BR-DE-16", |i| i.seller.vat_id = None);
    fires(&XRECHNUNG, "BR-DE-19", |i| {
        i.payment
            .as_mut()
            .unwrap()
            .transfer
            .as_mut()
            .unwrap()
            .account_id = "DE89370400440532013001".into()
    });
    fires(&XRECHNUNG, "BR-DE-23-a", |i| {
        i.payment.as_mut().unwrap().transfer = None
    });
    let card = PaymentCard {
        last_digits: "1234".into(),
        holder: None,
    };
    fires(&XRECHNUNG, "BR-DE-23-b", |i| {
        i.payment.as_mut().unwrap().card = Some(card.clone())
    });
    fires(&XRECHNUNG, "BR-DE-24-a", |i| {
        i.payment.as_mut().unwrap().means = PaymentMeans::Card
    });
    fires(&XRECHNUNG, "BR-DE-24-b", |i| {
        i.payment.as_mut().unwrap().means = PaymentMeans::Card
    });
    fires(&XRECHNUNG, "BR-DE-27", |i| {
        i.seller.contact.as_mut().unwrap().phone = Some("+4".into())
    });
    fires(&XRECHNUNG, "BR-DE-28", |i| {
        i.seller.contact.as_mut().unwrap().email = Some("a@b".into())
    });
    // Not an XRechnung rule elsewhere.
    let mut inv = base();
    inv.buyer_reference = None;
    assert!(
        !ids(&inv, Format::FacturX)
            .iter()
            .any(|r| r.starts_with("BR-DE"))
    );
}

#[test]
fn peppol_rules() {
    let peppol = [Format::PeppolUbl];
    // Peppol allows one note, which is what the writer makes of several.
    let mut inv = base();
    inv.notes = vec!["eine".into(), "noch eine".into()];
    assert!(check(&inv, Format::PeppolUbl).is_empty());
    // Only Peppol asks for a buyer or order reference.
    fires(&peppol, "PEPPOL-EN16931-R003", |i| i.buyer_reference = None);
    let mut inv = base();
    inv.buyer_reference = None;
    inv.order_reference = Some("PO-7".into());
    assert!(check(&inv, Format::PeppolUbl).is_empty());
    // KoSIT merged these into XRechnung, in both syntaxes.
    let merged = [
        Format::XrechnungCii,
        Format::XrechnungUbl,
        Format::PeppolUbl,
    ];
    fires(&merged, "PEPPOL-EN16931-R005", |i| {
        i.tax_currency = Some(TaxCurrency {
            code: "EUR".into(),
            tax_total: dec!(22.80),
        })
    });
    fires(&merged, "PEPPOL-EN16931-R010", |i| i.buyer.endpoint = None);
    fires(&merged, "PEPPOL-EN16931-R020", |i| i.seller.endpoint = None);
    fires(&merged, "PEPPOL-EN16931-R040", |i| {
        i.allowances_charges[0].base_amount = Some(dec!(130.00));
        i.allowances_charges[0].percent = Some(dec!(10));
    });
    fires(&merged, "PEPPOL-EN16931-R041", |i| {
        i.allowances_charges[0].percent = Some(dec!(10))
    });
    fires(&merged, "PEPPOL-EN16931-R042", |i| {
        i.allowances_charges[0].base_amount = Some(dec!(100))
    });
    fires(&merged, "PEPPOL-EN16931-R046", |i| {
        i.lines[0].price.gross = Some(dec!(60.00))
    });
    let march = Period {
        start: date(1),
        end: date(31),
    };
    fires(&merged, "PEPPOL-EN16931-R110", |i| {
        i.period = Some(Period {
            start: date(5),
            end: date(31),
        });
        i.lines[0].period = Some(march);
    });
    fires(&merged, "PEPPOL-EN16931-R111", |i| {
        i.period = Some(Period {
            start: date(1),
            end: date(20),
        });
        i.lines[0].period = Some(march);
    });
    fires(&merged, "PEPPOL-EN16931-R120", |i| {
        i.lines[0].quantity = dec!(3)
    });
    fires(&merged, "PEPPOL-EN16931-R121", |i| {
        i.lines[0].price.base_quantity = Some(dec!(0))
    });
    // KoSIT's CII wording of R055 counts a zero accounting total as positive only.
    let mut inv = base();
    inv.totals.tax_total = Some(dec!(-0.96));
    inv.tax_currency = Some(TaxCurrency {
        code: "CHF".into(),
        tax_total: dec!(0.00),
    });
    assert!(ids(&inv, Format::XrechnungCii).contains(&"PEPPOL-EN16931-R055"));
    assert!(!ids(&inv, Format::XrechnungUbl).contains(&"PEPPOL-EN16931-R055"));
    // R055 is Peppol's and KoSIT's, in UBL; the XRechnung CII file words it for CII.
    fires(&merged, "PEPPOL-EN16931-R055", |i| {
        i.tax_currency = Some(TaxCurrency {
            code: "USD".into(),
            tax_total: dec!(-1),
        })
    });
    fires(&peppol, "PEPPOL-EN16931-P0104", |i| {
        i.vat_breakdown[0].exemption_code = Some("VATEX-EU-G".into())
    });
    fires_on(untaxed("E"), &peppol, "PEPPOL-EN16931-P0108", |i| {
        i.vat_breakdown[0].rate.category = "Z".into();
        i.vat_breakdown[0].exemption_code = Some("VATEX-EU-D".into());
    });
    fires(&peppol, "PEPPOL-COMMON-R040", |i| {
        i.buyer.endpoint = Some(Endpoint {
            id: "4000001000006".into(),
            scheme: "0088".into(),
        })
    });
    fires(&peppol, "PEPPOL-COMMON-R043", |i| {
        i.buyer.endpoint = Some(Endpoint {
            id: "0123456788".into(),
            scheme: "0208".into(),
        })
    });
    // Peppol's own code lists: its ISO 4217 still has HRK, not yet VES.
    fires(&peppol, "PEPPOL-EN16931-CL007", |i| {
        i.currency = "VES".into()
    });
    let mut inv = base();
    inv.currency = "HRK".into();
    assert!(!ids(&inv, Format::PeppolUbl).contains(&"PEPPOL-EN16931-CL007"));
    assert!(ids(&inv, Format::PeppolUbl).contains(&"BR-CL-04"));
    fires(&peppol, "PEPPOL-EN16931-CL002", |i| {
        i.allowances_charges[0].reason_code = Some("999".into())
    });
    fires(&peppol, "PEPPOL-EN16931-CL003", |i| {
        i.allowances_charges[0].is_charge = true;
        i.allowances_charges[0].reason_code = Some("XX".into());
    });
    fires(&peppol, "PEPPOL-EN16931-CL008", |i| {
        i.buyer.endpoint.as_mut().unwrap().scheme = "EM".into()
    });
    // No empty elements where XRechnung and Peppol look; a blank optional value is left out.
    let merged_ubl = [Format::XrechnungUbl, Format::PeppolUbl];
    fires(&merged_ubl, "PEPPOL-EN16931-R008", |i| {
        i.delivery_address = Some(PostalAddress {
            country: String::new(),
            ..address("DE")
        })
    });
    fires(&merged, "PEPPOL-EN16931-R008", |i| {
        i.lines[0].item_name = " ".into()
    });
    let mut inv = base();
    inv.payment_terms = Some("  ".into());
    inv.buyer.contact = Some(Contact {
        name: Some("\n".into()),
        ..Contact::default()
    });
    for format in ALL {
        assert!(check(&inv, format).is_empty(), "{format}");
    }
    // R120 is a warning in XRechnung and fatal in Peppol.
    let mut inv = base();
    inv.lines[0].quantity = dec!(3);
    let severity = |format| {
        check(&inv, format)
            .into_iter()
            .find(|f| f.rule == "PEPPOL-EN16931-R120")
            .map(|f| f.severity)
    };
    assert_eq!(severity(Format::XrechnungUbl), Some(Severity::Warning));
    assert_eq!(severity(Format::PeppolUbl), Some(Severity::Fatal));
    assert_eq!(severity(Format::FacturX), None);
}

#[test]
fn identifier_checks_accept_valid_numbers() {
    use super::xrechnung::iban_ok;
    assert!(iban_ok("DE89 3704 0044 0532 0130 00"));
    assert!(iban_ok("GB82WEST12345698765432"));
    assert!(!iban_ok("DE89370400440532013001"));
    assert!(!iban_ok("de89370400440532013000"));
    let mut inv = base();
    // A GLN and a Belgian enterprise number with correct check digits (GS1's example
    // 4000001000005; 0403.170.701 with 97 − 4031707 mod 97 = 01).
    inv.buyer.endpoint = Some(Endpoint {
        id: "4000001000005".into(),
        scheme: "0088".into(),
    });
    inv.seller.endpoint = Some(Endpoint {
        id: "0403170701".into(),
        scheme: "0208".into(),
    });
    assert!(
        check(&inv, Format::PeppolUbl).is_empty(),
        "{:?}",
        check(&inv, Format::PeppolUbl)
    );
}

/// `Rules::fail` drops a rule the format's files do not hold, so a misspelt id would never
/// fire: every id the rules name must be in one of the official files.
#[test]
fn every_rule_id_in_the_code_is_an_official_one() {
    let sources = [
        include_str!("core.rs"),
        include_str!("totals.rs"),
        include_str!("decimals.rs"),
        include_str!("empty_elements.rs"),
        include_str!("codes.rs"),
        include_str!("standard.rs"),
        include_str!("zero.rs"),
        include_str!("exempt.rs"),
        include_str!("reverse_charge.rs"),
        include_str!("intra_community.rs"),
        include_str!("export.rs"),
        include_str!("not_subject.rs"),
        include_str!("xrechnung.rs"),
        include_str!("peppol.rs"),
    ];
    let catalogs = [
        super::catalog::CEN_CII,
        super::catalog::CEN_UBL,
        super::catalog::XR_CII,
        super::catalog::XR_UBL,
        super::catalog::PEPPOL,
    ];
    let mut seen = 0;
    for source in sources {
        for quoted in source.split('"').skip(1).step_by(2) {
            if quoted.starts_with("BR-") || quoted.starts_with("PEPPOL-") {
                let known = catalogs
                    .iter()
                    .any(|c| c.iter().any(|(id, _, _)| *id == quoted));
                assert!(known, "{quoted} is in no official rule file");
                seen += 1;
            }
        }
    }
    assert!(seen > 150, "only {seen} rule ids found");
}
