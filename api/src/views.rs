//! How the API shows invoices and accounts: the response views several routes answer with.

use crate::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::{
    invoices::{self, Invoice, InvoiceSummary},
    users::{Role, User},
};
use invoicing_workflows::domain::{
    AdjustmentKind, InvoiceStatus, PriceBasis, TaxRate, Unit, VatCategory,
    draft::{DiscountFields, Period},
};
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

/// Where the API serves an invoice's PDF.
pub fn pdf_url(invoice_id: Uuid) -> String {
    format!("/api/invoices/{invoice_id}/pdf")
}

/// An invoice as the API shows it, with its lines, allowances and charges and tax breakdown.
/// Amounts are integer minor units of `currency`; `subtotal` is the sum of the lines' net
/// amounts and `total` the amount with tax.
#[derive(Serialize, ToSchema)]
#[schema(as = Invoice)]
pub struct InvoiceJson {
    #[serde(flatten)]
    summary: SummaryJson,
    customer_id: Uuid,
    price_basis: PriceBasis,
    /// The date of supply, when it differs from the issue date.
    #[schema(required = true)]
    supply_date: Option<NaiveDate>,
    #[schema(required = true)]
    service_period: Option<Period>,
    items: Vec<LineItemJson>,
    adjustments: Vec<AdjustmentJson>,
    /// One row per VAT category and rate.
    tax_breakdown: Vec<TaxSubtotalJson>,
    allowance_total: i64,
    charge_total: i64,
    /// Without tax: `subtotal - allowance_total + charge_total`.
    net_total: i64,
    tax_total: i64,
    /// The customer's details as they were when the invoice was sent (the customer's fields);
    /// `null` on drafts, which show the customer as it is now.
    #[schema(required = true, value_type = Option<Object>)]
    buyer: Option<serde_json::Value>,
}

/// A tax rate as a line, an allowance or a charge carries it (copied from the account's rate
/// when the draft was saved).
#[derive(Serialize, ToSchema)]
#[schema(as = AppliedTax)]
struct TaxJson {
    category: VatCategory,
    /// Up to 4 decimals, as a string (`"19"`, `"8.875"`).
    #[schema(example = "19")]
    percent: String,
    #[schema(required = true)]
    exemption_reason: Option<String>,
    #[schema(required = true)]
    exemption_code: Option<String>,
}

impl From<&TaxRate> for TaxJson {
    fn from(rate: &TaxRate) -> Self {
        Self {
            category: rate.category(),
            percent: rate.percent().normalize().to_string(),
            exemption_reason: rate.exemption().map(|e| e.reason.clone()),
            exemption_code: rate.exemption().and_then(|e| e.code.clone()),
        }
    }
}

/// An invoice-level allowance or charge.
#[derive(Serialize, ToSchema)]
#[schema(as = Adjustment)]
struct AdjustmentJson {
    kind: AdjustmentKind,
    reason: String,
    /// As given, in the invoice's price basis.
    amount: i64,
    /// Net of tax.
    net: i64,
    #[schema(required = true)]
    tax_rate_id: Option<Uuid>,
    tax: TaxJson,
}

/// One row of the tax breakdown.
#[derive(Serialize, ToSchema)]
#[schema(as = TaxSubtotal)]
struct TaxSubtotalJson {
    category: VatCategory,
    #[schema(example = "19")]
    percent: String,
    #[schema(required = true)]
    exemption_reason: Option<String>,
    #[schema(required = true)]
    exemption_code: Option<String>,
    /// The taxable amount.
    base: i64,
    tax: i64,
}

/// An invoice without its line items. Amounts are integer minor units of `currency`; fields
/// without a value are `null`.
#[derive(Serialize, ToSchema)]
#[schema(as = InvoiceSummary)]
pub struct SummaryJson {
    id: Uuid,
    /// Assigned when the invoice is sent: gapless and sequential per account.
    #[schema(required = true, example = "INV-000001")]
    number: Option<String>,
    status: InvoiceStatus,
    client_name: String,
    client_email: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    currency: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    #[schema(required = true)]
    notes: Option<String>,
    subtotal: i64,
    total: i64,
    /// Paid, less what was refunded.
    amount_paid: i64,
    /// Taken back by credit notes (their gross totals).
    amount_credited: i64,
    /// What is left to pay: total − paid − credited + what credit notes moved to the
    /// customer's credit balance. Never negative.
    amount_due: i64,
    #[schema(required = true)]
    sent_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    paid_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    voided_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    void_reason: Option<String>,
    /// The date its amount due was written off as a bad debt (status `uncollectible`, or paid
    /// after all).
    #[schema(required = true)]
    uncollectible_on: Option<NaiveDate>,
    #[schema(required = true, example = "The customer is insolvent.")]
    uncollectible_reason: Option<String>,
    /// The invoice's PDF, once it was sent.
    #[schema(
        required = true,
        example = "/api/invoices/0b6d2e8a-3f55-4a0e-9d43-7d1c2a3e9f10/pdf"
    )]
    pdf_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// One line of an invoice; `amount` is its net amount: `quantity × unit price − discount`,
