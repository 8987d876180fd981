//! The API describes itself: its OpenAPI document, and the interactive documentation that reads
//! it, served offline from the API's own origin.

use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every operation the API serves. Removing a route, or its documentation, fails the test; so
/// does adding one without adding it here.
const OPERATIONS: [&str; 75] = [
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
    "GET /api/openapi.json",
    "POST /api/auth/register",
    "POST /api/auth/login",
    "GET /api/users/me",
    "GET /api/invoices",
    "POST /api/invoices",
    "GET /api/dashboard",
    "GET /api/reports/aging",
    "GET /api/reports/aging/invoices",
    "GET /api/exports/invoices.csv",
    "GET /api/exports/invoice-lines.csv",
    "GET /api/exports/payments.csv",
    "GET /api/exports/credit-notes.csv",
    "GET /api/exports/tax-report.csv",
    "GET /api/invoices/{id}",
    "PATCH /api/invoices/{id}",
    "DELETE /api/invoices/{id}",
    "POST /api/invoices/{id}/send",
    "POST /api/invoices/{id}/void",
    "POST /api/invoices/{id}/uncollectible",
    "PATCH /api/invoices/{id}/due-date",
    "GET /api/invoices/{id}/payments",
    "POST /api/invoices/{id}/payments",
    "GET /api/invoices/{id}/events",
    "GET /api/invoices/{id}/pdf",
    "GET /api/invoices/{id}/e-invoice",
    "POST /api/invoices/{id}/checkout",
    "GET /api/invoices/{id}/credit-notes",
    "POST /api/invoices/{id}/credit-notes",
    "POST /api/invoices/{id}/credit-notes/preview",
    "GET /api/credit-notes/{id}",
    "GET /api/credit-notes/{id}/pdf",
    "GET /api/payments",
    "GET /api/settings/reminders",
    "PUT /api/settings/reminders",
    "GET /api/settings/seller",
    "PUT /api/settings/seller",
    "GET /api/customers",
    "POST /api/customers",
    "GET /api/customers/{id}/statement",
    "GET /api/customers/{id}/statement/pdf",
    "POST /api/customers/{id}/statement/email",
    "GET /api/customers/{id}/statement/emails",
    "GET /api/customers/{id}",
    "PUT /api/customers/{id}",
    "DELETE /api/customers/{id}",
    "POST /api/customers/{id}/archive",
    "POST /api/customers/{id}/unarchive",
    "GET /api/tax-rates",
    "POST /api/tax-rates",
    "GET /api/tax-rates/{id}",
    "PATCH /api/tax-rates/{id}",
    "POST /api/tax-rates/{id}/archive",
    "POST /api/tax-rates/{id}/unarchive",
    "GET /api/settings/bank-accounts",
    "POST /api/settings/bank-accounts",
    "PUT /api/settings/bank-accounts/{id}",
    "DELETE /api/settings/bank-accounts/{id}",
    "GET /api/settings/logo",
    "PUT /api/settings/logo",
    "DELETE /api/settings/logo",
    "POST /api/webhooks/stripe",
    "GET /api/admin/reconciliation",
    "GET /api/admin/users",
    "GET /api/admin/invoices",
    "PUT /api/admin/users/{id}/disabled",
    "DELETE /api/admin/users/{id}/disabled",
    "DELETE /api/admin/users/{id}",
    "POST /api/auth/refresh",
    "POST /api/auth/logout",
    "POST /api/auth/logout-all",
    "POST /api/auth/password",
];

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[tokio::test]
async fn the_openapi_document_describes_every_operation() {
    let app = TestApp::spawn().await;

    let response = app
        .http
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .expect("the API answers");

    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        content_type(&response).starts_with("application/json"),
        "{}",
        content_type(&response)
    );
    let document: Value = response.json().await.expect("the document is JSON");
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["title"], "Invoicing API");
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
    let mut documented = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in HTTP_METHODS {
            if item.get(method).is_some() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let expected: BTreeSet<String> = OPERATIONS.iter().map(|op| (*op).to_owned()).collect();
    assert_eq!(documented, expected);
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn a_documented_route_answers_as_documented() {
    let app = TestApp::spawn().await;
    let document: Value = app
        .http
        .get(format!("{}/api/openapi.json", app.address))
        .send()
        .await
        .expect("the API answers")
        .json()
        .await
        .expect("the document is JSON");

    // A problem+json error and the documented schema of a 2xx, for one operation each.
    let operation = &document["paths"]["/api/users/me"]["get"];
    assert_eq!(
        operation["responses"]["401"]["$ref"],
        "#/components/responses/Unauthorized"
    );
    let unauthorized = app.http.get(format!("{}/api/users/me", app.address));
    let response = unauthorized.send().await.expect("the API answers");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(content_type(&response), "application/problem+json");

    let user = app.user().await;
    let me = app.get("/api/users/me", &user.token).await;
    assert_eq!(me.status, StatusCode::OK);
    let schema = &document["components"]["schemas"]["User"];
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .expect("User lists its required members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let present: BTreeSet<&str> = me
        .body
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(required, present);
}

#[tokio::test]
async fn the_interactive_documentation_is_served_offline_by_the_api() {
    let app = TestApp::spawn().await;

    // /api/docs redirects to /api/docs/, whose page refers to its files relatively.
    let response = app
        .http
        .get(format!("{}/api/docs", app.address))
        .send()
        .await
        .expect("the API answers");

    assert_eq!(response.status(), StatusCode::OK);
    let page_url = response.url().clone();
    assert_eq!(page_url.path(), "/api/docs/");
    assert!(
        content_type(&response).starts_with("text/html"),
        "{}",
        content_type(&response)
    );
    let html = response.text().await.expect("the page");
    let references = references(&html);
    assert!(
        references
            .iter()
            .any(|reference| reference.ends_with(".js")),
        "the page loads scripts: {references:?}"
    );
    assert!(
        references
            .iter()
            .any(|reference| reference.ends_with(".css")),
        "the page loads styles: {references:?}"
    );
    for reference in &references {
        let url = page_url.join(reference).expect("a valid reference");
        assert_eq!(
            url.origin(),
            page_url.origin(),
            "{reference} is not served by the API"
        );
        let file = app
            .http
            .get(url.clone())
            .send()
            .await
            .expect("the API answers");
        assert_eq!(file.status(), StatusCode::OK, "{url}");
    }
    // The page reads this API's own document.
    let initializer = app
        .http
        .get(page_url.join("swagger-initializer.js").expect("a URL"))
        .send()
        .await
        .expect("the API answers")
        .text()
        .await
        .expect("the script");
    assert!(
        initializer.contains("\"/api/openapi.json\""),
        "{initializer}"
    );
}

fn content_type(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// The `src` and `href` attributes of an HTML page: the files it loads.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for (start, _) in html.match_indices(attribute) {
            let value = &html[start + attribute.len()..];
            if let Some(end) = value.find('"') {
                found.push(value[..end].to_owned());
            }
        }
    }
    found
}
