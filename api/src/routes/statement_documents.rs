//! A customer's statement of account as a document: its PDF, in the customer's language, and
//! the statement e-mailed to the customer, with the record of every statement that went out.
//!
//! Rendering, storing and e-mailing are side effects, so the API does none of them itself: each
//! request runs a `StatementWorkflow` (`statement-{uuid}`) and waits for it. The PDF is then
//! streamed from the documents bucket as it was stored; an e-mail is answered with its record.

use crate::{
    auth::AuthUser,
    cursor::{Page, PageJson},
    error::ApiError,
    extract::{Json, Path, Query},
    idempotency::Keyed,
    openapi::{
        BadRequest, NotFound, StatementNotSendable, Unauthorized, Unavailable, ValidationFailed,
    },
    routes::statements::{StatementParams, period},
    state::AppState,
    stored_files::{self, Disposition},
};
use axum::{extract::State, response::Response};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::{
    customers::{self, StoredCustomer},
    invoices::PageKey,
    statement_emails::{self, Delivery, StatementEmail},
};
use invoicing_workflows::{StatementOutcome, StatementRequest, domain::Language};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pdf))
        .routes(routes!(email))
        .routes(routes!(emails))
}

/// Downloads a customer's statement as a PDF
///
/// The statement of the period (the same days, defaults and checks as
/// `GET /api/customers/{id}/statement`) rendered now in the customer's language: the seller's
/// header, the customer, and per currency the opening balance, every movement with its date,
/// kind, invoice number, debit or credit and the balance after it, and the closing balance.
/// A period ending before it starts, or longer than ten years, is 422; another account's
/// customer is 404.
#[utoipa::path(
    get,
    path = "/customers/{id}/statement/pdf",
    operation_id = "customer_statement_pdf",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id."), StatementParams),
    responses(
        (
            status = 200,
            description = "The PDF.",
            content_type = "application/pdf",
            headers(
                ("Content-Disposition" = String, description = "`attachment; filename=\"statement-2026-01-01-to-2026-03-31.pdf\"`, in the customer's language (`Kontoauszug-2026-01-01-bis-2026-03-31.pdf`)."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, NotFound, ValidationFailed, Unavailable,
    ),
)]
async fn pdf(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(params): Query<StatementParams>,
) -> Result<Response, ApiError> {
    let (from, to) = params.period(Utc::now().date_naive())?;
    customer(&state, caller.id, id).await?;
    let outcome = run(&state, caller.id, id, Uuid::new_v4(), from, to, false).await?;
    let document = outcome.document;
    let (body, length) = stored_files::stream(&state, &document.key, "the statement").await?;
    Ok(stored_files::response(
        body,
        length,
        "application/pdf",
        Disposition::Attachment,
        &document.file_name,
    ))
}

/// Which days the e-mailed statement covers.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EmailStatement, example = json!({ "from": "2026-01-01", "to": "2026-03-31" }))]
struct EmailRequest {
    /// The first day (UTC); the first of January of `to`'s year when left out.
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    from: Option<String>,
    /// The last day (UTC); today when left out. Not before `from`, and at most ten years after.
    #[serde(default)]
    #[schema(value_type = Option<NaiveDate>)]
    to: Option<String>,
}

/// What became of a statement's e-mail.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatementEmailStatus)]
enum StatusJson {
    /// SES accepted it.
    Sent,
    /// SES refused it for good (`refusal` says why): the customer did not get it.
    Refused,
    /// Not answered yet: it is being sent, or SES is retried.
    Sending,
}

/// A statement e-mailed to the customer: the record the books keep of it.
#[derive(Serialize, ToSchema)]
#[schema(as = StatementEmail)]
struct EmailJson {
    /// The statement's id.
    id: Uuid,
    customer_id: Uuid,
    /// The period it covers.
    from: NaiveDate,
    to: NaiveDate,
    /// Where it went: the customer's first address.
    #[schema(example = "ap@acme.example")]
    recipient: String,
    /// Who got a copy: the customer's other addresses and its cc addresses.
    cc: Vec<String>,
    /// The language of the PDF and the e-mail: the customer's when it was sent.
    language: Language,
    status: StatusJson,
    /// Why SES refused it, when it did.
    #[schema(required = true)]
    refusal: Option<String>,
    /// When it was asked for.
    requested_at: DateTime<Utc>,
    /// When SES accepted it.
    #[schema(required = true)]
    sent_at: Option<DateTime<Utc>>,
}

impl From<StatementEmail> for EmailJson {
    fn from(email: StatementEmail) -> Self {
        let (status, refusal, sent_at) = match email.delivery {
            Delivery::Accepted { at, .. } => (StatusJson::Sent, None, Some(at)),
            Delivery::Refused { reason, .. } => (StatusJson::Refused, Some(reason), None),
            Delivery::Pending { .. } => (StatusJson::Sending, None, None),
        };
        Self {
            id: email.id,
            customer_id: email.customer_id,
            from: email.from,
            to: email.to,
            recipient: email.recipient,
            cc: email.cc,
            language: email.language,
            status,
            refusal,
            requested_at: email.requested_at,
            sent_at,
        }
    }
}

/// E-mails a customer's statement to the customer
///
/// The statement of `from` to `to` (the days, defaults and checks of
/// `GET /api/customers/{id}/statement`) is rendered in the customer's language and e-mailed to
/// the customer's first address, with a copy to its other addresses and its cc addresses, the
/// PDF attached; replies reach the account's address. Answers once SES has answered, with the
/// record of the e-mail: `status` `sent`, or `refused` with SES's reason (the address or the
/// sender was rejected; nothing will be retried). A retry with the same `Idempotency-Key`
/// sends nothing again. A bad period or a customer without an e-mail address is 422 and sends
/// nothing; another account's customer is 404.
#[utoipa::path(
    post,
    path = "/customers/{id}/statement/email",
    operation_id = "email_customer_statement",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id.")),
    request_body = EmailRequest,
    responses(
        (status = 200, description = "SES answered; the record of the e-mail.", body = EmailJson),
        BadRequest, Unauthorized, NotFound, StatementNotSendable, Unavailable,
    ),
)]
async fn email(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
    Json(request): Json<EmailRequest>,
) -> Result<axum::Json<EmailJson>, ApiError> {
    let (from, to) = period(
        request.from.as_deref(),
        request.to.as_deref(),
        Utc::now().date_naive(),
    )?;
    let customer = customer(&state, caller.id, id).await?;
    if customer.customer.emails.is_empty() {
        return Err(ApiError::Unprocessable {
            problem: "no-email-address",
            detail: "The customer has no e-mail address to send the statement to; add one first."
                .to_owned(),
        });
    }
    // A retried request with the same key reaches the same statement, which is sent once.
    let statement_id = key.map_or_else(Uuid::new_v4, |key| key.id("statement"));
    run(&state, caller.id, id, statement_id, from, to, true).await?;
    let sent = statement_emails::get(&state.db, statement_id)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "statement {statement_id} was e-mailed but has no record"
            ))
        })?;
    Ok(axum::Json(sent.into()))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct EmailsParams {
    /// Statements per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before.
    cursor: Option<String>,
}

