//! The caller's dashboard: what is owed and overdue per currency, the invoices that need
//! attention, and six months of invoiced, paid and credited amounts. Read from PostgreSQL (the
//! read model) on each request: a handful of aggregate queries over one account's invoices.

use crate::{
    auth::AuthUser,
    error::ApiError,
    openapi::{Unauthorized, Unavailable},
    state::AppState,
    views::SummaryJson,
};
use axum::{Json, extract::State};
use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Utc};
use invoicing_store::reports::{self, MonthAmounts, Outstanding};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

/// How many invoices `attention` lists at most.
const ATTENTION_LIMIT: i64 = 10;
/// Sent invoices due within this many days need attention.
const DUE_SOON_DAYS: u64 = 7;
/// How many calendar months `months` covers, the current one included.
const MONTHS: u32 = 6;

/// The caller's invoices at a glance. Amounts are integer minor units of their `currency`.
#[derive(Serialize, ToSchema)]
#[schema(as = Dashboard)]
struct DashboardJson {
    /// Today (UTC): the day the figures are for.
    as_of: NaiveDate,
    /// One entry per currency the account has an invoice in that is not a draft (so every
    /// currency it has payments in), by currency code.
    currencies: Vec<CurrencyJson>,
    /// Every overdue invoice, the longest overdue first, then the sent invoices due within
    /// seven days, soonest first; at most 10 in all.
    attention: Vec<SummaryJson>,
    /// The last six calendar months (UTC), the current one included, oldest first: one entry
    /// per month and currency of `currencies`, zeros included.
    months: Vec<MonthJson>,
}

/// What the account is owed, and was paid and credited this month, in one currency.
#[derive(Serialize, ToSchema)]
#[schema(as = DashboardCurrency)]
struct CurrencyJson {
    /// ISO 4217.
    #[schema(example = "USD")]
    currency: String,
    /// The amount due (`total - amount_paid - amount_credited + amount_to_balance`) of the
    /// open invoices (`sent` and `overdue`, partly paid or credited or not).
    outstanding: i64,
    outstanding_count: i64,
    /// The amount due of the overdue invoices.
    overdue: i64,
    overdue_count: i64,
    /// Payments recorded since the first day of the current month (UTC), less what was
    /// refunded on them (and what this month's credit notes refunded).
    paid_this_month: i64,
    /// The gross totals of the credit notes issued this month.
    credited_this_month: i64,
}

/// What was invoiced, paid and credited in one currency in one month.
#[derive(Serialize, ToSchema)]
#[schema(as = DashboardMonth)]
struct MonthJson {
    /// The calendar month (UTC), `YYYY-MM`.
    #[schema(example = "2026-06", pattern = r"^\d{4}-\d{2}$")]
    month: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    currency: String,
    /// The totals of the invoices sent that month, unless voided since.
    invoiced: i64,
    /// The money received that month: the payments recorded, less what was refunded on them
    /// (a refund a credit note made counts in the note's month); a payment from the customer's
    /// credit balance is not counted (its money was received once, before a credit note moved
    /// it to the balance).
    paid: i64,
    /// The gross totals of the credit notes issued that month.
    credited: i64,
}

