//! The editable content of an invoice (customer, dates, lines, allowances and charges) and the
//! rules it must meet. The amounts are the domain's arithmetic ([`super::totals`]), computed
//! when the draft is parsed and carried with it.

use super::{
    email::Email,
    money::{Currency, MAX_AMOUNT},
    party::TaxId,
    tax::{TaxRate, VatCategory},
    terms,
    totals::{
        self, Adjustment, AdjustmentKind, Discount, MAX_UNIT_PRICE_DECIMALS, PriceBasis,
        PricedLine, Totals,
    },
    unit::Unit,
    validation::FieldErrors,
};
use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::HashMap;
use uuid::Uuid;
pub const MAX_ITEMS: usize = 500;
pub const MAX_QUANTITY: i64 = 1_000_000;
pub const MAX_ADJUSTMENTS: usize = 20;
pub const MAX_REASON_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
pub const MAX_NOTES_CHARS: usize = 5_000;
/// An invoice may be dated up to a year ahead (pre-billing), never absurdly far.
const MAX_ISSUE_DATE_AHEAD: Months = Months::new(12);
/// Nothing is invoiced for work before this; earlier dates are typos.
const EARLIEST_ISSUE_DATE: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();

/// Draft content as a client typed it: the right JSON types, not yet checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftFields {
    pub customer_id: Uuid,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub supply_date: Option<NaiveDate>,
    pub service_period: Option<Period>,
    pub price_basis: PriceBasis,
    pub notes: Option<String>,
    pub items: Vec<LineItemFields>,
    pub adjustments: Vec<AdjustmentFields>,
}

/// A span of days, both included: the service period of an invoice (BG-14) or of a line
/// (BG-26).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A decimal number as JSON gives it: a string (`"1.5"`, exact) or a number (`1.5`, read as
/// its shortest decimal form, which is what was typed for up to 15 significant digits).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(example = "10"))]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct DecimalText(pub String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Integer(i64),
            Float(f64),
            Text(String),
        }
        Ok(Self(
            match Raw::deserialize(deserializer).map_err(|_| {
                serde::de::Error::custom("expected a decimal number or a string holding one")
            })? {
                Raw::Integer(value) => value.to_string(),
                Raw::Float(value) => value.to_string(),
                Raw::Text(text) => text,
            },
        ))
    }
}

impl DecimalText {
    pub fn parse(&self) -> Result<Decimal, String> {
        let text = self.0.trim();
        if text.contains(['e', 'E']) {
            return Err("must be a plain decimal number (no exponent)".to_owned());
        }
        text.parse::<Decimal>()
            .map(|value| value.normalize())
            .map_err(|_| format!("'{}' is not a decimal number", self.0))
    }
}

impl From<Decimal> for DecimalText {
    fn from(value: Decimal) -> Self {
        Self(value.normalize().to_string())
    }
}

/// A line's discount as a client typed it: `{"percent": "10"}` or `{"amount": 500}` (minor
/// units).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = LineDiscount))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DiscountFields {
    /// Up to 4 decimal places, from 0 to 100.
    Percent(DecimalText),
    /// Minor units, at most the line's amount.
    Amount(i64),
}

/// One line of a draft as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItemFields {
    pub description: String,
    /// Above 0, up to 4 decimal places: a JSON number or a string (`"1.5"`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1.5"))]
    pub quantity: DecimalText,
    /// UN/ECE Recommendation 20 code; `C62` (one) when left out.
    #[serde(default)]
    pub unit: Unit,
    /// The unit price in minor units of the invoice's currency (in its price basis). Give it
    /// or `unit_amount_decimal`, not both.
    #[serde(default)]
    pub unit_amount: Option<i64>,
    /// The unit price in minor units with up to 12 decimals, as a string (`"0.125"`), for
    /// prices finer than the minor unit.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(null)))]
    pub unit_amount_decimal: Option<String>,
    #[serde(default)]
    pub discount: Option<DiscountFields>,
    /// One of the account's tax rates; none: the line is not subject to tax.
    #[serde(default)]
    pub tax_rate_id: Option<Uuid>,
    /// The period the line's service covers.
    #[serde(default)]
    pub period: Option<Period>,
}

