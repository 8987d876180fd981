//! Accounts' seller profiles: how they appear on invoices and e-mails.

use crate::StoreError;
use invoicing_workflows::domain::SellerProfile;
use sqlx::PgExecutor;
use uuid::Uuid;

/// The account's profile, if it set one.
#[tracing::instrument(skip_all)]
pub async fn profile(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<SellerProfile>, StoreError> {
    let profile = sqlx::query_as!(
        SellerProfile,
        "SELECT name, address, tax_id FROM seller_profiles WHERE user_id = $1",
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(profile)
}

#[tracing::instrument(skip_all)]
pub async fn set_profile(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    profile: &SellerProfile,
) -> Result<(), StoreError> {
    sqlx::query!(
        r#"
        INSERT INTO seller_profiles (user_id, name, address, tax_id, updated_at)
        VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (user_id) DO UPDATE
        SET name = EXCLUDED.name, address = EXCLUDED.address, tax_id = EXCLUDED.tax_id,
            updated_at = now()
        "#,
        user_id,
        profile.name,
        profile.address,
        profile.tax_id,
    )
    .execute(db)
    .await?;
    Ok(())
}
