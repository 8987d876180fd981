//! Invoice and credit-note numbers: the next place in a document's sequence, rendered in the
//! account's format for its series, and the check that keeps a change of format from ever
//! repeating an issued number of either series.
//!
//! Both take the account's row lock (`users`), so sends and format changes of one account
//! happen one at a time: a sequence has no gaps (its counter commits or rolls back with the
//! invoice) and a format is never changed between a check and a send.

use crate::StoreError;
use chrono::NaiveDate;
use invoicing_workflows::domain::{NumberFormat, SequenceReset};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// A number given to an invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedNumber {
    /// Its place in its sequence, from 1 (`invoices.number`).
    pub sequence: i64,
    /// The year of a yearly sequence; `None` for the account's one sequence.
    pub year: Option<i32>,
    /// As printed (`INV-2026-00042`): rendered once, never again.
    pub text: String,
}

/// One of the account's two number series, each with its own format, counters and numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    Invoices,
    CreditNotes,
}

impl Series {
    /// The format of an account that has not chosen one.
    pub fn default_format(self) -> NumberFormat {
        match self {
            Series::Invoices => NumberFormat::default(),
            Series::CreditNotes => NumberFormat::credit_notes(),
        }
    }

    fn other(self) -> Series {
        match self {
            Series::Invoices => Series::CreditNotes,
            Series::CreditNotes => Series::Invoices,
        }
    }
}

/// The account's format for `series`: its seller profile's, or the default.
pub(crate) fn format_of(
    series: Series,
    pattern: Option<String>,
    reset: Option<String>,
) -> Result<NumberFormat, StoreError> {
    match (pattern, reset) {
        (Some(pattern), Some(reset)) => {
            let reset: SequenceReset = reset.parse().map_err(StoreError::corrupt)?;
            NumberFormat::new(&pattern, reset).map_err(StoreError::corrupt)
        }
        _ => Ok(series.default_format()),
    }
}

/// Gives the next number of `series` for a document issued on `issue_date`, in the account's
/// format for that series (an invoice's `INV-…`, a credit note's own `CN-…`), from the
/// sequence the date belongs to. Call it in the transaction that stores the document (marks
/// the invoice sent, stores the note), so the number is used or not given at all: gapless,
/// under the account's row lock.
#[tracing::instrument(skip_all, fields(?series))]
pub async fn allocate(
    conn: &mut PgConnection,
    series: Series,
    user_id: Uuid,
    issue_date: NaiveDate,
) -> Result<IssuedNumber, StoreError> {
    let row = sqlx::query!(
        r#"
        SELECT p.number_pattern AS "invoice_pattern?", p.number_reset AS "invoice_reset?",
               p.credit_note_pattern AS "credit_note_pattern?",
               p.credit_note_reset AS "credit_note_reset?"
        FROM users u
        LEFT JOIN seller_profiles p ON p.user_id = u.id
        WHERE u.id = $1
        FOR UPDATE OF u
        "#,
        user_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("account"))?;
    let (pattern, reset) = match series {
        Series::Invoices => (row.invoice_pattern, row.invoice_reset),
        Series::CreditNotes => (row.credit_note_pattern, row.credit_note_reset),
    };
    let format = format_of(series, pattern, reset)?;
    let year = format.sequence_year(issue_date);
    let sequence = match (series, year) {
        (Series::Invoices, None) => {
            sqlx::query_scalar!(
                r#"
                UPDATE users
                SET last_invoice_number = last_invoice_number + 1, updated_at = now()
                WHERE id = $1
                RETURNING last_invoice_number
                "#,
                user_id,
            )
            .fetch_one(&mut *conn)
            .await?
        }
        (Series::Invoices, Some(year)) => {
            sqlx::query_scalar!(
                r#"
                INSERT INTO invoice_number_sequences (user_id, year, last_number)
                VALUES ($1, $2, 1)
                ON CONFLICT (user_id, year)
                DO UPDATE SET last_number = invoice_number_sequences.last_number + 1
                RETURNING last_number
                "#,
                user_id,
                year,
            )
            .fetch_one(&mut *conn)
            .await?
        }
        (Series::CreditNotes, None) => {
            sqlx::query_scalar!(
                r#"
                UPDATE users
                SET last_credit_note_number = last_credit_note_number + 1, updated_at = now()
                WHERE id = $1
                RETURNING last_credit_note_number
                "#,
                user_id,
            )
            .fetch_one(&mut *conn)
            .await?
        }
        (Series::CreditNotes, Some(year)) => {
            sqlx::query_scalar!(
                r#"
                INSERT INTO credit_note_number_sequences (user_id, year, last_number)
                VALUES ($1, $2, 1)
                ON CONFLICT (user_id, year)
                DO UPDATE SET last_number = credit_note_number_sequences.last_number + 1
                RETURNING last_number
                "#,
                user_id,
                year,
            )
            .fetch_one(&mut *conn)
            .await?
        }
    };
    Ok(IssuedNumber {
        sequence,
        year,
        text: format.render(issue_date, sequence),
    })
}

