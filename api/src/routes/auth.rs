//! Registration and sign-in; both start a session (see `sessions`).

use crate::{
    auth::{
        issue::{self, TokenPair},
        password,
    },
    error::ApiError,
    extract::Json,
    openapi::{
        BadRequest, Conflict, PayloadTooLarge, Unauthorized, Unavailable, UnsupportedMediaType,
        ValidationFailed,
    },
    state::AppState,
    views::UserJson,
};
use axum::{extract::State, http::StatusCode};
use invoicing_store::{StoreError, users};
use invoicing_workflows::domain::{Email, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
}

/// An e-mail address and a password.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Credentials {
    #[schema(format = Email, example = "ann@example.com")]
    email: String,
    /// At registration, within the length limits of `PasswordChange.new_password`.
    #[schema(example = "correct horse battery")]
    password: String,
}

/// A new account and the tokens of its first session.
#[derive(Serialize, ToSchema)]
struct Registered {
    user: UserJson,
    #[serde(flatten)]
    tokens: TokenPair,
}

/// Registers an account
///
/// Every new account has the role `user`. The answer carries an access token, so a client is
/// signed in at once.
#[utoipa::path(
    post,
    path = "/auth/register",
    operation_id = "register",
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 201, description = "The account was created.", body = Registered),
        BadRequest, Conflict, PayloadTooLarge, UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn register(
    State(state): State<AppState>,
    Json(body): Json<Credentials>,
) -> Result<(StatusCode, axum::Json<Registered>), ApiError> {
    let mut errors = FieldErrors::default();
    let email = Email::parse(&body.email)
        .map_err(|error| errors.add("email", error.to_string()))
        .ok();
    if let Err(message) = password::check_strength(&body.password) {
        errors.add("password", message);
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let hash = password::hash(body.password)
        .await
        .map_err(ApiError::internal)?;
    // The session first: if Redis is down, nothing is created and the client can retry.
    let id = Uuid::new_v4();
    let session = issue::start(&state, id).await?;
    let user = users::insert(&state.db, id, email.as_str(), &hash)
        .await
        .map_err(|error| match error {
            StoreError::Conflict { constraint } if constraint == users::EMAIL_UNIQUE => {
                ApiError::conflict(
                    "email-taken",
                    "An account with this e-mail address already exists.",
                )
            }
            other => other.into(),
        });
    let user = match user {
        Ok(user) => user,
        Err(error) => {
            let _ = state.sessions.end(id, &session.id).await;
            return Err(error);
        }
    };
    tracing::info!(user_id = %user.id, "account registered");
    let tokens = issue::token_pair(&state, &user, session)?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Registered {
            user: UserJson::from(&user),
            tokens,
        }),
    ))
}

/// Signs in
///
/// A wrong password and an unknown e-mail address get the same answer (401), in the same time.
/// A disabled account cannot sign in (401).
#[utoipa::path(
    post,
    path = "/auth/login",
    operation_id = "login",
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in.", body = TokenPair),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn login(
    State(state): State<AppState>,
    Json(body): Json<Credentials>,
) -> Result<axum::Json<TokenPair>, ApiError> {
    let refused = ApiError::Unauthorized("The e-mail address or password is incorrect.");
    if body.password.chars().count() > password::MAX_LENGTH {
        return Err(refused);
    }
    let user = users::find_by_email(&state.db, body.email.trim()).await?;
    let hash = user.as_ref().map(|user| user.password_hash.clone());
    let verified = password::verify(body.password, hash)
        .await
        .map_err(ApiError::internal)?;
    let Some(user) = user.filter(|_| verified) else {
        return Err(refused);
    };
    // Said only to someone who knows the password.
    if user.disabled_at.is_some() {
        return Err(ApiError::Unauthorized("This account is disabled."));
    }
    let session = issue::start(&state, user.id).await?;
    tracing::info!(user_id = %user.id, "signed in");
    Ok(axum::Json(issue::token_pair(&state, &user, session)?))
}
