//! `Idempotency-Key`: a retried POST gets the first answer and creates nothing new; the same key
//! with another request is a 422.

use crate::support::{Response, TestApp, TestUser, draft, id};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post_with_key(
    app: &TestApp,
    user: &TestUser,
    path: &str,
    key: &str,
    body: &Value,
) -> Response {
    // A draft names its client the short way, as `TestApp::request` takes it.
    let body = app.with_customer(&user.token, body).await;
    let request = app
        .http
        .request(Method::POST, format!("{}{path}", app.address))
        .bearer_auth(&user.token)
        .header("idempotency-key", key)
        .json(&body);
    Response::read(request.send().await.expect("the API answers")).await
}

async fn invoices_of(app: &TestApp, user: &TestUser) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM invoices WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_retried_create_returns_the_first_invoice_and_creates_no_other() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let first = post_with_key(&app, &user, "/api/invoices", "create-1", &draft())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(first.header("idempotent-replayed"), "");
    let retry = post_with_key(&app, &user, "/api/invoices", "create-1", &draft())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(retry.header("idempotent-replayed"), "true");
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(retry.content_type, "application/json");
    assert_eq!(invoices_of(&app, &user).await, 1);

    // The same key for another request is refused, and creates nothing.
    let mut other = draft();
    other["notes"] = json!("Another request");
    let problem = post_with_key(&app, &user, "/api/invoices", "create-1", &other)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "/problems/idempotency-key-reused");
    assert_eq!(invoices_of(&app, &user).await, 1);

    // Keys belong to their account: another account's "create-1" is its own.
    let someone = app.user().await;
    post_with_key(&app, &someone, "/api/invoices", "create-1", &other)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(invoices_of(&app, &someone).await, 1);
    // A new key is a new invoice.
    post_with_key(&app, &user, "/api/invoices", "create-2", &draft())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(invoices_of(&app, &user).await, 2);
}

#[tokio::test]
async fn a_retried_payment_is_recorded_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    let path = format!("/api/invoices/{invoice_id}/payments");
    let payment = json!({ "amount": 10_000, "method": "bank_transfer", "reference": "TX-9" });

    let first = post_with_key(&app, &user, &path, "pay-TX-9", &payment)
        .await
        .expect(StatusCode::CREATED);
    let retry = post_with_key(&app, &user, &path, "pay-TX-9", &payment)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(retry.body, first.body);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1::uuid",
            &invoice_id
        )
        .await,
        1
    );
    assert_eq!(app.invoice(&user, &invoice_id).await["amount_paid"], 10_000);

    let more = json!({ "amount": 20_000, "method": "bank_transfer", "reference": "TX-9" });
    post_with_key(&app, &user, &path, "pay-TX-9", &more)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.invoice(&user, &invoice_id).await["amount_paid"], 10_000);

    // Pay links too: the retry is the same link.
    let checkout = format!("/api/invoices/{invoice_id}/checkout");
    let link = post_with_key(&app, &user, &checkout, "link-1", &json!({}))
        .await
        .expect(StatusCode::OK);
    let again = post_with_key(&app, &user, &checkout, "link-1", &json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(again.header("idempotent-replayed"), "true");
    assert_eq!(again.body, link.body);
}

#[tokio::test]
async fn a_refused_request_gives_its_key_back_and_bad_keys_are_400() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let mut invalid = draft();
    invalid["items"] = json!([]);

    post_with_key(&app, &user, "/api/invoices", "fix-and-retry", &invalid)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    // The corrected request with the same key runs (nothing was stored for the refusal).
    post_with_key(&app, &user, "/api/invoices", "fix-and-retry", &draft())
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(invoices_of(&app, &user).await, 1);

    for key in ["x".repeat(256), "with space".to_owned(), "é".to_owned()] {
        let response = app
            .http
            .post(format!("{}/api/invoices", app.address))
            .bearer_auth(&user.token)
            .header("idempotency-key", key.as_bytes())
            .json(&draft())
            .send()
            .await
            .unwrap();
        Response::read(response)
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
    assert_eq!(
        invoices_of(&app, &user).await,
        1,
        "refused keys create nothing"
    );
}
