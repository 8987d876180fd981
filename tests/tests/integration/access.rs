//! Another account's invoice does not exist, as far as the caller can tell.

use crate::support::{TestApp, draft, id};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn another_accounts_invoice_is_not_found_and_untouched() {
    let app = TestApp::spawn().await;
    let owner = app.user().await;
    let stranger = app.user().await;
    let invoice_id = id(&app.sent_invoice(&owner, &draft()).await);
    app.pdf_rendered(&invoice_id).await;
    let before = (
        app.invoice(&owner, &invoice_id).await,
        app.timeline(&owner, &invoice_id).await,
    );
    let base = format!("/api/invoices/{invoice_id}");
    let attempts = [
        (Method::GET, base.clone(), None),
        (
            Method::PATCH,
            base.clone(),
            Some(json!({ "notes": "Mine now" })),
        ),
        (Method::DELETE, base.clone(), None),
        (Method::POST, format!("{base}/send"), None),
        (Method::POST, format!("{base}/void"), None),
        (
            Method::POST,
            format!("{base}/payments"),
            Some(json!({ "amount": 100, "method": "cash" })),
        ),
        (Method::GET, format!("{base}/payments"), None),
        (Method::GET, format!("{base}/events"), None),
        (
            Method::PATCH,
            format!("{base}/due-date"),
            Some(json!({ "due_date": "2030-01-01" })),
        ),
    ];

    for (method, path, body) in attempts {
        let problem = app
            .request(method.clone(), &path, Some(&stranger.token), body.as_ref())
            .await
            .problem(StatusCode::NOT_FOUND);
        assert_eq!(problem["type"], "/problems/not-found", "{method} {path}");
    }

    let listed = app
        .get("/api/invoices", &stranger.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(listed["data"].as_array().unwrap().len(), 0);
    let after = (
        app.invoice(&owner, &invoice_id).await,
        app.timeline(&owner, &invoice_id).await,
    );
    assert_eq!(after, before);
}

#[tokio::test]
async fn an_invoice_that_does_not_exist_is_not_found() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let problem = app
        .get(
            &format!("/api/invoices/{}", uuid::Uuid::new_v4()),
            &user.token,
        )
        .await
        .problem(StatusCode::NOT_FOUND);

    assert_eq!(problem["detail"], "invoice not found");
}
