//! Invoices: the caller's list, and one invoice. Drafts are created and edited in `drafts`,
//! sent, voided and given new due dates in `invoice_actions`; how an invoice is shown is in
//! `views`.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    cursor::{self, PageJson},
    error::ApiError,
    extract::{self, Path, Query},
    openapi::{BadRequest, NotFound, Unauthorized, Unavailable},
    state::AppState,
    views::{InvoiceJson, SummaryJson},
};
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use invoicing_platform::invoice_cache::Lookup;
use invoicing_store::invoice_list::{self, Filter, Position, Sort};
use invoicing_workflows::domain::InvoiceStatus;
use serde::Deserialize;
use utoipa::{
    IntoParams,
    openapi::{ObjectBuilder, Type},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show))
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
        (status = 200, description = "A page of the caller's invoices.", body = PageJson<SummaryJson>),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<PageJson<SummaryJson>>, ApiError> {
    let status = extract::optional::<InvoiceStatus>(params.status.as_deref())?;
    let filter = Filter {
        status,
        search: search_text(params.q.as_deref())?,
    };
    let sort = extract::optional::<Sort>(params.sort.as_deref())?.unwrap_or_default();
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
    Ok(axum::Json(PageJson {
        data: rows.into_iter().map(SummaryJson::from).collect(),
        next_cursor,
    }))
}

/// The search text of `q`, without the spaces around it; `None` when there is none.
pub(super) fn search_text(q: Option<&str>) -> Result<Option<String>, ApiError> {
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
