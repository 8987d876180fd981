//! The signed-in account.

use crate::{
    auth::AuthUser,
    error::ApiError,
    openapi::{Unauthorized, Unavailable},
    state::AppState,
    views::UserJson,
};
use axum::{Json, extract::State};
use invoicing_store::users;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
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
