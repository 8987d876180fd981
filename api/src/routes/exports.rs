//! CSV exports for accounting software: the caller's invoices, invoice lines, payments, credit
//! notes and tax report over a range of days, streamed from PostgreSQL (`invoicing_store::exports`, which
//! says which rows; `crate::csv_export`, how they are written).
//!
//! Every file has a header line; amounts are decimals in major units with a dot (`1234.56`,
//! yen `1234`) beside their currency; dates are `YYYY-MM-DD` (UTC where a date is taken from a
//! moment), times RFC 3339 in UTC.

use super::reports::{check_span, query_day};
use crate::{
    auth::AuthUser,
    csv_export::{CsvFile, Record},
    error::ApiError,
    extract::Query,
    openapi::{BadRequest, Unauthorized, Unavailable},
    state::AppState,
};
use axum::{extract::State, response::Response};
use chrono::{NaiveDate, SecondsFormat};
use futures::stream::BoxStream;
use invoicing_store::{
    StoreError,
    exports::{self, CreditNoteExport, InvoiceExport, LineExport, PaymentExport, TaxLine},
};
use invoicing_workflows::domain::{Currency, FieldErrors};
use rust_decimal::Decimal;
use serde::Deserialize;
use sqlx::PgPool;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invoices))
        .routes(routes!(invoice_lines))
        .routes(routes!(payments))
        .routes(routes!(credit_notes))
        .routes(routes!(tax_report))
}

/// The most days one export covers (`from` and `to` included): a leap year.
pub const MAX_RANGE_DAYS: i64 = 366;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct RangeParams {
    /// The first day, included.
    #[param(value_type = NaiveDate, required = true)]
    from: Option<String>,
    /// The last day, included: not before `from`, and at most 366 days from `from` to `to`
    /// counting both.
    #[param(value_type = NaiveDate, required = true)]
    to: Option<String>,
}

/// The days an export covers, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Range {
    from: NaiveDate,
    to: NaiveDate,
}

impl Range {
    fn parse(params: &RangeParams) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut day = |name: &str, raw: Option<&str>| {
            if raw.is_none_or(str::is_empty) {
                errors.add(name, "is required");
            }
            query_day(name, raw, &mut errors)
        };
        let from = day("from", params.from.as_deref());
        let to = day("to", params.to.as_deref());
        if let (Some(from), Some(to)) = (from, to) {
            check_span(from, to, MAX_RANGE_DAYS, &mut errors);
        }
        errors.into_result()?;
        match (from, to) {
            (Some(from), Some(to)) => Ok(Self { from, to }),
            _ => Err(FieldErrors::single("from", "is required")),
        }
    }

    /// `{kind}-{from}-to-{to}.csv`.
    fn file_name(self, kind: &str) -> String {
        format!("{kind}-{}-to-{}.csv", self.from, self.to)
    }
}

/// A query of `invoicing_store::exports`: the caller's rows from one day to another.
type ExportQuery<T> =
    for<'a> fn(&'a PgPool, Uuid, NaiveDate, NaiveDate) -> BoxStream<'a, Result<T, StoreError>>;

/// The file of `kind` (its name, `header` and rows written by `write`) over `query`'s rows of
/// the caller in the asked range.
async fn export<T: Send + 'static>(
    state: AppState,
    caller: AuthUser,
    params: &RangeParams,
    kind: &str,
    header: &'static [&'static str],
    write: fn(&T, &mut Record),
    query: ExportQuery<T>,
) -> Result<Response, ApiError> {
    let range = Range::parse(params)?;
    let file = CsvFile {
        name: range.file_name(kind),
        header,
        write,
    };
    let user_id = caller.id;
    file.respond(state.db.clone(), move |db| {
        query(db, user_id, range.from, range.to)
    })
    .await
}

/// The currency of a stored code. Every stored code was parsed before it was stored; one that
/// no longer parses (a hand edit) leaves its amounts in minor units rather than fail the file.
fn currency(code: &str) -> Option<Currency> {
    Currency::parse(code).ok()
}

/// `minor` in major units of `code`, or as stored when the code is not a currency.
fn money(record: &mut Record, minor: i64, code: &str) {
    match currency(code) {
        Some(currency) => record.money(minor, currency),
        None => record.value(minor),
    };
}

