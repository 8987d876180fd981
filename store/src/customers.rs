//! The account's customers (`customers`): created, read, replaced, listed and searched,
//! archived, and deleted while no invoice names them. Every query is scoped to the account: another
//! account's customer is not found.

use crate::{StoreError, invoice_list::contains_pattern};
use chrono::{DateTime, Utc};
use invoicing_workflows::domain::{
    Address, Country, Currency, Customer, ElectronicAddress, ElectronicAddressFields, Email, TaxId,
    customer::parse_time_zone,
};
use sqlx::PgExecutor;
use uuid::Uuid;

/// The foreign key that keeps a customer whom invoices name.
pub const IN_USE: &str = "invoices_customer_fkey";

/// A customer as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredCustomer {
    pub id: Uuid,
    pub user_id: Uuid,
    pub customer: Customer,
    /// When the customer was archived; `None` while it is active.
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a page of a list ordered by name continues: just after this name and id, the name
/// compared as PostgreSQL's `lower()` sees it (the id breaks ties).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKey {
    pub name: String,
    pub id: Uuid,
}

/// Which of an account's customers to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Archived customers instead of active ones.
    pub archived: bool,
    /// Text that the display name, the legal name or any e-mail address contains, whatever
    /// the case; matched literally (`%` and `_` are not wildcards).
    pub search: Option<String>,
}

