//! Customers: the account's buyers, listed and searched, created, read, replaced, archived and
//! deleted while no invoice names them.

use crate::{
    auth::AuthUser,
    cursor::{NamePage, PageJson},
    error::ApiError,
    extract::{Json, Path, Query},
    idempotency::Keyed,
    openapi::{
        BadRequest, Conflict, NotFound, PayloadTooLarge, Unauthorized, Unavailable,
        UnsupportedMediaType, ValidationFailed,
    },
    routes::invoices::search_text,
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
    customers::{self, Filter, NameKey, StoredCustomer},
};
use invoicing_workflows::domain::{
    Address, AddressFields, Customer, CustomerFields, EInvoiceFormat, ElectronicAddress,
    ElectronicAddressFields, Language, TaxId, TaxIdFields,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, replace, remove))
        .routes(routes!(archive))
        .routes(routes!(unarchive))
}

/// A customer of the account. Fields without a value are `null`.
#[derive(Serialize, ToSchema)]
#[schema(as = Customer, example = json!({
    "id": "5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59",
    "display_name": "Acme",
    "legal_name": "Acme Trading GmbH",
    "emails": ["ap@acme.example"],
    "cc_emails": [],
    "address": {
        "lines": ["Friedrichstraße 123"],
        "postal_code": "10117",
        "city": "Berlin",
        "region": null,
        "country": "DE"
    },
    "tax_id": { "kind": "eu_vat", "value": "DE123456789" },
    "currency": "EUR",
    "language": "de",
    "time_zone": "Europe/Berlin",
    "payment_terms_days": 14,
    "notes": null,
    "e_invoice_format": "xrechnung_ubl",
    "buyer_reference": "04011000-12345-03",
    "electronic_address": { "scheme": "9930", "id": "DE123456789" },
    "archived_at": null,
    "created_at": "2026-12-07T09:30:00Z",
    "updated_at": "2026-12-07T09:30:00Z"
}))]
struct CustomerJson {
    id: Uuid,
    display_name: String,
    /// Printed on invoices instead of the display name.
    #[schema(required = true)]
    legal_name: Option<String>,
    /// Where invoices are sent.
    emails: Vec<String>,
    /// Who gets a copy.
    cc_emails: Vec<String>,
    #[schema(required = true)]
    address: Option<AddressFields>,
    #[schema(required = true)]
    tax_id: Option<TaxIdFields>,
    /// ISO 4217: the currency new invoices to the customer start in.
    #[schema(required = true, example = "EUR")]
    currency: Option<String>,
    language: Language,
    /// IANA time zone name.
    #[schema(example = "Europe/Berlin")]
    time_zone: String,
    /// Days from the issue date to the due date; `null`: the account's terms.
    #[schema(required = true)]
    payment_terms_days: Option<u32>,
    #[schema(required = true)]
    notes: Option<String>,
    /// The e-invoice the customer receives; `null`: the PDF only.
    #[schema(required = true)]
    e_invoice_format: Option<EInvoiceFormat>,
    /// BT-10 (for a German public buyer, its Leitweg-ID).
    #[schema(required = true)]
    buyer_reference: Option<String>,
    /// BT-49, where e-invoices reach the customer.
    #[schema(required = true)]
    electronic_address: Option<ElectronicAddressFields>,
    /// When the customer was archived; `null` while it is active.
    #[schema(required = true)]
    archived_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<StoredCustomer> for CustomerJson {
    fn from(stored: StoredCustomer) -> Self {
        let customer = stored.customer;
        Self {
            id: stored.id,
            display_name: customer.display_name,
            legal_name: customer.legal_name,
            emails: customer.emails.into_iter().map(String::from).collect(),
            cc_emails: customer.cc_emails.into_iter().map(String::from).collect(),
            address: customer.address.map(Address::into_fields),
            tax_id: customer.tax_id.map(TaxId::into_fields),
            currency: customer.currency.map(String::from),
            language: customer.language,
            time_zone: customer.time_zone.name().to_owned(),
            payment_terms_days: customer.payment_terms_days,
            notes: customer.notes,
            e_invoice_format: customer.e_invoice_format,
            buyer_reference: customer.buyer_reference,
            electronic_address: customer
                .electronic_address
                .map(ElectronicAddress::into_fields),
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
    /// Only customers whose display name, legal name or any e-mail address (`to` or `cc`)
    /// contains this text, whatever the case; `%` and `_` are matched as themselves. Leading
    /// and trailing spaces are ignored; empty means no search.
    #[param(example = "acme")]
    q: Option<String>,
    /// `true` lists the archived customers instead of the active ones (default `false`).
    #[param(value_type = Option<bool>)]
    archived: Option<String>,
    /// Customers per page (default 20).
    #[param(value_type = Option<i64>)]
    limit: Option<String>,
    /// Where the page starts: the `next_cursor` of the page before, with the same `q` and
    /// `archived`.
    cursor: Option<String>,
}

/// `archived=true|false`; absent or empty is `false`.
pub(super) fn archived_param(raw: Option<&str>) -> Result<bool, ApiError> {
    match raw.unwrap_or_default() {
        "" | "false" => Ok(false),
        "true" => Ok(true),
        _ => Err(ApiError::BadRequest(
            "archived must be true or false".to_owned(),
        )),
    }
}

/// Lists the caller's customers
///
/// By display name (case-insensitively), a page at a time; the active ones unless
/// `archived=true`; searchable by name and e-mail address.
#[utoipa::path(
    get,
    path = "/customers",
    operation_id = "list_customers",
    tag = "customers",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of the caller's customers.", body = PageJson<CustomerJson>),
        BadRequest, Unauthorized, Unavailable,
    ),
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Query(params): Query<ListParams>,
) -> Result<axum::Json<PageJson<CustomerJson>>, ApiError> {
    let filter = Filter {
        archived: archived_param(params.archived.as_deref())?,
        search: search_text(params.q.as_deref())?,
    };
    let page = NamePage::parse(params.limit.as_deref(), params.cursor.as_deref())?;
    let mut rows = customers::list(
        &state.db,
        caller.id,
        &filter,
        page.after.as_ref(),
        page.fetch(),
    )
    .await?;
    let next_cursor = page.finish(&mut rows, |last| NameKey {
        name: last.customer.display_name.clone(),
        id: last.id,
    });
    Ok(axum::Json(PageJson {
        data: rows.into_iter().map(CustomerJson::from).collect(),
        next_cursor,
    }))
}

/// Creates a customer
///
/// With an `Idempotency-Key`, the customer's id is derived from it: a retry, even of a
/// request whose answer was lost, creates one customer.
///
/// The e-invoicing settings are checked alone (an electronic address's scheme is of the EAS
/// list and its id has the scheme's form; a buyer reference that starts like a Leitweg-ID is a
/// valid one), and only Peppol BIS requires one of them here, the electronic address. What a
/// format needs besides (XRechnung's Leitweg-ID) is checked when an invoice is sent.
#[utoipa::path(
    post,
    path = "/customers",
    operation_id = "create_customer",
    tag = "customers",
    security(("bearer" = [])),
    request_body(
        content = CustomerFields,
        examples(
            ("German public buyer" = (
                summary = "XRechnung (UBL) to a German authority, with its Leitweg-ID",
                value = json!({
                    "display_name": "Bezirksamt Mitte",
                    "legal_name": "Bezirksamt Mitte von Berlin",
                    "emails": ["rechnungen@ba-mitte.example"],
                    "address": {
                        "lines": ["Karl-Marx-Allee 31"], "postal_code": "10178",
                        "city": "Berlin", "country": "DE"
                    },
                    "tax_id": { "kind": "eu_vat", "value": "DE123456789" },
                    "currency": "EUR",
                    "language": "de",
                    "time_zone": "Europe/Berlin",
                    "e_invoice_format": "xrechnung_ubl",
                    "buyer_reference": "04011000-12345-03",
                    "electronic_address": { "scheme": "9930", "id": "DE123456789" }
                })
            )),
            ("Belgian Peppol customer" = (
                summary = "Peppol BIS Billing 3.0, reached by its enterprise number",
                value = json!({
                    "display_name": "Brouwerij Janssens",
                    "legal_name": "Brouwerij Janssens NV",
                    "emails": ["facturen@janssens.example"],
                    "address": {
                        "lines": ["Grote Markt 1"], "postal_code": "2000",
                        "city": "Antwerpen", "country": "BE"
                    },
                    "tax_id": { "kind": "eu_vat", "value": "BE0123456749" },
                    "currency": "EUR",
                    "language": "fr",
                    "time_zone": "Europe/Brussels",
                    "e_invoice_format": "peppol_ubl",
                    "buyer_reference": "PO-4711",
                    "electronic_address": { "scheme": "0208", "id": "0123456749" }
                })
            )),
        ),
    ),
    responses(
        (
            status = 201,
            description = "The customer was created.",
            body = CustomerJson,
            headers(("Location" = String, description = "The new customer: `/api/customers/{id}`.")),
        ),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    Keyed(key): Keyed,
    Json(body): Json<CustomerFields>,
) -> Result<Response, ApiError> {
    let customer = Customer::parse(body)?;
    let id = key
        .as_ref()
        .map_or_else(Uuid::new_v4, |key| key.id("customer"));
    let stored = match customers::insert(&state.db, id, caller.id, &customer).await {
        Ok(stored) => stored,
        // An earlier attempt with this key stored the customer (its answer was lost, or it is
        // still running): answer with it. The id is derived from the account, so it is ours.
        Err(StoreError::Conflict { constraint })
            if key.is_some() && constraint == "customers_pkey" =>
        {
            customers::get(&state.db, caller.id, id)
                .await?
                .ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("customer {id} is not the caller's"))
                })?
        }
        Err(error) => return Err(error.into()),
    };
    tracing::info!(customer_id = %id, "customer created");
    let location = format!("/api/customers/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        axum::Json(CustomerJson::from(stored)),
    )
        .into_response())
}

