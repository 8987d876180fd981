//! Reports for the person who keeps the books: receivables aging as of a day, per currency and
//! customer, and the invoices behind each figure. Computed by PostgreSQL on each request
//! (`invoicing_store::aging`, which defines what is receivable and open), one query per answer.

use crate::{
    auth::AuthUser,
    cursor::{self, PageJson},
    error::ApiError,
    extract::{self, Query},
    openapi::{BadRequest, Unauthorized, Unavailable},
    state::AppState,
};
use axum::{Json, extract::State};
use chrono::{Datelike, NaiveDate, Utc};
use invoicing_store::{
    aging::{self, AgingLine, Bucket, Buckets, Filter, OpenInvoice},
    invoice_list::Position,
};
use invoicing_workflows::domain::{Currency, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, ToSchema,
    openapi::{ObjectBuilder, Type},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(aging_report))
        .routes(routes!(aging_invoices))
}

/// A day from a query parameter (`YYYY-MM-DD`): absent or empty is `None`; anything else that is
/// not a date is a 422 at the parameter.
pub(super) fn query_day(
    name: &str,
    raw: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    let raw = raw.filter(|raw| !raw.is_empty())?;
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        // Years PostgreSQL's dates and the API's `YYYY-MM-DD` both hold: chrono parses more.
        Ok(day) if (1..=9999).contains(&day.year()) => Some(day),
        Ok(_) => {
            errors.add(name, "must be a date from the year 1 to 9999");
            None
        }
        Err(_) => {
            errors.add(name, "must be a date like 2026-11-24");
            None
        }
    }
}

/// A period of days: `to` not before `from`, and at most `max_days` from one to the other,
/// both included; else the message at `to`.
pub(super) fn check_span(from: NaiveDate, to: NaiveDate, max_days: i64, errors: &mut FieldErrors) {
    if to < from {
        errors.add("to", "must not be before from");
    } else if (to - from).num_days() + 1 > max_days {
        errors.add(
            "to",
            format!("must be at most {max_days} days from from, both included"),
        );
    }
}

