//! Tax rates: the account's rates, picked by id on invoice lines. A rate's percentage, category
//! and exemption never change once it is created (as with Stripe's tax rates): drafts name
//! rates by id, so changing one would change the tax of every draft using it. To change a
//! rate, archive it and create another; only the name and description can be edited.

use super::customers::archived_param;
use crate::{
    auth::AuthUser,
    cursor::{NamePage, PageJson},
    error::ApiError,
    extract::{Json, Path, Query},
    idempotency::Keyed,
    openapi::{
        BadRequest, NotFound, PayloadTooLarge, Unauthorized, Unavailable, UnsupportedMediaType,
        ValidationFailed,
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use invoicing_store::{
    StoreError,
    customers::NameKey,
    tax_rates::{self, StoredTaxRate},
};
use invoicing_workflows::domain::{
    FieldErrors, NamedTaxRate, TaxRateFields, VatCategory, named_rate,
};
use serde::{Deserialize, Deserializer, Serialize, de::IgnoredAny};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, revise))
        .routes(routes!(archive))
        .routes(routes!(unarchive))
}

/// A tax rate of the account.
#[derive(Serialize, ToSchema)]
#[schema(as = TaxRate, example = json!({
    "id": "0f7c2b9e-8d41-4a36-b5e2-3c9d1a7e6f20",
    "name": "VAT 19 %",
    "description": "German standard rate",
    "percent": "19",
    "category": "S",
    "exemption_reason": null,
    "exemption_code": null,
    "archived_at": null,
    "created_at": "2026-12-07T09:30:00Z",
    "updated_at": "2026-12-07T09:30:00Z"
}))]
struct TaxRateJson {
    id: Uuid,
    name: String,
    #[schema(required = true)]
    description: Option<String>,
    /// The percentage as an exact decimal, without trailing zeros (`"19"`, `"8.875"`).
    #[schema(example = "19")]
    percent: String,
    category: VatCategory,
    /// Why the supply is not taxed (every category but `S` and `Z`).
    #[schema(required = true)]
    exemption_reason: Option<String>,
    /// The exemption's VATEX code, if given.
    #[schema(required = true)]
    exemption_code: Option<String>,
    /// When the rate was archived; `null` while it is active.
    #[schema(required = true)]
    archived_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<StoredTaxRate> for TaxRateJson {
    fn from(stored: StoredTaxRate) -> Self {
        let rate = &stored.named.rate;
        let exemption = rate.exemption();
        Self {
            id: stored.id,
            percent: rate.percent().to_string(),
            category: rate.category(),
            exemption_reason: exemption.map(|exemption| exemption.reason.clone()),
            exemption_code: exemption.and_then(|exemption| exemption.code.clone()),
            name: stored.named.name,
            description: stored.named.description,
            archived_at: stored.archived_at,
            created_at: stored.created_at,
            updated_at: stored.updated_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// `true` lists the archived rates instead of the active ones (default `false`).
    #[param(value_type = Option<bool>)]
    archived: Option<String>,
    /// Rates per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before, with the same `archived`.
    cursor: Option<String>,
}

/// Lists the caller's tax rates
///
/// By name (case-insensitively), a page at a time; the active ones unless `archived=true`.
#[utoipa::path(
    get,
    path = "/tax-rates",
    operation_id = "list_tax_rates",
    tag = "tax-rates",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of the caller's tax rates.", body = PageJson<TaxRateJson>),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<PageJson<TaxRateJson>>, ApiError> {
    let archived = archived_param(params.archived.as_deref())?;
    let page = NamePage::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let mut rows = tax_rates::list(
        &state.db,
        caller.id,
        archived,
        page.after.as_ref(),
        page.fetch(),
    )
    .await?;
    let next_cursor = page.finish(&mut rows, |last| NameKey {
        name: last.named.name.clone(),
        id: last.id,
    });
    Ok(axum::Json(PageJson {
        data: rows.into_iter().map(TaxRateJson::from).collect(),
        next_cursor,
    }))
}

/// Creates a tax rate
///
/// `percent` is a decimal string (`"8.875"`, read exactly) or a JSON number, from 0 to 100
/// with at most 4 decimal places: above 0 for category `S`, 0 for every other. `E`, `AE`, `K`,
/// `G` and `O` need the reason the supply is not taxed (`exemption_reason`, printed on the
/// invoice) and may give its VATEX code; `S` and `Z` take neither. The percentage, category and
/// exemption are fixed once created. With an `Idempotency-Key`, the rate's id is derived from
/// it: a retry creates one rate.
#[utoipa::path(
    post,
    path = "/tax-rates",
    operation_id = "create_tax_rate",
    tag = "tax-rates",
    security(("bearer" = [])),
    request_body = TaxRateFields,
    responses(
        (
            status = 201,
            description = "The rate was created.",
            body = TaxRateJson,
            headers(("Location" = String, description = "The new rate: `/api/tax-rates/{id}`.")),
        ),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    Keyed(key): Keyed,
    Json(body): Json<TaxRateFields>,
) -> Result<Response, ApiError> {
    let named = NamedTaxRate::parse(body)?;
    let id = key
        .as_ref()
        .map_or_else(Uuid::new_v4, |key| key.id("tax_rate"));
    let stored = match tax_rates::insert(&state.db, id, caller.id, &named).await {
        Ok(stored) => stored,
        // An earlier attempt with this key stored the rate (its answer was lost, or it is
        // still running): answer with it. The id is derived from the account, so it is ours.
        Err(StoreError::Conflict { constraint })
            if key.is_some() && constraint == "tax_rates_pkey" =>
        {
            tax_rates::get(&state.db, caller.id, id)
                .await?
                .ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("tax rate {id} is not the caller's"))
                })?
        }
        Err(error) => return Err(error.into()),
    };
    let location = format!("/api/tax-rates/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(TaxRateJson::from(stored)),
    )
        .into_response())
}

