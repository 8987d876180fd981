//! What an invoice bills, beyond its summary row: the lines, the invoice-level allowances and
//! charges, the tax breakdown and the totals, as the domain computed them when the draft was
//! saved. Written whole when a draft is saved; read whole with the invoice.

use crate::StoreError;
use chrono::NaiveDate;
use invoicing_workflows::domain::{
    Address, AdjustmentKind, Country, Discount, Draft, EInvoiceFormat, ElectronicAddress,
    ElectronicAddressFields, Exemption, Language, LineItem, PriceBasis, TaxId, TaxRate,
    TaxSubtotal, Totals, Unit, VatCategory,
    draft::{DocumentAdjustment, Period},
};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// An invoice's content besides its summary and lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    pub customer_id: Uuid,
    pub price_basis: PriceBasis,
    pub supply_date: Option<NaiveDate>,
    pub service_period: Option<Period>,
    pub adjustments: Vec<DocumentAdjustment>,
    /// Every amount as stored: the lines', the adjustments', the breakdown and the sums.
    pub totals: Totals,
    /// The customer as it was when the invoice was sent (`customers`' columns); `None` on
    /// drafts.
    pub buyer: Option<serde_json::Value>,
}

/// The lines of a draft as parallel arrays, for one `INSERT ... SELECT FROM UNNEST`.
pub(crate) struct LineArrays {
    pub positions: Vec<i32>,
    pub descriptions: Vec<String>,
    pub quantities: Vec<Decimal>,
    pub units: Vec<String>,
    pub unit_prices: Vec<Decimal>,
    pub discount_percents: Vec<Option<Decimal>>,
    pub discount_amounts: Vec<Option<i64>>,
    pub tax_rate_ids: Vec<Option<Uuid>>,
    pub categories: Vec<String>,
    pub percents: Vec<Decimal>,
    pub exemption_reasons: Vec<Option<String>>,
    pub exemption_codes: Vec<Option<String>>,
    pub period_starts: Vec<Option<NaiveDate>>,
    pub period_ends: Vec<Option<NaiveDate>>,
    pub amounts: Vec<i64>,
}

impl LineArrays {
    pub(crate) fn of(items: &[LineItem]) -> Self {
        let mut arrays = Self {
            positions: Vec::with_capacity(items.len()),
            descriptions: Vec::with_capacity(items.len()),
            quantities: Vec::with_capacity(items.len()),
            units: Vec::with_capacity(items.len()),
            unit_prices: Vec::with_capacity(items.len()),
            discount_percents: Vec::with_capacity(items.len()),
            discount_amounts: Vec::with_capacity(items.len()),
            tax_rate_ids: Vec::with_capacity(items.len()),
            categories: Vec::with_capacity(items.len()),
            percents: Vec::with_capacity(items.len()),
            exemption_reasons: Vec::with_capacity(items.len()),
            exemption_codes: Vec::with_capacity(items.len()),
            period_starts: Vec::with_capacity(items.len()),
            period_ends: Vec::with_capacity(items.len()),
            amounts: Vec::with_capacity(items.len()),
        };
        for (position, item) in items.iter().enumerate() {
            arrays.positions.push(position as i32);
            arrays.descriptions.push(item.description.clone());
            arrays.quantities.push(item.quantity);
            arrays.units.push(item.unit.code().to_owned());
            arrays.unit_prices.push(item.unit_price);
            let (percent, amount) = match item.discount {
                Some(Discount::Percent(percent)) => (Some(percent), None),
                Some(Discount::Amount(amount)) => (None, Some(amount)),
                None => (None, None),
            };
            arrays.discount_percents.push(percent);
            arrays.discount_amounts.push(amount);
            arrays.tax_rate_ids.push(item.tax_rate_id);
            arrays
                .categories
                .push(item.rate.category().code().to_owned());
            arrays.percents.push(item.rate.percent());
            arrays
                .exemption_reasons
                .push(item.rate.exemption().map(|e| e.reason.clone()));
            arrays
                .exemption_codes
                .push(item.rate.exemption().and_then(|e| e.code.clone()));
            arrays.period_starts.push(item.period.map(|p| p.start));
            arrays.period_ends.push(item.period.map(|p| p.end));
            arrays.amounts.push(item.amount);
        }
        arrays
    }
}

/// The allowances and charges, and the breakdown, as parallel arrays.
pub(crate) struct AdjustmentArrays {
    pub positions: Vec<i32>,
    pub kinds: Vec<String>,
    pub reasons: Vec<String>,
    pub amounts: Vec<i64>,
    pub nets: Vec<i64>,
    pub tax_rate_ids: Vec<Option<Uuid>>,
    pub categories: Vec<String>,
    pub percents: Vec<Decimal>,
    pub exemption_reasons: Vec<Option<String>>,
    pub exemption_codes: Vec<Option<String>>,
}

