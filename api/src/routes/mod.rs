//! HTTP routes, one file per resource, each exposing `router()`: its routes registered together
//! with their OpenAPI documentation (`utoipa_axum::routes!`), so the document describes exactly
//! what is served.

mod accounts;
mod admin;
mod auth;
mod bank_accounts;
mod checkout;
mod credit_notes;
mod customers;
mod dashboard;
mod directory;
mod docs;
mod documents;
mod drafts;
mod e_invoices;
mod exports;
mod health;
mod invoice_actions;
mod invoices;
mod logo;
mod payments;
mod reports;
mod seller;
mod sessions;
mod settings;
mod statement_documents;
mod statements;
mod tax_rates;
mod timeline;
mod users;
mod webhooks;

use crate::{
    auth::password,
    cursor,
    error::ApiError,
    hygiene::{self, MAX_BODY_BYTES},
    idempotency,
    openapi::{self, Field, Limit},
    rate_limit,
    settings::Settings,
    spa::WebApp,
    state::AppState,
    telemetry,
};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::StatusCode,
    middleware,
    response::IntoResponse,
};
use invoicing_workflows::domain::{
    MAX_AMOUNT, bank, customer, draft, e_invoicing, email, named_rate, number_format, reminders,
    seller as profile, terms,
};
use std::time::Duration;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Every route with its documentation.
fn documented() -> OpenApiRouter<AppState> {
    let api = OpenApiRouter::new()
        .merge(auth::router())
        .merge(sessions::router())
        .merge(directory::router())
        .merge(users::router())
        .merge(invoices::router())
        .merge(dashboard::router())
        .merge(reports::router())
        .merge(exports::router())
        .merge(statements::router())
        .merge(statement_documents::router())
        .merge(drafts::router())
        .merge(invoice_actions::router())
        .merge(payments::router())
        .merge(credit_notes::router())
        .merge(timeline::router())
        .merge(documents::router())
        .merge(e_invoices::router())
        .merge(settings::router())
        .merge(customers::router())
        .merge(tax_rates::router())
        .merge(seller::router())
        .merge(bank_accounts::router())
        .merge(logo::router())
        .merge(checkout::router())
        .merge(webhooks::router())
        .merge(admin::router())
        .merge(accounts::router())
        .merge(docs::router());
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(health::router())
        .routes(routes!(telemetry::render))
        .nest("/api", api)
}

/// The OpenAPI document of every route (served at `GET /api/openapi.json`).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = documented().into_openapi();
    openapi::add_platform_answers(&mut document);
    openapi::add_limits(&mut document, &LIMITS);
    document
}

