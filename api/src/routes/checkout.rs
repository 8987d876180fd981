//! Pay links: a Stripe Checkout Session for an invoice's amount due.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::Path,
    state::AppState,
};
use axum::{Router, extract::State, routing::post};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/invoices/{id}/checkout", post(checkout))
}

#[derive(Serialize)]
struct CheckoutJson {
    /// Where the client pays.
    url: String,
    session_id: String,
    amount: i64,
    currency: String,
    expires_at: DateTime<Utc>,
}

/// A pay link for the amount due of a sent or overdue invoice. Asking again while the link
/// still fits the amount due returns the same link; after a partial payment, a new one.
async fn checkout(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<CheckoutJson>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Change).await?;
    if !state.stripe.payments_enabled {
        return Err(ApiError::PaymentsUnavailable(
            "Online payments are not configured on this server (APP_STRIPE__SECRET_KEY)."
                .to_owned(),
        ));
    }
    let checkout = commands::checkout(&state, id).await?;
    Ok(axum::Json(CheckoutJson {
        url: checkout.url,
        session_id: checkout.session_id,
        amount: checkout.amount,
        currency: checkout.currency.code().to_owned(),
        expires_at: checkout.expires_at,
    }))
}
