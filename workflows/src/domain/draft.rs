//! The editable content of an invoice (client, dates, line items) and the rules it must meet.

use super::{
    email::Email,
    money::{Currency, MAX_AMOUNT},
    terms,
    validation::FieldErrors,
};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

pub const MAX_ITEMS: usize = 500;
pub const MAX_QUANTITY: i64 = 1_000_000;
pub const MAX_CLIENT_NAME_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
pub const MAX_NOTES_CHARS: usize = 5_000;
/// An invoice may be dated up to a year ahead (pre-billing), never absurdly far.
const MAX_ISSUE_DATE_AHEAD: Months = Months::new(12);
/// Nothing is invoiced for work before this; earlier dates are typos.
const EARLIEST_ISSUE_DATE: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();

/// Draft content as a client typed it: the right JSON types, not yet checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftFields {
    pub client_name: String,
    pub client_email: String,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub notes: Option<String>,
    pub items: Vec<LineItemFields>,
}

/// One line of a draft as a client typed it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItemFields {
    pub description: String,
    pub quantity: i64,
    /// Minor units of the invoice's currency.
    pub unit_amount: i64,
}

/// Draft content that meets every rule: a non-empty client, a valid e-mail and currency,
/// dates in order, 1..=500 items with positive quantities, and a total that fits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub client_name: String,
    pub client_email: Email,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub notes: Option<String>,
    pub items: Vec<LineItem>,
}

/// One line of an invoice; `amount` is `quantity × unit_amount`, checked not to overflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub description: String,
    pub quantity: i64,
    pub unit_amount: i64,
    pub amount: i64,
}

impl Draft {
    /// Checks every field and reports every problem at once, keyed by the field's JSON path.
    /// `today` is the UTC date the draft is checked on.
    pub fn parse(fields: DraftFields, today: NaiveDate) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();

        let client_name = fields.client_name.trim().to_owned();
        if client_name.is_empty() {
            errors.add("client_name", "must not be empty");
        } else if client_name.chars().count() > MAX_CLIENT_NAME_CHARS {
            errors.add(
                "client_name",
                format!("must be at most {MAX_CLIENT_NAME_CHARS} characters"),
            );
        }

        let client_email = Email::parse(&fields.client_email)
            .map_err(|e| errors.add("client_email", e.to_string()))
            .ok();
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

        let items = parse_items(fields.items, &mut errors);

        match (client_email, currency, items) {
            (Some(client_email), Some(currency), Some(items)) if errors.is_empty() => Ok(Self {
                client_name,
                client_email,
                currency,
                issue_date: fields.issue_date,
                due_date: fields.due_date,
                notes,
                items,
            }),
            _ => Err(errors),
        }
    }

    /// Sum of the line amounts; `parse` guarantees it fits.
    pub fn subtotal(&self) -> i64 {
        self.items.iter().map(|item| item.amount).sum()
    }

    /// What the client owes. Taxes and discounts are not modelled yet, so it is the subtotal.
    pub fn total(&self) -> i64 {
        self.subtotal()
    }

    /// Back to plain fields, so a partial edit can be merged onto it and parsed again.
    pub fn into_fields(self) -> DraftFields {
        DraftFields {
            client_name: self.client_name,
            client_email: self.client_email.into(),
            currency: self.currency.into(),
            issue_date: self.issue_date,
            due_date: self.due_date,
            notes: self.notes,
            items: self
                .items
                .into_iter()
                .map(|item| LineItemFields {
                    description: item.description,
                    quantity: item.quantity,
                    unit_amount: item.unit_amount,
                })
                .collect(),
        }
    }
}

