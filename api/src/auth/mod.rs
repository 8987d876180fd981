//! Who is calling: passwords (argon2id), access tokens (JWT) and the extractor that checks them.

pub mod password;
pub mod token;

use crate::{error::ApiError, state::AppState};
use axum::{extract::FromRequestParts, http::header, http::request::Parts};
use invoicing_store::users::Role;
use uuid::Uuid;

/// The authenticated caller, from a valid `Authorization: Bearer <token>` header.
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
}

impl AuthUser {
    pub fn is_admin(self) -> bool {
        self.role == Role::Admin
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::Unauthorized("An access token is required."))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| {
                let (scheme, token) = value.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .ok_or(ApiError::Unauthorized(
                "Use an 'Authorization: Bearer <access token>' header.",
            ))?;
        let claims = state
            .tokens
            .verify(token)
            .map_err(|_| ApiError::Unauthorized("The access token is invalid or has expired."))?;
        Ok(AuthUser {
            id: claims.sub,
            role: claims.role,
        })
    }
}
