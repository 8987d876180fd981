//! Who is calling: passwords (argon2id), access tokens (JWT), sessions (Redis) and the
//! extractor that checks them.
//!
//! A token is a credential only while three things hold, checked on every request: its
//! signature and times (`token`), its session (Redis: signing out ends it), and its account
//! (PostgreSQL: one primary-key read; a deleted or disabled account is refused at once, however
//! it was deleted or disabled).

pub mod issue;
pub mod password;
pub mod sessions;
pub mod token;

use crate::{error::ApiError, state::AppState};
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
};
use invoicing_store::users::{self, Role, Standing};
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
/// whether its session is alive (`None`: Redis did not answer) and the account's standing
/// (`None`: not looked up). The gate asks Redis once per request for the rate limit and the
/// session together, then PostgreSQL for the account; the token is verified once too.
#[derive(Clone, Debug)]
pub struct Verified {
    pub claims: Claims,
    pub alive: Option<bool>,
    pub standing: Option<Standing>,
}

impl Verified {
    /// Looks up the account of `claims`, unless the session is known to have ended. When
    /// PostgreSQL does not answer, the standing is left unknown and the extractor asks again
    /// (and answers the error).
    pub async fn look_up(state: &AppState, claims: Claims, alive: Option<bool>) -> Self {
        let standing = match alive {
            Some(false) => None,
            _ => users::standing(&state.db, claims.sub)
                .await
                .inspect_err(|error| tracing::debug!(%error, "account not looked up"))
                .ok(),
        };
        Self {
            claims,
            alive,
            standing,
        }
    }

    /// Why the caller is refused, if the gate already knows.
    fn refusal(&self) -> Option<ApiError> {
        match self.alive {
            Some(false) => Some(session_ended()),
            _ => self
                .standing
                .and_then(|standing| in_good_standing(standing).err()),
        }
    }
}

/// The request's verified claims: from the gate when it ran (refused when it found the session
/// ended or the account gone or disabled), else from the header.
pub fn verified_claims(
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Claims, ApiError> {
    match extensions.get::<Verified>() {
        Some(verified) => match verified.refusal() {
            Some(refusal) => Err(refusal),
            None => Ok(verified.claims.clone()),
        },
        None => claims(headers, state),
    }
}

fn session_ended() -> ApiError {
    ApiError::Unauthorized("The session has ended; sign in again.")
}

/// A deleted or disabled account's tokens are no longer credentials.
fn in_good_standing(standing: Standing) -> Result<Role, ApiError> {
    match standing {
        Standing::Active(role) => Ok(role),
        Standing::Disabled => Err(ApiError::Unauthorized("The account is disabled.")),
        Standing::Gone => Err(ApiError::Unauthorized("The account no longer exists.")),
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
        let (claims, alive, standing) = match parts.extensions.get::<Verified>() {
            Some(verified) => (verified.claims.clone(), verified.alive, verified.standing),
            None => {
                let claims = claims(&parts.headers, state)?;
                let alive = state.sessions.is_alive(&claims.sid).await.ok();
                (claims, alive, None)
            }
        };
        let session = u128::from_str_radix(&claims.sid, 16)
            .map_err(|_| ApiError::Unauthorized("The access token is invalid or has expired."))?;
        match alive {
            Some(true) => {}
            Some(false) => return Err(session_ended()),
            // Redis is down: the token and the account are all there is to check.
            None => tracing::debug!("session not checked: Redis unavailable"),
        }
        let standing = match standing {
            Some(standing) => standing,
            None => users::standing(&state.db, claims.sub).await?,
        };
        // The role as it is now: a token issued before a change of role does not keep the old one.
        let role = in_good_standing(standing)?;
        Ok(AuthUser {
            id: claims.sub,
            role,
            session,
        })
    }
}

/// An authenticated caller who is an administrator; anyone else is refused with 403 (the
/// administrators' routes reveal nothing about a particular resource, so there is nothing to
/// hide behind a 404).
#[derive(Clone, Copy, Debug)]
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = AuthUser::from_request_parts(parts, state).await?;
        if caller.is_admin() {
            Ok(AdminUser(caller))
        } else {
            Err(ApiError::Forbidden("Only administrators can do this."))
        }
    }
}