impl AdjustmentArrays {
    pub(crate) fn of(adjustments: &[DocumentAdjustment]) -> Self {
        Self {
            positions: (0..adjustments.len() as i32).collect(),
            kinds: adjustments
                .iter()
                .map(|a| kind_text(a.kind).to_owned())
                .collect(),
            reasons: adjustments.iter().map(|a| a.reason.clone()).collect(),
            amounts: adjustments.iter().map(|a| a.amount).collect(),
            nets: adjustments.iter().map(|a| a.net).collect(),
            tax_rate_ids: adjustments.iter().map(|a| a.tax_rate_id).collect(),
            categories: adjustments
                .iter()
                .map(|a| a.rate.category().code().to_owned())
                .collect(),
            percents: adjustments.iter().map(|a| a.rate.percent()).collect(),
            exemption_reasons: adjustments
                .iter()
                .map(|a| a.rate.exemption().map(|e| e.reason.clone()))
                .collect(),
            exemption_codes: adjustments
                .iter()
                .map(|a| a.rate.exemption().and_then(|e| e.code.clone()))
                .collect(),
        }
    }
}

pub(crate) struct BreakdownArrays {
    pub positions: Vec<i32>,
    pub categories: Vec<String>,
    pub percents: Vec<Decimal>,
    pub exemption_reasons: Vec<Option<String>>,
    pub exemption_codes: Vec<Option<String>>,
    pub bases: Vec<i64>,
    pub taxes: Vec<i64>,
}

impl BreakdownArrays {
    pub(crate) fn of(breakdown: &[TaxSubtotal]) -> Self {
        Self {
            positions: (0..breakdown.len() as i32).collect(),
            categories: breakdown
                .iter()
                .map(|row| row.category.code().to_owned())
                .collect(),
            percents: breakdown.iter().map(|row| row.percent).collect(),
            exemption_reasons: breakdown
                .iter()
                .map(|row| row.exemption.as_ref().map(|e| e.reason.clone()))
                .collect(),
            exemption_codes: breakdown
                .iter()
                .map(|row| row.exemption.as_ref().and_then(|e| e.code.clone()))
                .collect(),
            bases: breakdown.iter().map(|row| row.base).collect(),
            taxes: breakdown.iter().map(|row| row.tax).collect(),
        }
    }
}

pub(crate) fn kind_text(kind: AdjustmentKind) -> &'static str {
    match kind {
        AdjustmentKind::Allowance => "allowance",
        AdjustmentKind::Charge => "charge",
    }
}

pub(crate) fn basis_text(basis: PriceBasis) -> &'static str {
    match basis {
        PriceBasis::Exclusive => "exclusive",
        PriceBasis::Inclusive => "inclusive",
    }
}

