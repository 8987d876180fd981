//! The account's settings: its payment reminder schedule and how it appears on invoices.

use crate::{auth::AuthUser, error::ApiError, extract::Json, state::AppState};
use axum::{Router, extract::State, routing::get};
use invoicing_store::{reminders, sellers};
use invoicing_workflows::domain::{ReminderPolicy, SellerProfile, SellerProfileFields};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/reminders", get(show).put(replace))
        .route("/settings/seller", get(show_seller).put(replace_seller))
}

/// Days relative to the due date on which a client is reminded of an unpaid invoice (negative:
/// before it), at 09:00 UTC. Applies to invoices sent after it changes.
#[derive(Serialize)]
struct RemindersJson {
    days_from_due_date: Vec<i32>,
    /// `false` while the account uses the default schedule.
    custom: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplaceReminders {
    days_from_due_date: Vec<i32>,
}

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
#[derive(Serialize)]
struct SellerJson {
    name: Option<String>,
    address: Option<String>,
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

async fn show_seller(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<axum::Json<SellerJson>, ApiError> {
    let profile = sellers::profile(&state.db, caller.id).await?;
    Ok(axum::Json(profile.into()))
}

async fn replace_seller(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(body): Json<SellerProfileFields>,
) -> Result<axum::Json<SellerJson>, ApiError> {
    let profile = SellerProfile::parse(body).map_err(ApiError::Validation)?;
    sellers::set_profile(&state.db, caller.id, &profile).await?;
    Ok(axum::Json(Some(profile).into()))
}
