//! The lifecycle timeline of an invoice.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::Path,
    openapi::{BadRequest, NotFound, Unauthorized, Unavailable},
    state::AppState,
};
use axum::extract::State;
use chrono::{DateTime, Utc};
use invoicing_store::events::{self, TimelineEntry};
use invoicing_workflows::domain::EventKind;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// One entry of an invoice's timeline.
#[derive(Serialize, ToSchema)]
#[schema(as = TimelineEvent)]
struct EventJson {
    id: Uuid,
    #[serde(rename = "type")]
    kind: EventKind,
    occurred_at: DateTime<Utc>,
    /// What the entry is about; its members depend on `type` (an amount, a number, a PDF
    /// version, an e-mail's recipient, ...).
    #[schema(value_type = std::collections::BTreeMap<String, serde_json::Value>)]
    data: serde_json::Value,
}

impl From<TimelineEntry> for EventJson {
    fn from(entry: TimelineEntry) -> Self {
        Self {
            id: entry.id,
            kind: entry.kind,
            occurred_at: entry.occurred_at,
            data: entry.data,
        }
    }
}

/// An invoice's timeline, oldest first.
#[derive(Serialize, ToSchema)]
struct Timeline {
    data: Vec<EventJson>,
}

/// An invoice's timeline
///
/// Created, sent, payments, overdue, paid, voided, due date changes, and the notifications (PDF
/// versions, e-mails, reminders): oldest first.
#[utoipa::path(
    get,
    path = "/invoices/{id}/events",
    operation_id = "invoice_timeline",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 200, description = "The invoice's timeline.", body = Timeline),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Timeline>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Read).await?;
    let data = events::list(&state.db, id)
        .await?
        .into_iter()
        .map(EventJson::from)
        .collect();
    Ok(axum::Json(Timeline { data }))
}