/// Replaces a draft's lines, allowances and charges, and breakdown (its summary row is
/// updated by the caller, in the same transaction).
pub(crate) async fn replace(
    conn: &mut PgConnection,
    invoice_id: Uuid,
    draft: &Draft,
) -> Result<(), StoreError> {
    sqlx::query!(
        "DELETE FROM invoice_items WHERE invoice_id = $1",
        invoice_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM invoice_adjustments WHERE invoice_id = $1",
        invoice_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM invoice_tax_subtotals WHERE invoice_id = $1",
        invoice_id
    )
    .execute(&mut *conn)
    .await?;
    let lines = LineArrays::of(&draft.items);
    sqlx::query!(
        r#"
        INSERT INTO invoice_items (
            invoice_id, position, description, quantity, unit, unit_price, discount_percent,
            discount_amount, tax_rate_id, tax_category, tax_percent, exemption_reason,
            exemption_code, period_start, period_end, amount
        )
        SELECT $1, * FROM UNNEST(
            $2::int4[], $3::text[], $4::numeric[], $5::text[], $6::numeric[], $7::numeric[],
            $8::int8[], $9::uuid[], $10::text[], $11::numeric[], $12::text[], $13::text[],
            $14::date[], $15::date[], $16::int8[]
        )
        "#,
        invoice_id,
        &lines.positions,
        &lines.descriptions,
        &lines.quantities,
        &lines.units,
        &lines.unit_prices,
        &lines.discount_percents as &[Option<Decimal>],
        &lines.discount_amounts as &[Option<i64>],
        &lines.tax_rate_ids as &[Option<Uuid>],
        &lines.categories,
        &lines.percents,
        &lines.exemption_reasons as &[Option<String>],
        &lines.exemption_codes as &[Option<String>],
        &lines.period_starts as &[Option<NaiveDate>],
        &lines.period_ends as &[Option<NaiveDate>],
        &lines.amounts,
    )
    .execute(&mut *conn)
    .await?;
    let adjustments = AdjustmentArrays::of(&draft.adjustments);
    sqlx::query!(
        r#"
        INSERT INTO invoice_adjustments (
            invoice_id, position, kind, reason, amount, net, tax_rate_id, tax_category,
            tax_percent, exemption_reason, exemption_code
        )
        SELECT $1, * FROM UNNEST(
            $2::int4[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::uuid[], $8::text[],
            $9::numeric[], $10::text[], $11::text[]
        )
        "#,
        invoice_id,
        &adjustments.positions,
        &adjustments.kinds,
        &adjustments.reasons,
        &adjustments.amounts,
        &adjustments.nets,
        &adjustments.tax_rate_ids as &[Option<Uuid>],
        &adjustments.categories,
        &adjustments.percents,
        &adjustments.exemption_reasons as &[Option<String>],
        &adjustments.exemption_codes as &[Option<String>],
    )
    .execute(&mut *conn)
    .await?;
    let breakdown = BreakdownArrays::of(&draft.totals.breakdown);
    sqlx::query!(
        r#"
        INSERT INTO invoice_tax_subtotals (
            invoice_id, position, category, percent, exemption_reason, exemption_code, base, tax
        )
        SELECT $1, * FROM UNNEST(
            $2::int4[], $3::text[], $4::numeric[], $5::text[], $6::text[], $7::int8[], $8::int8[]
        )
        "#,
        invoice_id,
        &breakdown.positions,
        &breakdown.categories,
        &breakdown.percents,
        &breakdown.exemption_reasons as &[Option<String>],
        &breakdown.exemption_codes as &[Option<String>],
        &breakdown.bases,
        &breakdown.taxes,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A tax rate as a row stores it.
fn rate(
    category: &str,
    percent: Decimal,
    reason: Option<String>,
    code: Option<String>,
) -> Result<TaxRate, StoreError> {
    let category: VatCategory = category.parse().map_err(StoreError::corrupt)?;
    let exemption = reason.map(|reason| Exemption { reason, code });
    TaxRate::new(category, percent, exemption).map_err(StoreError::corrupt)
}

fn period(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Option<Period> {
    Some(Period {
        start: start?,
        end: end?,
    })
}

/// The invoice's lines and details; `None` when there is no such invoice.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn read(
    db: &mut PgConnection,
    invoice_id: Uuid,
) -> Result<Option<(Vec<LineItem>, Details)>, StoreError> {
    let Some(head) = sqlx::query!(
        r#"
        SELECT customer_id, price_basis, supply_date, period_start, period_end, subtotal,
               allowance_total, charge_total, net_total, tax_total, total, buyer
        FROM invoices WHERE id = $1
        "#,
        invoice_id
    )
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let items = sqlx::query!(
        r#"
        SELECT description, quantity, unit, unit_price, discount_percent, discount_amount,
               tax_rate_id, tax_category, tax_percent, exemption_reason, exemption_code,
               period_start, period_end, amount
        FROM invoice_items
        WHERE invoice_id = $1
        ORDER BY position
        "#,
        invoice_id,
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|row| {
        Ok(LineItem {
            description: row.description,
            quantity: row.quantity,
            unit: row.unit.parse::<Unit>().map_err(StoreError::corrupt)?,
            unit_price: row.unit_price,
            discount: match (row.discount_percent, row.discount_amount) {
                (Some(percent), _) => Some(Discount::Percent(percent)),
                (None, Some(amount)) => Some(Discount::Amount(amount)),
                (None, None) => None,
            },
            tax_rate_id: row.tax_rate_id,
            rate: rate(
                &row.tax_category,
                row.tax_percent,
                row.exemption_reason,
                row.exemption_code,
            )?,
            period: period(row.period_start, row.period_end),
            amount: row.amount,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let adjustments = sqlx::query!(
        r#"
        SELECT kind, reason, amount, net, tax_rate_id, tax_category, tax_percent,
               exemption_reason, exemption_code
        FROM invoice_adjustments
        WHERE invoice_id = $1
        ORDER BY position
        "#,
        invoice_id,
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|row| {
        Ok(DocumentAdjustment {
            kind: match row.kind.as_str() {
                "allowance" => AdjustmentKind::Allowance,
                "charge" => AdjustmentKind::Charge,
                other => return Err(StoreError::corrupt(format!("adjustment kind {other}"))),
            },
            reason: row.reason,
            amount: row.amount,
            tax_rate_id: row.tax_rate_id,
            rate: rate(
                &row.tax_category,
                row.tax_percent,
                row.exemption_reason,
                row.exemption_code,
            )?,
            net: row.net,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let breakdown = sqlx::query!(
        r#"
        SELECT category, percent, exemption_reason, exemption_code, base, tax
        FROM invoice_tax_subtotals
        WHERE invoice_id = $1
        ORDER BY position
        "#,
        invoice_id,
    )
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|row| {
        Ok(TaxSubtotal {
            category: row.category.parse().map_err(StoreError::corrupt)?,
            percent: row.percent.normalize(),
            exemption: row.exemption_reason.map(|reason| Exemption {
                reason,
                code: row.exemption_code,
            }),
            base: row.base,
            tax: row.tax,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let price_basis = match head.price_basis.as_str() {
        "exclusive" => PriceBasis::Exclusive,
        "inclusive" => PriceBasis::Inclusive,
        other => return Err(StoreError::corrupt(format!("price basis {other}"))),
    };
    let totals = Totals {
        lines: items.iter().map(|item| item.amount).collect(),
        adjustments: adjustments.iter().map(|a| a.net).collect(),
        breakdown,
        line_total: head.subtotal,
        allowance_total: head.allowance_total,
        charge_total: head.charge_total,
        net_total: head.net_total,
        tax_total: head.tax_total,
        gross_total: head.total,
    };
    Ok(Some((
        items,
        Details {
            customer_id: head.customer_id,
            price_basis,
            supply_date: head.supply_date,
            service_period: period(head.period_start, head.period_end),
            adjustments,
            totals,
            buyer: head.buyer,
        },
    )))
}

/// The buyer as a sent invoice keeps it: the columns of its customer when it was sent (see
/// `transitions::mark_sent`), or, for invoices sent before customers existed, the name and
/// address they printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Buyer {
    pub display_name: String,
    #[serde(default)]
    pub legal_name: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub address_lines: Option<Vec<String>>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub tax_id_kind: Option<String>,
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub payment_terms_days: Option<i32>,
    /// The e-invoice it was sent (`null` in snapshots from before e-invoicing: the PDF only).
    #[serde(default)]
    pub e_invoice_format: Option<String>,
    /// BT-10.
    #[serde(default)]
    pub buyer_reference: Option<String>,
    /// BT-49, scheme and identifier.
    #[serde(default)]
    pub endpoint_scheme: Option<String>,
    #[serde(default)]
    pub endpoint_id: Option<String>,
}

impl Buyer {
    /// The postal address, when the customer had one.
    pub fn address(&self) -> Option<Address> {
        Some(Address {
            lines: self.address_lines.clone()?,
            postal_code: self.postal_code.clone(),
            city: self.city.clone(),
            region: self.region.clone(),
            country: Country::parse(self.country.as_deref()?).ok()?,
        })
    }

    pub fn tax_id(&self) -> Option<TaxId> {
        Some(TaxId {
            kind: self.tax_id_kind.as_deref()?.parse().ok()?,
            value: self.tax_id.clone()?,
        })
    }

    /// The language its documents are written in (English when it had none).
    pub fn language(&self) -> Language {
        self.language
            .as_deref()
            .and_then(|tag| tag.parse().ok())
            .unwrap_or_default()
    }

    /// The e-invoice it was sent; `None`: the PDF only (or a snapshot from before e-invoicing).
    pub fn e_invoice_format(&self) -> Option<EInvoiceFormat> {
        self.e_invoice_format.as_deref()?.parse().ok()
    }

    /// Its electronic address (BT-49), when it had one.
    pub fn electronic_address(&self) -> Option<ElectronicAddress> {
        ElectronicAddress::try_from(ElectronicAddressFields {
            scheme: self.endpoint_scheme.clone()?,
            id: self.endpoint_id.clone()?,
        })
        .ok()
    }
}

impl Details {
    /// The buyer the invoice was sent to; `None` on drafts (and on a snapshot that does not
    /// read, which only a hand edit could make).
    pub fn buyer(&self) -> Option<Buyer> {
        serde_json::from_value(self.buyer.clone()?).ok()
    }
}

/// The buyer a draft would be sent to: its customer's columns as they are now, in the form
/// `transitions::mark_sent` will copy them onto the invoice. `None` if the invoice is not
/// found.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn draft_buyer(
    db: impl sqlx::PgExecutor<'_>,
    invoice_id: Uuid,
) -> Result<Option<serde_json::Value>, StoreError> {
    Ok(sqlx::query_scalar!(
        r#"
        SELECT to_jsonb(customer) - 'user_id' - 'created_at' - 'updated_at' AS "buyer!"
        FROM invoices invoice
        JOIN customers customer ON customer.id = invoice.customer_id
        WHERE invoice.id = $1
        "#,
        invoice_id,
    )
    .fetch_optional(db)
    .await?)
}
