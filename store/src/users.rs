//! Accounts.

use crate::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;
use strum::{Display, EnumString, IntoStaticStr};
use uuid::Uuid;

/// What an account may do. Every registered account is a `user`; an `admin` can also read
/// every account's invoices.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Display, EnumString, IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = StoreError,
    parse_err_fn = unknown_role
)]
pub enum Role {
    User,
    Admin,
}

impl Role {
    /// The role as stored (`users.role`): `user` or `admin`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A stored role that is none of [`Role`]'s.
fn unknown_role(text: &str) -> StoreError {
    StoreError::corrupt(format!("unknown role '{text}'"))
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Since when the account is disabled: it keeps its data, but cannot sign in and its
    /// tokens are refused. `None`: active.
    pub disabled_at: Option<DateTime<Utc>>,
}

struct UserRow {
    id: Uuid,
    email: String,
    password_hash: String,
    role: String,
    created_at: DateTime<Utc>,
    disabled_at: Option<DateTime<Utc>>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: row.id,
            email: row.email,
            password_hash: row.password_hash,
            role: row.role.parse()?,
            created_at: row.created_at,
            disabled_at: row.disabled_at,
        })
    }
}

/// Name of the index that keeps e-mail addresses unique regardless of case.
pub const EMAIL_UNIQUE: &str = "users_email_unique";

/// Creates an account; `StoreError::Conflict { constraint: EMAIL_UNIQUE }` if the address is taken.
#[tracing::instrument(skip_all)]
pub async fn insert(
    db: impl PgExecutor<'_>,
    id: Uuid,
    email: &str,
    password_hash: &str,
) -> Result<User, StoreError> {
    let row = sqlx::query_as!(
        UserRow,
        r#"
        INSERT INTO users (id, email, password_hash)
        VALUES ($1, $2, $3)
        RETURNING id, email, password_hash, role, created_at, disabled_at
        "#,
        id,
        email,
        password_hash,
    )
    .fetch_one(db)
    .await?;
    row.try_into()
}

/// The account with this e-mail address, compared without regard to case.
#[tracing::instrument(skip_all)]
pub async fn find_by_email(
    db: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<User>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"
        SELECT id, email, password_hash, role, created_at, disabled_at
        FROM users
        WHERE lower(email) = lower($1)
        "#,
        email,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

#[tracing::instrument(skip_all)]
pub async fn find(db: impl PgExecutor<'_>, id: Uuid) -> Result<Option<User>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"
        SELECT id, email, password_hash, role, created_at, disabled_at
        FROM users
        WHERE id = $1
        "#,
        id,
    )
    .fetch_optional(db)
    .await?
    .map(TryInto::try_into)
    .transpose()
}

/// Whether an account may act, as far as PostgreSQL knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It may, with its role as it is now (a token carries the role it was issued with).
    Active(Role),
    Disabled,
    /// No such account (any more).
    Gone,
}

/// The account's standing: one primary-key read, made for every authenticated request.
#[tracing::instrument(skip_all)]
pub async fn standing(db: impl PgExecutor<'_>, id: Uuid) -> Result<Standing, StoreError> {
    let row = sqlx::query!(
        r#"SELECT role, disabled_at IS NOT NULL AS "disabled!" FROM users WHERE id = $1"#,
        id,
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        None => Standing::Gone,
        Some(row) if row.disabled => Standing::Disabled,
        Some(row) => Standing::Active(row.role.parse()?),
    })
}

/// Disables the account (keeping the time it was first disabled) or enables it again; returns
/// it as it now is.
#[tracing::instrument(skip_all)]
pub async fn set_disabled(
    db: impl PgExecutor<'_>,
    id: Uuid,
    disabled: bool,
) -> Result<User, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"
        UPDATE users
        SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END,
            updated_at = now()
        WHERE id = $1
        RETURNING id, email, password_hash, role, created_at, disabled_at
        "#,
        id,
        disabled,
    )
    .fetch_optional(db)
    .await?
    .ok_or(StoreError::NotFound("user"))?
    .try_into()
}

