//! What a draft's ids name, looked up for the draft's account: its customer and its tax rates.
//! Archived ones are not offered: a draft can't pick them (an invoice already using one keeps
//! its copy of the rate and the customer's id).

use crate::StoreError;
use invoicing_workflows::domain::{
    Currency, Email, Exemption, TaxId, TaxIdFields, TaxRate,
    draft::{CustomerRef, References},
};
use sqlx::PgPool;
use std::collections::HashMap;
use uuid::Uuid;

/// The account's active customer `customer_id` and active tax rates among `rate_ids`; an id
/// that names nothing usable is left out, for the draft's rules to report by its path.
#[tracing::instrument(skip_all)]
pub async fn references(
    db: &PgPool,
    account: Uuid,
    customer_id: Uuid,
    rate_ids: &[Uuid],
) -> Result<(References, Option<Currency>), StoreError> {
    let customer = sqlx::query!(
        r#"
        SELECT id, display_name, emails[1] AS "email!", tax_id_kind, tax_id, currency
        FROM customers
        WHERE id = $1 AND user_id = $2 AND archived_at IS NULL
        "#,
        customer_id,
        account,
    )
    .fetch_optional(db)
    .await?;
    let mut currency = None;
    let customer = match customer {
        None => None,
        Some(row) => {
            currency = row
                .currency
                .as_deref()
                .map(Currency::parse)
                .transpose()
                .map_err(StoreError::corrupt)?;
            let vat_id = match (row.tax_id_kind, row.tax_id) {
                (Some(kind), Some(value)) => Some(
                    TaxId::parse(TaxIdFields {
                        kind: kind.parse().map_err(StoreError::corrupt)?,
                        value,
                    })
                    .map_err(StoreError::corrupt)?,
                ),
                _ => None,
            };
            Some(CustomerRef {
                id: row.id,
                name: row.display_name,
                email: Email::parse(&row.email).map_err(StoreError::corrupt)?,
                vat_id,
            })
        }
    };
    let rates = if rate_ids.is_empty() {
        HashMap::new()
    } else {
        sqlx::query!(
            r#"
            SELECT id, category, percent, exemption_reason, exemption_code
            FROM tax_rates
            WHERE user_id = $1 AND id = ANY($2) AND archived_at IS NULL
            "#,
            account,
            rate_ids,
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|row| {
            let exemption = row.exemption_reason.map(|reason| Exemption {
                reason,
                code: row.exemption_code,
            });
            let rate = TaxRate::new(
                row.category.parse().map_err(StoreError::corrupt)?,
                row.percent,
                exemption,
            )
            .map_err(StoreError::corrupt)?;
            Ok((row.id, rate))
        })
        .collect::<Result<_, StoreError>>()?
    };
    Ok((References { customer, rates }, currency))
}
