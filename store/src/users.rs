//! Accounts.

use crate::StoreError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgExecutor;
use std::{fmt, str::FromStr};
use uuid::Uuid;

/// What an account may do. Every registered account is a `user`; an `admin` can also read
/// every account's invoices.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "user" => Ok(Role::User),
            "admin" => Ok(Role::Admin),
            other => Err(StoreError::corrupt(format!("unknown role '{other}'"))),
        }
    }
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

struct UserRow {
    id: Uuid,
    email: String,
    password_hash: String,
    role: String,
    created_at: DateTime<Utc>,
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
        RETURNING id, email, password_hash, role, created_at
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
        SELECT id, email, password_hash, role, created_at
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
        SELECT id, email, password_hash, role, created_at
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
        SELECT id, email, password_hash, role, created_at
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
