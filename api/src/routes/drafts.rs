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
    StoreError, draft_references,
    invoices::{self, Invoice},
};
use invoicing_workflows::{
    InvoiceWorkflowInput,
    domain::{
        Action, Draft, DraftFields, InvoiceStatus, LineItem, LineItemFields, PriceBasis,
        draft::{AdjustmentFields, Period},
    },
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

/// A new draft for one of the account's customers. Rules beyond each field's own limits: a
/// total above zero; a currency in circulation; the due date on or after the issue date and
/// within five years of it; the issue date at most a year ahead; tax rates and the customer
/// active; a reverse charge (`AE`) or an intra-community supply (`K`) only for a customer with
/// a VAT id; a discount no larger than its line.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_id": "7f0c3a52-8f3e-4a61-9d0e-2c4b5a6d7e8f",
    "currency": "EUR",
    "issue_date": "2026-11-24",
    "due_date": "2026-12-24",
    "price_basis": "exclusive",
    "notes": "Thank you for your business.",
    "items": [
        {
            "description": "Design work", "quantity": "12.5", "unit": "HUR",
            "unit_amount": 9_500, "tax_rate_id": "5a1d4c6e-0b7f-4e2a-8c3d-9e8f7a6b5c4d"
        },
        {
            "description": "Hosting", "quantity": 1, "unit": "MON", "unit_amount": 999,
            "discount": { "percent": "10" },
            "tax_rate_id": "5a1d4c6e-0b7f-4e2a-8c3d-9e8f7a6b5c4d"
        }
    ],
    "adjustments": [
        {
            "kind": "charge", "reason": "Shipping", "amount": 490,
            "tax_rate_id": "5a1d4c6e-0b7f-4e2a-8c3d-9e8f7a6b5c4d"
        }
    ]
}))]
struct CreateInvoice {
    /// One of the account's active customers (`/api/customers`).
    customer_id: Uuid,
    /// ISO 4217; defaults to the customer's currency.
    #[schema(example = "EUR")]
    currency: Option<String>,
    /// Defaults to today (UTC).
    issue_date: Option<NaiveDate>,
    due_date: NaiveDate,
    /// The date of supply (BT-72), when it differs from the issue date.
    #[serde(default)]
    supply_date: Option<NaiveDate>,
    /// The period the invoice's services cover.
    #[serde(default)]
    service_period: Option<Period>,
    /// Whether unit prices, allowances and charges include tax; `exclusive` when left out.
    #[serde(default)]
    price_basis: PriceBasis,
    #[serde(default)]
    notes: Option<String>,
    items: Vec<LineItemFields>,
    /// Invoice-level allowances (discounts) and charges (shipping), each of one tax rate.
    #[serde(default)]
    adjustments: Vec<AdjustmentFields>,
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
    let fields = DraftFields {
        customer_id: body.customer_id,
        currency: body.currency.unwrap_or_default(),
        issue_date: body.issue_date.unwrap_or(today),
        due_date: body.due_date,
        supply_date: body.supply_date,
        service_period: body.service_period,
        price_basis: body.price_basis,
        notes: body.notes,
        items: body.items,
        adjustments: body.adjustments,
    };
    let draft = parse(&state, caller.id, fields, today).await?;
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

/// A partial edit of a draft: fields left out keep their value; `items` and `adjustments`
/// replace every line and every allowance and charge; `null` clears `notes`, `supply_date`
/// and `service_period`. The same rules as a new draft apply to the result.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "due_date": "2027-01-15", "notes": null }))]
struct ReviseInvoice {
    customer_id: Option<Uuid>,
    /// ISO 4217.
    currency: Option<String>,
    issue_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>)]
    supply_date: Option<Option<NaiveDate>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Period>)]
    service_period: Option<Option<Period>>,
    price_basis: Option<PriceBasis>,
    /// `null` clears the notes.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    notes: Option<Option<String>>,
    items: Option<Vec<LineItemFields>>,
    adjustments: Option<Vec<AdjustmentFields>>,
}

/// Tells `"notes": null` (clear) apart from leaving `notes` out (keep).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

impl ReviseInvoice {
    fn is_empty(&self) -> bool {
        self.customer_id.is_none()
            && self.currency.is_none()
            && self.issue_date.is_none()
            && self.due_date.is_none()
            && self.supply_date.is_none()
            && self.service_period.is_none()
            && self.price_basis.is_none()
            && self.notes.is_none()
            && self.items.is_none()
            && self.adjustments.is_none()
    }

    fn apply(self, fields: &mut DraftFields) {
        let ReviseInvoice {
            customer_id,
            currency,
            issue_date,
            due_date,
            supply_date,
            service_period,
            price_basis,
            notes,
            items,
            adjustments,
        } = self;
        if let Some(value) = customer_id {
            fields.customer_id = value;
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
        if let Some(value) = supply_date {
            fields.supply_date = value;
        }
        if let Some(value) = service_period {
            fields.service_period = value;
        }
        if let Some(value) = price_basis {
            fields.price_basis = value;
        }
        if let Some(value) = notes {
            fields.notes = value;
        }
        if let Some(value) = items {
            fields.items = value;
        }
        if let Some(value) = adjustments {
            fields.adjustments = value;
        }
    }
}

/// Parses a draft's fields against what its ids name for the account (a currency left out
/// is the customer's).
async fn parse(
    state: &AppState,
    account: Uuid,
    mut fields: DraftFields,
    today: NaiveDate,
) -> Result<Draft, ApiError> {
    let (references, currency) =
        draft_references::references(&state.db, account, fields.customer_id, &fields.rate_ids())
            .await?;
    if fields.currency.is_empty()
        && let Some(currency) = currency
    {
        fields.currency = currency.code().to_owned();
    }
    Ok(Draft::parse(fields, today, &references)?)
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
    let draft = parse(&state, caller.id, fields, Utc::now().date_naive()).await?;
    commands::run(&state, id, Command::ReviseDraft(Box::new(draft)), None).await?;
    views::stored_invoice(&state.db, id).await
}

fn stored_fields(invoice: &Invoice) -> DraftFields {
    let summary = &invoice.summary;
    let details = &invoice.details;
    DraftFields {
        customer_id: details.customer_id,
        currency: summary.currency.code().to_owned(),
        issue_date: summary.issue_date,
        due_date: summary.due_date,
        supply_date: details.supply_date,
        service_period: details.service_period,
        price_basis: details.price_basis,
        notes: summary.notes.clone(),
        items: invoice
            .items
            .iter()
            .cloned()
            .map(LineItem::into_fields)
            .collect(),
        adjustments: details
            .adjustments
            .iter()
            .map(|adjustment| AdjustmentFields {
                kind: adjustment.kind,
                reason: adjustment.reason.clone(),
                amount: adjustment.amount,
                tax_rate_id: adjustment.tax_rate_id,
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