fn parse_items(items: Vec<LineItemFields>, errors: &mut FieldErrors) -> Option<Vec<LineItem>> {
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
    let errors_before = errors.len();
    let mut parsed = Vec::with_capacity(items.len());
    let mut total: i64 = 0;
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
        if item.quantity <= 0 {
            errors.add(path("quantity"), "must be greater than zero");
        } else if item.quantity > MAX_QUANTITY {
            errors.add(path("quantity"), format!("must be at most {MAX_QUANTITY}"));
        }
        if item.unit_amount < 0 {
            errors.add(path("unit_amount"), "must not be negative");
        } else if item.unit_amount > MAX_AMOUNT {
            errors.add(path("unit_amount"), format!("must be at most {MAX_AMOUNT}"));
        }
        let amount = item
            .quantity
            .checked_mul(item.unit_amount)
            .filter(|amount| *amount <= MAX_AMOUNT);
        match amount {
            Some(amount) if item.quantity > 0 && item.unit_amount >= 0 => {
                total = total.saturating_add(amount);
                parsed.push(LineItem {
                    description,
                    quantity: item.quantity,
                    unit_amount: item.unit_amount,
                    amount,
                });
            }
            Some(_) => {}
            None if item.quantity > 0 && item.unit_amount >= 0 => errors.add(
                path("unit_amount"),
                format!("quantity × unit_amount must be at most {MAX_AMOUNT}"),
            ),
            None => {}
        }
    }
    if errors.len() > errors_before {
        return None;
    }
    if total > MAX_AMOUNT {
        errors.add(
            "items",
            format!("the invoice total must be at most {MAX_AMOUNT}"),
        );
        return None;
    }
    if total == 0 {
        errors.add("items", "the invoice total must be greater than zero");
        return None;
    }
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn fields() -> DraftFields {
        DraftFields {
            client_name: " Acme Ltd ".into(),
            client_email: "ap@acme.example".into(),
            currency: "usd".into(),
            issue_date: today(),
            due_date: today() + chrono::Days::new(30),
            notes: Some("  ".into()),
            items: vec![
                LineItemFields {
                    description: "Design".into(),
                    quantity: 3,
                    unit_amount: 12_500,
                },
                LineItemFields {
                    description: "Hosting".into(),
                    quantity: 1,
                    unit_amount: 999,
                },
            ],
        }
    }

    #[test]
    fn computes_line_amounts_and_totals() {
        let draft = Draft::parse(fields(), today()).unwrap();
        assert_eq!(draft.client_name, "Acme Ltd");
        assert_eq!(draft.currency.code(), "USD");
        assert_eq!(draft.notes, None);
        assert_eq!(draft.items[0].amount, 37_500);
        assert_eq!(draft.subtotal(), 38_499);
        assert_eq!(draft.total(), 38_499);
    }

    #[test]
    fn reports_every_problem_with_its_path() {
        let mut f = fields();
        f.client_name = "".into();
        f.client_email = "nope".into();
        f.currency = "ABC".into();
        f.due_date = today() - chrono::Days::new(1);
        f.items[0].quantity = 0;
        f.items[1].unit_amount = -1;
        let errors = Draft::parse(f, today()).unwrap_err();
        let fields: Vec<&str> = errors.fields().collect();
        assert_eq!(
            fields,
            [
                "client_email",
                "client_name",
                "currency",
                "due_date",
                "items[0].quantity",
                "items[1].unit_amount"
            ]
        );
    }

    #[test]
    fn refuses_empty_and_oversized_item_lists() {
        let mut f = fields();
        f.items.clear();
        assert!(Draft::parse(f, today()).unwrap_err().has("items"));

        let mut f = fields();
        f.items = vec![f.items[0].clone(); MAX_ITEMS + 1];
        assert!(Draft::parse(f, today()).unwrap_err().has("items"));
    }

    #[test]
    fn refuses_amounts_that_overflow() {
        let mut f = fields();
        f.items[0].quantity = MAX_QUANTITY;
        f.items[0].unit_amount = MAX_AMOUNT;
        assert!(
            Draft::parse(f, today())
                .unwrap_err()
                .has("items[0].unit_amount")
        );

        let mut f = fields();
        f.items[0].quantity = 1;
        f.items[0].unit_amount = MAX_AMOUNT;
        f.items[1].unit_amount = 1;
        assert!(Draft::parse(f, today()).unwrap_err().has("items"));

        let mut f = fields();
        f.items[0].unit_amount = i64::MAX;
        assert!(
            Draft::parse(f, today())
                .unwrap_err()
                .has("items[0].unit_amount")
        );
    }

    #[test]
    fn refuses_a_zero_total() {
        let mut f = fields();
        for item in &mut f.items {
            item.unit_amount = 0;
        }
        assert!(Draft::parse(f, today()).unwrap_err().has("items"));
    }

    #[test]
    fn due_date_may_equal_the_issue_date_but_not_precede_it() {
        let mut f = fields();
        f.due_date = f.issue_date;
        assert!(Draft::parse(f.clone(), today()).is_ok());
        f.due_date = f.issue_date.pred_opt().unwrap();
        assert!(Draft::parse(f, today()).unwrap_err().has("due_date"));
    }

    #[test]
    fn issue_dates_stay_within_sane_bounds() {
        let mut f = fields();
        f.issue_date = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
        assert!(
            Draft::parse(f.clone(), today())
                .unwrap_err()
                .has("issue_date")
        );
        f.issue_date = today() + chrono::Days::new(400);
        f.due_date = f.issue_date;
        assert!(Draft::parse(f, today()).unwrap_err().has("issue_date"));
    }

    #[test]
    fn survives_a_round_trip_through_fields() {
        let draft = Draft::parse(fields(), today()).unwrap();
        assert_eq!(
            Draft::parse(draft.clone().into_fields(), today()),
            Ok(draft)
        );
    }
}
