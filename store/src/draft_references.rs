//! What a draft's ids name, looked up for the draft's account: its customer and its tax rates.
//! Archived ones are not offered: a draft can't pick them (an invoice already using one keeps
//! its copy of the rate and the customer's id).

use crate::{StoreError, customers, tax_rates};
use invoicing_workflows::domain::{
    Currency,
    draft::{CustomerRef, References},
};
use sqlx::PgPool;
use uuid::Uuid;

/// The account's active customer `customer_id` and active tax rates among `rate_ids`, and the
/// customer's default currency; an id that names nothing usable is left out, for the draft's
/// rules to report by its path.
#[tracing::instrument(skip_all)]
pub async fn references(
    db: &PgPool,
    account: Uuid,
    customer_id: Uuid,
    rate_ids: &[Uuid],
) -> Result<(References, Option<Currency>), StoreError> {
    let customer = customers::usable(db, account, customer_id).await?;
    let rates = if rate_ids.is_empty() {
        Default::default()
    } else {
        tax_rates::usable(db, account, rate_ids).await?
    };
    let currency = customer
        .as_ref()
        .and_then(|stored| stored.customer.currency);
    let customer = customer.map(|stored| CustomerRef {
        id: stored.id,
        email: stored.customer.emails[0].clone(),
        name: stored.customer.display_name,
        vat_id: stored.customer.tax_id,
    });
    Ok((References { customer, rates }, currency))
}