/// rounded once (with inclusive prices, the tax taken out per rate).
#[derive(Serialize, ToSchema)]
#[schema(as = LineItem)]
struct LineItemJson {
    description: String,
    /// Up to 4 decimals, as a string.
    #[schema(example = "1.5")]
    quantity: String,
    unit: Unit,
    /// The unit price in minor units, when it is a whole number of them; else `null` and
    /// `unit_amount_decimal` holds it.
    #[schema(required = true)]
    unit_amount: Option<i64>,
    #[schema(required = true)]
    unit_amount_decimal: Option<String>,
    #[schema(required = true)]
    discount: Option<DiscountFields>,
    #[schema(required = true)]
    tax_rate_id: Option<Uuid>,
    tax: TaxJson,
    #[schema(required = true)]
    period: Option<Period>,
    amount: i64,
}

impl From<InvoiceSummary> for SummaryJson {
    fn from(invoice: InvoiceSummary) -> Self {
        Self {
            id: invoice.id,
            amount_due: invoice.amount_due(),
            number: invoice.number_text,
            status: invoice.status,
            client_name: invoice.client_name,
            client_email: invoice.client_email,
            currency: invoice.currency.code().to_owned(),
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            notes: invoice.notes,
            subtotal: invoice.subtotal,
            total: invoice.total,
            amount_paid: invoice.amount_paid,
            amount_credited: invoice.amount_credited,
            sent_at: invoice.sent_at,
            paid_at: invoice.paid_at,
            voided_at: invoice.voided_at,
            void_reason: invoice.void_reason,
            uncollectible_on: invoice.uncollectible_on,
            uncollectible_reason: invoice.uncollectible_reason,
            pdf_url: invoice.document_version.map(|_| pdf_url(invoice.id)),
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
        }
    }
}

impl From<Invoice> for InvoiceJson {
    fn from(invoice: Invoice) -> Self {
        let details = invoice.details;
        let totals = details.totals;
        Self {
            summary: invoice.summary.into(),
            customer_id: details.customer_id,
            price_basis: details.price_basis,
            supply_date: details.supply_date,
            service_period: details.service_period,
            items: invoice
                .items
                .into_iter()
                .map(|item| {
                    let tax = TaxJson::from(&item.rate);
                    let amount = item.amount;
                    let fields = item.into_fields();
                    LineItemJson {
                        description: fields.description,
                        quantity: fields.quantity.0,
                        unit: fields.unit,
                        unit_amount: fields.unit_amount,
                        unit_amount_decimal: fields.unit_amount_decimal,
                        discount: fields.discount,
                        tax_rate_id: fields.tax_rate_id,
                        tax,
                        period: fields.period,
                        amount,
                    }
                })
                .collect(),
            adjustments: details
                .adjustments
                .into_iter()
                .map(|adjustment| AdjustmentJson {
                    kind: adjustment.kind,
                    tax: TaxJson::from(&adjustment.rate),
                    reason: adjustment.reason,
                    amount: adjustment.amount,
                    net: adjustment.net,
                    tax_rate_id: adjustment.tax_rate_id,
                })
                .collect(),
            tax_breakdown: totals
                .breakdown
                .into_iter()
                .map(|row| TaxSubtotalJson {
                    category: row.category,
                    percent: row.percent.normalize().to_string(),
                    exemption_reason: row.exemption.as_ref().map(|e| e.reason.clone()),
                    exemption_code: row.exemption.and_then(|e| e.code),
                    base: row.base,
                    tax: row.tax,
                })
                .collect(),
            allowance_total: totals.allowance_total,
            charge_total: totals.charge_total,
            net_total: totals.net_total,
            tax_total: totals.tax_total,
            buyer: details.buyer,
        }
    }
}

/// Reads the invoice as stored now; used after every command (read-your-writes).
pub async fn stored_invoice(db: &PgPool, id: Uuid) -> Result<axum::Json<InvoiceJson>, ApiError> {
    let invoice = invoices::get(db, id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))?;
    Ok(axum::Json(invoice.into()))
}

/// An account.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserJson {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Since when the account is disabled (by an administrator); `null` while it is active.
    #[schema(required = true)]
    pub disabled_at: Option<DateTime<Utc>>,
}

impl From<&User> for UserJson {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            email: user.email.clone(),
            role: user.role,
            created_at: user.created_at,
            disabled_at: user.disabled_at,
        }
    }
}
