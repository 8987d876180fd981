//! Pay links: a Stripe Checkout Session for an invoice's amount due.

use crate::{
    auth::AuthUser,
    commands,
    error::ApiError,
    extract::Path,
    idempotency::Keyed,
    openapi::{BadRequest, Conflict, Forbidden, NotFound, Unauthorized, Unavailable},
    state::AppState,
};
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(checkout))
}

/// A pay link: a Stripe Checkout Session for the amount due.
#[derive(Serialize, ToSchema)]
#[schema(as = PayLink)]
struct CheckoutJson {
    /// Where the client pays.
    url: String,
    session_id: String,
    /// Minor units of `currency`.
    amount: i64,
    /// ISO 4217.
    #[schema(example = "USD")]
    currency: String,
    expires_at: DateTime<Utc>,
}

/// A pay link for the amount due
///
/// Of a sent or overdue invoice. Asking again while the link still fits the amount due returns
/// the same link; after a partial payment, a new one. 503 when online payments are not
/// configured or Stripe cannot be reached.
#[utoipa::path(
    post,
    path = "/invoices/{id}/checkout",
    operation_id = "create_pay_link",
    tag = "payments",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 200, description = "The pay link.", body = CheckoutJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    ),
)]
async fn checkout(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
) -> Result<axum::Json<CheckoutJson>, ApiError> {
    let checkout = commands::checkout(&state, caller, id, key.as_ref()).await?;
    Ok(axum::Json(CheckoutJson {
        url: checkout.url,
        session_id: checkout.session_id,
        amount: checkout.amount,
        currency: checkout.currency.code().to_owned(),
        expires_at: checkout.expires_at,
    }))
}