/// Lists the statements e-mailed to a customer
///
/// Every statement e-mailed to the customer, newest first, a page at a time: the period, the
/// recipients, when, and what SES made of it.
#[utoipa::path(
    get,
    path = "/customers/{id}/statement/emails",
    operation_id = "customer_statement_emails",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id."), EmailsParams),
    responses(
        (status = 200, description = "A page of the statements e-mailed to the customer.", body = PageJson<EmailJson>),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn emails(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Query(params): Query<EmailsParams>,
) -> Result<axum::Json<PageJson<EmailJson>>, ApiError> {
    let page = Page::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    customer(&state, caller.id, id).await?;
    let mut rows =
        statement_emails::list(&state.db, caller.id, id, page.after, page.fetch()).await?;
    let next_cursor = page.finish(&mut rows, |last| PageKey {
        created_at: last.requested_at,
        id: last.id,
    });
    Ok(axum::Json(PageJson {
        data: rows.into_iter().map(EmailJson::from).collect(),
        next_cursor,
    }))
}

/// The caller's customer `id`; another account's is not found.
async fn customer(state: &AppState, user_id: Uuid, id: Uuid) -> Result<StoredCustomer, ApiError> {
    customers::get(&state.db, user_id, id)
        .await?
        .ok_or(ApiError::NotFound("customer"))
}

/// Runs the statement's workflow and waits for it. A run that failed because the customer
/// was deleted meanwhile is the 404 it would be now.
async fn run(
    state: &AppState,
    user_id: Uuid,
    customer_id: Uuid,
    statement_id: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    email: bool,
) -> Result<StatementOutcome, ApiError> {
    let request = StatementRequest {
        statement_id,
        account_id: user_id,
        customer_id,
        from,
        to,
        email,
    };
    match state.workflows.statement(request).await {
        Ok(outcome) => Ok(outcome),
        Err(error) => {
            customer(state, user_id, customer_id).await?;
            Err(error.into())
        }
    }
}