/// The limits the API checks on what clients send, each from the constant its check uses. The
/// web app reads them from the document instead of copying them.
const LIMITS: [(Field, Limit); 53] = {
    const fn at(schema: &'static str, property: &'static str) -> Field {
        Field::Property { schema, property }
    }
    const fn query(operation: &'static str, parameter: &'static str) -> Field {
        Field::Parameter {
            operation,
            parameter,
        }
    }
    // The API counts an address's bytes (SMTP's limit): as many characters, or fewer.
    const EMAIL: Limit = Limit::Length(0..=email::MAX_LEN);
    const NOTES: Limit = Limit::Length(0..=draft::MAX_NOTES_CHARS);
    const ITEMS: Limit = Limit::Items(1..=draft::MAX_ITEMS);
    const ADJUSTMENTS: Limit = Limit::Items(0..=draft::MAX_ADJUSTMENTS);
    const PAGE_SIZE: Limit = Limit::Range(1..=cursor::MAX_PAGE_SIZE);
    const TAX_RATE_NAME: Limit = Limit::Length(1..=named_rate::MAX_NAME_CHARS);
    const TAX_RATE_DESCRIPTION: Limit = Limit::Length(0..=named_rate::MAX_DESCRIPTION_CHARS);
    const REMINDER_DAY: Limit =
        Limit::EachInRange(reminders::EARLIEST_DAY as i64..=reminders::LATEST_DAY as i64);
    [
        (at("CreateInvoice", "notes"), NOTES),
        (at("CreateInvoice", "items"), ITEMS),
        (at("CreateInvoice", "adjustments"), ADJUSTMENTS),
        (at("ReviseInvoice", "notes"), NOTES),
        (at("ReviseInvoice", "items"), ITEMS),
        (at("ReviseInvoice", "adjustments"), ADJUSTMENTS),
        (
            at("AdjustmentFields", "reason"),
            Limit::Length(1..=draft::MAX_REASON_CHARS),
        ),
        (
            at("LineItemFields", "description"),
            Limit::Length(1..=draft::MAX_DESCRIPTION_CHARS),
        ),
        (
            at("LineItemFields", "unit_amount"),
            Limit::Range(0..=MAX_AMOUNT),
        ),
        (at("RecordPayment", "amount"), Limit::Range(1..=MAX_AMOUNT)),
        (
            at("RecordPayment", "reference"),
            Limit::Length(0..=payments::MAX_REFERENCE_CHARS),
        ),
        (
            at("VoidInvoice", "reason"),
            Limit::Length(0..=invoice_actions::MAX_REASON_CHARS),
        ),
        (
            at("MarkUncollectible", "reason"),
            Limit::Length(1..=invoice_actions::MAX_REASON_CHARS),
        ),
        (
            at("IssueCreditNote", "reason"),
            Limit::Length(1..=invoicing_workflows::MAX_CREDIT_NOTE_REASON_CHARS),
        ),
        (
            at("ReplaceReminders", "days_from_due_date"),
            Limit::Items(0..=reminders::MAX_REMINDERS),
        ),
        (at("ReplaceReminders", "days_from_due_date"), REMINDER_DAY),
        (
            at("SellerProfileFields", "display_name"),
            Limit::Length(1..=profile::MAX_NAME_CHARS),
        ),
        (
            at("SellerProfileFields", "legal_name"),
            Limit::Length(0..=profile::MAX_NAME_CHARS),
        ),
        (
            at("SellerProfileFields", "tax_ids"),
            Limit::Items(0..=profile::MAX_TAX_IDS),
        ),
        (
            at("SellerProfileFields", "registration"),
            Limit::Length(0..=profile::MAX_REGISTRATION_CHARS),
        ),
        (at("SellerProfileFields", "email"), EMAIL),
        (
            at("SellerProfileFields", "phone"),
            Limit::Length(0..=profile::MAX_PHONE_CHARS),
        ),
        (
            at("SellerProfileFields", "website"),
            Limit::Length(0..=profile::MAX_WEBSITE_CHARS),
        ),
        (
            at("SellerProfileFields", "payment_instructions"),
            Limit::Length(0..=profile::MAX_PAYMENT_INSTRUCTIONS_CHARS),
        ),
        (
            at("SellerProfileFields", "payment_terms_days"),
            Limit::Range(0..=profile::MAX_PAYMENT_TERMS_DAYS),
        ),
        (
            at("NumberFormat", "pattern"),
            Limit::Length(1..=number_format::MAX_PATTERN_CHARS),
        ),
        (
            at("BankAccountFields", "holder"),
            Limit::Length(1..=bank::MAX_HOLDER_CHARS),
        ),
        (
            at("BankAccountFields", "bank_name"),
            Limit::Length(0..=bank::MAX_BANK_NAME_CHARS),
        ),
        (
            at("PasswordChange", "new_password"),
            Limit::Length(password::MIN_LENGTH..=password::MAX_LENGTH),
        ),
        (
            query("list_invoices", "q"),
            Limit::Length(0..=invoices::MAX_SEARCH_CHARS),
        ),
        (query("list_invoices", "limit"), PAGE_SIZE),
        (query("list_payments", "limit"), PAGE_SIZE),
        (query("aging_invoices", "limit"), PAGE_SIZE),
        (
            at("CustomerFields", "display_name"),
            Limit::Length(1..=customer::MAX_NAME_CHARS),
        ),
        (
            at("CustomerFields", "legal_name"),
            Limit::Length(0..=customer::MAX_NAME_CHARS),
        ),
        (
            at("CustomerFields", "emails"),
            Limit::Items(1..=customer::MAX_EMAILS),
        ),
        (
            at("CustomerFields", "cc_emails"),
            Limit::Items(0..=customer::MAX_CC_EMAILS),
        ),
        (
            at("CustomerFields", "time_zone"),
            Limit::Length(0..=customer::MAX_TIME_ZONE_CHARS),
        ),
        (
            at("CustomerFields", "payment_terms_days"),
            Limit::Range(0..=terms::MAX_TERMS_DAYS as i64),
        ),
        (
            at("CustomerFields", "notes"),
            Limit::Length(0..=customer::MAX_NOTES_CHARS),
        ),
        (
            at("CustomerFields", "buyer_reference"),
            Limit::Length(0..=e_invoicing::MAX_BUYER_REFERENCE_CHARS),
        ),
        (
            at("ElectronicAddress", "id"),
            Limit::Length(1..=e_invoicing::MAX_ADDRESS_ID_CHARS),
        ),
        (
            query("list_customers", "q"),
            Limit::Length(0..=invoices::MAX_SEARCH_CHARS),
        ),
        (query("list_customers", "limit"), PAGE_SIZE),
        (query("customer_statement_emails", "limit"), PAGE_SIZE),
        (at("TaxRateFields", "name"), TAX_RATE_NAME),
        (at("TaxRateFields", "description"), TAX_RATE_DESCRIPTION),
        (at("ReviseTaxRate", "name"), TAX_RATE_NAME),
        (at("ReviseTaxRate", "description"), TAX_RATE_DESCRIPTION),
        (query("list_tax_rates", "limit"), PAGE_SIZE),
        (query("admin_list_invoices", "limit"), PAGE_SIZE),
        (query("admin_list_users", "limit"), PAGE_SIZE),
        (query("reconciliation", "limit"), PAGE_SIZE),
    ]
};

