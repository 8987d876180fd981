//! An invoice's PDF: the latest version, streamed from the document store to the invoice's owner.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::Path,
    openapi::{BadRequest, Forbidden, NotFound, Unauthorized, Unavailable},
    state::AppState,
};
use axum::{
    body::Body,
    extract::State,
    http::{HeaderValue, header},
    response::Response,
};
use invoicing_store::documents;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pdf))
}

/// Downloads an invoice's PDF
///
/// Its latest version (stamped PAID once paid). Only the invoice's owner may download it; an
/// invoice gets a PDF once it is sent.
#[utoipa::path(
    get,
    path = "/invoices/{id}/pdf",
    operation_id = "invoice_pdf",
    tag = "invoices",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (
            status = 200,
            description = "The PDF, streamed.",
            content_type = "application/pdf",
            headers(
                ("Content-Disposition" = String, description = "`inline; filename=\"INV-000001.pdf\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, Forbidden, NotFound, Unavailable,
    ),
)]
async fn pdf(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let invoice = commands::load_summary(&state, caller, id, Access::Own).await?;
    let document = documents::latest(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound(
            "PDF (an invoice gets one once it is sent)",
        ))?;
    let object = state
        .documents
        .s3
        .get_object()
        .bucket(&state.documents.bucket)
        .key(&document.storage_key)
        .send()
        .await
        .map_err(|error| {
            ApiError::Unavailable(anyhow::Error::new(error).context("reading the PDF from S3"))
        })?;
    let filename = invoice
        .number
        .map(|number| format!("{number}.pdf"))
        .unwrap_or_else(|| format!("invoice-{id}.pdf"));
    let stream = futures::stream::unfold(object.body, |mut body| async move {
        body.next().await.map(|chunk| (chunk, body))
    });
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(length) = HeaderValue::from_str(&document.size_bytes.to_string()) {
        headers.insert(header::CONTENT_LENGTH, length);
    }
    if let Ok(disposition) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
