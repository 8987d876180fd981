//! A customer's statement of account: their balance at the start of a period, every invoice,
//! void, payment, credit note, refund and write-off in it with the running balance, the
//! balance at its end and the customer's credit balance then, per currency
//! (`invoicing_store::statements` defines the movements, and why the balance is net of the
//! credit balance).

use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::{Path, Query},
    openapi::{BadRequest, NotFound, Unauthorized, Unavailable, ValidationFailed},
    routes::reports::{check_span, query_day},
    state::AppState,
};
use axum::{Json, extract::State};
use chrono::{Datelike, NaiveDate, Utc};
use invoicing_store::{
    customers,
    statements::{self, MovementKind, Sheet},
};
use invoicing_workflows::domain::FieldErrors;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(statement))
}

/// The longest period a statement covers: ten years, both ends included.
const MAX_STATEMENT_DAYS: i64 = 3_653;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct StatementParams {
    /// The first day (UTC); the first of January of `to`'s year when left out.
    #[param(value_type = Option<NaiveDate>)]
    from: Option<String>,
    /// The last day (UTC); today when left out. Not before `from`, and at most ten years after.
    #[param(value_type = Option<NaiveDate>)]
    to: Option<String>,
}

impl StatementParams {
    pub(super) fn period(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ApiError> {
        period(self.from.as_deref(), self.to.as_deref(), today)
    }
}

/// The period from the days given as `from` and `to` (query parameters, or a body's fields of
/// those names): both days, `from` not after `to`, at most [`MAX_STATEMENT_DAYS`] long.
pub(super) fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut errors = FieldErrors::default();
    let from = query_day("from", from, &mut errors);
    let to = query_day("to", to, &mut errors);
    errors.into_result()?;
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.with_ordinal(1).unwrap_or(to));
    let mut errors = FieldErrors::default();
    check_span(from, to, MAX_STATEMENT_DAYS, &mut errors);
    errors.into_result()?;
    Ok((from, to))
}

/// What moved the balance.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatementEntryKind)]
enum KindJson {
    /// A sent invoice, on its issue date: the balance rises by its total.
    Invoice,
    /// The invoice was voided: its total comes off again.
    Void,
    Payment,
    /// The customer's credit balance applied to an invoice: the balance rises by what the
    /// payment of method `credit_balance` beside it lowers it (the credit note that filled the
    /// credit balance lowered it already).
    CreditApplied,
    /// A credit note, on its issue date: the balance falls by its gross total.
    CreditNote,
    /// Money given back on a payment: dated as the payment, or, when a credit note gave back
    /// its excess, as the note (with the note's number).
    Refund,
    /// An amount written off as a bad debt.
    WriteOff,
    /// A payment on a written-off debt: owed after all (the payment beside it pays it).
    Recovery,
}

impl From<MovementKind> for KindJson {
    fn from(kind: MovementKind) -> Self {
        match kind {
            MovementKind::Invoice => KindJson::Invoice,
            MovementKind::Void => KindJson::Void,
            MovementKind::Payment => KindJson::Payment,
            MovementKind::CreditApplied => KindJson::CreditApplied,
            MovementKind::CreditNote => KindJson::CreditNote,
            MovementKind::Refund => KindJson::Refund,
            MovementKind::WriteOff => KindJson::WriteOff,
            MovementKind::Recovery => KindJson::Recovery,
        }
    }
}

/// One line of the statement.
#[derive(Serialize, ToSchema)]
#[schema(as = StatementEntry)]
struct EntryJson {
    date: NaiveDate,
    kind: KindJson,
    /// The invoice the line concerns.
    invoice_id: Uuid,
    /// The credit note of a `credit_note` line, or of a `refund` of its excess.
    #[schema(required = true)]
    credit_note_id: Option<Uuid>,
    /// The credit note's number where there is one, else the invoice's.
    #[schema(required = true, example = "INV-000042")]
    number: Option<String>,
    /// Minor units: positive raises what the customer owes, negative lowers it.
    amount: i64,
    /// What the customer owed after this line.
    balance: i64,
}

