//! An account's invoice list (`GET /api/invoices`): filtered by status and by a search text,
//! in one of four orders, a page at a time with keyset pagination.

use crate::{
    StoreError,
    invoices::{InvoiceRow, InvoiceSummary},
};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_workflows::domain::InvoiceStatus;
use sqlx::PgExecutor;
use strum::{Display, EnumString, IntoStaticStr, VariantNames};
use uuid::Uuid;

/// The order of the invoice list: `newest` (created most recently first, the default),
/// `oldest` (created first), `due_date` (soonest due date first) or `amount_due` (the largest
/// amount still due first).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Display, EnumString, IntoStaticStr, VariantNames,
)]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = UnknownSort,
    parse_err_fn = UnknownSort::from
)]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    DueDate,
    AmountDue,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::DueDate, Sort::AmountDue];

    /// The sort as a query names it: `newest`, `oldest`, `due_date`, `amount_due`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A `sort` that is none of [`Sort::ALL`]; says which ones there are.
#[derive(Debug, thiserror::Error)]
#[error(
    "sort must be one of {expected} (not '{0}')",
    expected = Sort::VARIANTS.join(", ")
)]
pub struct UnknownSort(pub String);

impl From<&str> for UnknownSort {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

/// Where a page of the list starts, in the terms of its sort: at the top (`None`), or just
/// after the last invoice of the page before, given by the value the sort orders by and the
/// invoice's id (which breaks ties). The sort and its key travel together, so a key can only
/// ever be used in the order it was taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Newest(Option<(DateTime<Utc>, Uuid)>),
    Oldest(Option<(DateTime<Utc>, Uuid)>),
    DueDate(Option<(NaiveDate, Uuid)>),
    AmountDue(Option<(i64, Uuid)>),
}

impl Position {
    /// The first page in `sort`.
    pub fn start(sort: Sort) -> Self {
        match sort {
            Sort::Newest => Position::Newest(None),
            Sort::Oldest => Position::Oldest(None),
            Sort::DueDate => Position::DueDate(None),
            Sort::AmountDue => Position::AmountDue(None),
        }
    }

    /// The page after `invoice` in `sort`.
    pub fn after(sort: Sort, invoice: &InvoiceSummary) -> Self {
        match sort {
            Sort::Newest => Position::Newest(Some((invoice.created_at, invoice.id))),
            Sort::Oldest => Position::Oldest(Some((invoice.created_at, invoice.id))),
            Sort::DueDate => Position::DueDate(Some((invoice.due_date, invoice.id))),
            Sort::AmountDue => Position::AmountDue(Some((invoice.amount_due(), invoice.id))),
        }
    }

    pub fn sort(self) -> Sort {
        match self {
            Position::Newest(_) => Sort::Newest,
            Position::Oldest(_) => Sort::Oldest,
            Position::DueDate(_) => Sort::DueDate,
            Position::AmountDue(_) => Sort::AmountDue,
        }
    }
}

/// Which of an account's invoices to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<InvoiceStatus>,
    /// Text that the client's name, the client's e-mail address or the invoice number contains,
    /// whatever the case; matched literally (`%` and `_` are not wildcards).
    pub search: Option<String>,
}

