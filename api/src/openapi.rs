//! The OpenAPI 3.1 document, generated from the code: each route is registered together with its
//! `#[utoipa::path]` annotation (`utoipa_axum::routes!`), so a route cannot exist without its
//! documentation. This module holds what the routes share: the document's header, the bearer
//! security scheme, the problem+json error answers, the limits written into request schemas,
//! and the offline Swagger UI.

use crate::{error::Problem, idempotency, rate_limit};
use axum::{Router, http::Method};
use std::{collections::BTreeMap, ops::RangeInclusive};
use utoipa::{
    IntoResponses, Modify, OpenApi, PartialSchema, ToResponse, ToSchema,
    openapi::{
        ContentBuilder, ObjectBuilder, Ref, RefOr, Required, Response, ResponseBuilder, Type,
        header::HeaderBuilder,
        path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem},
        schema::{ArrayItems, Schema, SchemaType},
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};
use utoipa_axum::router::UtoipaMethodRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Where the document is served (under the API's own origin).
pub const DOCUMENT_PATH: &str = "/api/openapi.json";
/// Where the interactive documentation is served.
pub const DOCS_PATH: &str = "/api/docs";

/// The document's header and shared components; the routes add the paths and schemas.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Invoicing API",
        license(name = "Proprietary"),
        description = "Accounts, invoices and the commands that drive their lifecycle.\n\n\
            Money is an integer count of the currency's minor unit (`1250` = 12.50 USD) next to an \
            ISO 4217 `currency`. Errors are RFC 9457 problem details \
            (`application/problem+json`). Interactive documentation: `/api/docs/`."
    ),
    modifiers(&BearerToken),
    components(
        schemas(Problem),
        responses(
            BadRequest,
            Unauthorized,
            Forbidden,
            NotFound,
            Conflict,
            PayloadTooLarge,
            UnsupportedMediaType,
            ValidationFailed,
            RateLimited,
            Unavailable,
            LogoTooLarge,
            NotAnImageType,
            LogoInvalid,
            EInvoiceUnavailable,
            EInvoiceUnwritable,
            StatementNotSendable,
        )
    ),
    tags(
        (name = "auth", description = "Registration and sign-in."),
        (name = "users", description = "The signed-in account."),
        (name = "invoices", description = "Drafts, invoices and their lifecycle commands."),
        (name = "payments", description = "Payments recorded by hand or reported by Stripe."),
        (name = "reports", description = "Receivables aging and CSV exports for the books."),
        (name = "settings", description = "The account's reminder schedule, seller profile, bank accounts and logo."),
        (name = "customers", description = "The account's customers: who its invoices go to."),
        (name = "tax-rates", description = "The account's tax rates, picked by id on invoice lines."),
        (name = "webhooks", description = "Stripe's webhook endpoint."),
        (name = "admin", description = "Administrators' views."),
        (name = "health", description = "Probes for Kubernetes."),
        (name = "documentation", description = "This document."),
    )
)]
pub struct ApiDoc;

/// The `bearer` security scheme: `Authorization: Bearer <access token>`, the token being the
/// JWT that registration and sign-in return.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "The `access_token` from `POST /api/auth/register` or `/api/auth/login`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The Swagger UI at [`DOCS_PATH`], reading the document from [`DOCUMENT_PATH`]. Its HTML,
/// scripts and styles are compiled into the binary (`utoipa-swagger-ui`'s `vendored` feature)
/// and served from here, so it works without internet.
pub fn swagger_ui<S: Clone + Send + Sync + 'static>() -> Router<S> {
    // No validator badge: Swagger UI would send the document to validator.swagger.io.
    let config = Config::new([DOCUMENT_PATH]).validator_url("none");
    SwaggerUi::new(DOCS_PATH).config(config).into()
}

/// Marks the request bodies of `routes` optional, for handlers that take `JsonOrEmpty`: utoipa
/// only derives "optional" from an `Option` body type, which would also document a JSON `null`
/// that the extractor refuses.
pub fn body_optional<S>(routes: UtoipaMethodRouter<S>) -> UtoipaMethodRouter<S> {
    let (schemas, mut paths, handlers) = routes;
    for item in paths.paths.values_mut() {
        for (_, operation) in operations_mut(item) {
            if let Some(body) = operation.request_body.as_mut() {
                body.required = Some(Required::False);
            }
        }
    }
    (schemas, paths, handlers)
}

