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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{body::to_bytes, response::IntoResponse};

    /// `api openapi` prints `routes::document()`, and scripts/web-types generates the web app's
    /// types from that: it must be what this route serves, byte for byte (once compacted).
    #[tokio::test]
    async fn serves_the_document_of_the_routes() {
        let response = openapi_json().await.into_response();
        let body = to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body is read");
        let document = serde_json::to_vec(&crate::routes::document()).expect("it serializes");
        assert_eq!(body, document);
    }
}
