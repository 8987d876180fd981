//! The API's one error type, answered as RFC 9457 problem details
//! (`application/problem+json`). 4xx answers carry messages meant for clients; 5xx answers
//! log the whole cause chain and say nothing about it.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use invoicing_store::StoreError;
use invoicing_workflows::{
    contracts::{EInvoiceFinding, EInvoiceVerdict},
    domain::{FieldErrors, Refusal, RefusalKind},
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: not JSON, bad query parameters, an id that is not a UUID.
    #[error("{0}")]
    BadRequest(String),
    #[error("request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// A route that takes another kind of body than JSON; the detail says which.
    #[error("{0}")]
    UnsupportedBodyType(&'static str),
    #[error("request body is too large")]
    PayloadTooLarge,
    /// No credentials, or credentials that do not check out. Deliberately vague.
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// Not found, or not yours: the two are indistinguishable on purpose.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A command the invoice's status does not allow, or a duplicate.
    #[error("{detail}")]
    Conflict {
        problem: &'static str,
        detail: String,
    },
    /// Fields that break the rules, each with its messages.
    #[error("{0}")]
    Validation(FieldErrors),
    /// The request is well-formed but cannot be processed as sent (e.g. an `Idempotency-Key`
    /// reused with another request).
    #[error("{detail}")]
    Unprocessable {
        problem: &'static str,
        detail: String,
    },
    /// Too many requests; retry after this many seconds.
    #[error("Too many requests; retry in {0} seconds.")]
    RateLimited(u64),
    /// The request took longer than the configured timeout.
    #[error("The request took too long and was abandoned; try again.")]
    Timeout,
    /// A dependency (PostgreSQL, Temporal) is down; the request can be retried.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Online payments are not configured, or Stripe cannot be reached; the detail says which.
    #[error("{0}")]
    PaymentsUnavailable(String),
    /// The customer's e-invoice breaks rules of its format: the draft was not sent.
    #[error("{}", rejection_detail(.0))]
    EInvoiceRejected(EInvoiceVerdict),
    /// A sent invoice breaks rules of another format it was asked for in: it cannot be
    /// written in that one. The same problem as [`ApiError::EInvoiceRejected`], worded for a
    /// download.
    #[error("{}", unwritable_detail(.0))]
    EInvoiceUnwritable(EInvoiceVerdict),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn conflict(problem: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            problem,
            detail: detail.into(),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(FieldErrors::single(field, message))
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(error.into())
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType | ApiError::UnsupportedBodyType(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Validation(_)
            | ApiError::Unprocessable { .. }
            | ApiError::EInvoiceRejected(_)
            | ApiError::EInvoiceUnwritable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unavailable(_) | ApiError::PaymentsUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem type: a stable slug clients can switch on (`/problems/{slug}`).
    fn problem(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad-request",
            ApiError::UnsupportedMediaType | ApiError::UnsupportedBodyType(_) => {
                "unsupported-media-type"
            }
            ApiError::PayloadTooLarge => "payload-too-large",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::Conflict { problem, .. } => problem,
            ApiError::Validation(_) => "validation-failed",
            ApiError::Unprocessable { problem, .. } => problem,
            ApiError::RateLimited(_) => "rate-limited",
            ApiError::Timeout => "timeout",
            ApiError::Unavailable(_) => "service-unavailable",
            ApiError::PaymentsUnavailable(_) => "payments-unavailable",
            ApiError::EInvoiceRejected(_) | ApiError::EInvoiceUnwritable(_) => "e-invoice-rejected",
            ApiError::Internal(_) => "internal-error",
        }
    }
}

/// An RFC 9457 problem detail, the body of every error answer (`application/problem+json`):
/// §3.1's members, plus `errors` with the per-field messages of a validation problem.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation-failed",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "Invalid fields: items[0].quantity: must be greater than zero",
    "errors": { "items[0].quantity": ["must be greater than zero"] }
}))]
pub struct Problem {
    /// `/problems/{slug}`: a stable identifier of the kind of problem, for clients to switch on.
    #[serde(rename = "type")]
    problem_type: String,
    /// The status code's reason phrase.
    title: &'static str,
    /// The HTTP status code.
    status: u16,
    /// What went wrong, for a person to read. Never a 5xx's cause.
    detail: String,
    /// Validation problems only: each offending field's JSON path (`items[2].quantity`) and
    /// its messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = FieldErrors)]
    errors: Option<FieldErrors>,
    /// E-invoice rejections only: every rule the customer's e-invoice breaks (fatal) or
    /// warns about, by its official id.
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<Vec<EInvoiceFinding>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            ApiError::Internal(cause) | ApiError::Unavailable(cause) => {
                tracing::error!(status = status.as_u16(), error = ?cause, "request failed");
            }
            _ => tracing::debug!(status = status.as_u16(), error = %self, "request refused"),
        }
        let problem_type = format!("/problems/{}", self.problem());
        let detail = match &self {
            ApiError::Validation(errors) => format!("Invalid fields: {errors}"),
            ApiError::Unavailable(_) => {
                "A service the API depends on is unavailable; try again shortly.".to_owned()
            }
            ApiError::Internal(_) => "Something went wrong on our side.".to_owned(),
            other => other.to_string(),
        };
        let (errors, rules) = match self {
            ApiError::Validation(errors) => (Some(errors), None),
            ApiError::EInvoiceRejected(verdict) | ApiError::EInvoiceUnwritable(verdict) => {
                (None, Some(verdict.findings))
            }
            _ => (None, None),
        };
        let body = Problem {
            problem_type,
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail,
            errors,
            rules,
        };
        let mut response = (status, axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::Conflict { constraint } => ApiError::conflict(
                "conflict",
                format!("conflicts with existing data ({constraint})"),
            ),
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed,
            ) => ApiError::Unavailable(error.into()),
            other => ApiError::Internal(other.into()),
        }
    }
}

