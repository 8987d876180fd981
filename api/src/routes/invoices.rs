//! Invoices: create and edit drafts, list and read.

use super::documents;
use crate::{
    auth::AuthUser,
    commands::{self, Access},
    cursor,
    error::ApiError,
    extract::{Json, Path, Query},
    lifecycle::Command,
    state::AppState,
};
use axum::{
    Router,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::invoices::{self, Invoice, InvoiceSummary, PageKey};
use invoicing_workflows::{
    InvoiceState, InvoiceWorkflowInput,
    domain::{Action, Draft, DraftFields, InvoiceStatus, LineItemFields},
};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invoices", get(list).post(create))
        .route("/invoices/{id}", get(show).patch(revise).delete(remove))
}

/// An invoice as the API shows it. Amounts are integer minor units of `currency`.
#[derive(Serialize)]
pub struct InvoiceJson {
    #[serde(flatten)]
    summary: SummaryJson,
    items: Vec<LineItemJson>,
}

#[derive(Serialize)]
pub struct SummaryJson {
    id: Uuid,
    number: Option<String>,
    status: InvoiceStatus,
    client_name: String,
    client_email: String,
    currency: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    notes: Option<String>,
    subtotal: i64,
    total: i64,
    amount_paid: i64,
    amount_due: i64,
    sent_at: Option<DateTime<Utc>>,
    paid_at: Option<DateTime<Utc>>,
    voided_at: Option<DateTime<Utc>>,
    void_reason: Option<String>,
    /// The invoice's PDF, once it was sent.
    pdf_url: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Serialize)]
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
            pdf_url: invoice
                .document_version
                .map(|_| documents::pdf_url(invoice.id)),
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
pub async fn stored(state: &AppState, id: Uuid) -> Result<axum::Json<InvoiceJson>, ApiError> {
    let invoice = invoices::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))?;
    Ok(axum::Json(invoice.into()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateInvoice {
    client_name: String,
    client_email: String,
    currency: String,
    /// Defaults to today (UTC).
    issue_date: Option<NaiveDate>,
    due_date: NaiveDate,
    #[serde(default)]
    notes: Option<String>,
    items: Vec<LineItemFields>,
}

async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(body): Json<CreateInvoice>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    let today = now.date_naive();
    let draft = Draft::parse(
        DraftFields {
            client_name: body.client_name,
            client_email: body.client_email,
            currency: body.currency,
            issue_date: body.issue_date.unwrap_or(today),
            due_date: body.due_date,
            notes: body.notes,
            items: body.items,
        },
        today,
    )?;
    let id = Uuid::new_v4();
    let invoice = invoices::insert_draft(&state.db, id, caller.id, &draft, now).await?;
    let input = InvoiceWorkflowInput {
        invoice_id: id,
        owner_id: caller.id,
        invoice: InvoiceState {
            status: InvoiceStatus::Draft,
            number: None,
            currency: draft.currency,
            issue_date: draft.issue_date,
            due_date: draft.due_date,
            total: draft.total(),
            amount_paid: 0,
        },
        version: 0,
        // Entry 0, `created`, was written with the draft.
        next_event_seq: 1,
        recorded_payments: Vec::new(),
        reminders: Default::default(),
        documents_issued: 0,
        document_version: 0,
        ledger: Default::default(),
        checkouts: Vec::new(),
    };
    if let Err(error) = state.lifecycle.start(input).await {
        // An invoice without a workflow could never be sent: take the draft back, since nobody
        // has seen it yet, and let the client retry.
        if let Err(cleanup) = invoices::delete_unstarted_draft(&state.db, id).await {
            tracing::error!(invoice_id = %id, error = %cleanup, "could not remove a draft whose workflow failed to start");
        }
        return Err(error.into());
    }
    tracing::info!(invoice_id = %id, "invoice created");
    let location = format!("/api/invoices/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(InvoiceJson::from(invoice)),
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListParams {
    status: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Serialize)]
struct Page {
    data: Vec<SummaryJson>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    next_cursor: Option<String>,
}

/// The caller's invoices, newest first.
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<Page>, ApiError> {
    let status = params
        .status
        .filter(|status| !status.is_empty())
        .map(|status| status.parse::<InvoiceStatus>())
        .transpose()
        .map_err(|error| ApiError::BadRequest(error.to_string()))?;
    let page = cursor::Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let mut rows = invoices::list(&state.db, caller.id, status, page.after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.created_at,
        id: last.id,
    });
    Ok(axum::Json(Page {
        data: rows.into_iter().map(SummaryJson::from).collect(),
        next_cursor,
    }))
}

async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    let invoice = commands::load(&state, caller, id, Access::Read).await?;
    Ok(axum::Json(invoice.into()))
}

/// A partial edit of a draft: fields left out keep their value; `items` replaces every line;
/// `"notes": null` clears the notes.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviseInvoice {
    client_name: Option<String>,
    client_email: Option<String>,
    currency: Option<String>,
    issue_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    notes: Option<Option<String>>,
    items: Option<Vec<LineItemFields>>,
}

/// Tells `"notes": null` (clear) apart from leaving `notes` out (keep).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

impl ReviseInvoice {
    fn is_empty(&self) -> bool {
        self.client_name.is_none()
            && self.client_email.is_none()
            && self.currency.is_none()
            && self.issue_date.is_none()
            && self.due_date.is_none()
            && self.notes.is_none()
            && self.items.is_none()
    }

    fn apply(self, fields: &mut DraftFields) {
        let ReviseInvoice {
            client_name,
            client_email,
            currency,
            issue_date,
            due_date,
            notes,
            items,
        } = self;
        if let Some(value) = client_name {
            fields.client_name = value;
        }
        if let Some(value) = client_email {
            fields.client_email = value;
        }
        if let Some(value) = currency {
            fields.currency = value;
        }
        if let Some(value) = issue_date {
            fields.issue_date = value;
        }
        if let Some(value) = due_date {
            fields.due_date = value;
        }
        if let Some(value) = notes {
            fields.notes = value;
        }
        if let Some(value) = items {
            fields.items = value;
        }
    }
}

async fn revise(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<ReviseInvoice>,
) -> Result<axum::Json<InvoiceJson>, ApiError> {
    let invoice = commands::load(&state, caller, id, Access::Change).await?;
    invoice.summary.status.check(Action::Edit)?;
    if body.is_empty() {
        return Ok(axum::Json(invoice.into()));
    }
    let mut fields = stored_fields(&invoice);
    body.apply(&mut fields);
    let draft = Draft::parse(fields, Utc::now().date_naive())?;
    commands::run(&state, id, Command::ReviseDraft(draft)).await?;
    stored(&state, id).await
}

fn stored_fields(invoice: &Invoice) -> DraftFields {
    let summary = &invoice.summary;
    DraftFields {
        client_name: summary.client_name.clone(),
        client_email: summary.client_email.clone(),
        currency: summary.currency.code().to_owned(),
        issue_date: summary.issue_date,
        due_date: summary.due_date,
        notes: summary.notes.clone(),
        items: invoice
            .items
            .iter()
            .map(|item| LineItemFields {
                description: item.description.clone(),
                quantity: item.quantity,
                unit_amount: item.unit_amount,
            })
            .collect(),
    }
}

/// Deletes a draft. Sent invoices are never deleted; void them instead.
async fn remove(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let invoice = commands::load_summary(&state, caller, id, Access::Change).await?;
    invoice.status.check(Action::Delete)?;
    commands::run(&state, id, Command::DeleteDraft).await?;
    tracing::info!(invoice_id = %id, "draft deleted");
    Ok(StatusCode::NO_CONTENT)
}
