//! What every answer carries and every request is held to: security headers, CORS, a time
//! limit, and the request id.

use crate::{error::ApiError, settings::Settings};
use axum::{
    extract::Request,
    http::{HeaderName, HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Request bodies larger than this are refused with 413; the largest legitimate body, a draft
/// with 500 long line items, is well under it.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The SPA is served from the API's origin: scripts, styles and API calls from there only;
/// Stripe's checkout is a navigation, not a frame. Inline styles are allowed for the
/// documentation page's and charting libraries' style attributes; inline scripts are not.
//
// `frame-src blob:`: the web app previews an invoice's PDF in a frame from an object URL (the PDF
// is fetched with the session's token, which a frame's own request could not carry).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     frame-src 'self' blob:; \
     connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
     frame-ancestors 'none'";

/// Headers set on every answer (unless the handler set its own).
pub fn security_headers(hsts: bool) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    if hsts {
        headers.push((
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    headers
}

/// CORS for the configured origins only; credentials travel in the `Authorization` header,
/// not cookies, so none are allowed.
pub fn cors(settings: &Settings) -> anyhow::Result<CorsLayer> {
    let origins = settings.cors_origins()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::LOCATION,
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(Duration::from_secs(3600)))
}

/// Answers 503 (problem+json) when a request runs longer than `limit`; the handler's future is
/// dropped. Commands are safe to abandon: the workflow finishes them, and a retry with the
/// same `Idempotency-Key` or the invoice's state tells the client the outcome.
pub async fn time_limit(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_secs = limit.as_secs(), "request timed out");
            ApiError::Timeout.into_response()
        }
    }
}