const INVOICE_COLUMNS: &[&str] = &[
    "number",
    "issue_date",
    "due_date",
    "supply_date",
    "status",
    "customer_id",
    "customer_name",
    "customer_email",
    "customer_tax_id",
    "customer_country",
    "currency",
    "net",
    "tax",
    "gross",
    "amount_paid",
    "amount_credited",
    "amount_to_balance",
    "amount_due",
    "paid_date",
    "voided_date",
    "invoice_id",
];

fn invoice_record(invoice: &InvoiceExport, record: &mut Record) {
    record
        .text(invoice.number.as_deref())
        .value(invoice.issue_date)
        .value(invoice.due_date)
        .optional(invoice.supply_date)
        .value(&invoice.status)
        .value(invoice.customer_id)
        .text(Some(&invoice.customer_name))
        .text(Some(&invoice.customer_email))
        .text(invoice.customer_tax_id.as_deref())
        .optional(invoice.customer_country.as_deref());
    record.value(&invoice.currency);
    money(record, invoice.net, &invoice.currency);
    money(record, invoice.tax, &invoice.currency);
    money(record, invoice.gross, &invoice.currency);
    money(record, invoice.amount_paid, &invoice.currency);
    money(record, invoice.amount_credited, &invoice.currency);
    money(record, invoice.amount_to_balance, &invoice.currency);
    money(record, invoice.amount_due, &invoice.currency);
    record
        .optional(invoice.paid_at.map(|at| at.date_naive()))
        .optional(invoice.voided_at.map(|at| at.date_naive()))
        .value(invoice.id);
}

