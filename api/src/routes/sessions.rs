//! Sessions after sign-in: refreshing the access token, signing out (here or everywhere) and
//! changing the password. How sessions work is in `auth::sessions`.

use crate::{
    auth::{
        AuthUser,
        issue::{TokenPair, token_pair, unavailable},
        password,
        sessions::{RefreshError, Started},
    },
    error::ApiError,
    extract::Json,
    openapi::{
        BadRequest, PayloadTooLarge, Unauthorized, Unavailable, UnsupportedMediaType,
        ValidationFailed,
    },
    state::AppState,
};
use axum::{extract::State, http::StatusCode};
use invoicing_store::users;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(logout_all))
        .routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RefreshRequest {
    /// The refresh token of the last sign-in or refresh.
    refresh_token: String,
}

/// Refreshes a session
///
/// Exchanges a refresh token for a new access token and a new refresh token. Each refresh
/// token works once: using one again ends the session (someone else may hold a copy). A
/// deleted or disabled account's session is refused (401) and ends.
#[utoipa::path(
    post,
    path = "/auth/refresh",
    operation_id = "refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "The session's next tokens.", body = TokenPair),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn refresh(
    State(state): State<AppState>,
    Json(body): Json<RefreshRequest>,
) -> Result<axum::Json<TokenPair>, ApiError> {
    let (session, user_id, refresh_token) = match state.sessions.refresh(&body.refresh_token).await
    {
        Ok(rotated) => rotated,
        Err(RefreshError::Invalid) => {
            return Err(ApiError::Unauthorized(
                "The refresh token is invalid or the session has ended.",
            ));
        }
        Err(RefreshError::Reused) => {
            return Err(ApiError::Unauthorized(
                "This refresh token was already used, so the session has been ended; sign in again.",
            ));
        }
        Err(RefreshError::Unavailable(error)) => {
            return Err(unavailable("refreshing a session")(error));
        }
    };
    // The role is read afresh: a promotion or demotion shows in the next access token. A
    // deleted or disabled account's session ends here (if disabling could not end it).
    let user = match users::find(&state.db, user_id).await? {
        Some(user) if user.disabled_at.is_none() => user,
        other => {
            let _ = state.sessions.end(user_id, &session).await;
            return Err(ApiError::Unauthorized(match other {
                Some(_) => "The account is disabled.",
                None => "The account no longer exists.",
            }));
        }
    };
    let pair = token_pair(
        &state,
        &user,
        Started {
            id: session,
            refresh_token,
        },
    )?;
    Ok(axum::Json(pair))
}

/// Signs out
///
/// Ends the caller's session: its refresh token stops working, and so does its access token.
#[utoipa::path(
    post,
    path = "/auth/logout",
    operation_id = "logout",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The session has ended."),
        Unauthorized, Unavailable,
    ),
)]
async fn logout(State(state): State<AppState>, caller: AuthUser) -> Result<StatusCode, ApiError> {
    state
        .sessions
        .end(caller.id, &caller.session())
        .await
        .map_err(unavailable("ending a session"))?;
    tracing::info!(user_id = %caller.id, "signed out");
    Ok(StatusCode::NO_CONTENT)
}

/// Signs out everywhere
///
/// Ends every session of the caller, on every device, this one included.
#[utoipa::path(
    post,
    path = "/auth/logout-all",
    operation_id = "logout_all",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Every session has ended."),
        Unauthorized, Unavailable,
    ),
)]
async fn logout_all(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<StatusCode, ApiError> {
    let ended = state
        .sessions
        .end_all(caller.id, None)
        .await
        .map_err(unavailable("ending sessions"))?;
    tracing::info!(user_id = %caller.id, ended, "signed out everywhere");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PasswordChange {
    #[schema(example = "correct horse battery")]
    current_password: String,
    #[schema(example = "a new passphrase")]
    new_password: String,
}

/// Changes the password
///
/// Changes the caller's password and ends every other session (this one stays signed in).
#[utoipa::path(
    post,
    path = "/auth/password",
    operation_id = "change_password",
    tag = "auth",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 204, description = "The password has changed; other sessions have ended."),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn change_password(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(body): Json<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    if let Err(message) = password::check_strength(&body.new_password) {
        return Err(ApiError::invalid("new_password", message));
    }
    let user = users::find(&state.db, caller.id)
        .await?
        .ok_or(ApiError::Unauthorized("The account no longer exists."))?;
    let verified = body.current_password.chars().count() <= password::MAX_LENGTH
        && password::verify(body.current_password, Some(user.password_hash))
            .await
            .map_err(ApiError::internal)?;
    if !verified {
        return Err(ApiError::invalid(
            "current_password",
            "is not the account's password",
        ));
    }
    let hash = password::hash(body.new_password)
        .await
        .map_err(ApiError::internal)?;
    // Other sessions end before the password changes: if Redis cannot end them, nothing
    // changes and the client can retry.
    let ended = state
        .sessions
        .end_all(caller.id, Some(&caller.session()))
        .await
        .map_err(unavailable("ending sessions"))?;
    users::set_password(&state.db, caller.id, &hash).await?;
    tracing::info!(user_id = %caller.id, other_sessions_ended = ended, "password changed");
    Ok(StatusCode::NO_CONTENT)
}