/// Reads a tax rate
#[utoipa::path(
    get,
    path = "/tax-rates/{id}",
    operation_id = "get_tax_rate",
    tag = "tax-rates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The rate's id.")),
    responses(
        (status = 200, description = "The rate, archived or not.", body = TaxRateJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<TaxRateJson>, ApiError> {
    let stored = tax_rates::get(&state.db, caller.id, id)
        .await?
        .ok_or(ApiError::NotFound("tax rate"))?;
    Ok(axum::Json(stored.into()))
}

/// A new name or description for a rate: fields left out keep their value; `"description":
/// null` clears it. The percentage, category and exemption cannot change (422): archive the
/// rate and create another.
#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "name": "VAT 19 % (DE)", "description": null }))]
struct ReviseTaxRate {
    name: Option<String>,
    /// `null` clears the description.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    // What a rate never changes, read only to say so (not in the document).
    #[serde(default)]
    #[schema(ignore)]
    percent: Option<IgnoredAny>,
    #[serde(default)]
    #[schema(ignore)]
    category: Option<IgnoredAny>,
    #[serde(default)]
    #[schema(ignore)]
    exemption_reason: Option<IgnoredAny>,
    #[serde(default)]
    #[schema(ignore)]
    exemption_code: Option<IgnoredAny>,
}

/// Tells `"description": null` (clear) apart from leaving `description` out (keep).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// Renames a tax rate
///
/// Changes the name or the description; nothing else of a rate can change. To charge another
/// percentage, archive the rate and create a new one: drafts name rates by id, and a change
/// would silently change their tax.
#[utoipa::path(
    patch,
    path = "/tax-rates/{id}",
    operation_id = "revise_tax_rate",
    tag = "tax-rates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The rate's id.")),
    request_body = ReviseTaxRate,
    responses(
        (status = 200, description = "The rate as stored.", body = TaxRateJson),
        BadRequest, Unauthorized, NotFound, PayloadTooLarge, UnsupportedMediaType,
        ValidationFailed, Unavailable,
    ),
)]
async fn revise(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<ReviseTaxRate>,
) -> Result<axum::Json<TaxRateJson>, ApiError> {
    let mut errors = FieldErrors::default();
    for (field, sent) in [
        ("percent", body.percent.is_some()),
        ("category", body.category.is_some()),
        ("exemption_reason", body.exemption_reason.is_some()),
        ("exemption_code", body.exemption_code.is_some()),
    ] {
        if sent {
            errors.add(
                field,
                "cannot change: drafts use this rate by id; archive it and create another",
            );
        }
    }
    let name = body
        .name
        .map(|name| named_rate::parse_name(&name))
        .transpose()
        .map_err(|message| errors.add("name", message))
        .ok()
        .flatten();
    let description = body
        .description
        .map(named_rate::parse_description)
        .transpose()
        .map_err(|message| errors.add("description", message))
        .ok()
        .flatten();
    errors.into_result()?;
    let current = tax_rates::get(&state.db, caller.id, id)
        .await?
        .ok_or(ApiError::NotFound("tax rate"))?;
    let name = name.unwrap_or(current.named.name);
    let description = description.unwrap_or(current.named.description);
    let stored = tax_rates::rename(&state.db, caller.id, id, &name, description.as_deref())
        .await?
        .ok_or(ApiError::NotFound("tax rate"))?;
    Ok(axum::Json(stored.into()))
}

/// Archives a tax rate
///
/// An archived rate is left out of the list (unless `archived=true`) and cannot be put on
/// drafts; invoices that carry it keep it. Archiving an archived rate changes nothing.
#[utoipa::path(
    post,
    path = "/tax-rates/{id}/archive",
    operation_id = "archive_tax_rate",
    tag = "tax-rates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The rate's id.")),
    responses(
        (status = 200, description = "The rate, archived.", body = TaxRateJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn archive(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<TaxRateJson>, ApiError> {
    set_archived(&state, caller, id, true).await
}

/// Makes an archived tax rate active again
#[utoipa::path(
    post,
    path = "/tax-rates/{id}/unarchive",
    operation_id = "unarchive_tax_rate",
    tag = "tax-rates",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The rate's id.")),
    responses(
        (status = 200, description = "The rate, active.", body = TaxRateJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn unarchive(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<TaxRateJson>, ApiError> {
    set_archived(&state, caller, id, false).await
}

async fn set_archived(
    state: &AppState,
    caller: AuthUser,
    id: Uuid,
    archived: bool,
) -> Result<axum::Json<TaxRateJson>, ApiError> {
    let stored = tax_rates::set_archived(&state.db, caller.id, id, archived)
        .await?
        .ok_or(ApiError::NotFound("tax rate"))?;
    Ok(axum::Json(stored.into()))
}
