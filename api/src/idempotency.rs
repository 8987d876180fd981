//! `Idempotency-Key` on POST requests: a client that retries a request (a timeout, a dropped
//! connection) with the same key gets the first answer instead of a second invoice, payment or
//! pay link.
//!
//! - The key is scoped to the account (two accounts may use the same key) and kept 24 hours.
//! - Only a successful (2xx) answer is stored. A refused request (4xx) gives the key back, so
//!   the client can correct the request and retry with the same key; a failed one (5xx) keeps
//!   it unanswered, and its retry runs again.
//! - The corrected request runs afresh even when it is byte for byte the refused one (a send
//!   the e-invoice gate refused, retried once the customer was fixed): the key's refusals are
//!   counted and go into the ids below, so it does not reach the refused workflow update,
//!   whose answer Temporal would give again.
//! - The same key with a different request (method, path or body) is refused with 422.
//! - The ids a request writes with are derived from the account, the key and the request
//!   ([`RequestKey`]): the new invoice's id, the payment's id, the workflow update's id. So a
//!   retry that finds the first request unanswered (still running, or its process died) runs
//!   again and reaches the same workflow start or update, which Temporal deduplicates: it
//!   answers as soon as the workflow has the answer, with no window to wait out.
//! - Replays carry `Idempotent-Replayed: true`.
//!
//! Applies to authenticated POSTs under `/api/`, except sign-in and webhooks (Stripe has its
//! own event ids). Requests without the header are not affected.

use crate::{auth, error::ApiError, hygiene::MAX_BODY_BYTES, state::AppState};
use axum::{
    body::{Body, to_bytes},
    extract::{FromRequestParts, OriginalUri, Request, State},
    http::{HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use invoicing_store::idempotency::{self, Claim, StoredResponse};
use sha2::{Digest, Sha256};
use uuid::Uuid;

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

/// A request's idempotency key, as its handler sees it (a request extension).
#[derive(Clone, Debug)]
pub struct RequestKey {
    /// SHA-256 of the account, the key, the request's fingerprint and the refusals before
    /// it: the same request with the same key derives the same ids until one is refused, and
    /// a key reused for another request (after it expired) never does.
    seed: [u8; 32],
    /// An earlier request with this key has no answer yet (it is still running, or its
    /// process died): what this request would do may already be done.
    pub retry: bool,
}

impl RequestKey {
    fn new(user_id: Uuid, key: &str, fingerprint: &[u8], refusals: i32, retry: bool) -> Self {
        let mut hash = Sha256::new();
        hash.update(user_id.as_bytes());
        hash.update(key);
        hash.update([0]);
        hash.update(fingerprint);
        if refusals > 0 {
            hash.update(refusals.to_be_bytes());
        }
        Self {
            seed: hash.finalize().into(),
            retry,
        }
    }

    /// The id of what the request creates as `purpose` (`invoice`, `payment`, ...).
    pub fn id(&self, purpose: &str) -> Uuid {
        const NAMESPACE: Uuid = Uuid::from_u128(0x3b7c_91d2_5e4a_4c1f_8a6d_0f2e_7b9c_4d13);
        let mut name = self.seed.to_vec();
        name.push(0);
        name.extend_from_slice(purpose.as_bytes());
        Uuid::new_v5(&NAMESPACE, &name)
    }

    /// The Temporal update id of the request's `command` on an invoice's workflow.
    pub fn update_id(&self, command: &str) -> String {
        format!("{command}-{}", self.id(command))
    }
}

/// The request's [`RequestKey`], if it carried an `Idempotency-Key`.
pub struct Keyed(pub Option<RequestKey>);

impl<S: Send + Sync> FromRequestParts<S> for Keyed {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Keyed(parts.extensions.get::<RequestKey>().cloned()))
    }
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
    user_id: Uuid,
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
    let (refusals, retry) = match claim {
        Claim::Claimed { refusals } => (refusals, false),
        Claim::InProgress { refusals } => {
            metrics::counter!("idempotent_retries_of_unanswered_total").increment(1);
            (refusals, true)
        }
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
    };

    let mut parts = parts;
    parts.extensions.insert(RequestKey::new(
        user_id,
        &key,
        &fingerprint,
        refusals,
        retry,
    ));
    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    if response.status().is_client_error() {
        // Refused: nothing was done. The key is free for the corrected request, which gets
        // ids of its own.
        if let Err(error) = idempotency::release(&state.db, user_id, &key).await {
            tracing::warn!(%error, "could not release an idempotency key");
        }
        return Ok(response);
    }
    if !response.status().is_success() {
        // A 5xx says nothing of what was done: the key stays unanswered, and the retry runs
        // again as a retry (`RequestKey::retry`), reaching the same start or update.
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(error) => {
            // Done but unanswered: the key stays unanswered, and a retry runs again.
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