/// The whole HTTP surface. Layers, from the outside in: request id, the request's log span,
/// CORS, security headers, metrics, the time limit, the body limit, the gate (session check
/// and rate limit) and idempotency keys (both act on `/api` paths only).
///
/// What no route matches is the web app's, when it is built (see [`WebApp`]): it is not part
/// of the OpenAPI document, and every route keeps precedence over it.
pub fn router(state: AppState, settings: &Settings) -> anyhow::Result<Router> {
    let (routes, _) = documented().split_for_parts();
    let timeout = Duration::from_secs(settings.http.request_timeout_secs.max(1));
    let routes = routes.merge(openapi::swagger_ui());
    let routes = match WebApp::open(&settings.http.web_dir) {
        Some(web_app) => routes.fallback(move |request: Request| web_app.clone().serve(request)),
        None => routes.fallback(not_found),
    };
    let mut router = routes
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::middleware,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::gate,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(move |request, next| {
            hygiene::time_limit(timeout, request, next)
        }))
        .layer(middleware::from_fn(telemetry::track));
    for (name, value) in hygiene::security_headers(settings.http.hsts) {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    Ok(router
        .layer(hygiene::cors(settings)?)
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state))
}

/// Every log line of a request carries its id (generated, or the caller's `x-request-id`).
fn request_span(request: &Request) -> tracing::Span {
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        request_id,
        method = %request.method(),
        path = request.uri().path(),
    )
}

async fn not_found() -> ApiError {
    ApiError::NotFound("route")
}

