//! The signed-in account.

use crate::{auth::AuthUser, error::ApiError, state::AppState};
use axum::{Json, Router, extract::State, routing::get};
use chrono::{DateTime, Utc};
use invoicing_store::users::{self, Role, User};
use serde::Serialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/users/me", get(me))
}

#[derive(Serialize)]
pub struct UserJson {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

impl From<&User> for UserJson {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            role: user.role,
            created_at: user.created_at,
        }
    }
}

async fn me(State(state): State<AppState>, caller: AuthUser) -> Result<Json<UserJson>, ApiError> {
    // A valid token for an account that no longer exists is no longer a credential.
    let user = users::find(&state.db, caller.id)
        .await?
        .ok_or(ApiError::Unauthorized("The account no longer exists."))?;
    Ok(Json(UserJson::from(&user)))
}
