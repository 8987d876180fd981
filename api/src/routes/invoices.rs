//! Invoices: how the API shows one, the caller's list, and one invoice. Drafts are created and
//! edited in `drafts`, and driven through their lifecycle in `lifecycle`.

use super::documents;
use crate::{
    auth::AuthUser,
    commands::{self, Access},
    cursor,
    error::ApiError,
    extract::{Path, Query},
    openapi::{BadRequest, NotFound, Unauthorized, Unavailable},
    state::AppState,
};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_platform::invoice_cache::Lookup;
use invoicing_store::{
    invoice_list::{self, Filter, Position, Sort},
    invoices::{self, Invoice, InvoiceSummary},
};
use invoicing_workflows::domain::InvoiceStatus;
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, ToSchema,
    openapi::{ObjectBuilder, Type},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show))
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

/// The longest search text `q` accepted.
pub(super) const MAX_SEARCH_CHARS: usize = 200;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Only invoices in this status.
    #[param(value_type = Option<InvoiceStatus>)]
    status: Option<String>,
    /// Only invoices whose client name, client e-mail address or number (`INV-000042`)
    /// contains this text, whatever the case; `%` and `_` are matched as themselves. Leading
    /// and trailing spaces are ignored; empty means no search.
    #[param(example = "acme")]
    q: Option<String>,
    /// The order of the list: `newest` (created most recently first, the default), `oldest`
    /// (created first), `due_date` (soonest due date first) or `amount_due` (largest amount
    /// still due first). A cursor continues the order it came from.
    #[param(schema_with = sort_schema)]
    sort: Option<String>,
    /// Invoices per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before, with the same `sort`.
    cursor: Option<String>,
}

/// `sort`: one of [`Sort::ALL`].
fn sort_schema() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(Sort::ALL.map(Sort::as_str)))
        .default(Some(Sort::default().as_str().into()))
}

/// A page of invoices, in the order asked for.
#[derive(Serialize, ToSchema)]
#[schema(as = InvoicePage)]
struct Page {
    data: Vec<SummaryJson>,
    /// Pass as `cursor` (with the same `sort`) to get the next page; `null` on the last page.
    #[schema(required = true)]
    next_cursor: Option<String>,
}

/// Lists the caller's invoices
///
/// A page at a time, newest first unless `sort` says otherwise; filterable by status and
/// searchable by client and number.
#[utoipa::path(
    get,
    path = "/invoices",
    operation_id = "list_invoices",
    tag = "invoices",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of the caller's invoices.", body = Page),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
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
    let filter = Filter {
        status,
        search: search_text(params.q.as_deref())?,
    };
    let sort = params
        .sort
        .filter(|sort| !sort.is_empty())
        .map(|sort| sort.parse::<Sort>())
        .transpose()
        .map_err(|error| ApiError::BadRequest(error.to_string()))?
        .unwrap_or_default();
    let from = match params.cursor.as_deref().filter(|raw| !raw.is_empty()) {
        None => Position::start(sort),
        Some(raw) => {
            let position = cursor::decode_position(raw).ok_or_else(cursor::not_ours)?;
            if position.sort() != sort {
                return Err(ApiError::BadRequest(format!(
                    "cursor is not one this API returned for sort={sort}: it continues the \
                     list sorted by {}; leave it out to start from the top",
                    position.sort()
                )));
            }
            position
        }
    };
    let limit = cursor::parse_limit(params.limit.as_deref())?;
    let mut rows = invoice_list::list(&state.db, caller.id, &filter, from, limit + 1).await?;
    let next_cursor = cursor::cut(limit, &mut rows, |last| {
        cursor::encode_position(Position::after(sort, last))
    });
    Ok(axum::Json(Page {
        data: rows.into_iter().map(SummaryJson::from).collect(),
        next_cursor,
    }))
}

/// The search text of `q`, without the spaces around it; `None` when there is none.
fn search_text(q: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(q) = q else {
        return Ok(None);
    };
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(ApiError::BadRequest(format!(
            "q must be at most {MAX_SEARCH_CHARS} characters"
        )));
    }
    // Control characters never get here: the `Query` extractor refuses them (422).
    let text = q.trim();
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// Reads an invoice
///
/// With its line items. Administrators may read every account's invoices.
///
/// Served from the cache when it holds the invoice (see `invoicing_platform::invoice_cache`).
/// A cache entry is the owner's id (16 bytes) followed by the JSON answer, so a hit costs no
/// invoice query and no serialization, and access is still checked.
#[utoipa::path(
    get,
    path = "/invoices/{id}",
    operation_id = "get_invoice",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 200, description = "The invoice.", body = InvoiceJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let generation = match state.cache.lookup(id).await {
        Lookup::Hit(entry) => {
            if let Some((owner, body)) = split_entry(&entry) {
                metrics::counter!("invoice_cache_hits_total").increment(1);
                if !commands::may_read(owner, caller) {
                    return Err(ApiError::NotFound("invoice"));
                }
                return Ok(json_body(body.to_vec()));
            }
            None
        }
        Lookup::Miss(generation) => Some(generation),
        Lookup::Unavailable => None,
    };
    metrics::counter!("invoice_cache_misses_total").increment(1);
    let invoice = commands::load(&state, caller, id, Access::Read).await?;
    let owner = invoice.summary.user_id;
    let body = serde_json::to_vec(&InvoiceJson::from(invoice)).map_err(ApiError::internal)?;
    if let Some(generation) = generation {
        let mut entry = owner.as_bytes().to_vec();
        entry.extend_from_slice(&body);
        state.cache.fill(id, generation, &entry).await;
    }
    Ok(json_body(body))
}

fn split_entry(entry: &[u8]) -> Option<(Uuid, &[u8])> {
    let (owner, body) = entry.split_at_checked(16)?;
    Some((Uuid::from_slice(owner).ok()?, body))
}

fn json_body(body: Vec<u8>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        axum::body::Body::from(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_trimmed_and_bounded() {
        assert_eq!(search_text(None).unwrap(), None);
        assert_eq!(search_text(Some("")).unwrap(), None);
        assert_eq!(search_text(Some("   ")).unwrap(), None);
        assert_eq!(
            search_text(Some(" Acme ")).unwrap().as_deref(),
            Some("Acme")
        );
        let longest = "é".repeat(MAX_SEARCH_CHARS);
        assert_eq!(search_text(Some(&longest)).unwrap(), Some(longest.clone()));
        assert!(matches!(
            search_text(Some(&format!("{longest}x"))),
            Err(ApiError::BadRequest(_))
        ));
    }
}
