//! How the API shows invoices and accounts: the response views several routes answer with.

use crate::error::ApiError;
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::{
    invoices::{self, Invoice, InvoiceSummary},
    users::{Role, User},
};
use invoicing_workflows::domain::InvoiceStatus;
use serde::Serialize;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;

/// Where the API serves an invoice's PDF.
pub fn pdf_url(invoice_id: Uuid) -> String {
    format!("/api/invoices/{invoice_id}/pdf")
}

/// An invoice as the API shows it, with its line items. Amounts are integer minor units of
/// `currency`.
#[derive(Serialize, ToSchema)]
#[schema(as = Invoice)]
pub struct InvoiceJson {
    #[serde(flatten)]
    summary: SummaryJson,
    items: Vec<LineItemJson>,
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
    amount_paid: i64,
    amount_due: i64,
    #[schema(required = true)]
    sent_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    paid_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    voided_at: Option<DateTime<Utc>>,
    #[schema(required = true)]
    void_reason: Option<String>,
    /// The invoice's PDF, once it was sent.
    #[schema(
        required = true,
        example = "/api/invoices/0b6d2e8a-3f55-4a0e-9d43-7d1c2a3e9f10/pdf"
    )]
    pdf_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// One line of an invoice; `amount` is `quantity × unit_amount`.
#[derive(Serialize, ToSchema)]
#[schema(as = LineItem)]
struct LineItemJson {
    description: String,
    quantity: i64,
    unit_amount: i64,
    amount: i64,
}

impl From<InvoiceSummary> for SummaryJson {
    fn from(invoice: InvoiceSummary) -> Self {
        Self {
            id: invoice.id,
            number: invoice.number.map(|number| number.to_string()),
            status: invoice.status,
            amount_due: invoice.amount_due(),
            client_name: invoice.client_name,
            client_email: invoice.client_email,
            currency: invoice.currency.code().to_owned(),
            issue_date: invoice.issue_date,
            due_date: invoice.due_date,
            notes: invoice.notes,
            subtotal: invoice.subtotal,
            total: invoice.total,
            amount_paid: invoice.amount_paid,
            sent_at: invoice.sent_at,
            paid_at: invoice.paid_at,
            voided_at: invoice.voided_at,
            void_reason: invoice.void_reason,
            pdf_url: invoice.document_version.map(|_| pdf_url(invoice.id)),
            created_at: invoice.created_at,
            updated_at: invoice.updated_at,
        }
    }
}

impl From<Invoice> for InvoiceJson {
    fn from(invoice: Invoice) -> Self {
        Self {
            summary: invoice.summary.into(),
            items: invoice
                .items
                .into_iter()
                .map(|item| LineItemJson {
                    description: item.description,
                    quantity: item.quantity,
                    unit_amount: item.unit_amount,
                    amount: item.amount,
                })
                .collect(),
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