/// The statement in one currency.
#[derive(Serialize, ToSchema)]
#[schema(as = StatementCurrency)]
struct CurrencyJson {
    /// ISO 4217.
    #[schema(example = "EUR")]
    currency: String,
    /// Owed at the start of `from`.
    opening_balance: i64,
    /// Invoices net of voids, in the period.
    invoiced: i64,
    /// Payments net of refunds (those of credit notes included) and of the credit balance
    /// applied (payments of method `credit_balance`, which moved no money), in the period.
    paid: i64,
    /// Credit notes' gross totals, in the period.
    credited: i64,
    /// Written off, net of recoveries, in the period.
    written_off: i64,
    /// Owed at the end of `to`, net of the credit balance: opening + invoiced − paid −
    /// credited − written off. Below zero, the customer is in credit.
    closing_balance: i64,
    /// The customer's credit balance at the end of `to` (credit notes' excess kept for them),
    /// already counted in `closing_balance`: what they owe on their invoices is
    /// `closing_balance + credit_balance`.
    credit_balance: i64,
    entries: Vec<EntryJson>,
}

/// A customer's statement of account.
#[derive(Serialize, ToSchema)]
#[schema(as = Statement)]
struct StatementJson {
    customer_id: Uuid,
    /// The customer's display name, as it is now.
    #[schema(example = "Acme Ltd")]
    customer_name: String,
    from: NaiveDate,
    to: NaiveDate,
    /// Every currency the customer owed anything in at the start or moved in the period.
    currencies: Vec<CurrencyJson>,
}

/// A customer's statement
///
/// What the customer owed at the start of the period, every sent invoice (on its issue date),
/// void, payment, credit note (on its issue date), refund (dated as its payment, or as the
/// credit note that gave it), write-off and recovery in it with the balance after each, and
/// what they owed at its end, per currency. The balance is net of the customer's credit
/// balance (a credit note's excess kept for them), which is shown beside the closing balance.
/// Days are UTC. A period ending before it starts, or longer than ten years, is 422; another
/// account's customer is 404.
#[utoipa::path(
    get,
    path = "/customers/{id}/statement",
    operation_id = "customer_statement",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id."), StatementParams),
    responses(
        (status = 200, description = "The statement.", body = StatementJson),
        BadRequest, Unauthorized, NotFound, ValidationFailed, Unavailable,
    ),
)]
async fn statement(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(params): Query<StatementParams>,
) -> Result<Json<StatementJson>, ApiError> {
    let (from, to) = params.period(Utc::now().date_naive())?;
    let customer = customers::get(&state.db, caller.id, id)
        .await?
        .ok_or(ApiError::NotFound("customer"))?;
    let sheets = statements::statement(&state.db, caller.id, id, from, to).await?;
    let credit = statements::credit_balance(&state.db, caller.id, id, to).await?;
    Ok(Json(StatementJson {
        customer_id: id,
        customer_name: customer.customer.display_name,
        from,
        to,
        currencies: statements::with_credit(sheets, credit)
            .into_iter()
            .map(|(sheet, credit_balance)| currency_json(sheet, credit_balance))
            .collect(),
    }))
}

