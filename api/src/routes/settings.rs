//! The account's payment reminder schedule. (How it appears on invoices: `seller.rs`; its bank
//! accounts and logo: `bank_accounts.rs`, `logo.rs`.)

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
use invoicing_store::reminders;
use invoicing_workflows::domain::ReminderPolicy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, replace))
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
