//! The seller's bank accounts for payment by transfer, printed on its invoices: up to five,
//! each an IBAN (with an optional BIC) or a domestic account with a US routing number or a UK
//! sort code; one is the default, and one may be kept for each currency.

use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::{Json, Path},
    idempotency::Keyed,
    openapi::{
        BadRequest, Conflict, NotFound, PayloadTooLarge, Unauthorized, Unavailable,
        UnsupportedMediaType, ValidationFailed,
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use invoicing_store::bank_accounts::{self, Refusal, StoredBankAccount};
use invoicing_workflows::domain::{
    AccountDetails, BankAccount, BankAccountFields, bank::MAX_BANK_ACCOUNTS,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(replace, delete))
}

/// A bank account of the seller. Exactly one of `iban` or `account_number` is set; an IBAN is
/// in its electronic form (upper case, no spaces) and `iban_printed` in groups of four.
#[derive(Serialize, ToSchema)]
#[schema(as = BankAccount, example = json!({
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "holder": "Schmidt Consulting GmbH",
    "bank_name": "Commerzbank",
    "currency": "EUR",
    "is_default": true,
    "iban": "DE89370400440532013000",
    "iban_printed": "DE89 3704 0044 0532 0130 00",
    "bic": "COBADEFFXXX",
    "account_number": null,
    "routing_number": null,
    "sort_code": null,
    "created_at": "2026-12-07T09:30:00Z",
    "updated_at": "2026-12-07T09:30:00Z"
}))]
struct BankAccountJson {
    id: Uuid,
    holder: String,
    #[schema(required = true)]
    bank_name: Option<String>,
    /// Shown on invoices in this currency; `null`: on any invoice no account of its own
    /// currency claims.
    #[schema(required = true)]
    currency: Option<String>,
    is_default: bool,
    #[schema(required = true)]
    iban: Option<String>,
    #[schema(required = true)]
    iban_printed: Option<String>,
    #[schema(required = true)]
    bic: Option<String>,
    #[schema(required = true)]
    account_number: Option<String>,
    /// US ABA routing number (9 digits).
    #[schema(required = true)]
    routing_number: Option<String>,
    /// UK sort code, 6 digits without dashes.
    #[schema(required = true)]
    sort_code: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<StoredBankAccount> for BankAccountJson {
    fn from(stored: StoredBankAccount) -> Self {
        let iban_printed = match &stored.account.details {
            AccountDetails::Iban { iban, .. } => Some(iban.printed()),
            _ => None,
        };
        let fields = stored.account.into_fields();
        Self {
            id: stored.id,
            holder: fields.holder,
            bank_name: fields.bank_name,
            currency: fields.currency,
            is_default: fields.is_default,
            iban: fields.iban,
            iban_printed,
            bic: fields.bic,
            account_number: fields.account_number,
            routing_number: fields.routing_number,
            sort_code: fields.sort_code,
            created_at: stored.created_at,
            updated_at: stored.updated_at,
        }
    }
}

fn refused(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::TooMany => ApiError::conflict(
            "bank-account-limit",
            format!(
                "An account can keep at most {MAX_BANK_ACCOUNTS} bank accounts; delete one first."
            ),
        ),
        Refusal::DefaultNeeded => ApiError::invalid(
            "is_default",
            "the default account stays the default until another is made the default",
        ),
    }
}

/// The seller's bank accounts
///
/// Oldest first.
#[utoipa::path(
    get,
    path = "/settings/bank-accounts",
    operation_id = "list_bank_accounts",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account's bank accounts.", body = Vec<BankAccountJson>),
        Unauthorized, Unavailable,
    ),
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<axum::Json<Vec<BankAccountJson>>, ApiError> {
    let accounts = bank_accounts::list(&state.db, caller.id).await?;
    Ok(axum::Json(accounts.into_iter().map(Into::into).collect()))
}

/// Adds a bank account
///
/// At most 5 (409 `bank-account-limit` beyond). The first is the default whatever
/// `is_default` says; a new default unmarks the old one. An IBAN is checked (check digits and
/// the country's format: 422 at `iban` with the reason), as are a BIC (8 or 11 characters), a
/// US routing number (9 digits and its check digit) and a UK sort code (6 digits).
#[utoipa::path(
    post,
    path = "/settings/bank-accounts",
    operation_id = "create_bank_account",
    tag = "settings",
    security(("bearer" = [])),
    request_body = BankAccountFields,
    responses(
        (status = 201, description = "Added.", body = BankAccountJson),
        BadRequest, Unauthorized, Conflict, PayloadTooLarge, UnsupportedMediaType,
        ValidationFailed, Unavailable,
    ),
)]
async fn create(
    State(state): State<AppState>,
    caller: AuthUser,
    Keyed(key): Keyed,
    Json(body): Json<BankAccountFields>,
) -> Result<Response, ApiError> {
    let account = BankAccount::parse(body).map_err(ApiError::Validation)?;
    // With an idempotency key, a retry of a request that was never answered adds the same
    // account, not a second one.
    let id = key
        .as_ref()
        .map_or_else(Uuid::new_v4, |key| key.id("bank_account"));
    let stored = match bank_accounts::create(&state.db, caller.id, id, &account).await {
        Ok(created) => created.map_err(refused)?,
        Err(invoicing_store::StoreError::Conflict { .. }) if key.is_some() => {
            bank_accounts::get(&state.db, caller.id, id)
                .await?
                .ok_or(ApiError::NotFound("bank account"))?
        }
        Err(error) => return Err(error.into()),
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(BankAccountJson::from(stored)),
    )
        .into_response())
}

/// Replaces a bank account
///
/// The same rules as adding one; the default cannot be unmarked (422 at `is_default`): make
/// another account the default instead. Another account's bank account is 404.
#[utoipa::path(
    put,
    path = "/settings/bank-accounts/{id}",
    operation_id = "replace_bank_account",
    tag = "settings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The bank account's id.")),
    request_body = BankAccountFields,
    responses(
        (status = 200, description = "The bank account as it is now.", body = BankAccountJson),
        BadRequest, Unauthorized, NotFound, PayloadTooLarge, UnsupportedMediaType,
        ValidationFailed, Unavailable,
    ),
)]
async fn replace(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<BankAccountFields>,
) -> Result<axum::Json<BankAccountJson>, ApiError> {
    let account = BankAccount::parse(body).map_err(ApiError::Validation)?;
    let stored = bank_accounts::replace(&state.db, caller.id, id, &account)
        .await?
        .ok_or(ApiError::NotFound("bank account"))?
        .map_err(refused)?;
    Ok(axum::Json(stored.into()))
}

/// Deletes a bank account
///
/// Invoices already rendered keep the details they printed. When the default goes, the oldest
/// remaining account becomes the default. Another account's bank account is 404.
#[utoipa::path(
    delete,
    path = "/settings/bank-accounts/{id}",
    operation_id = "delete_bank_account",
    tag = "settings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The bank account's id.")),
    responses(
        (status = 204, description = "Deleted."),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    if bank_accounts::delete(&state.db, caller.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("bank account"))
    }
}
