//! The seller profile: how the account appears on its invoices and e-mails, its default
//! payment terms and its invoice and credit-note number formats.

use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::Json,
    openapi::{
        BadRequest, PayloadTooLarge, Unauthorized, Unavailable, UnsupportedMediaType,
        ValidationFailed,
    },
    state::AppState,
};
use axum::extract::State;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use invoicing_store::{
    logos,
    numbering::{self, RepeatedNumber, Series},
    sellers,
};
use invoicing_workflows::domain::{
    AddressFields, ElectronicAddress, ElectronicAddressFields, LogoFormat, NumberFormatFields,
    SellerProfile, SellerProfileFields, TaxIdFields, seller::DEFAULT_PAYMENT_TERMS_DAYS,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, replace))
}

/// The seller block of the account's invoices, the name its e-mails come from, and the
/// defaults its invoices start from. The fields `PUT` takes, plus what it cannot set: the
/// free-text address of a profile saved before addresses were structured, and the logo.
/// Until a profile is saved, `display_name` and `address` are `null` (invoices then show the
/// account's e-mail address) and the defaults apply. `next_places` says where the number series
/// stand, so a format being edited shows the number it would give next.
#[derive(Serialize, ToSchema)]
#[schema(as = Seller, example = json!({
    "display_name": "Schmidt Consulting",
    "legal_name": "Schmidt Consulting GmbH",
    "address": {
        "lines": ["Friedrichstraße 123"], "postal_code": "10117", "city": "Berlin",
        "region": null, "country": "DE"
    },
    "legacy_address": null,
    "tax_ids": [
        { "kind": "eu_vat", "value": "DE123456789" },
        { "kind": "other", "value": "37/123/45678" }
    ],
    "registration": "Amtsgericht Berlin HRB 12345\nGeschäftsführer: A. Schmidt",
    "email": "billing@schmidt-consulting.example",
    "phone": "+49 30 1234567",
    "website": "https://schmidt-consulting.example",
    "payment_instructions": "Please transfer the amount due to the account below, quoting the invoice number.",
    "payment_terms_days": 14,
    "number_format": { "pattern": "RE-{YYYY}-{SEQ:5}", "reset": "yearly" },
    "credit_note_format": { "pattern": "GS-{YYYY}-{SEQ:5}", "reset": "yearly" },
    "electronic_address": { "scheme": "9930", "id": "DE123456789" },
    "next_places": {
        "as_of": "2026-12-07",
        "invoices": { "never": 412, "yearly": 58 },
        "credit_notes": { "never": 9, "yearly": 4 }
    },
    "logo": {
        "content_type": "image/png", "width": 600, "height": 200, "size_bytes": 18342,
        "uploaded_at": "2026-12-07T09:30:00Z"
    }
}))]
struct SellerJson {
    #[schema(required = true)]
    display_name: Option<String>,
    #[schema(required = true)]
    legal_name: Option<String>,
    #[schema(required = true)]
    address: Option<AddressFields>,
    /// The address a profile saved before addresses were structured had, lines separated by
    /// `\n`; shown on invoices until the profile is saved with a structured address, which
    /// clears it.
    #[schema(required = true)]
    legacy_address: Option<String>,
    tax_ids: Vec<TaxIdFields>,
    #[schema(required = true)]
    registration: Option<String>,
    #[schema(required = true)]
    email: Option<String>,
    #[schema(required = true)]
    phone: Option<String>,
    #[schema(required = true)]
    website: Option<String>,
    #[schema(required = true)]
    payment_instructions: Option<String>,
    #[schema(minimum = 0, maximum = 365)]
    payment_terms_days: u16,
    number_format: NumberFormatFields,
    /// The credit notes' own number series.
    credit_note_format: NumberFormatFields,
    /// BT-34, where e-invoices reach the seller: Peppol BIS and XRechnung put it on every
    /// e-invoice.
    #[schema(required = true)]
    electronic_address: Option<ElectronicAddressFields>,
    next_places: NextPlacesJson,
    /// Set with `PUT /api/settings/logo`.
    #[schema(required = true)]
    logo: Option<LogoJson>,
}

/// Where the account's number series stand: the place in its sequence the next invoice and the
/// next credit note issued on `as_of` (today, UTC) take, under either reset rule. The next
/// number is the series' format rendered with it (a sent document's number comes from its own
/// issue date).
#[derive(Serialize, ToSchema)]
#[schema(as = NextPlaces)]
struct NextPlacesJson {
    as_of: NaiveDate,
    invoices: PlacesJson,
    credit_notes: PlacesJson,
}

/// The next place in a series' sequences.
#[derive(Serialize, ToSchema)]
#[schema(as = SequencePlaces)]
struct PlacesJson {
    /// In the one sequence that never restarts (`reset: never`).
    #[schema(minimum = 1)]
    never: i64,
    /// In the sequence of `as_of`'s year (`reset: yearly`).
    #[schema(minimum = 1)]
    yearly: i64,
}

impl From<numbering::NextPlaces> for PlacesJson {
    fn from(places: numbering::NextPlaces) -> Self {
        Self {
            never: places.never,
            yearly: places.yearly,
        }
    }
}

impl NextPlacesJson {
    async fn read(state: &AppState, user_id: uuid::Uuid) -> Result<Self, ApiError> {
        let as_of = Utc::now().date_naive();
        let places = numbering::next_places(&state.db, user_id, as_of.year()).await?;
        Ok(Self {
            as_of,
            invoices: places.invoices.into(),
            credit_notes: places.credit_notes.into(),
        })
    }
}