async fn method_not_allowed() -> impl IntoResponse {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(axum::http::header::CONTENT_TYPE, "application/problem+json")],
        axum::Json(serde_json::json!({
            "type": "/problems/method-not-allowed",
            "title": "Method Not Allowed",
            "status": 405,
            "detail": "This route does not support that HTTP method.",
        })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn document_json() -> Value {
        serde_json::to_value(document()).expect("the document serializes")
    }

    /// Every `$ref` in `value`, wherever it is.
    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    match (name.as_str(), member) {
                        ("$ref", Value::String(target)) => found.push(target),
                        _ => refs(member, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_resolves() {
        let document = document_json();
        let mut found = Vec::new();
        refs(&document, &mut found);
        assert!(!found.is_empty());
        for target in found {
            let pointer = target
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{target} is not local"));
            assert!(
                document.pointer(pointer).is_some(),
                "{target} does not resolve"
            );
        }
    }

    /// The operations that answer, and every response component they use.
    fn operations(document: &Value) -> Vec<(String, &Value)> {
        let mut found = Vec::new();
        for (path, item) in document["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("a path item") {
                found.push((format!("{} {path}", method.to_uppercase()), operation));
            }
        }
        found
    }

    /// What a response says, following a `$ref` to a response component.
    fn resolve<'a>(document: &'a Value, response: &'a Value) -> &'a Value {
        match response["$ref"].as_str() {
            Some(target) => document
                .pointer(target.trim_start_matches('#'))
                .expect("references resolve"),
            None => response,
        }
    }

    #[test]
    fn limits_come_from_the_checks_constants() {
        let document = document_json();
        let schemas = &document["components"]["schemas"];
        let unit_amount = &schemas["LineItemFields"]["properties"]["unit_amount"];
        assert_eq!(unit_amount["minimum"], 0);
        assert_eq!(unit_amount["maximum"], MAX_AMOUNT);
        let adjustments = &schemas["CreateInvoice"]["properties"]["adjustments"];
        assert_eq!(adjustments["maxItems"], draft::MAX_ADJUSTMENTS);
        let days = &schemas["ReplaceReminders"]["properties"]["days_from_due_date"];
        assert_eq!(days["maxItems"], reminders::MAX_REMINDERS);
        assert_eq!(days["items"]["minimum"], reminders::EARLIEST_DAY);
        // A limit with no lower bound leaves `minLength` out.
        let reference = &schemas["RecordPayment"]["properties"]["reference"];
        assert_eq!(reference["maxLength"], payments::MAX_REFERENCE_CHARS);
        assert!(reference.get("minLength").is_none());
    }

    #[test]
    #[should_panic(expected = "is not in the document")]
    fn a_limit_on_a_field_the_document_lacks_fails_loudly() {
        let field = Field::Property {
            schema: "CreateInvoice",
            property: "client",
        };
        let limit = Limit::Length(0..=1);
        openapi::add_limits(&mut document(), &[(field, limit)]);
    }

    #[test]
    #[should_panic(expected = "cannot take")]
    fn a_limit_of_the_wrong_kind_fails_loudly() {
        let field = Field::Property {
            schema: "RecordPayment",
            property: "amount",
        };
        let limit = Limit::Length(0..=1);
        openapi::add_limits(&mut document(), &[(field, limit)]);
    }

    #[test]
    fn the_document_describes_its_own_route() {
        let document = document_json();
        assert!(
            document["paths"][openapi::DOCUMENT_PATH]["get"].is_object(),
            "{} is not documented",
            openapi::DOCUMENT_PATH
        );
    }

    #[test]
    fn every_error_is_problem_json() {
        let document = document_json();
        for (operation, spec) in operations(&document) {
            for (status, response) in spec["responses"].as_object().expect("responses") {
                let is_error = status.starts_with('4') || status.starts_with('5');
                // The readiness probe answers 503 with its own JSON, for Kubernetes.
                if !is_error || operation == "GET /readyz" {
                    continue;
                }
                let content = &resolve(&document, response)["content"];
                let types: Vec<&String> = content.as_object().expect("content").keys().collect();
                assert_eq!(types, ["application/problem+json"], "{operation} {status}");
                assert_eq!(
                    content["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/Problem",
                    "{operation} {status}"
                );
            }
        }
    }

    #[test]
    fn operations_that_need_a_token_say_so_and_document_401() {
        let document = document_json();
        for (operation, spec) in operations(&document) {
            if spec.get("security").is_some() {
                assert_eq!(
                    spec["security"],
                    serde_json::json!([{ "bearer": [] }]),
                    "{operation}"
                );
                assert!(spec["responses"].get("401").is_some(), "{operation}");
            }
        }
    }
    #[test]
    fn limited_operations_document_429_and_every_operation_503() {
        let document = document_json();
        for (operation, spec) in operations(&document) {
            let path = operation.split_once(' ').expect("method and path").1;
            let responses = &spec["responses"];
            assert!(responses.get("503").is_some(), "{operation}");
            assert_eq!(
                responses.get("429").is_some(),
                !rate_limit::exempt(path),
                "{operation}"
            );
        }
        let rate_limited = &document["components"]["responses"]["RateLimited"];
        assert!(rate_limited["headers"]["Retry-After"].is_object());
    }

    #[test]
    fn idempotency_key_is_documented_where_the_middleware_honours_it() {
        let document = document_json();
        let mut keyed = Vec::new();
        for (operation, spec) in operations(&document) {
            let takes_key = spec["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|parameter| {
                    parameter["name"] == "Idempotency-Key" && parameter["in"] == "header"
                });
            if takes_key {
                for status in ["400", "409", "422"] {
                    assert!(
                        spec["responses"].get(status).is_some(),
                        "{operation} {status}"
                    );
                }
                keyed.push(operation);
            }
        }
        keyed.sort();
        assert_eq!(
            keyed,
            [
                "POST /api/customers",
                "POST /api/customers/{id}/archive",
                "POST /api/customers/{id}/statement/email",
                "POST /api/customers/{id}/unarchive",
                "POST /api/invoices",
                "POST /api/invoices/{id}/checkout",
                "POST /api/invoices/{id}/credit-notes",
                "POST /api/invoices/{id}/credit-notes/preview",
                "POST /api/invoices/{id}/payments",
                "POST /api/invoices/{id}/send",
                "POST /api/invoices/{id}/uncollectible",
                "POST /api/invoices/{id}/void",
                "POST /api/settings/bank-accounts",
                "POST /api/tax-rates",
                "POST /api/tax-rates/{id}/archive",
                "POST /api/tax-rates/{id}/unarchive",
            ]
        );
    }
}