/// The workflow refused a command: a transition its status forbids is a conflict (409); a
/// value it cannot accept is a validation failure on the field concerned (422).
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal.kind {
            RefusalKind::InvalidTransition => {
                ApiError::conflict("invalid-transition", refusal.detail)
            }
            RefusalKind::PaymentsRecorded => {
                ApiError::conflict("payments-recorded", refusal.detail)
            }
            RefusalKind::Overpayment | RefusalKind::InvalidAmount => {
                ApiError::invalid("amount", refusal.detail)
            }
            RefusalKind::InvalidDueDate => ApiError::invalid("due_date", refusal.detail),
            RefusalKind::InvalidWriteOffDate => ApiError::invalid("on", refusal.detail),
            RefusalKind::PaymentsUnavailable => ApiError::PaymentsUnavailable(refusal.detail),
            RefusalKind::Busy => ApiError::conflict("busy", refusal.detail),
            RefusalKind::CreditNotesIssued => {
                ApiError::conflict("credit-notes-issued", refusal.detail)
            }
            RefusalKind::InsufficientCredit => {
                ApiError::conflict("insufficient-credit", refusal.detail)
            }
            RefusalKind::InvalidCredit => match serde_json::from_str(&refusal.detail) {
                Ok(errors) => ApiError::Validation(errors),
                Err(error) => ApiError::internal(anyhow::anyhow!(
                    "a credit refusal that does not read ({error}): {}",
                    refusal.detail
                )),
            },
            // The workflow wrote the verdict; one that does not read is our bug, not the
            // client's.
            RefusalKind::EInvoiceRejected => match serde_json::from_str(&refusal.detail) {
                Ok(verdict) => ApiError::EInvoiceRejected(verdict),
                Err(error) => ApiError::internal(anyhow::anyhow!(
                    "an e-invoice rejection that does not read ({error}): {}",
                    refusal.detail
                )),
            },
        }
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}

/// "The invoice as sent breaks 1 rule of Peppol BIS Billing (PEPPOL-EN16931-R010); it cannot
/// be written in that format."
fn unwritable_detail(verdict: &EInvoiceVerdict) -> String {
    let fatal = fatal_rules(verdict);
    let format = verdict
        .format
        .map(|format| format.title())
        .unwrap_or("the format asked for");
    format!(
        "The invoice as sent breaks {} rule{} of {format} ({}); it cannot be written in that format. The e-invoice the customer received is served without `format`.",
        fatal.len(),
        if fatal.len() == 1 { "" } else { "s" },
        fatal.join(", ")
    )
}

/// The ids of the rules the verdict finds broken.
fn fatal_rules(verdict: &EInvoiceVerdict) -> Vec<&str> {
    verdict
        .findings
        .iter()
        .filter(|finding| finding.fatal)
        .map(|finding| finding.rule.as_str())
        .collect()
}

/// "The XRechnung (UBL) e-invoice breaks 2 rules (BR-DE-15, BR-DE-6); the invoice was not
/// sent."
fn rejection_detail(verdict: &EInvoiceVerdict) -> String {
    let fatal = fatal_rules(verdict);
    let format = verdict
        .format
        .map(|format| format!("The {} e-invoice", format.title()))
        .unwrap_or_else(|| "The e-invoice".to_owned());
    format!(
        "{format} breaks {} rule{} ({}); the invoice was not sent. Fix the customer, the seller details or the draft and send it again.",
        fatal.len(),
        if fatal.len() == 1 { "" } else { "s" },
        fatal.join(", ")
    )
}