/// Reads a customer
#[utoipa::path(
    get,
    path = "/customers/{id}",
    operation_id = "get_customer",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id.")),
    responses(
        (status = 200, description = "The customer, archived or not.", body = CustomerJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<CustomerJson>, ApiError> {
    let stored = customers::get(&state.db, caller.id, id)
        .await?
        .ok_or(ApiError::NotFound("customer"))?;
    Ok(axum::Json(stored.into()))
}

/// Replaces a customer
///
/// Every detail at once, as when creating it: fields left out take their defaults. Invoices
/// already sent keep the details they were sent with; drafts show the new ones.
#[utoipa::path(
    put,
    path = "/customers/{id}",
    operation_id = "replace_customer",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id.")),
    request_body = CustomerFields,
    responses(
        (status = 200, description = "The customer as stored.", body = CustomerJson),
        BadRequest, Unauthorized, NotFound, PayloadTooLarge, UnsupportedMediaType,
        ValidationFailed, Unavailable,
    ),
)]
async fn replace(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<CustomerFields>,
) -> Result<axum::Json<CustomerJson>, ApiError> {
    let customer = Customer::parse(body)?;
    let stored = customers::replace(&state.db, caller.id, id, &customer)
        .await?
        .ok_or(ApiError::NotFound("customer"))?;
    Ok(axum::Json(stored.into()))
}