/// `as_of`, today (UTC) when absent.
fn as_of(raw: Option<&str>) -> Result<NaiveDate, ApiError> {
    let mut errors = FieldErrors::default();
    let day = query_day("as_of", raw, &mut errors);
    errors.into_result()?;
    Ok(day.unwrap_or_else(|| Utc::now().date_naive()))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AgingParams {
    /// The day the receivables are aged at, at its end (UTC); today when left out.
    #[param(value_type = Option<NaiveDate>)]
    as_of: Option<String>,
}

/// The caller's receivables at the end of a day, by currency.
#[derive(Serialize, ToSchema)]
#[schema(as = Aging)]
struct AgingJson {
    as_of: NaiveDate,
    /// One entry per currency anything is owed in, by currency code.
    currencies: Vec<AgingCurrencyJson>,
}

/// What is owed in one currency: in all, and by each customer.
#[derive(Serialize, ToSchema)]
#[schema(as = AgingCurrency)]
struct AgingCurrencyJson {
    /// ISO 4217.
    #[schema(example = "EUR")]
    currency: String,
    totals: BucketsJson,
    /// Every customer owed anything in this currency, by name.
    customers: Vec<AgingCustomerJson>,
}

/// One customer's open amounts in one currency.
#[derive(Serialize, ToSchema)]
#[schema(as = AgingCustomer)]
struct AgingCustomerJson {
    customer_id: Uuid,
    /// The customer's display name, as it is now.
    #[schema(example = "Acme Ltd")]
    name: String,
    #[serde(flatten)]
    buckets: BucketsJson,
}

/// Open amounts by days past due, in minor units of the currency, and how many invoices they
/// are. An invoice's open amount is its total less the payments (net of refunds) recorded and
/// the credit notes (less their excess, refunded or kept as the customer's credit) issued by
/// the end of the day.
#[derive(Serialize, ToSchema)]
#[schema(as = AgingBuckets)]
struct BucketsJson {
    /// Not yet due (due on the day or later).
    current: i64,
    /// 1 to 30 days past due.
    days_1_30: i64,
    days_31_60: i64,
    days_61_90: i64,
    /// More than 90 days past due.
    over_90: i64,
    /// Every bucket together.
    total: i64,
    invoice_count: i64,
}

impl From<Buckets> for BucketsJson {
    fn from(buckets: Buckets) -> Self {
        Self {
            current: buckets.current,
            days_1_30: buckets.days_1_30,
            days_31_60: buckets.days_31_60,
            days_61_90: buckets.days_61_90,
            over_90: buckets.over_90,
            total: buckets.total(),
            invoice_count: buckets.invoices,
        }
    }
}

/// Receivables aging
///
/// What the caller's customers owed at the end of `as_of` (UTC), per currency and customer, by
/// days past due: invoices sent on or before the day and neither void nor written off by then,
/// less the payments recorded by then (net of refunds, which count as of their payment's day,
/// but those a credit note made, which count as of the note's) and the credit notes issued by
/// then (less their excess: what went back to the customer or to their credit balance). As of
/// today an invoice's open amount is its `amount_due`; a fully credited invoice leaves the
/// report on its last credit note's day. The caller's own invoices only, administrators
/// included.
#[utoipa::path(
    get,
    path = "/reports/aging",
    operation_id = "aging_report",
    tag = "reports",
    security(("bearer" = [])),
    params(AgingParams),
    responses(
        (status = 200, description = "The receivables at the end of the day.", body = AgingJson),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn aging_report(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<AgingParams>,
) -> Result<Json<AgingJson>, ApiError> {
    let as_of = as_of(params.as_of.as_deref())?;
    let lines = aging::summary(&state.db, caller.id, as_of).await?;
    Ok(Json(AgingJson {
        as_of,
        currencies: by_currency(lines),
    }))
}

/// Groups the summary's lines (each currency's totals, then its customers) by currency.
fn by_currency(lines: Vec<AgingLine>) -> Vec<AgingCurrencyJson> {
    let mut currencies: Vec<AgingCurrencyJson> = Vec::new();
    for line in lines {
        let code = line.currency.code();
        match line.customer {
            None => currencies.push(AgingCurrencyJson {
                currency: code.to_owned(),
                totals: line.buckets.into(),
                customers: Vec::new(),
            }),
            Some((customer_id, name)) => {
                if let Some(currency) = currencies.last_mut().filter(|c| c.currency == code) {
                    currency.customers.push(AgingCustomerJson {
                        customer_id,
                        name,
                        buckets: line.buckets.into(),
                    });
                }
            }
        }
    }
    currencies
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AgingInvoicesParams {
    /// As in the aging report: today (UTC) when left out.
    #[param(value_type = Option<NaiveDate>)]
    as_of: Option<String>,
    /// Only invoices in this currency (ISO 4217).
    #[param(example = "EUR")]
    currency: Option<String>,
    /// Only this customer's invoices.
    #[param(value_type = Option<Uuid>)]
    customer_id: Option<String>,
    /// Only the invoices in this bucket.
    #[param(schema_with = bucket_schema)]
    bucket: Option<String>,
    /// Invoices per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before, with the same filters.
    cursor: Option<String>,
}

/// `bucket`: one of [`Bucket::ALL`].
fn bucket_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Bucket::ALL.map(Bucket::as_str)))
}

/// An invoice open at the end of the day.
#[derive(Serialize, ToSchema)]
#[schema(as = AgingInvoice)]
struct AgingInvoiceJson {
    id: Uuid,
    #[schema(required = true, example = "INV-000001")]
    number: Option<String>,
    customer_id: Uuid,
    /// The customer's display name, as it is now.
    #[schema(example = "Acme Ltd")]
    customer_name: String,
    /// ISO 4217.
    #[schema(example = "EUR")]
    currency: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    /// Days from the due date to `as_of`; zero or less when not yet due.
    days_past_due: i32,
    #[schema(schema_with = bucket_schema)]
    bucket: String,
    /// What was still owed at the end of the day, in minor units.
    open_amount: i64,
}

impl From<OpenInvoice> for AgingInvoiceJson {
    fn from(invoice: OpenInvoice) -> Self {
        Self {
            id: invoice.id,
            number: invoice.number,
            customer_id: invoice.customer_id,
            customer_name: invoice.customer_name,
            currency: invoice.currency.code().to_owned(),
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            days_past_due: invoice.days_past_due,
            bucket: Bucket::of(invoice.days_past_due).as_str().to_owned(),
            open_amount: invoice.open,
        }
    }
}