/// Exports the caller's invoices as CSV
///
/// Every invoice sent and issued from `from` to `to` (voided ones too, with their status), by
/// issue date and number; one row each: `number`, `issue_date`, `due_date`, `supply_date`,
/// `status`, `customer_id`, the customer as the invoice was sent (`customer_name`: the legal
/// name if any, `customer_email`, `customer_tax_id`, `customer_country`), `currency`, `net`,
/// `tax`, `gross`, and as they are now `amount_paid`, `amount_credited` (the credit notes'
/// gross totals), `amount_to_balance` (what of their excess went to the customer's credit
/// balance) and `amount_due` (`gross − amount_paid − amount_credited + amount_to_balance`),
/// `paid_date` and `voided_date` (UTC), `invoice_id`.
/// RFC 4180, UTF-8, streamed.
#[utoipa::path(
    get,
    path = "/exports/invoices.csv",
    operation_id = "export_invoices",
    tag = "reports",
    security(("bearer" = [])),
    params(RangeParams),
    responses(
        (
            status = 200,
            description = "The CSV file, streamed.",
            content_type = "text/csv",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"invoices-2026-01-01-to-2026-03-31.csv\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn invoices(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<RangeParams>,
) -> Result<Response, ApiError> {
    export(
        state,
        caller,
        &params,
        "invoices",
        INVOICE_COLUMNS,
        invoice_record,
        exports::invoices,
    )
    .await
}

const LINE_COLUMNS: &[&str] = &[
    "number",
    "issue_date",
    "status",
    "customer_name",
    "line",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "discount_percent",
    "discount_amount",
    "tax_category",
    "tax_percent",
    "exemption_reason",
    "currency",
    "net",
    "invoice_id",
];

fn line_record(line: &LineExport, record: &mut Record) {
    record
        .text(line.number.as_deref())
        .value(line.issue_date)
        .value(&line.status)
        .text(Some(&line.customer_name))
        .value(line.position + 1)
        .text(Some(&line.description))
        .decimal(line.quantity)
        .text(Some(&line.unit));
    // The unit price is in minor units, possibly finer than one: in major units, at least to
    // the minor unit.
    match currency(&line.currency) {
        Some(currency) => {
            let mut price = line.unit_price / Decimal::from(10_i64.pow(currency.exponent()));
            price = price.normalize();
            if price.scale() < currency.exponent() {
                price.rescale(currency.exponent());
            }
            record.value(price);
        }
        None => {
            record.decimal(line.unit_price);
        }
    }
    record.optional(line.discount_percent.map(|percent| percent.normalize()));
    match line.discount_amount {
        Some(amount) => money(record, amount, &line.currency),
        None => {
            record.optional(None::<&str>);
        }
    }
    record
        .value(&line.tax_category)
        .decimal(line.tax_percent)
        .text(line.exemption_reason.as_deref())
        .value(&line.currency);
    money(record, line.net, &line.currency);
    record.value(line.invoice_id);
}

/// Exports the caller's invoice lines as CSV
///
/// The lines of the invoices `export_invoices` lists, in its order and each invoice's line
/// order: `number`, `issue_date`, `status`, `customer_name`, `line` (from 1), `description`,
/// `quantity`, `unit` (UN/ECE Rec. 20), `unit_price` (major units, as fine as it was given),
/// `discount_percent`, `discount_amount`, `tax_category` (EN 16931), `tax_percent`,
/// `exemption_reason`, `currency`, `net` (the line's net amount), `invoice_id`.
#[utoipa::path(
    get,
    path = "/exports/invoice-lines.csv",
    operation_id = "export_invoice_lines",
    tag = "reports",
    security(("bearer" = [])),
    params(RangeParams),
    responses(
        (
            status = 200,
            description = "The CSV file, streamed.",
            content_type = "text/csv",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"invoice-lines-2026-01-01-to-2026-03-31.csv\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn invoice_lines(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<RangeParams>,
) -> Result<Response, ApiError> {
    export(
        state,
        caller,
        &params,
        "invoice-lines",
        LINE_COLUMNS,
        line_record,
        exports::lines,
    )
    .await
}

const PAYMENT_COLUMNS: &[&str] = &[
    "date",
    "recorded_at",
    "number",
    "customer_name",
    "method",
    "reference",
    "transaction_id",
    "currency",
    "amount",
    "amount_refunded",
    "net_amount",
    "status",
    "payment_id",
    "invoice_id",
];

fn payment_record(payment: &PaymentExport, record: &mut Record) {
    record
        .value(payment.recorded_at.date_naive())
        .value(
            payment
                .recorded_at
                .to_rfc3339_opts(SecondsFormat::Secs, true),
        )
        .text(payment.number.as_deref())
        .text(Some(&payment.customer_name))
        .value(&payment.method)
        .text(payment.reference.as_deref())
        .text(payment.transaction_id.as_deref())
        .value(&payment.currency);
    money(record, payment.amount, &payment.currency);
    money(record, payment.amount_refunded, &payment.currency);
    money(
        record,
        payment.amount - payment.amount_refunded,
        &payment.currency,
    );
    record
        .value(&payment.status)
        .value(payment.id)
        .value(payment.invoice_id);
}

/// Exports the caller's payments as CSV
///
/// Every payment recorded from the start of `from` to the end of `to` (UTC), oldest first:
/// `date` (UTC), `recorded_at` (RFC 3339, UTC), the invoice's `number`, `customer_name`, `method`, `reference`,
/// `transaction_id` (Stripe's), `currency`, `amount`, `amount_refunded` (so far; refunds have
/// no date of their own and show on their payment's row, those credit notes gave included:
/// `export_credit_notes` dates them), `net_amount`, `status`, `payment_id`, `invoice_id`.
#[utoipa::path(
    get,
    path = "/exports/payments.csv",
    operation_id = "export_payments",
    tag = "reports",
    security(("bearer" = [])),
    params(RangeParams),
    responses(
        (
            status = 200,
            description = "The CSV file, streamed.",
            content_type = "text/csv",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"payments-2026-01-01-to-2026-03-31.csv\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn payments(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<RangeParams>,
) -> Result<Response, ApiError> {
    export(
        state,
        caller,
        &params,
        "payments",
        PAYMENT_COLUMNS,
        payment_record,
        exports::payments,
    )
    .await
}

const CREDIT_NOTE_COLUMNS: &[&str] = &[
    "number",
    "issue_date",
    "invoice_number",
    "customer_id",
    "customer_name",
    "currency",
    "reason",
    "net",
    "tax",
    "gross",
    "excess",
    "excess_to",
    "credit_note_id",
    "invoice_id",
];

fn credit_note_record(note: &CreditNoteExport, record: &mut Record) {
    record
        .text(Some(&note.number))
        .value(note.issue_date)
        .text(note.invoice_number.as_deref())
        .value(note.customer_id)
        .text(Some(&note.customer_name))
        .value(&note.currency)
        .text(Some(&note.reason));
    money(record, note.net, &note.currency);
    money(record, note.tax, &note.currency);
    money(record, note.gross, &note.currency);
    money(record, note.excess, &note.currency);
    record
        .optional(note.excess_to.as_deref())
        .value(note.id)
        .value(note.invoice_id);
}

/// Exports the caller's credit notes as CSV
///
/// Every credit note issued from `from` to `to`, by issue date and number; one row each:
/// `number`, `issue_date`, the credited invoice's `invoice_number`, `customer_id`, the customer
/// as the invoice was sent (`customer_name`: the legal name if any), `currency`, `reason`,
/// `net`, `tax` and `gross` (as the credit note states them, positive), `excess` (what it took
/// beyond the invoice's amount due) and `excess_to` (`refund`: given back on the invoice's
/// payments on the note's day; `credit_balance`: kept as the customer's credit; empty without
/// an excess), `credit_note_id`, `invoice_id`.
/// RFC 4180, UTF-8, streamed.
#[utoipa::path(
    get,
    path = "/exports/credit-notes.csv",
    operation_id = "export_credit_notes",
    tag = "reports",
    security(("bearer" = [])),
    params(RangeParams),
    responses(
        (
            status = 200,
            description = "The CSV file, streamed.",
            content_type = "text/csv",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"credit-notes-2026-01-01-to-2026-03-31.csv\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn credit_notes(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<RangeParams>,
) -> Result<Response, ApiError> {
    export(
        state,
        caller,
        &params,
        "credit-notes",
        CREDIT_NOTE_COLUMNS,
        credit_note_record,
        exports::credit_notes,
    )
    .await
}

const TAX_COLUMNS: &[&str] = &[
    "period",
    "document_type",
    "currency",
    "tax_category",
    "tax_percent",
    "net",
    "tax",
    "gross",
    "documents",
];

fn tax_record(line: &TaxLine, record: &mut Record) {
    record
        .value(line.period.format("%Y-%m"))
        .value(&line.document_type)
        .value(&line.currency)
        .value(&line.category)
        .decimal(line.percent);
    money(record, line.net, &line.currency);
    money(record, line.tax, &line.currency);
    money(record, line.net + line.tax, &line.currency);
    record.value(line.documents);
}

/// Exports the caller's tax report as CSV
///
/// The documents issued from `from` to `to` (voided invoices left out), per calendar month of
/// their issue date (`period`, `YYYY-MM`), kind of document (`document_type`: `invoice` or
/// `credit_note`), `currency`, VAT category (`tax_category`, EN 16931) and rate
/// (`tax_percent`): the sums of their tax breakdowns, `net` (taxable amount), `tax` and
/// `gross`, and how many `documents`. Invoices and credit notes are separate lines; a credit
/// note's amounts are negative (it takes back what an invoice declared), in the month of its
/// own issue date, so a month's lines add up to what its documents come to.
#[utoipa::path(
    get,
    path = "/exports/tax-report.csv",
    operation_id = "export_tax_report",
    tag = "reports",
    security(("bearer" = [])),
    params(RangeParams),
    responses(
        (
            status = 200,
            description = "The CSV file, streamed.",
            content_type = "text/csv",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"tax-report-2026-01-01-to-2026-03-31.csv\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn tax_report(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<RangeParams>,
) -> Result<Response, ApiError> {
    export(
        state,
        caller,
        &params,
        "tax-report",
        TAX_COLUMNS,
        tax_record,
        exports::tax_report,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(from: &str, to: &str) -> RangeParams {
        RangeParams {
            from: Some(from.to_owned()),
            to: Some(to.to_owned()),
        }
    }

    fn errors(params: &RangeParams) -> String {
        Range::parse(params).unwrap_err().to_string()
    }

    #[test]
    fn a_range_is_two_days_in_order_at_most_a_leap_year_apart() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            Range::parse(&params("2024-01-01", "2024-12-31")).unwrap(),
            Range {
                from: day(2024, 1, 1),
                to: day(2024, 12, 31)
            }
        );
        assert!(Range::parse(&params("2026-03-01", "2026-03-01")).is_ok());
        assert_eq!(
            errors(&params("2024-01-01", "2025-01-01")),
            "to: must be at most 366 days from from, both included"
        );
        assert_eq!(
            errors(&params("2026-03-02", "2026-03-01")),
            "to: must not be before from"
        );
        assert_eq!(
            errors(&params("2026-02-30", "")),
            "from: must be a date like 2026-11-24; to: is required"
        );
        assert_eq!(
            errors(&RangeParams {
                from: None,
                to: None
            }),
            "from: is required; to: is required"
        );
        assert_eq!(
            Range::parse(&params("2026-01-01", "2026-03-31"))
                .unwrap()
                .file_name("tax-report"),
            "tax-report-2026-01-01-to-2026-03-31.csv"
        );
    }
}
