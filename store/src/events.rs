//! The invoice timeline.

use crate::StoreError;
use chrono::{DateTime, Utc};
use invoicing_workflows::domain::EventKind;
use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

/// One entry on an invoice's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub id: Uuid,
    pub seq: i32,
    pub kind: EventKind,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

/// Appends entry `seq`; appending the same entry again (a retried activity) does nothing.
pub(crate) async fn append(
    conn: &mut PgConnection,
    invoice_id: Uuid,
    seq: i32,
    kind: EventKind,
    data: serde_json::Value,
    occurred_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        INSERT INTO invoice_events (invoice_id, seq, kind, data, occurred_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (invoice_id, seq) DO NOTHING
        "#,
        invoice_id,
        seq,
        kind.as_str(),
        data,
        occurred_at,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// An invoice's timeline, oldest first.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn list(
    db: impl PgExecutor<'_>,
    invoice_id: Uuid,
) -> Result<Vec<TimelineEntry>, StoreError> {
    let rows = sqlx::query!(
        r#"
        SELECT id, seq, kind, data, occurred_at
        FROM invoice_events
        WHERE invoice_id = $1
        ORDER BY seq
        "#,
        invoice_id,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(TimelineEntry {
                id: row.id,
                seq: row.seq,
                kind: row.kind.parse().map_err(StoreError::corrupt)?,
                data: row.data,
                occurred_at: row.occurred_at,
            })
        })
        .collect()
}