/// The invoices behind the aging report
///
/// The invoices open at the end of `as_of`, the longest past due first (by due date), a page
/// at a time; filtered by currency, customer and bucket, they add up to the report's figure
/// for that currency, customer and bucket.
#[utoipa::path(
    get,
    path = "/reports/aging/invoices",
    operation_id = "aging_invoices",
    tag = "reports",
    security(("bearer" = [])),
    params(AgingInvoicesParams),
    responses(
        (status = 200, description = "A page of the open invoices.", body = PageJson<AgingInvoiceJson>),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn aging_invoices(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<AgingInvoicesParams>,
) -> Result<Json<PageJson<AgingInvoiceJson>>, ApiError> {
    let as_of = as_of(params.as_of.as_deref())?;
    let currency = params
        .currency
        .as_deref()
        .filter(|raw| !raw.is_empty())
        .map(|raw| {
            Currency::parse(raw).map_err(|_| {
                ApiError::BadRequest("currency must be an ISO 4217 code like EUR".to_owned())
            })
        })
        .transpose()?;
    let customer_id = params
        .customer_id
        .as_deref()
        .filter(|raw| !raw.is_empty())
        .map(|raw| {
            Uuid::parse_str(raw)
                .map_err(|_| ApiError::BadRequest("customer_id must be a UUID".to_owned()))
        })
        .transpose()?;
    let filter = Filter {
        currency,
        customer_id,
        bucket: extract::optional::<Bucket>(params.bucket.as_deref())?,
    };
    // The key of the list's order, due date and id: the invoice list's `due_date` cursor.
    let after = match params.cursor.as_deref().filter(|raw| !raw.is_empty()) {
        None => None,
        Some(raw) => match cursor::decode_position(raw) {
            Some(Position::DueDate(Some(key))) => Some(key),
            _ => return Err(cursor::not_ours()),
        },
    };
    let limit = cursor::parse_limit(params.limit.as_deref())?;
    let mut rows = aging::invoices(&state.db, caller.id, as_of, &filter, after, limit + 1).await?;
    let next_cursor = cursor::cut(limit, &mut rows, |last| {
        cursor::encode_position(Position::DueDate(Some((last.due_date, last.id))))
    });
    Ok(Json(PageJson {
        data: rows.into_iter().map(AgingInvoiceJson::from).collect(),
        next_cursor,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(current: i64, invoices: i64) -> Buckets {
        Buckets {
            current,
            invoices,
            ..Buckets::default()
        }
    }

    #[test]
    fn lines_group_by_currency_with_their_customers() {
        let eur = Currency::parse("EUR").unwrap();
        let usd = Currency::parse("USD").unwrap();
        let (ann, bob) = (Uuid::new_v4(), Uuid::new_v4());
        let lines = vec![
            AgingLine {
                currency: eur,
                customer: None,
                buckets: buckets(300, 2),
            },
            AgingLine {
                currency: eur,
                customer: Some((ann, "Ann".to_owned())),
                buckets: buckets(100, 1),
            },
            AgingLine {
                currency: eur,
                customer: Some((bob, "Bob".to_owned())),
                buckets: buckets(200, 1),
            },
            AgingLine {
                currency: usd,
                customer: None,
                buckets: buckets(5, 1),
            },
            AgingLine {
                currency: usd,
                customer: Some((bob, "Bob".to_owned())),
                buckets: buckets(5, 1),
            },
        ];

        let currencies = by_currency(lines);

        assert_eq!(currencies.len(), 2);
        assert_eq!(currencies[0].currency, "EUR");
        assert_eq!(currencies[0].totals.total, 300);
        let names: Vec<&str> = currencies[0]
            .customers
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["Ann", "Bob"]);
        assert_eq!(currencies[1].customers[0].customer_id, bob);
        assert_eq!(currencies[1].customers[0].buckets.current, 5);
    }

    #[test]
    fn as_of_is_a_date_or_today() {
        assert_eq!(
            as_of(Some("2026-02-28")).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(as_of(None).unwrap(), Utc::now().date_naive());
        assert_eq!(as_of(Some("")).unwrap(), Utc::now().date_naive());
        for bad in ["2026-02-30", "28.02.2026", "yesterday"] {
            assert!(
                matches!(as_of(Some(bad)), Err(ApiError::Validation(_))),
                "{bad}"
            );
        }
    }
}