/// The logo printed in the invoice's header (the image: `GET /api/settings/logo`).
#[derive(Serialize, ToSchema)]
#[schema(as = Logo)]
pub(super) struct LogoJson {
    pub content_type: LogoFormat,
    /// Pixels.
    pub width: u32,
    pub height: u32,
    pub size_bytes: u32,
    pub uploaded_at: DateTime<Utc>,
}

impl From<logos::StoredLogo> for LogoJson {
    fn from(logo: logos::StoredLogo) -> Self {
        Self {
            content_type: logo.format,
            width: logo.width,
            height: logo.height,
            size_bytes: logo.size_bytes,
            uploaded_at: logo.uploaded_at,
        }
    }
}

impl SellerJson {
    fn new(
        profile: Option<SellerProfile>,
        logo: Option<logos::StoredLogo>,
        next_places: NextPlacesJson,
    ) -> Self {
        let logo = logo.map(LogoJson::from);
        let Some(profile) = profile else {
            return Self {
                display_name: None,
                legal_name: None,
                address: None,
                legacy_address: None,
                tax_ids: Vec::new(),
                registration: None,
                email: None,
                phone: None,
                website: None,
                payment_instructions: None,
                payment_terms_days: DEFAULT_PAYMENT_TERMS_DAYS as u16,
                number_format: Series::Invoices.default_format().into(),
                credit_note_format: Series::CreditNotes.default_format().into(),
                electronic_address: None,
                next_places,
                logo,
            };
        };
        Self {
            display_name: Some(profile.display_name),
            legal_name: profile.legal_name,
            address: profile.address.map(|address| address.into_fields()),
            legacy_address: profile.legacy_address,
            tax_ids: profile
                .tax_ids
                .into_iter()
                .map(|tax_id| tax_id.into_fields())
                .collect(),
            registration: profile.registration,
            email: profile.email.map(String::from),
            phone: profile.phone,
            website: profile.website,
            payment_instructions: profile.payment_instructions,
            payment_terms_days: profile.payment_terms_days,
            number_format: profile.number_format.into(),
            credit_note_format: profile.credit_note_format.into(),
            electronic_address: profile
                .electronic_address
                .map(ElectronicAddress::into_fields),
            next_places,
            logo,
        }
    }
}

/// The seller profile
#[utoipa::path(
    get,
    path = "/settings/seller",
    operation_id = "get_seller",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "How the account appears on its invoices.", body = SellerJson),
        Unauthorized, Unavailable,
    ),
)]
async fn show(
    State(state): State<AppState>,
    caller: AuthUser,
) -> Result<axum::Json<SellerJson>, ApiError> {
    let profile = sellers::profile(&state.db, caller.id).await?;
    let logo = logos::logo(&state.db, caller.id).await?;
    let next_places = NextPlacesJson::read(&state, caller.id).await?;
    Ok(axum::Json(SellerJson::new(profile, logo, next_places)))
}

/// Replaces the seller profile
///
/// The whole profile: an omitted optional field is cleared, an omitted `payment_terms_days`
/// (30), `number_format` (`INV-{SEQ:6}`, never reset) or `credit_note_format` (`CN-{SEQ:6}`,
/// never reset) takes its default. The address is required and structured. Shown on PDFs
/// rendered and e-mails written afterwards; the number formats apply to invoices sent and
/// credit notes issued afterwards (an issued document keeps its number). A format that would
/// give a later document a number already issued, to an invoice or a credit note, is refused
/// (422 at `number_format.pattern` or `credit_note_format.pattern`, naming the number), as is
/// a credit-note format that could print a number the invoice format prints too (422 at
/// `credit_note_format.pattern`), and any field that breaks its rules, by JSON path
/// (`address.country`, `tax_ids[1].value`).
#[utoipa::path(
    put,
    path = "/settings/seller",
    operation_id = "replace_seller",
    tag = "settings",
    security(("bearer" = [])),
    request_body = SellerProfileFields,
    responses(
        (status = 200, description = "The new profile.", body = SellerJson),
        BadRequest, Unauthorized, PayloadTooLarge, UnsupportedMediaType, ValidationFailed,
        Unavailable,
    ),
)]
async fn replace(
    State(state): State<AppState>,
    caller: AuthUser,
    Json(body): Json<SellerProfileFields>,
) -> Result<axum::Json<SellerJson>, ApiError> {
    let profile = SellerProfile::parse(body).map_err(ApiError::Validation)?;
    if let Err(repeated) = sellers::set_profile(&state.db, caller.id, &profile).await? {
        return Err(refusal(repeated));
    }
    let logo = logos::logo(&state.db, caller.id).await?;
    let next_places = NextPlacesJson::read(&state, caller.id).await?;
    Ok(axum::Json(SellerJson::new(
        Some(profile),
        logo,
        next_places,
    )))
}

/// The 422 for a format that would repeat an issued number, at the format's pattern.
fn refusal(repeated: RepeatedNumber) -> ApiError {
    let RepeatedNumber {
        series,
        number,
        issued_in,
    } = repeated;
    let (field, document) = match series {
        Series::Invoices => ("number_format.pattern", "invoice"),
        Series::CreditNotes => ("credit_note_format.pattern", "credit note"),
    };
    let owner = match issued_in {
        Series::Invoices => "an invoice",
        Series::CreditNotes => "a credit note",
    };
    ApiError::invalid(
        field,
        format!(
            "would number a later {document} {number}, the number of {owner} already issued; \
             choose a pattern whose numbers differ (another prefix, or the year)"
        ),
    )
}