/// Adds what the middleware layers answer on behalf of the routes, decided by the same
/// predicates the layers use, so the document cannot drift from them:
/// - 429 on every rate-limited operation;
/// - 503 on every operation (the request time limit);
/// - 422 on every operation with query parameters (the `Query` extractor refuses control
///   characters in them before they are read);
/// - the optional `Idempotency-Key` header on the operations that take it, with the 400, 409
///   and 422 answers it can cause.
pub fn add_platform_answers(openapi: &mut utoipa::openapi::OpenApi) {
    for (path, item) in &mut openapi.paths.paths {
        for (method, operation) in operations_mut(item) {
            let responses = &mut operation.responses.responses;
            let mut answer = |status: &str, name: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| Ref::from_response_name(name).into());
            };
            answer("503", "Unavailable");
            let takes_query = operation
                .parameters
                .iter()
                .flatten()
                .any(|parameter| matches!(parameter.parameter_in, ParameterIn::Query));
            if takes_query {
                answer("422", "ValidationFailed");
            }
            if !rate_limit::exempt(path) {
                answer("429", "RateLimited");
            }
            if idempotency::covers(&method, path) && operation.security.is_some() {
                answer("400", "BadRequest");
                answer("409", "Conflict");
                answer("422", "ValidationFailed");
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(idempotency_key());
            }
        }
    }
}

/// A limit the API enforces on what a client sends, written into the document by
/// [`add_limits`] from the constant the check itself uses, so that the two cannot differ. A
/// lower bound of zero says nothing and is left out of the document.
///
/// Texts are counted in characters, as JSON Schema counts them (Unicode code points, as
/// `str::chars` does). Where the API trims a text before checking it, the limit is on the
/// trimmed text, so keeping to it as sent is safe.
#[derive(Clone, Debug)]
pub enum Limit {
    /// `minLength` and `maxLength` of a text.
    Length(RangeInclusive<usize>),
    /// `minItems` and `maxItems` of an array.
    Items(RangeInclusive<usize>),
    /// `minimum` and `maximum` of a whole number.
    Range(RangeInclusive<i64>),
    /// `minimum` and `maximum` of each whole number in an array.
    EachInRange(RangeInclusive<i64>),
}

/// Where a [`Limit`] goes: a property of a schema component, or a query parameter of an
/// operation, named as the document names them (`components.schemas.{schema}.properties.
/// {property}`; the operation's `operationId`).
#[derive(Clone, Copy, Debug)]
pub enum Field {
    Property {
        schema: &'static str,
        property: &'static str,
    },
    Parameter {
        operation: &'static str,
        parameter: &'static str,
    },
}

/// Writes each limit into the field it names.
///
/// # Panics
/// When a field is not in the document, or its schema cannot take the limit (a length on a
/// number, say): a renamed field or type fails every test that builds the document, instead of
/// leaving the limit out unnoticed.
pub fn add_limits(openapi: &mut utoipa::openapi::OpenApi, limits: &[(Field, Limit)]) {
    for (field, limit) in limits {
        let schema = match *field {
            Field::Property { schema, property } => openapi
                .components
                .as_mut()
                .and_then(|components| components.schemas.get_mut(schema))
                .and_then(|schema| match schema {
                    RefOr::T(Schema::Object(object)) => object.properties.get_mut(property),
                    _ => None,
                }),
            Field::Parameter {
                operation,
                parameter,
            } => openapi
                .paths
                .paths
                .values_mut()
                .flat_map(operations_mut)
                .filter(|(_, spec)| spec.operation_id.as_deref() == Some(operation))
                .flat_map(|(_, spec)| spec.parameters.iter_mut().flatten())
                .find(|spec| {
                    spec.name == parameter && matches!(spec.parameter_in, ParameterIn::Query)
                })
                .and_then(|spec| spec.schema.as_mut()),
        };
        let schema = schema.unwrap_or_else(|| panic!("{field:?} is not in the document"));
        if !limit_schema(schema, limit) {
            panic!("{field:?} cannot take {limit:?}");
        }
    }
}

