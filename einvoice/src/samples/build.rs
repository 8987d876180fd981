//! The builders the golden corpus is written with: a base invoice that satisfies every format
//! (XRechnung's and Peppol's demands included), lines and VAT rates in one call, and
//! [`Sample::finish`], which does the arithmetic the way EN 16931 states it, so a variation
//! only says what it changes.

use crate::model::*;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// A decimal literal: `d("12.50")`.
pub fn d(text: &str) -> Decimal {
    text.parse()
        .unwrap_or_else(|_| panic!("{text} is not a decimal"))
}

pub fn date(text: &str) -> NaiveDate {
    text.parse()
        .unwrap_or_else(|_| panic!("{text} is not a date"))
}

pub fn s(percent: &str) -> VatRate {
    rate("S", Some(percent))
}

pub fn rate(category: &str, percent: Option<&str>) -> VatRate {
    VatRate {
        category: category.to_owned(),
        percent: percent.map(d),
    }
}

/// Categories without tax: rate 0, or none at all for `O`.
pub fn untaxed(category: &str) -> VatRate {
    rate(category, (category != "O").then_some("0"))
}

/// Changes in place, for builders that are plain model values.
pub trait With: Sized {
    fn with(mut self, change: impl FnOnce(&mut Self)) -> Self {
        change(&mut self);
        self
    }
}

impl With for Line {}
impl With for AllowanceCharge {}

/// A line of `quantity` × `price` (net, or gross under [`Sample::prices_include_vat`]); its
/// id and net amount are filled in by [`Sample::finish`].
pub fn line(name: &str, quantity: &str, unit: &str, price: &str, vat: VatRate) -> Line {
    Line {
        id: String::new(),
        note: None,
        quantity: d(quantity),
        unit: unit.to_owned(),
        net_amount: Decimal::ZERO,
        period: None,
        allowances_charges: Vec::new(),
        price: Price {
            net: d(price),
            discount: None,
            gross: None,
            base_quantity: None,
        },
        vat,
        item_name: name.to_owned(),
        item_description: None,
    }
}

/// An allowance (or, with `is_charge`, a charge) of a fixed amount.
pub fn allowance(amount: &str, reason: &str, code: &str) -> AllowanceCharge {
    AllowanceCharge {
        is_charge: false,
        amount: d(amount),
        base_amount: None,
        percent: None,
        vat: None,
        reason: Some(reason.to_owned()),
        reason_code: Some(code.to_owned()),
    }
}

pub fn charge(amount: &str, reason: &str, code: &str) -> AllowanceCharge {
    allowance(amount, reason, code).with(|item| item.is_charge = true)
}

/// A percentage of a base: the line's amount on a line, the category's lines on the
/// document, unless a base is given; [`Sample::finish`] works out the amount.
pub fn percent(item: AllowanceCharge, percent: &str) -> AllowanceCharge {
    item.with(|item| item.percent = Some(d(percent)))
}

pub fn on(item: AllowanceCharge, vat: VatRate) -> AllowanceCharge {
    item.with(|item| item.vat = Some(vat))
}

/// An invoice being built; [`Sample::finish`] makes it add up.
pub struct Sample {
    invoice: Invoice,
    prices_include_vat: bool,
    /// Units of the VAT accounting currency per unit of the invoice's.
    exchange_rate: Option<Decimal>,
    /// Round the amount due to this step (BT-114).
    round_to: Option<Decimal>,
}