/// Deletes a customer
///
/// Only a customer no invoice names: one that invoices name is 409 (`customer-in-use`);
/// archive it instead.
#[utoipa::path(
    delete,
    path = "/customers/{id}",
    operation_id = "delete_customer",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id.")),
    responses(
        (status = 204, description = "The customer was deleted."),
        BadRequest, Unauthorized, NotFound, Conflict, Unavailable,
    ),
)]
async fn remove(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    match customers::delete(&state.db, caller.id, id).await {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(ApiError::NotFound("customer")),
        Err(StoreError::Conflict { constraint }) if constraint == customers::IN_USE => {
            Err(ApiError::conflict(
                "customer-in-use",
                format!(
                    "Invoices name this customer, so it cannot be deleted; archive it instead \
                 (POST /api/customers/{id}/archive): it leaves the lists and cannot be put on \
                 new invoices, and its invoices keep it."
                ),
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// Archives a customer
///
/// An archived customer is left out of the list (unless `archived=true`) and cannot be put on
/// new invoices; its invoices keep it. Archiving an archived customer changes nothing.
#[utoipa::path(
    post,
    path = "/customers/{id}/archive",
    operation_id = "archive_customer",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id.")),
    responses(
        (status = 200, description = "The customer, archived.", body = CustomerJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn archive(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<CustomerJson>, ApiError> {
    set_archived(&state, caller, id, true).await
}

/// Makes an archived customer active again
#[utoipa::path(
    post,
    path = "/customers/{id}/unarchive",
    operation_id = "unarchive_customer",
    tag = "customers",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The customer's id.")),
    responses(
        (status = 200, description = "The customer, active.", body = CustomerJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn unarchive(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<CustomerJson>, ApiError> {
    set_archived(&state, caller, id, false).await
}

async fn set_archived(
    state: &AppState,
    caller: AuthUser,
    id: Uuid,
    archived: bool,
) -> Result<axum::Json<CustomerJson>, ApiError> {
    let stored = customers::set_archived(&state.db, caller.id, id, archived)
        .await?
        .ok_or(ApiError::NotFound("customer"))?;
    Ok(axum::Json(stored.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_is_true_or_false() {
        assert!(!archived_param(None).unwrap());
        assert!(!archived_param(Some("")).unwrap());
        assert!(!archived_param(Some("false")).unwrap());
        assert!(archived_param(Some("true")).unwrap());
        for bad in ["1", "yes", "TRUE"] {
            assert!(archived_param(Some(bad)).is_err(), "{bad}");
        }
    }
}
