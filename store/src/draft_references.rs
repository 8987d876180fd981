//! What a draft's ids name, looked up for the draft's account: its customer and its tax rates.
//! Archived ones are not offered: a draft can't pick them (an invoice already using one keeps
//! its copy of the rate and the customer's id).

use crate::{StoreError, tax_rates};
use invoicing_workflows::domain::{
    Currency, Email, TaxId,
    draft::{CustomerRef, References},
};
use sqlx::PgPool;
use uuid::Uuid;

/// The account's active customer `customer_id` and active tax rates among `rate_ids`, and the
/// customer's default currency; an id that names nothing usable is left out, for the draft's
/// rules to report by its path.
///
/// One query for both: every draft written (Create, Revise) asks, and a second round trip was
/// measurable in the Create benchmark (bench/README.md).
#[tracing::instrument(skip_all)]
pub async fn references(
    db: &PgPool,
    account: Uuid,
    customer_id: Uuid,
    rate_ids: &[Uuid],
) -> Result<(References, Option<Currency>), StoreError> {
    let row = sqlx::query!(
        r#"
        SELECT customer.id AS "customer_id?", customer.display_name AS "display_name?",
               customer.emails[1] AS "email?", customer.tax_id_kind, customer.tax_id,
               customer.currency,
               rates.ids AS "rate_ids!", rates.categories AS "categories!",
               rates.percents AS "percents!", rates.reasons AS "reasons!: Vec<Option<String>>",
               rates.codes AS "codes!: Vec<Option<String>>"
        FROM (SELECT 1) AS one
        LEFT JOIN customers customer
               ON customer.user_id = $1 AND customer.id = $2 AND customer.archived_at IS NULL
        CROSS JOIN LATERAL (
            SELECT COALESCE(array_agg(id), '{}') AS ids,
                   COALESCE(array_agg(category), '{}') AS categories,
                   COALESCE(array_agg(percent::text), '{}') AS percents,
                   COALESCE(array_agg(exemption_reason), '{}') AS reasons,
                   COALESCE(array_agg(exemption_code), '{}') AS codes
            FROM tax_rates
            WHERE user_id = $1 AND id = ANY($3) AND archived_at IS NULL
        ) AS rates
        "#,
        account,
        customer_id,
        rate_ids,
    )
    .fetch_one(db)
    .await?;

    let mut rates = std::collections::HashMap::with_capacity(row.rate_ids.len());
    for (index, id) in row.rate_ids.iter().enumerate() {
        let rate = tax_rates::rate_of(
            &row.categories[index],
            &row.percents[index],
            row.reasons[index].clone(),
            row.codes[index].clone(),
        )?;
        rates.insert(*id, rate);
    }
    let currency = row
        .currency
        .as_deref()
        .map(|code| Currency::parse(code).map_err(StoreError::corrupt))
        .transpose()?;
    let customer = match (row.customer_id, row.display_name, row.email) {
        (Some(id), Some(name), Some(email)) => Some(CustomerRef {
            id,
            name,
            email: Email::parse(&email).map_err(StoreError::corrupt)?,
            vat_id: match (row.tax_id_kind, row.tax_id) {
                (Some(kind), Some(value)) => Some(TaxId {
                    kind: kind.parse().map_err(StoreError::corrupt)?,
                    value,
                }),
                _ => None,
            },
        }),
        _ => None,
    };
    Ok((References { customer, rates }, currency))
}
