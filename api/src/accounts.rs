//! Disabling and enabling accounts, for the administrators' routes and the `api` CLI alike.

use crate::{auth::sessions::Sessions, error::ApiError};
use invoicing_store::users::{self, User};
use sqlx::PgPool;
use uuid::Uuid;

/// Disables the account and ends all its sessions; returns it. PostgreSQL is the authority
/// (every request and every refresh reads it), so the account is locked out first; if Redis
/// cannot end the sessions the answer is 503, and disabling again finishes the job.
pub async fn disable(db: &PgPool, sessions: &Sessions, id: Uuid) -> Result<User, ApiError> {
    let user = users::set_disabled(db, id, true).await?;
    let ended = sessions.end_all(id, None).await.map_err(|error| {
        ApiError::Unavailable(
            anyhow::Error::new(error).context("ending the sessions of a disabled account"),
        )
    })?;
    tracing::debug!(user_id = %id, sessions_ended = ended, "sessions of a disabled account ended");
    Ok(user)
}

/// Enables the account again; returns it. Its old sessions stay ended.
pub async fn enable(db: &PgPool, id: Uuid) -> Result<User, ApiError> {
    Ok(users::set_disabled(db, id, false).await?)
}
