//! Administrators manage accounts: disable one (signed out everywhere, refused on every request
//! and at sign-in until enabled again), enable it again, or delete one that has issued no
//! invoices. Never their own account: there is always an administrator left to undo it.

use crate::{
    accounts,
    auth::{AdminUser, AuthUser},
    commands::{self, Command},
    error::ApiError,
    extract::Path,
    openapi::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized, Unavailable},
    state::AppState,
    views::UserJson,
};
use axum::{Json, extract::State, http::StatusCode};
use invoicing_store::users::{self, Deletion};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(disable, enable))
        .routes(routes!(delete))
}

/// An administrator acting on another account: the administrator.
fn on_another_account(AdminUser(caller): AdminUser, id: Uuid) -> Result<AuthUser, ApiError> {
    if caller.id == id {
        return Err(ApiError::Forbidden(
            "Administrators cannot disable or delete their own account.",
        ));
    }
    Ok(caller)
}

/// Disables an account
///
/// Ends all its sessions at once; its tokens are refused on every request, and it cannot sign
/// in or refresh, until it is enabled again. Its data and invoices are kept. Disabling a
/// disabled account changes nothing. Administrators only, and not their own account.
#[utoipa::path(
    put,
    path = "/admin/users/{id}/disabled",
    operation_id = "admin_disable_user",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account's id.")),
    responses(
        (status = 200, description = "The account, disabled since `disabled_at`.", body = UserJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Unavailable,
    ),
)]
async fn disable(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
) -> Result<Json<UserJson>, ApiError> {
    let caller = on_another_account(admin, id)?;
    let user = accounts::disable(&state.db, &state.sessions, id).await?;
    tracing::info!(user_id = %id, by = %caller.id, "account disabled");
    Ok(Json(UserJson::from(&user)))
}

/// Enables an account again
///
/// It can sign in again (the sessions it had stay ended). Enabling an active account changes
/// nothing. Administrators only.
#[utoipa::path(
    delete,
    path = "/admin/users/{id}/disabled",
    operation_id = "admin_enable_user",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account's id.")),
    responses(
        (status = 200, description = "The account, active.", body = UserJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Unavailable,
    ),
)]
async fn enable(
    State(state): State<AppState>,
    AdminUser(caller): AdminUser,
    Path(id): Path<Uuid>,
) -> Result<Json<UserJson>, ApiError> {
    let user = accounts::enable(&state.db, id).await?;
    tracing::info!(user_id = %id, by = %caller.id, "account enabled");
    Ok(Json(UserJson::from(&user)))
}

/// Deletes an account
///
/// With its drafts and settings. An account that has issued invoices is kept (409
/// `invoices-issued`): they are legal documents; disable it instead. The account is disabled
/// and signed out first, then its drafts are deleted (ending their workflows), then the
/// account. Administrators only, and not their own account.
#[utoipa::path(
    delete,
    path = "/admin/users/{id}",
    operation_id = "admin_delete_user",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The account's id.")),
    responses(
        (status = 204, description = "The account and its drafts were deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    ),
)]
async fn delete(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let caller = on_another_account(admin, id)?;
    // Refused before anything changes.
    users::find(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    if users::issued_invoices(&state.db, id).await? > 0 {
        return Err(invoices_issued());
    }
    // Locked out first, so that it makes no new drafts meanwhile.
    accounts::disable(&state.db, &state.sessions, id).await?;
    for draft in users::drafts(&state.db, id).await? {
        match commands::run(&state, draft, Command::DeleteDraft, None).await {
            Ok(()) | Err(ApiError::NotFound(_)) => {}
            Err(error) => return Err(error),
        }
    }
    match users::delete(&state.db, id).await? {
        Deletion::Deleted => {
            tracing::info!(user_id = %id, by = %caller.id, "account deleted");
            Ok(StatusCode::NO_CONTENT)
        }
        Deletion::NotFound => Err(ApiError::NotFound("user")),
        Deletion::InvoicesIssued => Err(invoices_issued()),
        Deletion::DraftsLeft => Err(ApiError::conflict(
            "conflict",
            "The account made a draft while it was being deleted; try again.",
        )),
    }
}

fn invoices_issued() -> ApiError {
    ApiError::conflict(
        "invoices-issued",
        "The account has issued invoices, which must be kept; disable it instead.",
    )
}
