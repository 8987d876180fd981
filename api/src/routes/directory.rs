//! The administrators' directory: every account and every account's invoices. Anyone else gets
//! 403 (these routes reveal nothing about a particular invoice, so there is nothing to hide
//! behind a 404).

use super::{invoices::SummaryJson, users::UserJson};
use crate::{
    auth::AuthUser,
    cursor::Page,
    error::ApiError,
    extract::Query,
    openapi::{BadRequest, Forbidden, Unauthorized, Unavailable},
    state::AppState,
};
use axum::extract::State;
use invoicing_store::{
    invoices::{self, PageKey},
    users,
};
use invoicing_workflows::domain::InvoiceStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(list_invoices))
}

pub(super) fn require_admin(caller: AuthUser) -> Result<(), ApiError> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("Only administrators can do this."))
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct UserParams {
    /// Accounts per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before.
    cursor: Option<String>,
}

/// A page of accounts, newest first.
#[derive(Serialize, ToSchema)]
struct Users {
    data: Vec<UserJson>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// Every account
///
/// Newest first. Administrators only.
#[utoipa::path(
    get,
    path = "/admin/users",
    operation_id = "admin_list_users",
    tag = "admin",
    security(("bearer" = [])),
    params(UserParams),
    responses(
        (status = 200, description = "A page of accounts.", body = Users),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    ),
)]
async fn list_users(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<UserParams>,
) -> Result<axum::Json<Users>, ApiError> {
    require_admin(caller)?;
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let after = page.after.map(|key| (key.created_at, key.id));
    let mut rows = users::list(&state.db, after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.created_at,
        id: last.id,
    });
    Ok(axum::Json(Users {
        data: rows.iter().map(UserJson::from).collect(),
        next_cursor,
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct InvoiceParams {
    /// Only invoices in this status.
    #[param(value_type = Option<InvoiceStatus>)]
    status: Option<String>,
    /// Only this account's invoices.
    #[param(value_type = Option<Uuid>)]
    owner_id: Option<String>,
    /// Invoices per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before.
    cursor: Option<String>,
}

/// An invoice (without its items) and the account it belongs to.
#[derive(Serialize, ToSchema)]
struct OwnedInvoice {
    owner_id: Uuid,
    #[serde(flatten)]
    invoice: SummaryJson,
}

/// A page of invoices, newest first.
#[derive(Serialize, ToSchema)]
struct Invoices {
    data: Vec<OwnedInvoice>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// Every account's invoices
///
/// Newest first; filter by `status` and `owner_id`. Administrators only.
#[utoipa::path(
    get,
    path = "/admin/invoices",
    operation_id = "admin_list_invoices",
    tag = "admin",
    security(("bearer" = [])),
    params(InvoiceParams),
    responses(
        (status = 200, description = "A page of invoices.", body = Invoices),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    ),
)]
async fn list_invoices(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<InvoiceParams>,
) -> Result<axum::Json<Invoices>, ApiError> {
    require_admin(caller)?;
    let status = params
        .status
        .filter(|status| !status.is_empty())
        .map(|status| status.parse::<InvoiceStatus>())
        .transpose()
        .map_err(|error| ApiError::BadRequest(error.to_string()))?;
    let owner = params
        .owner_id
        .filter(|owner| !owner.is_empty())
        .map(|owner| Uuid::parse_str(&owner))
        .transpose()
        .map_err(|_| ApiError::BadRequest("owner_id must be a UUID".to_owned()))?;
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let mut rows = invoices::list_all(&state.db, owner, status, page.after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.created_at,
        id: last.id,
    });
    Ok(axum::Json(Invoices {
        data: rows
            .into_iter()
            .map(|row| OwnedInvoice {
                owner_id: row.user_id,
                invoice: SummaryJson::from(row),
            })
            .collect(),
        next_cursor,
    }))
}