/// A German seller invoicing a German public buyer by SEPA transfer, one line at 19 %: with
/// everything XRechnung 3.0 and Peppol BIS 3.0 require on top of EN 16931 (buyer reference,
/// both electronic addresses, the seller's contact, city and post code on both sides).
pub fn base(number: &str) -> Sample {
    let invoice = Invoice {
        number: number.to_owned(),
        issue_date: date("2026-03-02"),
        type_code: TypeCode::Invoice,
        currency: "EUR".to_owned(),
        tax_currency: None,
        due_date: Some(date("2026-04-01")),
        buyer_reference: Some("04011000-1234512345-35".to_owned()),
        order_reference: None,
        notes: Vec::new(),
        preceding: Vec::new(),
        seller: Seller {
            name: "Nordlicht Software GmbH".to_owned(),
            trading_name: None,
            legal_registration: Some("HRB 123456".to_owned()),
            vat_id: Some("DE123456789".to_owned()),
            tax_registration: None,
            legal_info: Some("Geschäftsführerin: Anna Schmidt, Amtsgericht Hamburg".to_owned()),
            endpoint: Some(endpoint("9930", "DE123456789")),
            address: PostalAddress {
                lines: vec!["Am Sandtorkai 1".to_owned()],
                city: Some("Hamburg".to_owned()),
                postal_code: Some("20457".to_owned()),
                subdivision: None,
                country: "DE".to_owned(),
            },
            contact: Some(Contact {
                name: Some("Anna Schmidt".to_owned()),
                phone: Some("+49 40 1234567".to_owned()),
                email: Some("billing@nordlicht.example".to_owned()),
            }),
        },
        buyer: Buyer {
            name: "Stadtverwaltung Musterstadt".to_owned(),
            trading_name: None,
            legal_registration: None,
            vat_id: None,
            // 0204: the Leitweg-ID, how German public buyers are addressed.
            endpoint: Some(endpoint("0204", "04011000-1234512345-35")),
            address: PostalAddress {
                lines: vec!["Rathausplatz 1".to_owned()],
                city: Some("Musterstadt".to_owned()),
                postal_code: Some("12345".to_owned()),
                subdivision: None,
                country: "DE".to_owned(),
            },
            contact: None,
        },
        delivery_date: Some(date("2026-02-27")),
        delivery_address: None,
        period: None,
        payment: Some(PaymentInstructions {
            means: PaymentMeans::SepaCreditTransfer,
            remittance: Some(number.to_owned()),
            transfer: Some(CreditTransfer {
                account_id: "DE89370400440532013000".to_owned(),
                account_name: Some("Nordlicht Software GmbH".to_owned()),
                bic: Some("COBADEFFXXX".to_owned()),
            }),
            card: None,
        }),
        payment_terms: Some("Payable within 30 days without deduction.".to_owned()),
        allowances_charges: Vec::new(),
        totals: DocumentTotals::default(),
        vat_breakdown: Vec::new(),
        lines: vec![line("Software licence", "1", "C62", "1200.00", s("19"))],
    };
    Sample {
        invoice,
        prices_include_vat: false,
        exchange_rate: None,
        round_to: None,
    }
}

pub fn endpoint(scheme: &str, id: &str) -> Endpoint {
    Endpoint {
        id: id.to_owned(),
        scheme: scheme.to_owned(),
    }
}

impl Sample {
    pub fn with(mut self, change: impl FnOnce(&mut Invoice)) -> Self {
        change(&mut self.invoice);
        self
    }

    pub fn lines(self, lines: Vec<Line>) -> Self {
        self.with(|invoice| invoice.lines = lines)
    }

    /// The lines' prices include VAT; [`Sample::finish`] converts them to net as the
    /// product's `PriceBasis::Inclusive` does (workflows/src/domain/totals.rs): per category,
    /// the gross sum becomes the base whose tax brings it back to that sum (or the nearest
    /// below), shared out over the lines in proportion to their gross amounts, the rounding
    /// difference over the largest; each line's net price is then its net amount over its
    /// quantity, to four places.
    pub fn prices_include_vat(mut self) -> Self {
        self.prices_include_vat = true;
        self
    }

    /// VAT accounted in `code` (BT-6) at `rate` units per unit of the invoice currency.
    pub fn vat_in(mut self, code: &str, rate: &str) -> Self {
        self.exchange_rate = Some(d(rate));
        self.with(|invoice| {
            invoice.tax_currency = Some(TaxCurrency {
                code: code.to_owned(),
                tax_total: Decimal::ZERO,
            });
        })
    }