/// An invoice-level allowance (a discount on the whole invoice) or charge (shipping) as a
/// client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentFields {
    pub kind: AdjustmentKind,
    /// What it is for, printed on the invoice (`Loyalty discount`, `Shipping`).
    pub reason: String,
    /// Minor units, above zero, in the invoice's price basis.
    pub amount: i64,
    /// The tax rate it belongs to (an allowance lowers, a charge raises that rate's base).
    #[serde(default)]
    pub tax_rate_id: Option<Uuid>,
}

/// What a draft's ids resolve to, looked up by the caller for the draft's account: its
/// customer, and the tax rates usable on it. An id missing here is unknown or archived.
#[derive(Clone, Debug, Default)]
pub struct References {
    pub customer: Option<CustomerRef>,
    pub rates: HashMap<Uuid, TaxRate>,
}

/// The customer as a draft shows it: who it is billed to, and whether it has the VAT id a
/// reverse charge or an intra-community supply needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRef {
    pub id: Uuid,
    pub name: String,
    pub email: Email,
    pub vat_id: Option<TaxId>,
}

/// Draft content that meets every rule, with its amounts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub customer: CustomerRef,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The date of supply (BT-72), when it differs from the issue date.
    pub supply_date: Option<NaiveDate>,
    pub service_period: Option<Period>,
    pub price_basis: PriceBasis,
    pub notes: Option<String>,
    pub items: Vec<LineItem>,
    pub adjustments: Vec<DocumentAdjustment>,
    pub totals: Totals,
}

/// One line of an invoice with its net amount (`amount`, BT-131).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub description: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: Unit,
    /// Minor units, in the invoice's price basis.
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    pub discount: Option<Discount>,
    pub tax_rate_id: Option<Uuid>,
    pub rate: TaxRate,
    pub period: Option<Period>,
    /// Net of tax, in minor units.
    pub amount: i64,
}

/// An invoice-level allowance or charge with its net amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAdjustment {
    pub kind: AdjustmentKind,
    pub reason: String,
    /// As given, in the invoice's price basis.
    pub amount: i64,
    pub tax_rate_id: Option<Uuid>,
    pub rate: TaxRate,
    /// Net of tax, in minor units.
    pub net: i64,
}

impl Draft {
    /// Checks every field and reports every problem at once, keyed by the field's JSON path.
    /// `today` is the UTC date the draft is checked on; `refs` what its ids resolve to.
    pub fn parse(
        fields: DraftFields,
        today: NaiveDate,
        refs: &References,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();

        let customer = match &refs.customer {
            Some(customer) if customer.id == fields.customer_id => Some(customer.clone()),
            _ => {
                errors.add(
                    "customer_id",
                    "is not one of the account's active customers",
                );
                None
            }
        };
        let currency = Currency::parse(&fields.currency)
            .map_err(|e| errors.add("currency", e.to_string()))
            .ok();

        let latest_issue_date = today.checked_add_months(MAX_ISSUE_DATE_AHEAD);
        if latest_issue_date.is_none_or(|latest| fields.issue_date > latest) {
            errors.add("issue_date", "must be at most a year from today");
        } else if fields.issue_date < EARLIEST_ISSUE_DATE {
            errors.add(
                "issue_date",
                format!("must be on or after {EARLIEST_ISSUE_DATE}"),
            );
        } else if let Err(message) = terms::check_due_date(fields.issue_date, fields.due_date) {
            errors.add("due_date", message);
        }
        if let Some(supply) = fields.supply_date
            && (supply < EARLIEST_ISSUE_DATE
                || latest_issue_date.is_none_or(|latest| supply > latest))
        {
            errors.add(
                "supply_date",
                format!("must be from {EARLIEST_ISSUE_DATE} to a year from today"),
            );
        }
        check_period(fields.service_period, "service_period", &mut errors);

        let notes = fields
            .notes
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if notes
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTES_CHARS)
        {
            errors.add(
                "notes",
                format!("must be at most {MAX_NOTES_CHARS} characters"),
            );
        }

