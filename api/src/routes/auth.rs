//! Registration and sign-in.

use crate::{
    auth::password, error::ApiError, extract::Json, routes::users::UserJson, state::AppState,
};
use axum::{Router, extract::State, http::StatusCode, routing::post};
use invoicing_store::{StoreError, users};
use invoicing_workflows::domain::{Email, FieldErrors};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Credentials {
    email: String,
    password: String,
}

#[derive(Serialize)]
struct Registered {
    user: UserJson,
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
}

#[derive(Serialize)]
struct SignedIn {
    access_token: String,
    token_type: &'static str,
    expires_in: u64,
}

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
    let user = users::insert(&state.db, Uuid::new_v4(), email.as_str(), &hash)
        .await
        .map_err(|error| match error {
            StoreError::Conflict { constraint } if constraint == users::EMAIL_UNIQUE => {
                ApiError::conflict(
                    "email-taken",
                    "An account with this e-mail address already exists.",
                )
            }
            other => other.into(),
        })?;
    let issued = state
        .tokens
        .issue(user.id, user.role)
        .map_err(ApiError::internal)?;
    tracing::info!(user_id = %user.id, "account registered");
    Ok((
        StatusCode::CREATED,
        axum::Json(Registered {
            user: UserJson::from(&user),
            access_token: issued.token,
            token_type: "Bearer",
            expires_in: issued.expires_in,
        }),
    ))
}

/// A wrong password and an unknown e-mail get the same answer, in the same time.
async fn login(
    State(state): State<AppState>,
    Json(body): Json<Credentials>,
) -> Result<axum::Json<SignedIn>, ApiError> {
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
    let issued = state
        .tokens
        .issue(user.id, user.role)
        .map_err(ApiError::internal)?;
    Ok(axum::Json(SignedIn {
        access_token: issued.token,
        token_type: "Bearer",
        expires_in: issued.expires_in,
    }))
}