/// How many invoices the account has issued (numbered when sent; paid or void since, they
/// are legal documents all the same).
#[tracing::instrument(skip_all)]
pub async fn issued_invoices(db: impl PgExecutor<'_>, id: Uuid) -> Result<i64, StoreError> {
    let count = sqlx::query_scalar!(
        r#"SELECT count(*) AS "count!" FROM invoices WHERE user_id = $1 AND number IS NOT NULL"#,
        id,
    )
    .fetch_one(db)
    .await?;
    Ok(count)
}

/// The account's drafts (each has a workflow waiting for its next command).
#[tracing::instrument(skip_all)]
pub async fn drafts(db: impl PgExecutor<'_>, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let ids = sqlx::query_scalar!(
        "SELECT id FROM invoices WHERE user_id = $1 AND status = 'draft' ORDER BY created_at",
        id,
    )
    .fetch_all(db)
    .await?;
    Ok(ids)
}

/// What [`delete`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    NotFound,
    /// The account has issued invoices: it stays, and so do they.
    InvoicesIssued,
    /// The account has drafts (made since they were deleted): their workflows must end first.
    DraftsLeft,
}

/// Deletes an account that has no invoices but drafts voided before they were sent, which go
/// with it (as do its settings and idempotency keys).
///
/// The account's row is locked before its invoices are counted. Numbering an invoice updates
/// that row in the same transaction, so a send either committed before (and is counted here)
/// or waits for this one.
#[tracing::instrument(skip_all)]
pub async fn delete(db: &sqlx::PgPool, id: Uuid) -> Result<Deletion, StoreError> {
    let mut tx = db.begin().await?;
    let locked = sqlx::query_scalar!("SELECT id FROM users WHERE id = $1 FOR UPDATE", id)
        .fetch_optional(&mut *tx)
        .await?;
    if locked.is_none() {
        return Ok(Deletion::NotFound);
    }
    let counts = sqlx::query!(
        r#"
        SELECT count(*) FILTER (WHERE number IS NOT NULL) AS "issued!",
               count(*) FILTER (WHERE status = 'draft') AS "drafts!"
        FROM invoices
        WHERE user_id = $1
        "#,
        id,
    )
    .fetch_one(&mut *tx)
    .await?;
    if counts.issued > 0 {
        return Ok(Deletion::InvoicesIssued);
    }
    if counts.drafts > 0 {
        return Ok(Deletion::DraftsLeft);
    }
    sqlx::query!("DELETE FROM users WHERE id = $1", id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Deletion::Deleted)
}

/// Changes an account's role. Used by operators (and tests); no public endpoint grants roles.
#[tracing::instrument(skip_all)]
pub async fn set_role(db: impl PgExecutor<'_>, id: Uuid, role: Role) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE users SET role = $2, updated_at = now() WHERE id = $1",
        id,
        role.as_str(),
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("user"));
    }
    Ok(())
}

/// Replaces an account's password hash.
#[tracing::instrument(skip_all)]
pub async fn set_password(
    db: impl PgExecutor<'_>,
    id: Uuid,
    password_hash: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query!(
        "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1",
        id,
        password_hash,
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("user"));
    }
    Ok(())
}

/// Every account, newest first, a page at a time (`after`: the last account of the previous
/// page, as (created_at, id)).
#[tracing::instrument(skip_all)]
pub async fn list(
    db: impl PgExecutor<'_>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<User>, StoreError> {
    sqlx::query_as!(
        UserRow,
        r#"
        SELECT id, email, password_hash, role, created_at, disabled_at
        FROM users
        WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2))
        ORDER BY created_at DESC, id DESC
        LIMIT $3
        "#,
        after.map(|(created_at, _)| created_at),
        after.map(|(_, id)| id),
        limit,
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(TryInto::try_into)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_stored_as_user_and_admin() {
        for (role, text) in [(Role::User, "user"), (Role::Admin, "admin")] {
            assert_eq!(role.as_str(), text);
            assert_eq!(role.to_string(), text);
            assert_eq!(text.parse::<Role>().unwrap(), role);
            assert_eq!(serde_json::to_value(role).unwrap(), text);
        }
        let error = "root".parse::<Role>().unwrap_err();
        assert!(error.to_string().contains("unknown role 'root'"), "{error}");
    }
}