/// An issued number that a format would give again to a later document of its series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedNumber {
    /// The series whose format was checked.
    pub series: Series,
    /// The number, as issued.
    pub number: String,
    /// The series it was issued in.
    pub issued_in: Series,
}

/// Checks `format`, meant for `series`, against every number the account has issued: first
/// its own series' numbers in the order they were issued (so the refusal names the first),
/// then the other series'. Refused if some later place of the series' sequences renders to
/// one of them (say `INV-{SEQ:6}` after `INV-{YYYY}-{SEQ}` was used, a yearly reset that
/// would restart this year's numbers, or a credit-note format that reads the invoices'
/// `INV-000001` beyond its own counter). Takes the account's row lock; call it in the
/// transaction that stores the format.
#[tracing::instrument(skip_all)]
pub async fn check_format(
    conn: &mut PgConnection,
    user_id: Uuid,
    series: Series,
    format: &NumberFormat,
) -> Result<Result<(), RepeatedNumber>, StoreError> {
    let counters = sqlx::query!(
        r#"
        SELECT last_invoice_number, last_credit_note_number
        FROM users
        WHERE id = $1
        FOR UPDATE
        "#,
        user_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound("account"))?;
    let (last, yearly) = match series {
        Series::Invoices => (
            counters.last_invoice_number,
            sqlx::query!(
                "SELECT year, last_number FROM invoice_number_sequences WHERE user_id = $1",
                user_id
            )
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|row| (row.year, row.last_number))
            .collect::<HashMap<i32, i64>>(),
        ),
        Series::CreditNotes => (
            counters.last_credit_note_number,
            sqlx::query!(
                "SELECT year, last_number FROM credit_note_number_sequences WHERE user_id = $1",
                user_id
            )
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|row| (row.year, row.last_number))
            .collect(),
        ),
    };
    for issued_in in [series, series.other()] {
        for number in issued(&mut *conn, user_id, issued_in).await? {
            let Some(read) = format.read(&number) else {
                continue;
            };
            // The places this format will still give: past its sequence's counter.
            let given = match (format.reset(), read.year) {
                (SequenceReset::Never, _) => last,
                (SequenceReset::Yearly, Some(year)) => yearly.get(&year).copied().unwrap_or(0),
                (SequenceReset::Yearly, None) => continue,
            };
            if read.sequence > given {
                return Ok(Err(RepeatedNumber {
                    series,
                    number,
                    issued_in,
                }));
            }
        }
    }
    Ok(Ok(()))
}

/// The numbers issued in `series`, in the order they were issued.
async fn issued(
    conn: &mut PgConnection,
    user_id: Uuid,
    series: Series,
) -> Result<Vec<String>, StoreError> {
    let numbers = match series {
        Series::Invoices => {
            sqlx::query_scalar!(
                r#"
                SELECT number_text AS "number_text!"
                FROM invoices
                WHERE user_id = $1 AND number_text IS NOT NULL
                ORDER BY number_year NULLS FIRST, number
                "#,
                user_id
            )
            .fetch_all(&mut *conn)
            .await?
        }
        Series::CreditNotes => {
            sqlx::query_scalar!(
                r#"
                SELECT number_text
                FROM credit_notes
                WHERE user_id = $1
                ORDER BY number_year NULLS FIRST, number
                "#,
                user_id
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    Ok(numbers)
}

/// Where a series' sequences stand: the place the next document would take in the account's
/// one sequence (`never` reset) and in the sequence of a year (`yearly`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextPlaces {
    pub never: i64,
    pub yearly: i64,
}

/// [`NextPlaces`] of the invoices and of the credit notes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextPlacesBySeries {
    pub invoices: NextPlaces,
    pub credit_notes: NextPlaces,
}

/// The next places of both series for a document issued in `year`, from the counters
/// [`allocate`] advances: what the settings show as the next number in a format being edited,
/// whichever reset it chooses. Read without the account's lock: a send committing meanwhile
/// moves them on, as the next look shows.
pub async fn next_places(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
    year: i32,
) -> Result<NextPlacesBySeries, StoreError> {
    let row = sqlx::query!(
        r#"
        SELECT u.last_invoice_number + 1 AS "invoices_never!",
               COALESCE((SELECT s.last_number FROM invoice_number_sequences s
                         WHERE s.user_id = u.id AND s.year = $2), 0) + 1 AS "invoices_yearly!",
               u.last_credit_note_number + 1 AS "credit_notes_never!",
               COALESCE((SELECT s.last_number FROM credit_note_number_sequences s
                         WHERE s.user_id = u.id AND s.year = $2), 0) + 1 AS "credit_notes_yearly!"
        FROM users u
        WHERE u.id = $1
        "#,
        user_id,
        year,
    )
    .fetch_optional(db)
    .await?
    .ok_or(StoreError::NotFound("account"))?;
    Ok(NextPlacesBySeries {
        invoices: NextPlaces {
            never: row.invoices_never,
            yearly: row.invoices_yearly,
        },
        credit_notes: NextPlaces {
            never: row.credit_notes_never,
            yearly: row.credit_notes_yearly,
        },
    })
}
