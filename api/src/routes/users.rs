//! The signed-in account.

use crate::{
    auth::AuthUser,
    error::ApiError,
    openapi::{Unauthorized, Unavailable},
    state::AppState,
};
use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use invoicing_store::users::{self, Role, User};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// An account.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserJson {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Since when the account is disabled (by an administrator); `null` while it is active.
    #[schema(required = true)]
    pub disabled_at: Option<DateTime<Utc>>,
}

impl From<&User> for UserJson {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            role: user.role,
            created_at: user.created_at,
            disabled_at: user.disabled_at,
        }
    }
}

/// The signed-in account
#[utoipa::path(
    get,
    path = "/users/me",
    operation_id = "current_user",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account the access token belongs to.", body = UserJson),
        Unauthorized, Unavailable,
    ),
)]
async fn me(State(state): State<AppState>, caller: AuthUser) -> Result<Json<UserJson>, ApiError> {
    // The gate checked the account; it may have gone since.
    let user = users::find(&state.db, caller.id)
        .await?
        .ok_or(ApiError::Unauthorized("The account no longer exists."))?;
    Ok(Json(UserJson::from(&user)))
}
