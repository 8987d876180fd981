//! The account's settings: its payment reminder schedule and how it appears on invoices.

use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::Json,
    openapi::{
        BadRequest, PayloadTooLarge, Unauthorized, Unavailable, UnsupportedMediaType,
        ValidationFailed,
    },
    state::AppState,
};
use axum::extract::State;
use invoicing_store::{reminders, sellers};
use invoicing_workflows::domain::{ReminderPolicy, SellerProfile, SellerProfileFields};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show, replace))
        .routes(routes!(show_seller, replace_seller))
}

/// Days relative to the due date on which a client is reminded of an unpaid invoice (negative:
/// before it), at 09:00 UTC. Applies to invoices sent after it changes.
#[derive(Serialize, ToSchema)]
#[schema(as = Reminders)]
struct RemindersJson {
    #[schema(example = json!([-3, 0, 1, 7, 14]))]
    days_from_due_date: Vec<i32>,
    /// `false` while the account uses the default schedule.
    custom: bool,
}

/// A new reminder schedule: days relative to the due date, none twice; `[]` turns reminders
/// off.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReplaceReminders {
    #[schema(example = json!([-3, 0, 7]))]
    days_from_due_date: Vec<i32>,
}

/// The reminder schedule
#[utoipa::path(
    get,
    path = "/settings/reminders",
    operation_id = "get_reminders",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account's reminder schedule.", body = RemindersJson),
        Unauthorized, Unavailable,
    ),
)]
async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<axum::Json<RemindersJson>, ApiError> {
    let policy = reminders::policy(&state.db, caller.id).await?;
    let custom = reminders::is_custom(&state.db, caller.id).await?;
    Ok(axum::Json(RemindersJson {
        days_from_due_date: policy.days().to_vec(),
        custom,
    }))
}

/// Replaces the reminder schedule
///
/// Applies to invoices sent afterwards.
#[utoipa::path(
    put,
    path = "/settings/reminders",
    operation_id = "replace_reminders",
    tag = "settings",
    security(("bearer" = [])),
    request_body = ReplaceReminders,
    responses(
        (status = 200, description = "The new schedule.", body = RemindersJson),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn replace(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(body): Json<ReplaceReminders>,
) -> Result<axum::Json<RemindersJson>, ApiError> {
    let policy = ReminderPolicy::parse(body.days_from_due_date)
        .map_err(|message| ApiError::invalid("days_from_due_date", message))?;
    reminders::set_policy(&state.db, caller.id, &policy).await?;
    Ok(axum::Json(RemindersJson {
        days_from_due_date: policy.days().to_vec(),
        custom: true,
    }))
}

/// The seller block of the account's invoices and the name its e-mails come from. All `null`
/// until set: invoices then show the account's e-mail address.
#[derive(Serialize, ToSchema)]
#[schema(as = Seller)]
struct SellerJson {
    #[schema(required = true, example = "Ann's Design Studio")]
    name: Option<String>,
    /// Lines separated by `\n`.
    #[schema(required = true)]
    address: Option<String>,
    /// VAT, EIN, ABN, ...
    #[schema(required = true)]
    tax_id: Option<String>,
}

impl From<Option<SellerProfile>> for SellerJson {
    fn from(profile: Option<SellerProfile>) -> Self {
        match profile {
            Some(profile) => Self {
                name: Some(profile.name),
                address: profile.address,
                tax_id: profile.tax_id,
            },
            None => Self {
                name: None,
                address: None,
                tax_id: None,
            },
        }
    }
}

/// The seller profile
#[utoipa::path(
    get,
    path = "/settings/seller",
    operation_id = "get_seller",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How the account appears on its invoices.", body = SellerJson),
        Unauthorized, Unavailable,
    ),
)]
async fn show_seller(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<axum::Json<SellerJson>, ApiError> {
    let profile = sellers::profile(&state.db, caller.id).await?;
    Ok(axum::Json(profile.into()))
}

/// Replaces the seller profile
///
/// The address holds up to 5 lines. Shown on PDFs rendered and e-mails written afterwards.
#[utoipa::path(
    put,
    path = "/settings/seller",
    operation_id = "replace_seller",
    tag = "settings",
    security(("bearer" = [])),
    request_body = SellerProfileFields,
    responses(
        (status = 200, description = "The new profile.", body = SellerJson),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn replace_seller(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(body): Json<SellerProfileFields>,
) -> Result<axum::Json<SellerJson>, ApiError> {
    let profile = SellerProfile::parse(body).map_err(ApiError::Validation)?;
    sellers::set_profile(&state.db, caller.id, &profile).await?;
    Ok(axum::Json(Some(profile).into()))
}
