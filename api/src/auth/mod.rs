//! Who is calling: passwords (argon2id), access tokens (JWT), sessions (Redis) and the
//! extractor that checks them.

pub mod password;
pub mod sessions;
pub mod token;

use crate::{error::ApiError, state::AppState};
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
};
use invoicing_store::users::Role;
use token::Claims;
use uuid::Uuid;

/// The authenticated caller, from a valid `Authorization: Bearer <token>` header whose session
/// is still alive.
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
    /// The session id (128 bits; hex in tokens and Redis keys).
    session: u128,
}

impl AuthUser {
    pub fn is_admin(self) -> bool {
        self.role == Role::Admin
    }

    pub fn session(self) -> String {
        format!("{:032x}", self.session)
    }
}

/// What the request gate found out about the caller: the verified claims of the access token,
/// and whether its session is alive (`None`: Redis did not answer). The gate asks Redis once
/// per request for the rate limit and the session together; the token is verified once too.
#[derive(Clone, Debug)]
pub struct Verified {
    pub claims: Claims,
    pub alive: Option<bool>,
}

/// The request's verified claims: from the gate when it ran, else from the header.
pub fn verified_claims(
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Claims, ApiError> {
    match extensions.get::<Verified>() {
        Some(verified) => Ok(verified.claims.clone()),
        None => claims(headers, state),
    }
}

/// The bearer token of the request, if the header is well-formed.
pub fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    let header = headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("An access token is required."))?;
    header
        .to_str()
        .ok()
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .ok_or(ApiError::Unauthorized(
            "Use an 'Authorization: Bearer <access token>' header.",
        ))
}

/// The verified claims of the request's access token.
pub fn claims(headers: &HeaderMap, state: &AppState) -> Result<Claims, ApiError> {
    state
        .tokens
        .verify(bearer(headers)?)
        .map_err(|_| ApiError::Unauthorized("The access token is invalid or has expired."))
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (claims, alive) = match parts.extensions.get::<Verified>() {
            Some(verified) => (verified.claims.clone(), verified.alive),
            None => {
                let claims = claims(&parts.headers, state)?;
                let alive = state.sessions.is_alive(&claims.sid).await.ok();
                (claims, alive)
            }
        };
        let session = u128::from_str_radix(&claims.sid, 16)
            .map_err(|_| ApiError::Unauthorized("The access token is invalid or has expired."))?;
        match alive {
            Some(true) => {}
            Some(false) => {
                return Err(ApiError::Unauthorized(
                    "The session has ended; sign in again.",
                ));
            }
            // Redis is down: the token's signature and expiry are all there is to check.
            None => tracing::debug!("session not checked: Redis unavailable"),
        }
        Ok(AuthUser {
            id: claims.sub,
            role: claims.role,
            session,
        })
    }
}