        let buyer_has_vat_id = customer
            .as_ref()
            .is_some_and(|c| c.vat_id.as_ref().is_some_and(|id| id.kind.is_vat()));
        let rate = |id: Option<Uuid>, path: String, errors: &mut FieldErrors| match id {
            None => Some(TaxRate::untaxed()),
            Some(id) => match refs.rates.get(&id) {
                None => {
                    errors.add(path, "is not one of the account's active tax rates");
                    None
                }
                Some(rate) => {
                    let category = rate.category();
                    if matches!(
                        category,
                        VatCategory::ReverseCharge | VatCategory::IntraCommunity
                    ) && customer.is_some()
                        && !buyer_has_vat_id
                    {
                        errors.add(
                            path,
                            format!(
                                "category {} needs the customer's VAT id: add it to the customer",
                                category.code()
                            ),
                        );
                    }
                    Some(rate.clone())
                }
            },
        };

        let lines = parse_items(fields.items, &rate, &mut errors);
        let adjustments = parse_adjustments(fields.adjustments, &rate, &mut errors);
        let (Some(customer), Some(currency), Some(lines), Some(adjustments)) =
            (customer, currency, lines, adjustments)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let priced: Vec<PricedLine> = lines.iter().map(|(line, _)| line.clone()).collect();
        let charged: Vec<Adjustment> = adjustments.iter().map(|(a, _)| a.clone()).collect();
        let totals = totals::compute(fields.price_basis, &priced, &charged).map_err(|errors| {
            errors.renamed(|field| {
                field
                    .replacen("lines", "items", 1)
                    .replace(".tax_rate", ".tax_rate_id")
                    .replace(".unit_price", ".unit_amount")
            })
        })?;
        if totals.gross_total <= 0 {
            return Err(FieldErrors::single(
                "items",
                "the invoice total must be greater than zero",
            ));
        }
        let items = lines
            .into_iter()
            .zip(&totals.lines)
            .map(|((line, described), &amount)| LineItem {
                description: described.description,
                quantity: line.quantity,
                unit: described.unit,
                unit_price: line.unit_price,
                discount: line.discount,
                tax_rate_id: described.tax_rate_id,
                rate: line.rate,
                period: described.period,
                amount,
            })
            .collect();
        let adjustments = adjustments
            .into_iter()
            .zip(&totals.adjustments)
            .map(
                |((adjustment, (reason, tax_rate_id)), &net)| DocumentAdjustment {
                    kind: adjustment.kind,
                    reason,
                    amount: adjustment.amount,
                    tax_rate_id,
                    rate: adjustment.rate,
                    net,
                },
            )
            .collect();
        Ok(Self {
            customer,
            currency,
            issue_date: fields.issue_date,
            due_date: fields.due_date,
            supply_date: fields.supply_date,
            service_period: fields.service_period,
            price_basis: fields.price_basis,
            notes,
            items,
            adjustments,
            totals,
        })
    }

    /// The sum of the line net amounts (BT-106).
    pub fn subtotal(&self) -> i64 {
        self.totals.line_total
    }

    /// What the customer owes: the total with tax (BT-112).
    pub fn total(&self) -> i64 {
        self.totals.gross_total
    }

    /// Back to plain fields, so a partial edit can be merged onto it and parsed again.
    pub fn into_fields(self) -> DraftFields {
        DraftFields {
            customer_id: self.customer.id,
            currency: self.currency.into(),
            issue_date: self.issue_date,
            due_date: self.due_date,
            supply_date: self.supply_date,
            service_period: self.service_period,
            price_basis: self.price_basis,
            notes: self.notes,
            items: self.items.into_iter().map(LineItem::into_fields).collect(),
            adjustments: self
                .adjustments
                .into_iter()
                .map(|adjustment| AdjustmentFields {
                    kind: adjustment.kind,
                    reason: adjustment.reason,
                    amount: adjustment.amount,
                    tax_rate_id: adjustment.tax_rate_id,
                })
                .collect(),
        }
    }
}