    pub fn round_payable_to(mut self, step: &str) -> Self {
        self.round_to = Some(d(step));
        self
    }

    /// The invoice with every derived amount: line ids and net amounts, percentage
    /// allowances and charges, the VAT breakdown with its exemption reasons, the totals.
    pub fn finish(self) -> Invoice {
        let mut invoice = self.invoice;
        let places = minor_unit_places(&invoice.currency);
        let money = |value: Decimal| round(value, places);
        for (index, line) in invoice.lines.iter_mut().enumerate() {
            line.id = (index + 1).to_string();
            let per = line.price.base_quantity.unwrap_or(Decimal::ONE);
            let amount = money(line.quantity * line.price.net / per);
            for item in &mut line.allowances_charges {
                if let Some(percent) = item.percent {
                    let base = *item.base_amount.get_or_insert(amount);
                    item.amount = money(base * percent / Decimal::ONE_HUNDRED);
                }
            }
            line.net_amount = amount + signed_sum(&line.allowances_charges);
        }
        if self.prices_include_vat {
            to_net(&mut invoice.lines, places);
        }
        for index in 0..invoice.allowances_charges.len() {
            let item = &invoice.allowances_charges[index];
            if let (Some(percent), Some(vat)) = (item.percent, &item.vat) {
                let base = item.base_amount.unwrap_or_else(|| {
                    let lines = invoice.lines.iter().filter(|line| &line.vat == vat);
                    lines.map(|line| line.net_amount).sum()
                });
                let item = &mut invoice.allowances_charges[index];
                item.base_amount = Some(base);
                item.amount = money(base * percent / Decimal::ONE_HUNDRED);
            }
        }
        invoice.vat_breakdown = breakdown(&invoice, places);
        let totals = &mut invoice.totals;
        let (allowances, charges): (Vec<_>, Vec<_>) = invoice
            .allowances_charges
            .iter()
            .partition(|item| !item.is_charge);
        totals.line_total = invoice.lines.iter().map(|line| line.net_amount).sum();
        totals.allowance_total =
            (!allowances.is_empty()).then(|| allowances.iter().map(|item| item.amount).sum());
        totals.charge_total =
            (!charges.is_empty()).then(|| charges.iter().map(|item| item.amount).sum());
        totals.tax_exclusive = totals.line_total + signed_sum(&invoice.allowances_charges);
        let tax: Decimal = invoice.vat_breakdown.iter().map(|row| row.tax).sum();
        totals.tax_total = Some(tax);
        totals.tax_inclusive = totals.tax_exclusive + tax;
        let due = totals.tax_inclusive - totals.prepaid.unwrap_or_default();
        if let Some(step) = self.round_to {
            let rounded = (due / step)
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                * step;
            totals.rounding = Some(money(rounded - due));
        }
        totals.payable = due + totals.rounding.unwrap_or_default();
        if let (Some(tax_currency), Some(rate)) = (&mut invoice.tax_currency, self.exchange_rate) {
            tax_currency.tax_total = round(tax * rate, minor_unit_places(&tax_currency.code));
        }
        invoice
    }
}

/// ISO 4217's minor unit: the currencies the corpus uses.
pub fn minor_unit_places(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" => 0,
        _ => 2,
    }
}

fn round(value: Decimal, places: u32) -> Decimal {
    let mut value = value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    value.rescale(places);
    value
}

/// Charges minus allowances.
fn signed_sum(items: &[AllowanceCharge]) -> Decimal {
    items
        .iter()
        .map(|item| {
            if item.is_charge {
                item.amount
            } else {
                -item.amount
            }
        })
        .sum()
}

