//! An invoice's PDF: the latest version, streamed from the document store to the invoice's owner.

use crate::{
    auth::AuthUser,
    commands::{self, Access},
    error::ApiError,
    extract::Path,
    openapi::{BadRequest, Forbidden, NotFound, Unauthorized, Unavailable},
    state::AppState,
    stored_files::{self, Disposition},
};
use axum::{extract::State, response::Response};
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
    let (body, length) = stored_files::stream(&state, &document.storage_key, "the PDF").await?;
    let filename = match stored_files::issued_number(&invoice) {
        Some(number) => format!("{number}.pdf"),
        None => format!("invoice-{id}.pdf"),
    };
    Ok(stored_files::response(
        body,
        length,
        "application/pdf",
        Disposition::Inline,
        &filename,
    ))
}
