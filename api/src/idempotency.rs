//! `Idempotency-Key` on POST requests: a client that retries a request (a timeout, a dropped
//! connection) with the same key gets the first answer instead of a second invoice, payment or
//! pay link.
//!
//! - The key is scoped to the account (two accounts may use the same key) and kept 24 hours.
//! - Only a successful (2xx) answer is stored. A refused or failed request gives the key back,
//!   so the client can correct the request and retry with the same key.
//! - The same key with a different request (method, path or body) is refused with 422; a retry
//!   while the first request is still running gets 409.
//! - Replays carry `Idempotent-Replayed: true`.
//!
//! Applies to authenticated POSTs under `/api/`, except sign-in and webhooks (Stripe has its
//! own event ids). Requests without the header are not affected.

use crate::{auth, error::ApiError, routes::MAX_BODY_BYTES, state::AppState};
use axum::{
    body::{Body, to_bytes},
    extract::{OriginalUri, Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use invoicing_store::idempotency::{self, Claim, StoredResponse};
use sha2::{Digest, Sha256};

const HEADER: &str = "idempotency-key";
pub(crate) const MAX_KEY_LENGTH: usize = 255;

/// Whether requests to `method path` may carry a key (the OpenAPI document lists the header on
/// exactly these operations).
pub(crate) fn covers(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path.starts_with("/api/")
        && !path.starts_with("/api/auth/")
        && !path.starts_with("/api/webhooks/")
}

fn applies(request: &Request) -> bool {
    // Under `/api` the router sees paths without the prefix; the original one is kept aside.
    let path = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().path(), |uri| uri.path());
    request.headers().contains_key(HEADER) && covers(request.method(), path)
}

pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !applies(&request) {
        return next.run(request).await;
    }
    // Without a valid token the handler answers 401; there is no account to scope the key to.
    let Ok(claims) = auth::verified_claims(request.extensions(), request.headers(), &state) else {
        return next.run(request).await;
    };
    match replay_or_run(&state, claims.sub, request, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn replay_or_run(
    state: &AppState,
    user_id: uuid::Uuid,
    request: Request,
    next: Next,
) -> Result<Response, Response> {
    let key = request
        .headers()
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .filter(|key| {
            (1..=MAX_KEY_LENGTH).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
        })
        .ok_or_else(|| {
            ApiError::BadRequest(format!(
                "Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible ASCII characters"
            ))
            .into_response()
        })?;
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::PayloadTooLarge.into_response())?;
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.path().to_owned(), |uri| uri.path().to_owned());
    let fingerprint = fingerprint(&parts.method, &path, &body);
    let claim = idempotency::claim(&state.db, user_id, &key, &fingerprint)
        .await
        .map_err(|error| ApiError::from(error).into_response())?;
    match claim {
        Claim::Claimed => {}
        Claim::Completed(stored) => {
            metrics::counter!("idempotent_replays_total").increment(1);
            return Ok(replay(stored));
        }
        Claim::Mismatch => {
            return Err(ApiError::Unprocessable {
                problem: "idempotency-key-reused",
                detail: "This Idempotency-Key was already used for a different request; use a new key for a new request.".to_owned(),
            }
            .into_response());
        }
        Claim::InProgress => {
            let mut response = ApiError::conflict(
                "idempotency-key-in-progress",
                "A request with this Idempotency-Key is still being processed; retry shortly.",
            )
            .into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(1));
            return Err(response);
        }
    }

    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    if !response.status().is_success() {
        if let Err(error) = idempotency::release(&state.db, user_id, &key).await {
            tracing::warn!(%error, "could not release an idempotency key");
        }
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            let _ = idempotency::release(&state.db, user_id, &key).await;
            return Err(
                ApiError::internal(anyhow::anyhow!("reading a response body: {error}"))
                    .into_response(),
            );
        }
    };
    let text = |name| {
        parts
            .headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
            .map(str::to_owned)
    };
    let stored = StoredResponse {
        status_code: parts.status.as_u16() as i16,
        content_type: text(header::CONTENT_TYPE),
        location: text(header::LOCATION),
        body: body.to_vec(),
    };
    // The work is done whether or not the answer can be stored: answer it either way.
    if let Err(error) = idempotency::complete(&state.db, user_id, &key, &stored).await {
        tracing::error!(%error, "could not store the answer to an idempotent request");
    }
    Ok(Response::from_parts(parts, Body::from(body)))
}

fn fingerprint(method: &Method, path: &str, body: &[u8]) -> Vec<u8> {
    let mut hash = Sha256::new();
    hash.update(method.as_str());
    hash.update([0]);
    hash.update(path);
    hash.update([0]);
    hash.update(body);
    hash.finalize().to_vec()
}

fn replay(stored: StoredResponse) -> Response {
    let status = u16::try_from(stored.status_code)
        .ok()
        .and_then(|code| StatusCode::from_u16(code).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = (status, Body::from(stored.body)).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, stored.content_type),
        (header::LOCATION, stored.location),
    ] {
        if let Some(value) = value.and_then(|value| HeaderValue::from_str(&value).ok()) {
            headers.insert(name, value);
        }
    }
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}
