//! Accounts' reminder schedules.

use crate::StoreError;
use invoicing_workflows::domain::ReminderPolicy;
use sqlx::PgExecutor;
use uuid::Uuid;

/// The account's schedule, or the default one if it never set its own.
#[tracing::instrument(skip_all)]
pub async fn policy(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<ReminderPolicy, StoreError> {
    let days = sqlx::query_scalar!(
        "SELECT days_from_due_date FROM reminder_policies WHERE user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await?;
    match days {
        Some(days) => ReminderPolicy::parse(days).map_err(StoreError::corrupt),
        None => Ok(ReminderPolicy::default()),
    }
}

/// Whether the account set its own schedule.
#[tracing::instrument(skip_all)]
pub async fn is_custom(db: impl PgExecutor<'_>, user_id: Uuid) -> Result<bool, StoreError> {
    let found = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM reminder_policies WHERE user_id = $1) AS "found!""#,
        user_id
    )
    .fetch_one(db)
    .await?;
    Ok(found)
}

#[tracing::instrument(skip_all)]
pub async fn set_policy(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    policy: &ReminderPolicy,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        INSERT INTO reminder_policies (user_id, days_from_due_date, updated_at)
        VALUES ($1, $2, now())
        ON CONFLICT (user_id) DO UPDATE
        SET days_from_due_date = EXCLUDED.days_from_due_date, updated_at = now()
        "#,
        user_id,
        policy.days(),
    )
    .execute(db)
    .await?;
    Ok(())
}
