//! The administrators' directory: every account and every account's invoices. Anyone else gets
//! 403 (these routes reveal nothing about a particular invoice, so there is nothing to hide
//! behind a 404).

use crate::{
    auth::AdminUser,
    cursor::{Page, PageJson},
    error::ApiError,
    extract::{self, Query},
    openapi::{BadRequest, Forbidden, Unauthorized, Unavailable},
    state::AppState,
    views::{SummaryJson, UserJson},
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
        (status = 200, description = "A page of accounts.", body = PageJson<UserJson>),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    ),
)]
async fn list_users(
    State(state): State<AppState>,
    _: AdminUser,
    Query(params): Query<UserParams>,
) -> Result<axum::Json<PageJson<UserJson>>, ApiError> {
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let after = page.after.map(|key| (key.created_at, key.id));
    let mut rows = users::list(&state.db, after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.created_at,
        id: last.id,
    });
    Ok(axum::Json(PageJson {
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
        (status = 200, description = "A page of invoices.", body = PageJson<OwnedInvoice>),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    ),
)]
async fn list_invoices(
    State(state): State<AppState>,
    _: AdminUser,
    Query(params): Query<InvoiceParams>,
) -> Result<axum::Json<PageJson<OwnedInvoice>>, ApiError> {
    let status = extract::optional::<InvoiceStatus>(params.status.as_deref())?;
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
    Ok(axum::Json(PageJson {
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
