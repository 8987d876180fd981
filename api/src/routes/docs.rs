//! The API's description of itself: its OpenAPI document.

use crate::state::AppState;
use std::sync::LazyLock;
use utoipa::openapi::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// Built once, from the same routes the application serves.
static DOCUMENT: LazyLock<OpenApi> = LazyLock::new(super::document);

/// The OpenAPI 3.1 document of this API
///
/// Generated from the code: every route, its parameters, bodies and answers. The interactive
/// documentation at `/api/docs/` reads it.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "openapi_document",
    tag = "documentation",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document.", body = Object, content_type = "application/json"),
    ),
)]
async fn openapi_json() -> axum::Json<&'static OpenApi> {
    axum::Json(&DOCUMENT)
}