/// BG-23: per category and rate, in the order they first appear, the lines' net amounts plus
/// charges minus allowances, the tax on that rounded to the minor unit, and each untaxed
/// category's exemption reason.
fn breakdown(invoice: &Invoice, places: u32) -> Vec<VatBreakdown> {
    let mut rows: Vec<VatBreakdown> = Vec::new();
    let amounts = invoice
        .lines
        .iter()
        .map(|line| (&line.vat, line.net_amount))
        .chain(invoice.allowances_charges.iter().map(|item| {
            let vat = item
                .vat
                .as_ref()
                .expect("a document allowance has a VAT category");
            (
                vat,
                if item.is_charge {
                    item.amount
                } else {
                    -item.amount
                },
            )
        }));
    for (vat, amount) in amounts {
        match rows.iter_mut().find(|row| &row.rate == vat) {
            Some(row) => row.taxable += amount,
            None => {
                let (reason, code) = exemption(&vat.category).unzip();
                rows.push(VatBreakdown {
                    taxable: amount,
                    tax: Decimal::ZERO,
                    rate: vat.clone(),
                    exemption_reason: reason.map(str::to_owned),
                    exemption_code: code.map(str::to_owned),
                });
            }
        }
    }
    for row in &mut rows {
        let percent = row.rate.percent.unwrap_or_default();
        row.tax = round(row.taxable * percent / Decimal::ONE_HUNDRED, places);
    }
    rows
}

/// The exemption reason (BT-120) and VATEX code (BT-121) every untaxed category must state
/// (BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10); zero-rated goods state none (BR-Z-10).
fn exemption(category: &str) -> Option<(&'static str, &'static str)> {
    match category {
        "E" => Some((
            "Exempt from VAT: medical care (Article 132(1)(c) of Directive 2006/112/EC)",
            "VATEX-EU-132-1C",
        )),
        "AE" => Some(("Reverse charge", "VATEX-EU-AE")),
        "K" => Some(("Intra-community supply", "VATEX-EU-IC")),
        "G" => Some(("Export outside the EU", "VATEX-EU-G")),
        "O" => Some(("Not subject to VAT", "VATEX-EU-O")),
        _ => None,
    }
}

/// Gross prices to net, per category (see [`Sample::prices_include_vat`]). Lines have no
/// allowances or charges here: the product applies its discounts before this step.
fn to_net(lines: &mut [Line], places: u32) {
    let minor = Decimal::new(1, places);
    let mut groups: Vec<VatRate> = Vec::new();
    for line in lines.iter() {
        if !groups.contains(&line.vat) {
            groups.push(line.vat.clone());
        }
    }
    for vat in groups {
        let percent = vat.percent.unwrap_or_default();
        let tax = |base: Decimal| round(base * percent / Decimal::ONE_HUNDRED, places);
        let members: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].vat == vat).collect();
        let gross: Decimal = members.iter().map(|&i| lines[i].net_amount).sum();
        // The base whose tax brings it to the gross, or the nearest below.
        let mut base = round(
            gross * Decimal::ONE_HUNDRED / (Decimal::ONE_HUNDRED + percent),
            places,
        );
        while base + tax(base) > gross {
            base -= minor;
        }
        while base + minor + tax(base + minor) <= gross {
            base += minor;
        }
        // Shared out in proportion to the gross amounts; what rounding leaves goes a minor
        // unit at a time to the largest lines, never turning one negative (the product's
        // `share_out` does the same), so the lines add up to the base exactly.
        let mut nets: Vec<Decimal> = (members.iter())
            .map(|&i| match gross.is_zero() {
                true => round(Decimal::ZERO, places),
                false => round(base * lines[i].net_amount / gross, places),
            })
            .collect();
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(lines[members[k]].net_amount));
        let mut left = base - nets.iter().sum::<Decimal>();
        while !left.is_zero() {
            let step = if left.is_sign_positive() {
                minor
            } else {
                -minor
            };
            let before = left;
            for &k in &order {
                if !left.is_zero() && nets[k] + step >= Decimal::ZERO {
                    nets[k] += step;
                    left -= step;
                }
            }
            assert_ne!(left, before, "the base is within the lines' reach");
        }
        for (&i, net) in members.iter().zip(nets) {
            let line = &mut lines[i];
            line.net_amount = net;
            let per = line.price.base_quantity.unwrap_or(Decimal::ONE);
            line.price.net = round(net * per / line.quantity, 4);
        }
    }
}
