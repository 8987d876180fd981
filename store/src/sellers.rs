//! Accounts' seller profiles: how they appear on invoices and e-mails.

use crate::{
    StoreError,
    customers::electronic_address,
    numbering::{self, RepeatedNumber, Series},
};
use invoicing_workflows::domain::{
    Address, Country, ElectronicAddress, Email, SellerProfile, TaxId,
};
use sqlx::{PgExecutor, PgPool, types::Json};
use uuid::Uuid;

struct Row {
    display_name: String,
    legal_name: Option<String>,
    legacy_address: Option<String>,
    address_lines: Option<Vec<String>>,
    address_postal_code: Option<String>,
    address_city: Option<String>,
    address_region: Option<String>,
    address_country: Option<String>,
    tax_ids: Json<Vec<TaxId>>,
    registration: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
    payment_instructions: Option<String>,
    payment_terms_days: i32,
    number_pattern: String,
    number_reset: String,
    credit_note_pattern: String,
    credit_note_reset: String,
    endpoint_scheme: Option<String>,
    endpoint_id: Option<String>,
}

impl TryFrom<Row> for SellerProfile {
    type Error = StoreError;

    fn try_from(row: Row) -> Result<Self, StoreError> {
        let address = match (row.address_country, row.address_lines) {
            (Some(country), Some(lines)) => Some(Address {
                lines,
                postal_code: row.address_postal_code,
                city: row.address_city,
                region: row.address_region,
                country: Country::parse(&country).map_err(StoreError::corrupt)?,
            }),
            _ => None,
        };
        Ok(SellerProfile {
            display_name: row.display_name,
            legal_name: row.legal_name,
            address,
            legacy_address: row.legacy_address,
            tax_ids: row.tax_ids.0,
            registration: row.registration,
            email: row
                .email
                .map(|email| Email::parse(&email).map_err(StoreError::corrupt))
                .transpose()?,
            phone: row.phone,
            website: row.website,
            payment_instructions: row.payment_instructions,
            payment_terms_days: u16::try_from(row.payment_terms_days)
                .map_err(StoreError::corrupt)?,
            number_format: numbering::format_of(
                Series::Invoices,
                Some(row.number_pattern),
                Some(row.number_reset),
            )?,
            credit_note_format: numbering::format_of(
                Series::CreditNotes,
                Some(row.credit_note_pattern),
                Some(row.credit_note_reset),
            )?,
            electronic_address: electronic_address(row.endpoint_scheme, row.endpoint_id)?,
        })
    }
}

/// The account's profile, if it set one.
#[tracing::instrument(skip_all)]
pub async fn profile(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Option<SellerProfile>, StoreError> {
    let row = sqlx::query_as!(
        Row,
        r#"
        SELECT display_name, legal_name, legacy_address, address_lines, address_postal_code,
               address_city, address_region, address_country,
               tax_ids AS "tax_ids: Json<Vec<TaxId>>", registration, email, phone, website,
               payment_instructions, payment_terms_days, number_pattern, number_reset,
               credit_note_pattern, credit_note_reset, endpoint_scheme, endpoint_id
        FROM seller_profiles
        WHERE user_id = $1
        "#,
        user_id
    )
    .fetch_optional(db)
    .await?;
    row.map(SellerProfile::try_from).transpose()
}

/// Replaces the account's profile (its legacy address goes: the new one is structured). A new
/// invoice or credit-note format is first checked against the numbers already issued in both
/// series; one that would repeat an issued number is refused and nothing changes. (That the
/// two formats never render the same number was checked when the profile was parsed.)
#[tracing::instrument(skip_all)]
pub async fn set_profile(
    pool: &PgPool,
    user_id: Uuid,
    profile: &SellerProfile,
) -> Result<Result<(), RepeatedNumber>, StoreError> {
    let mut tx = pool.begin().await?;
    let current = sqlx::query!(
        r#"
        SELECT number_pattern, number_reset, credit_note_pattern, credit_note_reset
        FROM seller_profiles
        WHERE user_id = $1
        "#,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (invoices, credit_notes) = match current {
        Some(row) => (
            (Some(row.number_pattern), Some(row.number_reset)),
            (Some(row.credit_note_pattern), Some(row.credit_note_reset)),
        ),
        None => ((None, None), (None, None)),
    };
    let current = [
        numbering::format_of(Series::Invoices, invoices.0, invoices.1)?,
        numbering::format_of(Series::CreditNotes, credit_notes.0, credit_notes.1)?,
    ];
    let chosen = [&profile.number_format, &profile.credit_note_format];
    for ((series, format), current) in [Series::Invoices, Series::CreditNotes]
        .into_iter()
        .zip(chosen)
        .zip(&current)
    {
        if (format.pattern(), format.reset()) != (current.pattern(), current.reset())
            && let Err(repeated) = numbering::check_format(&mut tx, user_id, series, format).await?
        {
            return Ok(Err(repeated));
        }
    }
    let format = &profile.number_format;
    let credit_note_format = &profile.credit_note_format;
    let address = profile.address.as_ref();
    sqlx::query!(
        r#"
        INSERT INTO seller_profiles (
            user_id, display_name, legal_name, legacy_address, address_lines,
            address_postal_code, address_city, address_region, address_country, tax_ids,
            registration, email, phone, website, payment_instructions, payment_terms_days,
            number_pattern, number_reset, credit_note_pattern, credit_note_reset,
            endpoint_scheme, endpoint_id, updated_at
        )
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $20, $21, $22, now())
        ON CONFLICT (user_id) DO UPDATE
        SET display_name = EXCLUDED.display_name, legal_name = EXCLUDED.legal_name,
            legacy_address = EXCLUDED.legacy_address, address_lines = EXCLUDED.address_lines,
            address_postal_code = EXCLUDED.address_postal_code,
            address_city = EXCLUDED.address_city, address_region = EXCLUDED.address_region,
            address_country = EXCLUDED.address_country, tax_ids = EXCLUDED.tax_ids,
            registration = EXCLUDED.registration, email = EXCLUDED.email,
            phone = EXCLUDED.phone, website = EXCLUDED.website,
            payment_instructions = EXCLUDED.payment_instructions,
            payment_terms_days = EXCLUDED.payment_terms_days,
            number_pattern = EXCLUDED.number_pattern, number_reset = EXCLUDED.number_reset,
            credit_note_pattern = EXCLUDED.credit_note_pattern,
            credit_note_reset = EXCLUDED.credit_note_reset,
            endpoint_scheme = EXCLUDED.endpoint_scheme, endpoint_id = EXCLUDED.endpoint_id,
            updated_at = now()
        "#,
        user_id,
        profile.display_name,
        profile.legal_name,
        profile.legacy_address,
        address.map(|a| a.lines.clone()) as Option<Vec<String>>,
        address.and_then(|a| a.postal_code.clone()),
        address.and_then(|a| a.city.clone()),
        address.and_then(|a| a.region.clone()),
        address.map(|a| a.country.code().to_owned()),
        Json(&profile.tax_ids) as _,
        profile.registration,
        profile.email.as_ref().map(Email::as_str),
        profile.phone,
        profile.website,
        profile.payment_instructions,
        i32::from(profile.payment_terms_days),
        format.pattern(),
        format.reset().as_str(),
        credit_note_format.pattern(),
        credit_note_format.reset().as_str(),
        profile
            .electronic_address
            .as_ref()
            .map(ElectronicAddress::scheme),
        profile
            .electronic_address
            .as_ref()
            .map(ElectronicAddress::id),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
