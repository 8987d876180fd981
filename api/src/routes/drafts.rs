//! Drafts: create, edit and delete them. A draft's workflow starts when it is created.

use crate::{
    auth::AuthUser,
    commands::{self, Access, Command},
    error::ApiError,
    extract::{Json, Path},
    idempotency::Keyed,
    openapi::{
        BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized, Unavailable,
        UnsupportedMediaType, ValidationFailed,
    },
    state::AppState,
    views::{self, InvoiceJson},
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{NaiveDate, Utc};
use invoicing_store::{
    StoreError,
    invoices::{self, Invoice},
};
use invoicing_workflows::{
    InvoiceWorkflowInput,
    domain::{Action, Draft, DraftFields, InvoiceStatus, LineItemFields},
};
use serde::{Deserialize, Deserializer};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(revise, remove))
}

/// A new draft. Rules beyond each field's own limits: a total above zero and at most the
/// `maximum` of a `unit_amount`; a currency in circulation; the due date on or after the issue
/// date and within five years of it; the issue date at most a year ahead.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "client_name": "Acme Ltd",
    "client_email": "ap@acme.example",
    "currency": "USD",
    "issue_date": "2026-11-24",
    "due_date": "2026-12-24",
    "notes": "Thank you for your business.",
    "items": [
        { "description": "Design work", "quantity": 3, "unit_amount": 12_500 },
        { "description": "Hosting", "quantity": 1, "unit_amount": 999 }
    ]
}))]
struct CreateInvoice {
    client_name: String,
    #[schema(format = Email)]
    client_email: String,
    /// ISO 4217.
    #[schema(example = "USD")]
    currency: String,
    /// Defaults to today (UTC).
    issue_date: Option<NaiveDate>,
    due_date: NaiveDate,
    #[serde(default)]
    notes: Option<String>,
    items: Vec<LineItemFields>,
}

/// Creates a draft
///
/// The invoice's workflow starts with it. Totals are computed by the server. With an
/// `Idempotency-Key`, the invoice's id is derived from it: a retry, even of a request whose
/// answer was lost, creates one invoice and answers with it.
#[utoipa::path(
    post,
    path = "/invoices",
    operation_id = "create_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    request_body = CreateInvoice,
    responses(
        (
            status = 201,
            description = "The draft was created.",
            body = InvoiceJson,
            headers(("Location" = String, description = "The new invoice: `/api/invoices/{id}`.")),
        ),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    Keyed(key): Keyed,
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
    let Some(key) = key else {
        let id = Uuid::new_v4();
        let invoice = invoices::insert_draft(&state.db, id, caller.id, &draft, now).await?;
        return start(&state, invoice, caller.id, &draft).await;
    };
    let id = key.id("invoice");
    let invoice = match invoices::insert_draft(&state.db, id, caller.id, &draft, now).await {
        Ok(invoice) => invoice,
        // An earlier attempt with this key stored the draft (its answer was lost, or it is
        // still running): make sure its workflow runs, and answer with it.
        Err(StoreError::Conflict { constraint }) if constraint == "invoices_pkey" => {
            let invoice = invoices::get(&state.db, id)
                .await?
                .filter(|invoice| invoice.summary.user_id == caller.id)
                .ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("invoice {id} is not the caller's"))
                })?;
            if invoice.summary.status == InvoiceStatus::Draft && invoice.summary.version == 0 {
                let input =
                    InvoiceWorkflowInput::resume(invoices::for_workflow(&state.db, id).await?);
                state.workflows.start(input).await?;
            }
            return Ok(created(invoice));
        }
        Err(error) => return Err(error.into()),
    };
    start(&state, invoice, caller.id, &draft).await
}

/// Starts a new draft's workflow, and answers with the draft.
async fn start(
    state: &AppState,
    invoice: Invoice,
    owner_id: Uuid,
    draft: &Draft,
) -> Result<Response, ApiError> {
    let id = invoice.summary.id;
    let input = InvoiceWorkflowInput::for_draft(id, owner_id, draft);
    if let Err(error) = state.workflows.start(input).await {
        // An invoice without a workflow could never be sent: take the draft back, since nobody
        // has seen it yet, and let the client retry.
        if let Err(cleanup) = invoices::delete_unstarted_draft(&state.db, id).await {
            tracing::error!(invoice_id = %id, error = %cleanup, "could not remove a draft whose workflow failed to start");
        }
        return Err(error.into());
    }
    tracing::info!(invoice_id = %id, "invoice created");
    Ok(created(invoice))
}

/// `201 Created` with the invoice and its address.
fn created(invoice: Invoice) -> Response {
    let location = format!("/api/invoices/{}", invoice.summary.id);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(InvoiceJson::from(invoice)),
    )
        .into_response()
}

/// A partial edit of a draft: fields left out (or `null`) keep their value; `items` replaces
/// every line; `"notes": null` clears the notes. The same rules as a new draft apply to the
/// result.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "due_date": "2027-01-15", "notes": null }))]
struct ReviseInvoice {
    client_name: Option<String>,
    #[schema(format = Email)]
    client_email: Option<String>,
    /// ISO 4217.
    currency: Option<String>,
    issue_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    /// `null` clears the notes.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
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

/// Edits a draft
///
/// Fields left out keep their value; `items` replaces every line. Only drafts can be edited.
#[utoipa::path(
    patch,
    path = "/invoices/{id}",
    operation_id = "revise_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body = ReviseInvoice,
    responses(
        (status = 200, description = "The draft as stored after the edit.", body = InvoiceJson),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
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
    commands::run(&state, id, Command::ReviseDraft(draft), None).await?;
    views::stored_invoice(&state.db, id).await
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

/// Deletes a draft
///
/// Sent invoices are never deleted; void them instead.
#[utoipa::path(
    delete,
    path = "/invoices/{id}",
    operation_id = "delete_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 204, description = "The draft was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    ),
)]
async fn remove(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    let invoice = commands::load_summary(&state, caller, id, Access::Change).await?;
    invoice.status.check(Action::Delete)?;
    commands::run(&state, id, Command::DeleteDraft, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