/// Sets `limit` on `schema`; `false` when the schema is not of a kind that takes it.
fn limit_schema(schema: &mut RefOr<Schema>, limit: &Limit) -> bool {
    let at_least = |min: usize| (min > 0).then_some(min);
    match (limit, schema) {
        (Limit::Length(range), RefOr::T(Schema::Object(text)))
            if has_type(&text.schema_type, Type::String) =>
        {
            text.min_length = at_least(*range.start());
            text.max_length = Some(*range.end());
            true
        }
        (Limit::Range(range), RefOr::T(Schema::Object(number)))
            if has_type(&number.schema_type, Type::Integer) =>
        {
            number.minimum = Some((*range.start()).into());
            number.maximum = Some((*range.end()).into());
            true
        }
        (Limit::Items(range), RefOr::T(Schema::Array(array))) => {
            array.min_items = at_least(*range.start());
            array.max_items = Some(*range.end());
            true
        }
        (Limit::EachInRange(range), RefOr::T(Schema::Array(array))) => match &mut array.items {
            ArrayItems::RefOrSchema(items) => limit_schema(items, &Limit::Range(range.clone())),
            ArrayItems::False => false,
        },
        _ => false,
    }
}

/// Whether a value of `schema_type` may be of `kind` (`["string", "null"]` may be a string).
fn has_type(schema_type: &SchemaType, kind: Type) -> bool {
    match schema_type {
        SchemaType::Type(single) => *single == kind,
        SchemaType::Array(types) => types.contains(&kind),
        SchemaType::AnyValue => false,
    }
}

/// Each operation of a path item with its method.
fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (Method, &mut Operation)> {
    [
        (Method::GET, &mut item.get),
        (Method::PUT, &mut item.put),
        (Method::POST, &mut item.post),
        (Method::DELETE, &mut item.delete),
        (Method::OPTIONS, &mut item.options),
        (Method::HEAD, &mut item.head),
        (Method::PATCH, &mut item.patch),
        (Method::TRACE, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| Some((method, operation.as_mut()?)))
}

fn idempotency_key() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(format!(
            "Makes a retry safe: a request repeated with the same key within 24 hours gets the \
             first successful answer again (marked `Idempotent-Replayed: true`) instead of \
             acting twice. Keys are 1 to {} visible ASCII characters, scoped to the account; a \
             UUID is a good key. Only successful answers are kept, so a refused request can be \
             corrected and retried with the same key. The same key with a different request is \
             422 (`idempotency-key-reused`). A retry of a request that was never answered (a \
             lost connection, a server that died) acts on the same invoice, payment or \
             workflow update as the first, and answers when that is done.",
            idempotency::MAX_KEY_LENGTH
        )))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(idempotency::MAX_KEY_LENGTH)),
        ))
        .build()
}

/// A problem+json answer.
fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(Problem::name())))
            .build(),
    )
}

/// Declares a documented error answer: a response component (registered in [`ApiDoc`]) and the
/// status it is given with, so a handler lists it as `responses(..., NotFound)`. The types are
/// never built; they only name a response.
macro_rules! problem_response {
    ($name:ident, $status:literal, $description:literal) => {
        #[doc = $description]
        pub enum $name {}

        impl<'s> ToResponse<'s> for $name {
            fn response() -> (&'s str, RefOr<Response>) {
                (stringify!($name), problem($description).build().into())
            }
        }

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([(
                    $status.to_owned(),
                    Ref::from_response_name(stringify!($name)).into(),
                )])
            }
        }
    };
}

