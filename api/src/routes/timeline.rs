//! The lifecycle timeline of an invoice.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::Path,
    state::AppState,
};
use axum::{Router, extract::State, routing::get};
use chrono::{DateTime, Utc};
use invoicing_store::events::{self, TimelineEntry};
use invoicing_workflows::domain::EventKind;
use serde::Serialize;
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new().route("/invoices/{id}/events", get(list))
}

#[derive(Serialize)]
struct EventJson {
    id: Uuid,
    #[serde(rename = "type")]
    kind: EventKind,
    occurred_at: DateTime<Utc>,
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

#[derive(Serialize)]
struct Timeline {
    data: Vec<EventJson>,
}

/// Created, sent, payments, overdue, paid, voided, due date changes: oldest first.
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