/// A row of `customers` as the queries select it.
struct CustomerRow {
    id: Uuid,
    user_id: Uuid,
    display_name: String,
    legal_name: Option<String>,
    emails: Vec<String>,
    cc_emails: Vec<String>,
    address_lines: Option<Vec<String>>,
    postal_code: Option<String>,
    city: Option<String>,
    region: Option<String>,
    country: Option<String>,
    tax_id_kind: Option<String>,
    tax_id: Option<String>,
    currency: Option<String>,
    language: String,
    time_zone: String,
    payment_terms_days: Option<i32>,
    notes: Option<String>,
    e_invoice_format: Option<String>,
    buyer_reference: Option<String>,
    endpoint_scheme: Option<String>,
    endpoint_id: Option<String>,
    archived_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<CustomerRow> for StoredCustomer {
    type Error = StoreError;
    fn try_from(row: CustomerRow) -> Result<Self, Self::Error> {
        let emails = |list: Vec<String>| {
            list.iter()
                .map(|email| Email::parse(email).map_err(StoreError::corrupt))
                .collect::<Result<Vec<_>, _>>()
        };
        let address = match row.country {
            None => None,
            Some(country) => Some(Address {
                lines: row.address_lines.unwrap_or_default(),
                postal_code: row.postal_code,
                city: row.city,
                region: row.region,
                country: Country::parse(&country).map_err(StoreError::corrupt)?,
            }),
        };
        let tax_id = match (row.tax_id_kind, row.tax_id) {
            (Some(kind), Some(value)) => Some(TaxId {
                kind: kind.parse().map_err(StoreError::corrupt)?,
                value,
            }),
            _ => None,
        };
        let customer = Customer {
            display_name: row.display_name,
            legal_name: row.legal_name,
            emails: emails(row.emails)?,
            cc_emails: emails(row.cc_emails)?,
            address,
            tax_id,
            currency: row
                .currency
                .map(|code| Currency::parse(&code).map_err(StoreError::corrupt))
                .transpose()?,
            language: row.language.parse().map_err(StoreError::corrupt)?,
            time_zone: parse_time_zone(&row.time_zone).map_err(StoreError::corrupt)?,
            payment_terms_days: row
                .payment_terms_days
                .map(|days| u32::try_from(days).map_err(StoreError::corrupt))
                .transpose()?,
            notes: row.notes,
            e_invoice_format: row
                .e_invoice_format
                .map(|format| format.parse().map_err(StoreError::corrupt))
                .transpose()?,
            buyer_reference: row.buyer_reference,
            electronic_address: electronic_address(row.endpoint_scheme, row.endpoint_id)?,
        };
        Ok(StoredCustomer {
            id: row.id,
            user_id: row.user_id,
            customer,
            archived_at: row.archived_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// An electronic address from its two columns (`endpoint_scheme`, `endpoint_id`), checked
/// again: the table checks only its form.
pub(crate) fn electronic_address(
    scheme: Option<String>,
    id: Option<String>,
) -> Result<Option<ElectronicAddress>, StoreError> {
    match (scheme, id) {
        (Some(scheme), Some(id)) => {
            ElectronicAddress::try_from(ElectronicAddressFields { scheme, id })
                .map(Some)
                .map_err(StoreError::corrupt)
        }
        _ => Ok(None),
    }
}

/// A customer's columns, as the queries bind them.
struct Columns<'a> {
    emails: Vec<&'a str>,
    cc_emails: Vec<&'a str>,
    address_lines: Option<Vec<String>>,
    postal_code: Option<&'a str>,
    city: Option<&'a str>,
    region: Option<&'a str>,
    country: Option<&'a str>,
    tax_id_kind: Option<&'static str>,
    tax_id: Option<&'a str>,
    currency: Option<&'static str>,
    payment_terms_days: Option<i32>,
    e_invoice_format: Option<&'static str>,
    endpoint_scheme: Option<&'a str>,
    endpoint_id: Option<&'a str>,
}

impl<'a> Columns<'a> {
    fn of(customer: &'a Customer) -> Self {
        let address = customer.address.as_ref();
        Self {
            emails: customer.emails.iter().map(Email::as_str).collect(),
            cc_emails: customer.cc_emails.iter().map(Email::as_str).collect(),
            address_lines: address.map(|address| address.lines.clone()),
            postal_code: address.and_then(|address| address.postal_code.as_deref()),
            city: address.and_then(|address| address.city.as_deref()),
            region: address.and_then(|address| address.region.as_deref()),
            country: address.map(|address| address.country.code()),
            tax_id_kind: customer.tax_id.as_ref().map(|tax_id| tax_id.kind.into()),
            tax_id: customer.tax_id.as_ref().map(|tax_id| tax_id.value.as_str()),
            currency: customer.currency.map(Currency::code),
            // `Customer::parse` keeps terms within a year.
            payment_terms_days: customer
                .payment_terms_days
                .map(|days| i32::try_from(days).unwrap_or(i32::MAX)),
            e_invoice_format: customer.e_invoice_format.map(<&str>::from),
            endpoint_scheme: customer
                .electronic_address
                .as_ref()
                .map(ElectronicAddress::scheme),
            endpoint_id: customer
                .electronic_address
                .as_ref()
                .map(ElectronicAddress::id),
        }
    }
}

/// Stores a new customer of `user_id`.
#[tracing::instrument(skip_all, fields(customer_id = %id))]
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    user_id: Uuid,
    customer: &Customer,
) -> Result<StoredCustomer, StoreError> {
    let columns = Columns::of(customer);
    let row = sqlx::query_as!(
        CustomerRow,
        r#"
        INSERT INTO customers (
            id, user_id, display_name, legal_name, emails, cc_emails, address_lines,
            postal_code, city, region, country, tax_id_kind, tax_id, currency, language,
            time_zone, payment_terms_days, notes, e_invoice_format, buyer_reference,
            endpoint_scheme, endpoint_id
        )
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $20, $21, $22)
        RETURNING id, user_id, display_name, legal_name, emails, cc_emails, address_lines,
                  postal_code, city, region, country, tax_id_kind, tax_id, currency, language,
                  time_zone, payment_terms_days, notes, e_invoice_format, buyer_reference,
                  endpoint_scheme, endpoint_id, archived_at, created_at, updated_at
        "#,
        id,
        user_id,
        customer.display_name,
        customer.legal_name,
        &columns.emails as &[&str],
        &columns.cc_emails as &[&str],
        columns.address_lines.as_deref(),
        columns.postal_code,
        columns.city,
        columns.region,
        columns.country,
        columns.tax_id_kind,
        columns.tax_id,
        columns.currency,
        customer.language.tag(),
        customer.time_zone.name(),
        columns.payment_terms_days,
        customer.notes,
        columns.e_invoice_format,
        customer.buyer_reference,
        columns.endpoint_scheme,
        columns.endpoint_id,
    )
    .fetch_one(db)
    .await?;
    row.try_into()
}

/// The customer `id` of `user_id`, archived or not; `None` if there is none (or it is another
/// account's).
#[tracing::instrument(skip_all, fields(customer_id = %id))]
pub async fn get(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<StoredCustomer>, StoreError> {
    sqlx::query_as!(
        CustomerRow,
        r#"
        SELECT id, user_id, display_name, legal_name, emails, cc_emails, address_lines,
               postal_code, city, region, country, tax_id_kind, tax_id, currency, language,
               time_zone, payment_terms_days, notes, e_invoice_format, buyer_reference,
               endpoint_scheme, endpoint_id, archived_at, created_at, updated_at
        FROM customers
        WHERE user_id = $1 AND id = $2
        "#,
        user_id,
        id,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// Replaces every detail of the customer `id` of `user_id` (archived or not); `None` if there
/// is no such customer. Invoices already sent keep the details they were sent with.
#[tracing::instrument(skip_all, fields(customer_id = %id))]
pub async fn replace(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
    customer: &Customer,
) -> Result<Option<StoredCustomer>, StoreError> {
    let columns = Columns::of(customer);
    sqlx::query_as!(
        CustomerRow,
        r#"
        UPDATE customers
        SET display_name = $3, legal_name = $4, emails = $5, cc_emails = $6,
            address_lines = $7, postal_code = $8, city = $9, region = $10, country = $11,
            tax_id_kind = $12, tax_id = $13, currency = $14, language = $15, time_zone = $16,
            payment_terms_days = $17, notes = $18, e_invoice_format = $19,
            buyer_reference = $20, endpoint_scheme = $21, endpoint_id = $22, updated_at = now()
        WHERE user_id = $1 AND id = $2
        RETURNING id, user_id, display_name, legal_name, emails, cc_emails, address_lines,
                  postal_code, city, region, country, tax_id_kind, tax_id, currency, language,
                  time_zone, payment_terms_days, notes, e_invoice_format, buyer_reference,
                  endpoint_scheme, endpoint_id, archived_at, created_at, updated_at
        "#,
        user_id,
        id,
        customer.display_name,
        customer.legal_name,
        &columns.emails as &[&str],
        &columns.cc_emails as &[&str],
        columns.address_lines.as_deref(),
        columns.postal_code,
        columns.city,
        columns.region,
        columns.country,
        columns.tax_id_kind,
        columns.tax_id,
        columns.currency,
        customer.language.tag(),
        customer.time_zone.name(),
        columns.payment_terms_days,
        customer.notes,
        columns.e_invoice_format,
        customer.buyer_reference,
        columns.endpoint_scheme,
        columns.endpoint_id,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// Archives the customer (`archived`) or makes it active again; `None` if there is no such
/// customer. Archiving an archived customer keeps the time it was first archived.
#[tracing::instrument(skip_all, fields(customer_id = %id))]
pub async fn set_archived(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
    archived: bool,
) -> Result<Option<StoredCustomer>, StoreError> {
    sqlx::query_as!(
        CustomerRow,
        r#"
        UPDATE customers
        SET archived_at = CASE WHEN $3 THEN COALESCE(archived_at, now()) END,
            updated_at = now()
        WHERE user_id = $1 AND id = $2
        RETURNING id, user_id, display_name, legal_name, emails, cc_emails, address_lines,
                  postal_code, city, region, country, tax_id_kind, tax_id, currency, language,
                  time_zone, payment_terms_days, notes, e_invoice_format, buyer_reference,
                  endpoint_scheme, endpoint_id, archived_at, created_at, updated_at
        "#,
        user_id,
        id,
        archived,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// Deletes the customer `id` of `user_id`; `false` if there is no such customer. A customer
/// that invoices name is not deleted: [`StoreError::Conflict`] on [`IN_USE`] (archive it
/// instead).
#[tracing::instrument(skip_all, fields(customer_id = %id))]
pub async fn delete(db: impl PgExecutor<'_>, user_id: Uuid, id: Uuid) -> Result<bool, StoreError> {
    let deleted = sqlx::query!(
        "DELETE FROM customers WHERE user_id = $1 AND id = $2",
        user_id,
        id,
    )
    .execute(db)
    .await
    .map_err(StoreError::referenced)?;
    Ok(deleted.rows_affected() > 0)
}

/// A page of the account's customers by display name (case-insensitively), active or
/// archived, optionally searched, starting after `after`. Asks for `limit` rows: callers ask
/// for one more than a page to tell whether another follows.
///
/// The search reads `customers_search_text` (the names and every address, lower case), which
/// a trigram index serves; `lower($3)` lowers the pattern the same way.
#[tracing::instrument(skip_all, fields(owner_id = %user_id))]
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    filter: &Filter,
    after: Option<&NameKey>,
    limit: i64,
) -> Result<Vec<StoredCustomer>, StoreError> {
    let pattern = filter.search.as_deref().map(contains_pattern);
    let rows = sqlx::query_as!(
        CustomerRow,
        r#"
        SELECT id, user_id, display_name, legal_name, emails, cc_emails, address_lines,
               postal_code, city, region, country, tax_id_kind, tax_id, currency, language,
               time_zone, payment_terms_days, notes, e_invoice_format, buyer_reference,
               endpoint_scheme, endpoint_id, archived_at, created_at, updated_at
        FROM customers
        WHERE user_id = $1
          AND (archived_at IS NOT NULL) = $2
          AND ($3::text IS NULL
               OR customers_search_text(display_name, legal_name, emails, cc_emails)
                  LIKE lower($3) ESCAPE '\')
          AND ($4::text IS NULL OR (lower(display_name), id) > (lower($4), $5))
        ORDER BY lower(display_name), id
        LIMIT $6
        "#,
        user_id,
        filter.archived,
        pattern,
        after.map(|key| key.name.as_str()),
        after.map(|key| key.id),
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}
