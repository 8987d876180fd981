//! The seller's logo: a PNG or JPEG uploaded as the raw request body, checked from its own
//! bytes, kept in the document store (S3) and printed in the header of the seller's invoices.
//!
//! Uploads and deletions of one account take its row lock for their whole course (store the
//! object, record it, remove the one it replaces), so two at once cannot leave the record
//! naming an object the other removed.

use crate::{
    auth::AuthUser,
    error::ApiError,
    extract::RawBody,
    openapi::{
        BadRequest, LogoInvalid, LogoTooLarge, NotAnImageType, NotFound, Unauthorized, Unavailable,
    },
    routes::seller::LogoJson,
    state::AppState,
};
use aws_sdk_s3::{primitives::ByteStream, types::ServerSideEncryption};
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::Response,
};
use chrono::SubsecRound;
use invoicing_store::logos::{self, StoredLogo};
use invoicing_workflows::domain::{FieldErrors, LogoFormat, LogoImage, logo::MAX_LOGO_BYTES};
use sha2::{Digest, Sha256};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show, upload, delete))
        // Larger bodies are refused while they are read (413), not buffered first.
        .layer(DefaultBodyLimit::max(MAX_LOGO_BYTES))
}

/// The declared image type; anything else is 415 before the body is read.
fn declared_format(headers: &HeaderMap) -> Result<LogoFormat, ApiError> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .and_then(|mime| mime.trim().to_ascii_lowercase().parse().ok())
        .ok_or(ApiError::UnsupportedBodyType(
            "A logo is sent as the raw image with Content-Type: image/png or image/jpeg.",
        ))
}

/// Removes a replaced or deleted logo's object. A failure leaves an unused object behind,
/// which is logged rather than failing a change that is otherwise complete.
async fn remove_object(state: &AppState, key: &str) {
    let removed = state
        .documents
        .s3
        .delete_object()
        .bucket(&state.documents.bucket)
        .key(key)
        .send()
        .await;
    if let Err(error) = removed {
        tracing::warn!(key, error = %anyhow::Error::new(error), "could not remove an old logo");
    }
}

/// The logo
///
/// The image as uploaded, with its content type.
#[utoipa::path(
    get,
    path = "/settings/logo",
    operation_id = "get_logo",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The image.", content(
            (Vec<u8> = "image/png"),
            (Vec<u8> = "image/jpeg"),
        )),
        Unauthorized, NotFound, Unavailable,
    ),
)]
async fn show(State(state): State<AppState>, caller: AuthUser) -> Result<Response, ApiError> {
    let logo = logos::logo(&state.db, caller.id)
        .await?
        .ok_or(ApiError::NotFound("logo"))?;
    let object = state
        .documents
        .s3
        .get_object()
        .bucket(&state.documents.bucket)
        .key(&logo.storage_key)
        .send()
        .await
        .map_err(|error| {
            ApiError::Unavailable(anyhow::Error::new(error).context("reading the logo from S3"))
        })?;
    let bytes = object
        .body
        .collect()
        .await
        .map_err(|error| {
            ApiError::Unavailable(anyhow::Error::new(error).context("reading the logo from S3"))
        })?
        .into_bytes();
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(logo.format.content_type()),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// Uploads the logo
///
/// The body is the image itself, `Content-Type: image/png` or `image/jpeg` (415 otherwise), at
/// most 512 KiB (413). Its bytes must be the image it is declared as, at most 2000×2000 pixels
/// (422 at `body` otherwise). Replaces the previous logo; printed on PDFs rendered afterwards.
#[utoipa::path(
    put,
    path = "/settings/logo",
    operation_id = "upload_logo",
    tag = "settings",
    security(("bearer" = [])),
    request_body(
        description = "The image file.",
        content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg")),
    ),
    responses(
        (status = 200, description = "The logo as recorded.", body = LogoJson),
        BadRequest, Unauthorized, LogoTooLarge, NotAnImageType, LogoInvalid, Unavailable,
    ),
)]
async fn upload(
    State(state): State<AppState>,
    caller: AuthUser,
    headers: HeaderMap,
    RawBody(bytes): RawBody,
) -> Result<axum::Json<LogoJson>, ApiError> {
    let declared = declared_format(&headers)?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let image = LogoImage::check(declared, &bytes)
        .map_err(|message| ApiError::Validation(FieldErrors::single("body", message)))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let logo = StoredLogo {
        storage_key: logos::storage_key(caller.id, &sha256, image.format),
        format: image.format,
        width: image.width,
        height: image.height,
        size_bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        // PostgreSQL keeps microseconds: the answer says what a read will say.
        uploaded_at: chrono::Utc::now().trunc_subsecs(6),
    };

    let mut tx = state
        .db
        .begin()
        .await
        .map_err(invoicing_store::StoreError::from)?;
    logos::lock_account(&mut tx, caller.id).await?;
    let request = state
        .documents
        .s3
        .put_object()
        .bucket(&state.documents.bucket)
        .key(&logo.storage_key)
        .content_type(image.format.content_type());
    let request = match &state.documents.kms_key {
        Some(kms_key) => request
            .server_side_encryption(ServerSideEncryption::AwsKms)
            .ssekms_key_id(kms_key)
            .bucket_key_enabled(true),
        None => request.server_side_encryption(ServerSideEncryption::Aes256),
    };
    request
        .body(ByteStream::from(bytes))
        .send()
        .await
        .map_err(|error| {
            ApiError::Unavailable(anyhow::Error::new(error).context("storing the logo in S3"))
        })?;
    let replaced = logos::set_logo(&mut *tx, caller.id, &logo).await?;
    if let Some(old) = &replaced {
        remove_object(&state, old).await;
    }
    tx.commit()
        .await
        .map_err(invoicing_store::StoreError::from)?;
    tracing::info!(user_id = %caller.id, key = logo.storage_key, "logo uploaded");
    Ok(axum::Json(logo.into()))
}

/// Deletes the logo
///
/// Invoices no longer show one; PDFs already rendered keep theirs.
#[utoipa::path(
    delete,
    path = "/settings/logo",
    operation_id = "delete_logo",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted."),
        Unauthorized, NotFound, Unavailable,
    ),
)]
async fn delete(State(state): State<AppState>, caller: AuthUser) -> Result<StatusCode, ApiError> {
    let mut tx = state
        .db
        .begin()
        .await
        .map_err(invoicing_store::StoreError::from)?;
    logos::lock_account(&mut tx, caller.id).await?;
    let key = logos::delete_logo(&mut *tx, caller.id)
        .await?
        .ok_or(ApiError::NotFound("logo"))?;
    remove_object(&state, &key).await;
    tx.commit()
        .await
        .map_err(invoicing_store::StoreError::from)?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_png_and_jpeg_are_taken() {
        let headers = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(value));
            headers
        };
        assert_eq!(
            declared_format(&headers("image/png")).unwrap(),
            LogoFormat::Png
        );
        assert_eq!(
            declared_format(&headers("Image/JPEG; charset=binary")).unwrap(),
            LogoFormat::Jpeg
        );
        assert!(declared_format(&headers("image/gif")).is_err());
        assert!(declared_format(&HeaderMap::new()).is_err());
    }
}