impl LineItem {
    pub fn into_fields(self) -> LineItemFields {
        let (unit_amount, unit_amount_decimal) = unit_price_fields(self.unit_price);
        LineItemFields {
            description: self.description,
            quantity: self.quantity.into(),
            unit: self.unit,
            unit_amount,
            unit_amount_decimal,
            discount: self.discount.map(|discount| match discount {
                Discount::Percent(percent) => DiscountFields::Percent(percent.into()),
                Discount::Amount(amount) => DiscountFields::Amount(amount),
            }),
            tax_rate_id: self.tax_rate_id,
            period: self.period,
        }
    }
}

/// A unit price as the API shows it, the way Stripe does: `unit_amount` when it is a whole
/// number of minor units, else `unit_amount_decimal`.
pub fn unit_price_fields(price: Decimal) -> (Option<i64>, Option<String>) {
    let price = price.normalize();
    if price.scale() == 0
        && let Ok(whole) = i64::try_from(price)
    {
        return (Some(whole), None);
    }
    (None, Some(price.to_string()))
}

/// The ids a draft's fields name, for the caller to look up.
impl DraftFields {
    pub fn rate_ids(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self
            .items
            .iter()
            .filter_map(|item| item.tax_rate_id)
            .chain(self.adjustments.iter().filter_map(|a| a.tax_rate_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn check_period(period: Option<Period>, path: &str, errors: &mut FieldErrors) {
    if let Some(period) = period {
        if period.end < period.start {
            errors.add(path, "must end on or after its start");
        } else if period.start < EARLIEST_ISSUE_DATE {
            errors.add(
                path,
                format!("must start on or after {EARLIEST_ISSUE_DATE}"),
            );
        }
    }
}

/// What a line keeps beside the arithmetic's input.
struct Described {
    description: String,
    unit: Unit,
    tax_rate_id: Option<Uuid>,
    period: Option<Period>,
}

/// What an allowance or charge keeps beside the arithmetic's input: its reason and rate id.
type Labelled = (String, Option<Uuid>);

type RateOf<'a> = dyn Fn(Option<Uuid>, String, &mut FieldErrors) -> Option<TaxRate> + 'a;

fn parse_items(
    items: Vec<LineItemFields>,
    rate: &RateOf<'_>,
    errors: &mut FieldErrors,
) -> Option<Vec<(PricedLine, Described)>> {
    if items.is_empty() {
        errors.add("items", "an invoice needs at least one line item");
        return None;
    }
    if items.len() > MAX_ITEMS {
        errors.add(
            "items",
            format!("an invoice can have at most {MAX_ITEMS} line items"),
        );
        return None;
    }
    let before = errors.len();
    let mut parsed = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let path = |field: &str| format!("items[{index}].{field}");
        let description = item.description.trim().to_owned();
        if description.is_empty() {
            errors.add(path("description"), "must not be empty");
        } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
            errors.add(
                path("description"),
                format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
            );
        }
        let quantity = item
            .quantity
            .parse()
            .map_err(|message| errors.add(path("quantity"), message))
            .ok();
        let unit_price = match (item.unit_amount, item.unit_amount_decimal) {
            (Some(_), Some(_)) => {
                errors.add(
                    path("unit_amount"),
                    "give unit_amount or unit_amount_decimal, not both",
                );
                None
            }
            (None, None) => {
                errors.add(
                    path("unit_amount"),
                    "is required (or unit_amount_decimal for a price finer than the minor unit)",
                );
                None
            }
            (Some(amount), None) if !(0..=MAX_AMOUNT).contains(&amount) => {
                errors.add(
                    path("unit_amount"),
                    format!("must be from 0 to {MAX_AMOUNT}"),
                );
                None
            }
            (Some(amount), None) => Some(Decimal::from(amount)),
            (None, Some(text)) => match DecimalText(text).parse() {
                Ok(price) if price.scale() > MAX_UNIT_PRICE_DECIMALS => {
                    errors.add(
                        path("unit_amount_decimal"),
                        format!("must have at most {MAX_UNIT_PRICE_DECIMALS} decimal places"),
                    );
                    None
                }
                Ok(price) => Some(price),
                Err(message) => {
                    errors.add(path("unit_amount_decimal"), message);
                    None
                }
            },
        };
        let discount = match item.discount {
            None => Some(None),
            Some(DiscountFields::Amount(amount)) if amount <= 0 => {
                errors.add(path("discount.amount"), "must be above 0");
                None
            }
            Some(DiscountFields::Amount(amount)) => Some(Some(Discount::Amount(amount))),
            Some(DiscountFields::Percent(text)) => match text.parse() {
                Ok(percent) if percent <= Decimal::ZERO => {
                    errors.add(path("discount.percent"), "must be above 0");
                    None
                }
                Ok(percent) => Some(Some(Discount::Percent(percent))),
                Err(message) => {
                    errors.add(path("discount.percent"), message);
                    None
                }
            },
        };
        check_period(item.period, &path("period"), errors);
        let rate = rate(item.tax_rate_id, path("tax_rate_id"), errors);
        if let (Some(quantity), Some(unit_price), Some(discount), Some(rate)) =
            (quantity, unit_price, discount, rate)
        {
            parsed.push((
                PricedLine {
                    quantity,
                    unit_price,
                    discount,
                    rate,
                },
                Described {
                    description,
                    unit: item.unit,
                    tax_rate_id: item.tax_rate_id,
                    period: item.period,
                },
            ));
        }
    }
    (errors.len() == before).then_some(parsed)
}

fn parse_adjustments(
    adjustments: Vec<AdjustmentFields>,
    rate: &RateOf<'_>,
    errors: &mut FieldErrors,
) -> Option<Vec<(Adjustment, Labelled)>> {
    if adjustments.len() > MAX_ADJUSTMENTS {
        errors.add(
            "adjustments",
            format!("an invoice can have at most {MAX_ADJUSTMENTS} allowances and charges"),
        );
        return None;
    }
    let before = errors.len();
    let mut parsed = Vec::with_capacity(adjustments.len());
    for (index, adjustment) in adjustments.into_iter().enumerate() {
        let path = |field: &str| format!("adjustments[{index}].{field}");
        let reason = adjustment.reason.trim().to_owned();
        if reason.is_empty() {
            errors.add(path("reason"), "must not be empty");
        } else if reason.chars().count() > MAX_REASON_CHARS || reason.chars().any(char::is_control)
        {
            errors.add(
                path("reason"),
                format!("must be one line of at most {MAX_REASON_CHARS} characters"),
            );
        }
        if !(1..=MAX_AMOUNT).contains(&adjustment.amount) {
            errors.add(path("amount"), format!("must be from 1 to {MAX_AMOUNT}"));
        }
        if let Some(rate) = rate(adjustment.tax_rate_id, path("tax_rate_id"), errors) {
            parsed.push((
                Adjustment {
                    kind: adjustment.kind,
                    amount: adjustment.amount,
                    rate,
                },
                (reason, adjustment.tax_rate_id),
            ));
        }
    }
    (errors.len() == before).then_some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        party::{TaxIdFields, TaxIdKind},
        tax::Exemption,
    };

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    const CUSTOMER: Uuid = Uuid::from_u128(1);
    const VAT_19: Uuid = Uuid::from_u128(19);
    const VAT_7: Uuid = Uuid::from_u128(7);
    const REVERSE: Uuid = Uuid::from_u128(99);

    fn refs(vat_id: Option<&str>) -> References {
        let rate = |category, percent: &str, exemption: Option<&str>| {
            TaxRate::new(
                category,
                percent.parse().unwrap(),
                exemption.map(|reason| Exemption {
                    reason: reason.into(),
                    code: None,
                }),
            )
            .unwrap()
        };
        References {
            customer: Some(CustomerRef {
                id: CUSTOMER,
                name: "Acme GmbH".into(),
                email: Email::parse("ap@acme.example").unwrap(),
                vat_id: vat_id.map(|value| {
                    TaxId::parse(TaxIdFields {
                        kind: TaxIdKind::EuVat,
                        value: value.into(),
                    })
                    .unwrap()
                }),
            }),
            rates: HashMap::from([
                (VAT_19, rate(VatCategory::Standard, "19", None)),
                (VAT_7, rate(VatCategory::Standard, "7", None)),
                (
                    REVERSE,
                    rate(VatCategory::ReverseCharge, "0", Some("Reverse charge")),
                ),
            ]),
        }
    }

    fn line(quantity: &str, unit_amount: i64, rate: Option<Uuid>) -> LineItemFields {
        LineItemFields {
            description: "Design".into(),
            quantity: DecimalText(quantity.into()),
            unit: Unit::Hour,
            unit_amount: Some(unit_amount),
            unit_amount_decimal: None,
            discount: None,
            tax_rate_id: rate,
            period: None,
        }
    }

    fn fields() -> DraftFields {
        DraftFields {
            customer_id: CUSTOMER,
            currency: "eur".into(),
            issue_date: today(),
            due_date: today() + chrono::Days::new(30),
            supply_date: None,
            service_period: None,
            price_basis: PriceBasis::Exclusive,
            notes: Some("  ".into()),
            items: vec![
                line("1.5", 10_000, Some(VAT_19)),
                line("3", 999, Some(VAT_7)),
            ],
            adjustments: vec![],
        }
    }

    #[test]
    fn computes_lines_and_the_tax_per_rate() {
        let draft = Draft::parse(fields(), today(), &refs(None)).unwrap();
        assert_eq!(draft.customer.name, "Acme GmbH");
        assert_eq!(draft.currency.code(), "EUR");
        assert_eq!(draft.notes, None);
        assert_eq!(draft.items[0].amount, 15_000);
        assert_eq!(draft.items[1].amount, 2_997);
        assert_eq!(draft.subtotal(), 17_997);
        // 19 % of 150.00 = 28.50; 7 % of 29.97 = 2.0979 → 2.10.
        assert_eq!(draft.totals.tax_total, 2_850 + 210);
        assert_eq!(draft.total(), 17_997 + 3_060);
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let mut f = fields();
        f.customer_id = Uuid::from_u128(2);
        f.currency = "ABC".into();
        f.due_date = today() - chrono::Days::new(1);
        f.items[0].quantity = DecimalText("1.23456".into());
        f.items[1].unit_amount = None;
        f.items[1].tax_rate_id = Some(Uuid::from_u128(3));
        let errors = Draft::parse(f, today(), &refs(None)).unwrap_err();
        let fields: Vec<&str> = errors.fields().collect();
        assert_eq!(
            fields,
            [
                "currency",
                "customer_id",
                "due_date",
                "items[1].tax_rate_id",
                "items[1].unit_amount",
            ]
        );
        // The arithmetic's own checks (here the quantity's places) come once the ids resolve.
        let mut f = self::fields();
        f.items[0].quantity = DecimalText("1.23456".into());
        f.items[1].discount = Some(DiscountFields::Amount(1_000_000));
        let errors = Draft::parse(f, today(), &refs(None)).unwrap_err();
        let fields: Vec<&str> = errors.fields().collect();
        assert_eq!(fields, ["items[0].quantity", "items[1].discount"]);
    }

    #[test]
    fn a_reverse_charge_needs_the_customers_vat_id() {
        let mut f = fields();
        f.items[1].tax_rate_id = Some(REVERSE);
        let errors = Draft::parse(f.clone(), today(), &refs(None)).unwrap_err();
        assert!(errors.has("items[1].tax_rate_id"), "{errors}");
        assert!(Draft::parse(f, today(), &refs(Some("FR12345678901"))).is_ok());
    }

    #[test]
    fn unit_prices_finer_than_the_minor_unit_and_numbers_as_json_numbers() {
        let mut f = fields();
        f.items[0].unit_amount = None;
        f.items[0].unit_amount_decimal = Some("0.125".into());
        f.items[0].quantity = serde_json::from_str("1000").unwrap();
        f.items[1].quantity = serde_json::from_str("1.1").unwrap();
        let draft = Draft::parse(f, today(), &refs(None)).unwrap();
        assert_eq!(draft.items[0].amount, 125);
        assert_eq!(draft.items[1].quantity, Decimal::new(11, 1));
        assert_eq!(draft.items[1].amount, 1_099);
        assert_eq!(
            unit_price_fields(draft.items[0].unit_price),
            (None, Some("0.125".into()))
        );
        assert_eq!(unit_price_fields(Decimal::new(999, 0)), (Some(999), None));
    }

    #[test]
    fn allowances_and_charges_fall_in_their_rates() {
        let mut f = fields();
        f.adjustments = vec![
            AdjustmentFields {
                kind: AdjustmentKind::Allowance,
                reason: "Loyalty".into(),
                amount: 1_000,
                tax_rate_id: Some(VAT_19),
            },
            AdjustmentFields {
                kind: AdjustmentKind::Charge,
                reason: " ".into(),
                amount: 0,
                tax_rate_id: None,
            },
        ];
        let errors = Draft::parse(f.clone(), today(), &refs(None)).unwrap_err();
        let fields: Vec<&str> = errors.fields().collect();
        assert_eq!(fields, ["adjustments[1].amount", "adjustments[1].reason"]);
        f.adjustments.truncate(1);
        let draft = Draft::parse(f, today(), &refs(None)).unwrap();
        assert_eq!(draft.totals.allowance_total, 1_000);
        assert_eq!(draft.totals.net_total, 16_997);
        // 19 % of 140.00 = 26.60.
        assert_eq!(draft.totals.tax_total, 2_660 + 210);
    }

    #[test]
    fn refuses_empty_and_oversized_item_lists() {
        let mut f = fields();
        f.items.clear();
        assert!(
            Draft::parse(f, today(), &refs(None))
                .unwrap_err()
                .has("items")
        );

        let mut f = fields();
        f.items = vec![f.items[0].clone(); MAX_ITEMS + 1];
        assert!(
            Draft::parse(f, today(), &refs(None))
                .unwrap_err()
                .has("items")
        );
    }

    #[test]
    fn refuses_a_zero_total() {
        let mut f = fields();
        for item in &mut f.items {
            item.unit_amount = Some(0);
        }
        assert!(
            Draft::parse(f, today(), &refs(None))
                .unwrap_err()
                .has("items")
        );
    }

    #[test]
    fn dates_stay_in_order_and_within_sane_bounds() {
        let mut f = fields();
        f.due_date = f.issue_date;
        assert!(Draft::parse(f.clone(), today(), &refs(None)).is_ok());
        f.issue_date = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert!(
            Draft::parse(f.clone(), today(), &refs(None))
                .unwrap_err()
                .has("issue_date")
        );
        let mut f = fields();
        f.service_period = Some(Period {
            start: today(),
            end: today().pred_opt().unwrap(),
        });
        f.supply_date = Some(today() + chrono::Days::new(400));
        let errors = Draft::parse(f, today(), &refs(None)).unwrap_err();
        assert!(errors.has("service_period") && errors.has("supply_date"));
    }

    #[test]
    fn survives_a_round_trip_through_fields() {
        let mut f = fields();
        f.items[0].discount = Some(DiscountFields::Percent(DecimalText("12.5".into())));
        let draft = Draft::parse(f, today(), &refs(None)).unwrap();
        assert_eq!(
            Draft::parse(draft.clone().into_fields(), today(), &refs(None)),
            Ok(draft)
        );
    }
}
