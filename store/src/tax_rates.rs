//! The account's tax rates (`tax_rates`): created, read, renamed, listed, archived, and the
//! usable ones looked up for a draft's lines. A rate's percentage, category and exemption are
//! never updated (see the migration). Every query is scoped to the account.
//!
//! `percent` is `numeric(7, 4)`, read and written as its decimal text (`19.0000`): exact both
//! ways, without the `rust_decimal` feature of sqlx.

use crate::{StoreError, customers::NameKey};
use chrono::{DateTime, Utc};
use invoicing_workflows::domain::{Exemption, NamedTaxRate, TaxRate};
use sqlx::PgExecutor;
use uuid::Uuid;

/// A tax rate as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredTaxRate {
    pub id: Uuid,
    pub user_id: Uuid,
    pub named: NamedTaxRate,
    /// When the rate was archived; `None` while it is active.
    pub archived_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A row of `tax_rates` as the queries select it.
struct TaxRateRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    description: Option<String>,
    percent: String,
    category: String,
    exemption_reason: Option<String>,
    exemption_code: Option<String>,
    archived_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TaxRateRow {
    fn rate(&self) -> Result<TaxRate, StoreError> {
        rate_of(
            &self.category,
            &self.percent,
            self.exemption_reason.clone(),
            self.exemption_code.clone(),
        )
    }
}

/// The domain's rate from its columns, checked again by [`TaxRate::new`] (the table's checks
/// mirror it).
pub(crate) fn rate_of(
    category: &str,
    percent: &str,
    exemption_reason: Option<String>,
    exemption_code: Option<String>,
) -> Result<TaxRate, StoreError> {
    let exemption = exemption_reason.map(|reason| Exemption {
        reason,
        code: exemption_code,
    });
    TaxRate::new(
        category.parse().map_err(StoreError::corrupt)?,
        percent.parse().map_err(StoreError::corrupt)?,
        exemption,
    )
    .map_err(StoreError::corrupt)
}

impl TryFrom<TaxRateRow> for StoredTaxRate {
    type Error = StoreError;
    fn try_from(row: TaxRateRow) -> Result<Self, Self::Error> {
        let rate = row.rate()?;
        Ok(StoredTaxRate {
            id: row.id,
            user_id: row.user_id,
            named: NamedTaxRate {
                name: row.name,
                description: row.description,
                rate,
            },
            archived_at: row.archived_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Stores a new tax rate of `user_id`.
#[tracing::instrument(skip_all, fields(tax_rate_id = %id))]
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    user_id: Uuid,
    named: &NamedTaxRate,
) -> Result<StoredTaxRate, StoreError> {
    let rate = &named.rate;
    let exemption = rate.exemption();
    let row = sqlx::query_as!(
        TaxRateRow,
        r#"
        INSERT INTO tax_rates (
            id, user_id, name, description, percent, category, exemption_reason, exemption_code
        )
        VALUES ($1, $2, $3, $4, $5::text::numeric, $6, $7, $8)
        RETURNING id, user_id, name, description, percent::text AS "percent!", category,
                  exemption_reason, exemption_code, archived_at, created_at, updated_at
        "#,
        id,
        user_id,
        named.name,
        named.description,
        rate.percent().to_string(),
        rate.category().code(),
        exemption.map(|exemption| exemption.reason.as_str()),
        exemption.and_then(|exemption| exemption.code.as_deref()),
    )
    .fetch_one(db)
    .await?;
    row.try_into()
}

/// The tax rate `id` of `user_id`, archived or not; `None` if there is none (or it is another
/// account's).
#[tracing::instrument(skip_all, fields(tax_rate_id = %id))]
pub async fn get(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<StoredTaxRate>, StoreError> {
    sqlx::query_as!(
        TaxRateRow,
        r#"
        SELECT id, user_id, name, description, percent::text AS "percent!", category,
               exemption_reason, exemption_code, archived_at, created_at, updated_at
        FROM tax_rates
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

/// Gives the rate a new name and description (all a rate lets change); `None` if there is no
/// such rate.
#[tracing::instrument(skip_all, fields(tax_rate_id = %id))]
pub async fn rename(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
    name: &str,
    description: Option<&str>,
) -> Result<Option<StoredTaxRate>, StoreError> {
    sqlx::query_as!(
        TaxRateRow,
        r#"
        UPDATE tax_rates
        SET name = $3, description = $4, updated_at = now()
        WHERE user_id = $1 AND id = $2
        RETURNING id, user_id, name, description, percent::text AS "percent!", category,
                  exemption_reason, exemption_code, archived_at, created_at, updated_at
        "#,
        user_id,
        id,
        name,
        description,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// Archives the rate (`archived`) or makes it active again; `None` if there is no such rate.
/// Archiving an archived rate keeps the time it was first archived.
#[tracing::instrument(skip_all, fields(tax_rate_id = %id))]
pub async fn set_archived(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    id: Uuid,
    archived: bool,
) -> Result<Option<StoredTaxRate>, StoreError> {
    sqlx::query_as!(
        TaxRateRow,
        r#"
        UPDATE tax_rates
        SET archived_at = CASE WHEN $3 THEN COALESCE(archived_at, now()) END,
            updated_at = now()
        WHERE user_id = $1 AND id = $2
        RETURNING id, user_id, name, description, percent::text AS "percent!", category,
                  exemption_reason, exemption_code, archived_at, created_at, updated_at
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

/// A page of the account's active (or archived) rates by name, case-insensitively, starting
/// after `after`. Asks for `limit` rows: callers ask for one more than a page to tell whether
/// another follows.
#[tracing::instrument(skip_all, fields(owner_id = %user_id))]
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    archived: bool,
    after: Option<&NameKey>,
    limit: i64,
) -> Result<Vec<StoredTaxRate>, StoreError> {
    let rows = sqlx::query_as!(
        TaxRateRow,
        r#"
        SELECT id, user_id, name, description, percent::text AS "percent!", category,
               exemption_reason, exemption_code, archived_at, created_at, updated_at
        FROM tax_rates
        WHERE user_id = $1
          AND (archived_at IS NOT NULL) = $2
          AND ($3::text IS NULL OR (lower(name), id) > (lower($3), $4))
        ORDER BY lower(name), id
        LIMIT $5
        "#,
        user_id,
        archived,
        after.map(|key| key.name.as_str()),
        after.map(|key| key.id),
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}
