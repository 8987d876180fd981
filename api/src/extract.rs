//! Extractors that turn bad input into problem+json instead of axum's plain-text rejections.
//!
//! JSON bodies are read with `serde_path_to_error`, so a wrong type deep in a request names its
//! field (`items[2].quantity`): malformed JSON is 400, well-formed JSON with the wrong shape 422.

use crate::error::ApiError;
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
};
use invoicing_workflows::domain::FieldErrors;
use serde::de::DeserializeOwned;

/// A JSON request body of type `T`.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = body(req, state).await?;
        parse(&bytes).map(Json)
    }
}

/// A JSON body that may be left out entirely, in which case `T::default()` is used.
pub struct JsonOrEmpty<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for JsonOrEmpty<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declares_json = is_json(req.headers());
        let has_content_type = req.headers().contains_key(header::CONTENT_TYPE);
        let bytes = body(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonOrEmpty(T::default()));
        }
        if has_content_type && !declares_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse(&bytes).map(JsonOrEmpty)
    }
}

/// The request body as received, whatever its type (Stripe's webhooks are verified on these
/// bytes). Too large is 413 problem+json, like every other body.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        body(req, state).await.map(RawBody)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

async fn body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|rejection: BytesRejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(format!("could not read the request body: {rejection}"))
            }
        })
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first: a truncated body is malformed (400) even if its first value has the wrong
    // type, which the typed pass would report first.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(|error| {
        ApiError::BadRequest(format!("the request body is not valid JSON: {error}"))
    })?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::invalid("body", "must be a JSON object"));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        ApiError::Validation(field_error(&path, error.inner()))
    })
}

/// Names the field a serde data error concerns. serde reports a missing or unknown field at its
/// parent's path, naming the field in the message; fold it into the path.
fn field_error(path: &str, error: &serde_json::Error) -> FieldErrors {
    let message = error.to_string();
    // serde_json appends " at line L column C"; the field path says where.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(text, _)| text);
    // serde_path_to_error puts an unknown field in the path, a missing one only in the message.
    let join = |field: &str| {
        if path == "." {
            field.to_owned()
        } else if path == field || path.ends_with(&format!(".{field}")) {
            path.to_owned()
        } else {
            format!("{path}.{field}")
        }
    };
    let quoted = |message: &str| {
        message
            .split('`')
            .nth(1)
            .map(str::to_owned)
            .unwrap_or_default()
    };
    if message.starts_with("missing field") {
        return FieldErrors::single(join(&quoted(message)), "is required");
    }
    if message.starts_with("unknown field") {
        return FieldErrors::single(join(&quoted(message)), "is not a known field");
    }
    let field = if path == "." { "body" } else { path };
    FieldErrors::single(field, message)
}

/// Path parameters; every id in a path is a UUID.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| ApiError::BadRequest("ids in the path must be UUIDs".to_owned()))
    }
}

/// Query string parameters.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(Query)
            .map_err(|error| ApiError::BadRequest(format!("invalid query string: {error}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        quantity: i64,
    }

    fn errors(json: &str) -> FieldErrors {
        match parse::<Body>(json.as_bytes()) {
            Err(ApiError::Validation(errors)) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        for json in ["{", "nope", "{\"name\": }", "{} {}", "", "[1, 2"] {
            assert!(
                matches!(parse::<Body>(json.as_bytes()), Err(ApiError::BadRequest(_))),
                "{json}"
            );
        }
    }

    #[test]
    fn wrong_types_name_the_field() {
        let errors = errors(r#"{"name": "a", "items": [{"quantity": 1}, {"quantity": "two"}]}"#);
        assert!(errors.has("items[1].quantity"), "{errors:?}");
    }

    #[test]
    fn missing_and_unknown_fields_name_the_field() {
        assert!(errors(r#"{"items": []}"#).has("name"));
        assert!(errors(r#"{"name": "a", "items": [{}]}"#).has("items[0].quantity"));
        assert!(errors(r#"{"name": "a", "items": [], "extra": 1}"#).has("extra"));
    }

    #[test]
    fn bodies_must_be_objects() {
        for json in ["[]", "[\"a\", []]", "1", "\"text\"", "null"] {
            assert!(errors(json).has("body"), "{json}");
        }
    }

    #[test]
    fn numbers_beyond_i64_are_refused() {
        let errors = errors(r#"{"name": "a", "items": [{"quantity": 99999999999999999999}]}"#);
        assert!(errors.has("items[0].quantity"), "{errors:?}");
    }
}