/// One currency's sheet (its running balance is the store's), with its totals by what moved it
/// and the customer's credit balance.
fn currency_json(sheet: Sheet, credit_balance: i64) -> CurrencyJson {
    let mut json = CurrencyJson {
        currency: sheet.currency.code().to_owned(),
        opening_balance: sheet.opening,
        invoiced: 0,
        paid: 0,
        credited: sheet.credited(),
        written_off: 0,
        closing_balance: sheet.closing,
        credit_balance,
        entries: Vec::with_capacity(sheet.lines.len()),
    };
    for (movement, balance) in sheet.lines {
        match movement.kind {
            MovementKind::Invoice | MovementKind::Void => json.invoiced += movement.amount,
            MovementKind::Payment | MovementKind::CreditApplied | MovementKind::Refund => {
                json.paid -= movement.amount
            }
            // Summed by the sheet (`credited` above), as the PDF sums it.
            MovementKind::CreditNote => {}
            MovementKind::WriteOff | MovementKind::Recovery => json.written_off -= movement.amount,
        }
        json.entries.push(EntryJson {
            date: movement.day,
            kind: movement.kind.into(),
            invoice_id: movement.invoice_id,
            credit_note_id: movement.credit_note_id,
            number: movement.number,
            amount: movement.amount,
            balance,
        });
    }
    json
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicing_workflows::domain::Currency;

    fn params(from: Option<&str>, to: Option<&str>) -> StatementParams {
        StatementParams {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_period_defaults_to_this_year_and_ends_after_it_starts() {
        let today = day("2026-12-07");
        assert_eq!(
            params(None, None).period(today).unwrap(),
            (day("2026-01-01"), today)
        );
        assert_eq!(
            params(None, Some("2025-06-30")).period(today).unwrap(),
            (day("2025-01-01"), day("2025-06-30"))
        );
        assert_eq!(
            params(Some("2026-12-07"), Some("2026-12-07"))
                .period(today)
                .unwrap(),
            (today, today)
        );
        for (from, to, field) in [
            (Some("2026-12-08"), Some("2026-12-07"), "to"),
            (Some("2016-12-06"), Some("2026-12-07"), "to"),
            (Some("yesterday"), None, "from"),
            (None, Some("2026-02-30"), "to"),
            (Some("-0005-01-01"), Some("0001-01-01"), "from"),
            (Some("0000-06-01"), Some("0000-06-02"), "from"),
            (Some("0000-06-01"), Some("0000-06-02"), "to"),
            (Some("9999-12-31"), Some("+10000-01-01"), "to"),
        ] {
            let Err(ApiError::Validation(errors)) = params(from, to).period(today) else {
                panic!("{from:?}..{to:?} is refused");
            };
            assert!(errors.has(field), "{from:?}..{to:?}: {errors}");
        }
        // Ten years with their two leap days: 3,653 days, both ends included.
        assert!(
            params(Some("2016-12-07"), Some("2026-12-07"))
                .period(today)
                .is_ok()
        );
    }

    #[test]
    fn each_currency_runs_its_balance_from_its_opening() {
        use invoicing_store::statements::Movement;
        let eur = Currency::parse("EUR").unwrap();
        let usd = Currency::parse("USD").unwrap();
        let gbp = Currency::parse("GBP").unwrap();
        let movement = |currency, kind, amount| Movement {
            currency,
            day: day("2026-12-01"),
            kind,
            invoice_id: Uuid::nil(),
            credit_note_id: None,
            number: Some("INV-000001".to_owned()),
            amount,
        };
        let sheets: Vec<CurrencyJson> = statements::with_credit(
            statements::sheets(
                vec![(eur, 5_000), (usd, 0)],
                vec![
                    movement(eur, MovementKind::Invoice, 10_000),
                    movement(eur, MovementKind::Payment, -12_000),
                    movement(eur, MovementKind::Refund, 1_000),
                    movement(eur, MovementKind::WriteOff, -4_000),
                    movement(eur, MovementKind::Recovery, 500),
                    movement(eur, MovementKind::CreditNote, -2_500),
                    movement(eur, MovementKind::Refund, 700),
                ],
            ),
            vec![(eur, 1_800), (gbp, 300)],
        )
        .into_iter()
        .map(|(sheet, credit_balance)| currency_json(sheet, credit_balance))
        .collect();
        let codes: Vec<&str> = sheets.iter().map(|sheet| sheet.currency.as_str()).collect();
        assert_eq!(
            codes,
            ["EUR", "GBP"],
            "USD owed nothing and moved nothing; GBP is a credit balance"
        );
        let eur = &sheets[0];
        let balances: Vec<i64> = eur.entries.iter().map(|entry| entry.balance).collect();
        assert_eq!(balances, [15_000, 3_000, 4_000, 0, 500, -2_000, -1_300]);
        assert_eq!(
            (eur.invoiced, eur.paid, eur.credited, eur.written_off),
            (10_000, 10_300, 2_500, 3_500)
        );
        assert_eq!(
            eur.closing_balance,
            eur.opening_balance + eur.invoiced - eur.paid - eur.credited - eur.written_off
        );
        assert_eq!(eur.credit_balance, 1_800);
        let gbp = &sheets[1];
        assert_eq!(
            (gbp.opening_balance, gbp.closing_balance, gbp.credit_balance),
            (0, 0, 300)
        );
        assert!(gbp.entries.is_empty());
    }
}