problem_response!(
    BadRequest,
    "400",
    "Malformed: a body that is not JSON, an id in the path that is not a UUID, a bad query \
     parameter, a Stripe webhook whose signature does not check out (`bad-request`)."
);
problem_response!(
    Forbidden,
    "403",
    "Not allowed for this account: an administrator changing another account's invoice, or \
     disabling or deleting their own account, or anyone else using an administrators' route \
     (`forbidden`)."
);
problem_response!(
    NotFound,
    "404",
    "Not found, or not yours: another account's invoice is indistinguishable from none \
     (`not-found`)."
);
problem_response!(
    Conflict,
    "409",
    "The invoice's status does not allow this command, or the request conflicts with existing \
     data; `type` says which (`invalid-transition`, `payments-recorded`, `email-taken`, \
     `workflow-not-running`, `invoices-issued`, `customer-in-use`, `conflict`)."
);
problem_response!(
    PayloadTooLarge,
    "413",
    "The request body is larger than 1 MiB (`payload-too-large`)."
);
problem_response!(
    UnsupportedMediaType,
    "415",
    "The request body is not declared as JSON (`Content-Type: application/json`) \
     (`unsupported-media-type`)."
);
problem_response!(
    ValidationFailed,
    "422",
    "Well-formed JSON (or query parameters) that breaks the rules: a missing, unknown or \
     mistyped field, a value out of range, a control character in text (only free text, such \
     as notes and line descriptions, may hold tabs and line breaks). `errors` maps each \
     field's JSON path (or parameter) to its messages (`validation-failed`)."
);
problem_response!(
    LogoTooLarge,
    "413",
    "The image is larger than 512 KiB (`payload-too-large`)."
);
problem_response!(
    NotAnImageType,
    "415",
    "The body is not declared as a PNG or JPEG image (`Content-Type: image/png` or \
     `image/jpeg`) (`unsupported-media-type`)."
);
problem_response!(
    LogoInvalid,
    "422",
    "The body is not the PNG or JPEG image it is declared as, or it is larger than 2000×2000 \
     pixels; `errors.body` says which (`validation-failed`)."
);
problem_response!(
    EInvoiceUnavailable,
    "409",
    "The invoice has no such e-invoice; `type` says why: it is a draft, not sent yet \
     (`not-sent`); it was sent moments ago and its documents are still being made, try again \
     shortly (`e-invoice-pending`); its customer received no e-invoice with it \
     (`no-e-invoice`); Factur-X was asked of a customer who does not receive it: the Factur-X \
     document is the PDF that was sent (`not-factur-x`)."
);
problem_response!(
    EInvoiceUnwritable,
    "422",
    "The invoice as sent breaks fatal rules of the format asked for, so it cannot be written \
     in it; `rules` lists every finding by its official id (`e-invoice-rejected`). Or a query \
     parameter holds a control character (`validation-failed`)."
);
problem_response!(
    StatementNotSendable,
    "422",
    "Nothing was sent: the period breaks the rules, or a field is mistyped or holds a control \
     character (`validation-failed`, `errors` naming `from` or `to`), or the customer has no \
     e-mail address to send the statement to (`no-email-address`)."
);
problem_response!(
    Unavailable,
    "503",
    "A service the API depends on (PostgreSQL, Redis, Temporal, Stripe) is unavailable or not \
     configured, or the request ran past the time limit; it can be retried \
     (`service-unavailable`, `payments-unavailable`, `timeout`)."
);

/// No credentials, or credentials that do not check out; answered with
/// `WWW-Authenticate: Bearer` (`unauthorized`).
pub enum Unauthorized {}

impl<'s> ToResponse<'s> for Unauthorized {
    fn response() -> (&'s str, RefOr<Response>) {
        let response = problem(
            "No access token, or one that is invalid or expired, or a wrong e-mail address or \
             password (`unauthorized`).",
        )
        .header(
            "WWW-Authenticate",
            HeaderBuilder::new()
                .schema(String::schema())
                .description(Some("`Bearer` (RFC 6750 §3)."))
                .build(),
        );
        ("Unauthorized", response.build().into())
    }
}

impl IntoResponses for Unauthorized {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([(
            "401".to_owned(),
            Ref::from_response_name("Unauthorized").into(),
        )])
    }
}

/// Too many requests from this account (or, without a token, this IP address) in the current
/// window (`rate-limited`).
pub enum RateLimited {}

impl<'s> ToResponse<'s> for RateLimited {
    fn response() -> (&'s str, RefOr<Response>) {
        let header = |description: &str| {
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(0)),
                )
                .description(Some(description))
                .build()
        };
        let response = problem(
            "Too many requests in the current window, from this account or, without a valid \
             token, from this IP address; sign-in and registration have a stricter limit per IP \
             address (`rate-limited`). Every limited answer also carries `RateLimit-Limit`, \
             `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`.",
        )
        .header(
            "Retry-After",
            header("Seconds until the window resets and requests are accepted again."),
        )
        .header("RateLimit-Limit", header("Requests allowed per window."))
        .header(
            "RateLimit-Remaining",
            header("Requests left in this window (0)."),
        )
        .header(
            "RateLimit-Reset",
            header("Seconds until the window resets."),
        );
        ("RateLimited", response.build().into())
    }
}
