//! Issuing a session's tokens: what signing in, registering and refreshing answer with.

use crate::{auth::sessions::Started, error::ApiError, state::AppState};
use invoicing_store::users::User;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// What signing in, registering and refreshing give: a short-lived access token for the
/// `Authorization` header and a refresh token (use once) for the next one.
#[derive(Serialize, ToSchema)]
pub struct TokenPair {
    /// A JWT; send it as `Authorization: Bearer <access_token>`.
    access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    token_type: &'static str,
    /// Seconds until the access token expires.
    expires_in: u64,
    refresh_token: String,
    /// Seconds until the session ends unless refreshed.
    refresh_expires_in: u64,
}

/// Starts a session for `user_id`; 503 while Redis is unreachable.
pub async fn start(state: &AppState, user_id: Uuid) -> Result<Started, ApiError> {
    state
        .sessions
        .start(user_id)
        .await
        .map_err(unavailable("starting a session"))
}

/// Redis did not answer while `doing` something with sessions: 503, retryable.
pub fn unavailable(doing: &'static str) -> impl FnOnce(redis::RedisError) -> ApiError {
    move |error| ApiError::Unavailable(anyhow::Error::new(error).context(doing))
}

/// The tokens of a session just started or refreshed.
pub fn token_pair(state: &AppState, user: &User, session: Started) -> Result<TokenPair, ApiError> {
    let access = state
        .tokens
        .issue(user.id, user.role, &session.id)
        .map_err(ApiError::internal)?;
    Ok(TokenPair {
        access_token: access.token,
        token_type: "Bearer",
        expires_in: access.expires_in,
        refresh_token: session.refresh_token,
        refresh_expires_in: state.sessions.ttl().as_secs(),
    })
}