/// The caller's dashboard
///
/// Outstanding and overdue amounts per currency, what was paid and credited this month, the
/// invoices that need attention, and what was invoiced, paid and credited in each of the last
/// six months. The
/// caller's own invoices only, administrators included.
#[utoipa::path(
    get,
    path = "/dashboard",
    operation_id = "dashboard",
    tag = "invoices",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's figures as of today.", body = DashboardJson),
        Unauthorized, Unavailable,
    ),
)]
async fn dashboard(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<Json<DashboardJson>, ApiError> {
    let today = Utc::now().date_naive();
    let months = last_months(today);
    let since = months
        .first()
        .copied()
        .unwrap_or(today)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let (outstanding, amounts, attention) = tokio::try_join!(
        reports::outstanding(&state.db, caller.id),
        reports::months(&state.db, caller.id, since),
        reports::attention(
            &state.db,
            caller.id,
            today + Days::new(DUE_SOON_DAYS),
            ATTENTION_LIMIT
        ),
    )?;
    let (currencies, months) = figures(&months, outstanding, amounts);
    Ok(Json(DashboardJson {
        as_of: today,
        currencies,
        attention: attention.into_iter().map(SummaryJson::from).collect(),
        months,
    }))
}

/// The first days of the last [`MONTHS`] months up to `today`'s, oldest first.
fn last_months(today: NaiveDate) -> Vec<NaiveDate> {
    let this_month = today - Days::new(u64::from(today.day0()));
    (0..MONTHS)
        .rev()
        .filter_map(|back| this_month.checked_sub_months(Months::new(back)))
        .collect()
}

/// Puts the queries' rows together: a currency entry for every currency either has (by
/// code), and an entry for every month of `months` in each of them, zeros where there were
/// no rows.
fn figures(
    months: &[NaiveDate],
    outstanding: Vec<Outstanding>,
    amounts: Vec<MonthAmounts>,
) -> (Vec<CurrencyJson>, Vec<MonthJson>) {
    let mut currencies: BTreeMap<String, CurrencyJson> = outstanding
        .into_iter()
        .map(|row| {
            let code = row.currency.code().to_owned();
            let entry = CurrencyJson {
                currency: code.clone(),
                outstanding: row.outstanding,
                outstanding_count: row.outstanding_count,
                overdue: row.overdue,
                overdue_count: row.overdue_count,
                paid_this_month: 0,
                credited_this_month: 0,
            };
            (code, entry)
        })
        .collect();
    let mut by_month: BTreeMap<(NaiveDate, String), (i64, i64, i64)> = BTreeMap::new();
    for row in amounts {
        let code = row.currency.code().to_owned();
        let entry = currencies
            .entry(code.clone())
            .or_insert_with(|| CurrencyJson {
                currency: code.clone(),
                outstanding: 0,
                outstanding_count: 0,
                overdue: 0,
                overdue_count: 0,
                paid_this_month: 0,
                credited_this_month: 0,
            });
        if months.last() == Some(&row.month) {
            entry.paid_this_month += row.paid;
            entry.credited_this_month += row.credited;
        }
        let sums = by_month.entry((row.month, code)).or_default();
        sums.0 += row.invoiced;
        sums.1 += row.paid;
        sums.2 += row.credited;
    }
    let series = months
        .iter()
        .flat_map(|month| {
            currencies.keys().map(|code| {
                let (invoiced, paid, credited) = by_month
                    .get(&(*month, code.clone()))
                    .copied()
                    .unwrap_or_default();
                MonthJson {
                    month: month.format("%Y-%m").to_string(),
                    currency: code.clone(),
                    invoiced,
                    paid,
                    credited,
                }
            })
        })
        .collect();
    (currencies.into_values().collect(), series)
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicing_workflows::domain::Currency;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn the_last_six_months_cross_the_year() {
        assert_eq!(
            last_months(day(2027, 2, 28)),
            [
                day(2026, 9, 1),
                day(2026, 10, 1),
                day(2026, 11, 1),
                day(2026, 12, 1),
                day(2027, 1, 1),
                day(2027, 2, 1)
            ]
        );
        assert_eq!(last_months(day(2026, 8, 1))[0], day(2026, 3, 1));
    }

    #[test]
    fn every_month_has_an_entry_per_currency_and_this_month_gives_paid_this_month() {
        let months = last_months(day(2026, 11, 24));
        let usd = Currency::parse("USD").unwrap();
        let eur = Currency::parse("EUR").unwrap();
        let outstanding = vec![Outstanding {
            currency: usd,
            outstanding: 500,
            outstanding_count: 1,
            overdue: 0,
            overdue_count: 0,
        }];
        let amounts = vec![
            MonthAmounts {
                month: day(2026, 9, 1),
                currency: usd,
                invoiced: 1_000,
                paid: 100,
                credited: 0,
            },
            MonthAmounts {
                month: day(2026, 11, 1),
                currency: usd,
                invoiced: 0,
                paid: 250,
                credited: 400,
            },
            // Only payments in a currency with no open invoice: still a currency of its own.
            MonthAmounts {
                month: day(2026, 11, 1),
                currency: eur,
                invoiced: 0,
                paid: 70,
                credited: 0,
            },
        ];

        let (currencies, series) = figures(&months, outstanding, amounts);

        let codes: Vec<&str> = currencies.iter().map(|c| c.currency.as_str()).collect();
        assert_eq!(codes, ["EUR", "USD"]);
        assert_eq!(currencies[0].paid_this_month, 70);
        assert_eq!(currencies[1].paid_this_month, 250);
        assert_eq!(currencies[1].credited_this_month, 400);
        assert_eq!(currencies[0].credited_this_month, 0);
        assert_eq!(currencies[1].outstanding, 500);
        assert_eq!(series.len(), 12);
        let entry = |month: &str, currency: &str| {
            series
                .iter()
                .find(|m| m.month == month && m.currency == currency)
                .map(|m| (m.invoiced, m.paid, m.credited))
        };
        assert_eq!(series[0].month, "2026-06");
        assert_eq!(series[11].month, "2026-11");
        assert_eq!(entry("2026-09", "USD"), Some((1_000, 100, 0)));
        assert_eq!(entry("2026-09", "EUR"), Some((0, 0, 0)));
        assert_eq!(entry("2026-11", "USD"), Some((0, 250, 400)));
        assert_eq!(entry("2026-06", "USD"), Some((0, 0, 0)));
    }
}
