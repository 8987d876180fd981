//! Building invoice documents from domain types for the activities' tests: lines, rates,
//! addresses, and the totals the domain's `compute` gives them, as the send computes them.

use chrono::NaiveDate;
use invoicing_activities::pdf::{DocumentAdjustment, DocumentLine};
use invoicing_workflows::domain::{
    Address, Adjustment, AdjustmentKind, Country, Discount, Exemption, PriceBasis, PricedLine,
    TaxId, TaxIdKind, TaxRate, Totals, Unit, VatCategory, totals::compute,
};
use rust_decimal::Decimal;

/// An invoice-level allowance or charge: its kind, reason, amount in minor units and rate.
pub type AdjustmentSpec = (AdjustmentKind, &'static str, i64, TaxRate);

/// The domain's totals of `lines` and `adjustments`, and the adjustments as the document
/// prints them. Panics on an invoice the domain refuses: a test's invoices are valid.
pub fn priced(
    basis: PriceBasis,
    lines: &[DocumentLine],
    adjustments: Vec<AdjustmentSpec>,
) -> (Totals, Vec<DocumentAdjustment>) {
    let priced: Vec<PricedLine> = lines
        .iter()
        .map(|line| PricedLine {
            quantity: line.quantity,
            unit_price: line.unit_price,
            discount: line.discount,
            rate: line.rate.clone(),
        })
        .collect();
    let computed: Vec<Adjustment> = adjustments
        .iter()
        .map(|(kind, _, amount, rate)| Adjustment {
            kind: *kind,
            amount: *amount,
            rate: rate.clone(),
        })
        .collect();
    let totals = compute(basis, &priced, &computed).expect("a test invoice is valid");
    let printed = adjustments
        .into_iter()
        .map(|(kind, reason, _, rate)| DocumentAdjustment {
            kind,
            reason: reason.to_owned(),
            rate,
        })
        .collect();
    (totals, printed)
}

pub fn line(
    description: &str,
    quantity: &str,
    unit: Unit,
    unit_price_minor: i64,
    discount: Option<Discount>,
    rate: TaxRate,
) -> DocumentLine {
    DocumentLine {
        description: description.to_owned(),
        quantity: quantity.parse().expect("a quantity"),
        unit,
        unit_price: Decimal::from(unit_price_minor),
        discount,
        rate,
        period: None,
    }
}

/// A rate of `category`; `reason` is the exemption reason the exempt categories need.
pub fn rate(category: VatCategory, percent: &str, reason: Option<&str>) -> TaxRate {
    TaxRate::new(
        category,
        percent.parse().expect("a percentage"),
        reason.map(|reason| Exemption {
            reason: reason.to_owned(),
            code: None,
        }),
    )
    .expect("a valid rate")
}

pub fn address(
    lines: &[&str],
    postal_code: &str,
    city: &str,
    region: Option<&str>,
    country: &str,
) -> Address {
    Address {
        lines: lines.iter().map(|line| (*line).to_owned()).collect(),
        postal_code: Some(postal_code.to_owned()),
        city: Some(city.to_owned()),
        region: region.map(str::to_owned),
        country: Country::parse(country).expect("ISO 3166"),
    }
}

pub fn tax_id(kind: TaxIdKind, value: &str) -> TaxId {
    TaxId {
        kind,
        value: value.to_owned(),
    }
}

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a date")
}