/// A page of an account's invoices in the order `from` says, starting where it says. Asks for
/// `limit` rows: callers ask for one more than a page to tell whether another follows.
///
/// One query per order rather than one with `CASE` in `ORDER BY`: each order's keyset
/// condition is then a plain row comparison in the direction of its `ORDER BY`, which the
/// indexes on `(user_id, <key>, id)` serve, and each query reads as the order it is. The
/// invoice number is matched as it was issued (`number_text`: `INV-000042`, `RE-2026-00042`).
#[tracing::instrument(skip_all, fields(owner_id = %user_id, sort = %from.sort()))]
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    filter: &Filter,
    from: Position,
    limit: i64,
) -> Result<Vec<InvoiceSummary>, StoreError> {
    let status = filter.status.map(InvoiceStatus::as_str);
    let pattern = filter.search.as_deref().map(contains_pattern);
    let rows = match from {
        Position::Newest(after) => {
            sqlx::query_as!(
                InvoiceRow,
                r#"
                SELECT id, user_id, status, number, number_text, client_name, client_email, currency,
                       issue_date, due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version, sent_at,
                       paid_at, voided_at, void_reason, uncollectible_on, uncollectible_reason,
                       document_version, created_at, updated_at
                FROM invoices
                WHERE user_id = $1
                  AND ($2::text IS NULL OR status = $2)
                  AND ($3::text IS NULL
                       OR client_name ILIKE $3 ESCAPE '\'
                       OR client_email ILIKE $3 ESCAPE '\'
                       OR number_text ILIKE $3 ESCAPE '\')
                  AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5))
                ORDER BY created_at DESC, id DESC
                LIMIT $6
                "#,
                user_id,
                status,
                pattern,
                after.map(|(created_at, _)| created_at),
                after.map(|(_, id)| id),
                limit,
            )
            .fetch_all(db)
            .await?
        }
        Position::Oldest(after) => {
            sqlx::query_as!(
                InvoiceRow,
                r#"
                SELECT id, user_id, status, number, number_text, client_name, client_email, currency,
                       issue_date, due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version, sent_at,
                       paid_at, voided_at, void_reason, uncollectible_on, uncollectible_reason,
                       document_version, created_at, updated_at
                FROM invoices
                WHERE user_id = $1
                  AND ($2::text IS NULL OR status = $2)
                  AND ($3::text IS NULL
                       OR client_name ILIKE $3 ESCAPE '\'
                       OR client_email ILIKE $3 ESCAPE '\'
                       OR number_text ILIKE $3 ESCAPE '\')
                  AND ($4::timestamptz IS NULL OR (created_at, id) > ($4, $5))
                ORDER BY created_at, id
                LIMIT $6
                "#,
                user_id,
                status,
                pattern,
                after.map(|(created_at, _)| created_at),
                after.map(|(_, id)| id),
                limit,
            )
            .fetch_all(db)
            .await?
        }
        Position::DueDate(after) => {
            sqlx::query_as!(
                InvoiceRow,
                r#"
                SELECT id, user_id, status, number, number_text, client_name, client_email, currency,
                       issue_date, due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version, sent_at,
                       paid_at, voided_at, void_reason, uncollectible_on, uncollectible_reason,
                       document_version, created_at, updated_at
                FROM invoices
                WHERE user_id = $1
                  AND ($2::text IS NULL OR status = $2)
                  AND ($3::text IS NULL
                       OR client_name ILIKE $3 ESCAPE '\'
                       OR client_email ILIKE $3 ESCAPE '\'
                       OR number_text ILIKE $3 ESCAPE '\')
                  AND ($4::date IS NULL OR (due_date, id) > ($4, $5))
                ORDER BY due_date, id
                LIMIT $6
                "#,
                user_id,
                status,
                pattern,
                after.map(|(due_date, _)| due_date),
                after.map(|(_, id)| id),
                limit,
            )
            .fetch_all(db)
            .await?
        }
        // The amount due changes as payments arrive; an invoice paid between two pages moves
        // in the order, as any keyset list does when its key changes.
        Position::AmountDue(after) => {
            sqlx::query_as!(
                InvoiceRow,
                r#"
                SELECT id, user_id, status, number, number_text, client_name, client_email, currency,
                       issue_date, due_date, notes, subtotal, total, amount_paid, amount_credited, amount_to_balance, version, sent_at,
                       paid_at, voided_at, void_reason, uncollectible_on, uncollectible_reason,
                       document_version, created_at, updated_at
                FROM invoices
                WHERE user_id = $1
                  AND ($2::text IS NULL OR status = $2)
                  AND ($3::text IS NULL
                       OR client_name ILIKE $3 ESCAPE '\'
                       OR client_email ILIKE $3 ESCAPE '\'
                       OR number_text ILIKE $3 ESCAPE '\')
                  AND ($4::int8 IS NULL OR (amount_due, id) < ($4, $5))
                ORDER BY amount_due DESC, id DESC
                LIMIT $6
                "#,
                user_id,
                status,
                pattern,
                after.map(|(amount_due, _)| amount_due),
                after.map(|(_, id)| id),
                limit,
            )
            .fetch_all(db)
            .await?
        }
    };
    rows.into_iter().map(TryInto::try_into).collect()
}

/// A `LIKE` pattern matching any text that contains `text` literally: `\`, `%` and `_` are
/// escaped with `\` (the queries' `ESCAPE` character).
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_parse_from_their_names() {
        for sort in Sort::ALL {
            assert_eq!(sort.as_str().parse::<Sort>().unwrap(), sort);
            assert_eq!(Position::start(sort).sort(), sort);
        }
        let error = "cheapest".parse::<Sort>().unwrap_err().to_string();
        assert_eq!(
            error,
            "sort must be one of newest, oldest, due_date, amount_due (not 'cheapest')"
        );
        assert_eq!(Sort::default().to_string(), "newest");
        assert!("Newest".parse::<Sort>().is_err());
    }

    #[test]
    fn search_text_is_matched_literally() {
        assert_eq!(contains_pattern("acme"), "%acme%");
        assert_eq!(contains_pattern("100%"), "%100\\%%");
        assert_eq!(contains_pattern("a_b"), "%a\\_b%");
        assert_eq!(contains_pattern(r"C:\dir"), r"%C:\\dir%");
        assert_eq!(contains_pattern(""), "%%");
    }
}
