//! Extractors that turn bad input into problem+json instead of axum's plain-text rejections.
//!
//! JSON bodies are read with `serde_path_to_error`, so a wrong type deep in a request names its
//! field (`items[2].quantity`): malformed JSON is 400, well-formed JSON with the wrong shape 422.
//!
//! Before a body or a query string is read into its type, every string in it is checked for
//! control characters ([`text_problem`]), here and nowhere else, so no route can forget it: a
//! NUL would reach PostgreSQL (which refuses it in text, a 500), and no field of this API has a
//! use for the others. Tab and line breaks are allowed in the free-text fields of
//! [`MULTI_LINE_FIELDS`] only. The refusal is a 422 naming each offending field.

use crate::error::ApiError;
use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request, rejection::BytesRejection},
    http::{HeaderMap, StatusCode, header},
};
use invoicing_workflows::domain::FieldErrors;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The free-text fields of request bodies, where tab and line breaks belong: a draft's notes
/// and line descriptions, the reason an invoice is void, a seller's company registration and
/// payment instructions. Named by JSON path without array indices (`items[].description`),
/// whatever the route. Every other string of every request (names, e-mail addresses, address
/// lines, references, codes, dates, passwords, tokens, query parameters) is one line.
pub(crate) const MULTI_LINE_FIELDS: [&str; 5] = [
    "notes",
    "items[].description",
    "reason",
    "registration",
    "payment_instructions",
];

/// What is wrong with `text` as a value of a one-line or a multi-line field, if anything.
/// Control characters are Unicode's (`Cc`: U+0000–U+001F, U+007F–U+009F); a multi-line field
/// allows tab, line feed and carriage return (CRLF line ends are tidied where text is stored).
pub(crate) fn text_problem(text: &str, multi_line: bool) -> Option<&'static str> {
    let allowed = |c: char| multi_line && matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(|c| c.is_control() && !allowed(c)) {
        return None;
    }
    Some(if multi_line {
        "must not contain control characters other than tab and line breaks"
    } else {
        "must be one line without control characters"
    })
}

/// Checks every string in `value`, a request body; reports each offending field by its path.
fn check_text(value: &Value) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::default();
    check_strings(value, "", "", &mut errors);
    errors.into_result()
}

/// `path` names the field as validation errors do (`items[2].description`); `pattern` is the
/// same path without indices, as [`MULTI_LINE_FIELDS`] lists it.
fn check_strings(value: &Value, path: &str, pattern: &str, errors: &mut FieldErrors) {
    match value {
        Value::String(text) => {
            let multi_line = MULTI_LINE_FIELDS.contains(&pattern);
            if let Some(problem) = text_problem(text, multi_line) {
                errors.add(if path.is_empty() { "body" } else { path }, problem);
            }
        }
        Value::Array(items) => {
            let pattern = format!("{pattern}[]");
            for (index, item) in items.iter().enumerate() {
                check_strings(item, &format!("{path}[{index}]"), &pattern, errors);
            }
        }
        Value::Object(members) => {
            let join = |base: &str, name: &str| {
                if base.is_empty() {
                    name.to_owned()
                } else {
                    format!("{base}.{name}")
                }
            };
            for (name, member) in members {
                check_strings(member, &join(path, name), &join(pattern, name), errors);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

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
    // Every string, before any of them is read into its type. (Reading the value can still
    // fail on a number beyond any range, which the typed pass would report as well.)
    let value: Value = deserialize(bytes)?;
    check_text(&value)?;
    deserialize(bytes)
}

/// Reads `bytes` (valid JSON) as a `T`; a value that does not fit names its field.
fn deserialize<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
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

/// An optional query parameter read as `T`: absent or empty is `None` (a form sends
/// `?status=`); a value that does not parse is a 400 in the parse error's words.
pub fn optional<T>(raw: Option<&str>) -> Result<Option<T>, ApiError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    raw.filter(|raw| !raw.is_empty())
        .map(str::parse)
        .transpose()
        .map_err(|error: T::Err| ApiError::BadRequest(error.to_string()))
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let malformed = |error: serde_urlencoded::de::Error| {
            ApiError::BadRequest(format!("invalid query string: {error}"))
        };
        // Every parameter is one line of text, checked before any is read into its type.
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).map_err(malformed)?;
        let mut errors = FieldErrors::default();
        for (name, value) in &pairs {
            if let Some(problem) = text_problem(value, false) {
                errors.add(name.as_str(), problem);
            }
        }
        errors.into_result()?;
        serde_urlencoded::from_str(query)
            .map(Query)
            .map_err(malformed)
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

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Draft {
        client_name: String,
        notes: Option<String>,
        items: Vec<Line>,
        count: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        description: String,
        reference: Option<String>,
    }

    fn text_errors(body: serde_json::Value) -> Result<Draft, FieldErrors> {
        match parse::<Draft>(body.to_string().as_bytes()) {
            Ok(draft) => Ok(draft),
            Err(ApiError::Validation(errors)) => Err(errors),
            Err(other) => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn control_characters_are_refused_in_every_string_naming_the_field() {
        use serde_json::json;
        for control in [
            '\0', '\u{1}', '\u{1b}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            let text = format!("a{control}b");
            let errors = text_errors(json!({
                "client_name": text,
                "notes": text,
                "items": [
                    { "description": "fine" },
                    { "description": text, "reference": text },
                ],
            }))
            .unwrap_err();
            let fields: Vec<&str> = errors.fields().collect();
            assert_eq!(
                fields,
                [
                    "client_name",
                    "items[1].description",
                    "items[1].reference",
                    "notes"
                ],
                "{control:?}"
            );
        }
        // Before the type is read: a field of the wrong type does not hide it.
        let errors = text_errors(json!({ "client_name": "a\u{0}", "items": "many" })).unwrap_err();
        assert!(
            errors.has("client_name") && !errors.has("items"),
            "{errors:?}"
        );
    }

    #[test]
    fn tab_and_line_breaks_only_in_free_text() {
        use serde_json::json;
        for control in ["\t", "\n", "\r\n"] {
            let text = format!("a{control}b");
            let draft = text_errors(json!({
                "client_name": "Acme",
                "notes": text,
                "items": [{ "description": text, "reference": "R-1" }],
            }))
            .unwrap();
            assert_eq!(draft.notes.as_deref(), Some(text.as_str()));
            let errors = text_errors(json!({
                "client_name": text,
                "items": [{ "description": "a", "reference": text }],
            }))
            .unwrap_err();
            assert!(
                errors.has("client_name") && errors.has("items[0].reference"),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn other_text_is_left_alone() {
        use serde_json::json;
        let text = "Zoë's café — 東京 🧾 \u{a0}\u{200b}";
        let draft = text_errors(json!({ "client_name": text, "items": [], "count": 3 })).unwrap();
        assert_eq!(draft.client_name, text);
    }

    #[test]
    fn numbers_beyond_i64_are_refused() {
        let beyond = errors(r#"{"name": "a", "items": [{"quantity": 99999999999999999999}]}"#);
        assert!(beyond.has("items[0].quantity"), "{beyond:?}");
        // Beyond any number at all: still the field's problem, not a malformed body.
        let huge = format!(
            r#"{{"name": "a", "items": [{{"quantity": 1{}}}]}}"#,
            "0".repeat(400)
        );
        assert!(errors(&huge).has("items[0].quantity"));
    }
}
