//! An account's standing: a token is a credential only while its account exists and is not
//! disabled, whatever Redis still holds about its sessions. Administrators disable, enable and
//! delete accounts (never their own); an account that has issued invoices cannot be deleted.

use crate::support::{Response, TestApp, TestUser, draft, id, openapi::Document};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

const PASSWORD: &str = "correct horse battery";

async fn refresh(app: &TestApp, refresh_token: &str) -> Response {
    app.request(
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(&json!({ "refresh_token": refresh_token })),
    )
    .await
}

async fn login(app: &TestApp, email: &str) -> Response {
    app.request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(&json!({ "email": email, "password": PASSWORD })),
    )
    .await
}

async fn invoices_of(app: &TestApp, user: &TestUser) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM invoices WHERE user_id = $1")
        .bind(user.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn disabled(user: Uuid) -> String {
    format!("/api/admin/users/{user}/disabled")
}

/// Every operation that needs a token refuses `token` with 401.
async fn refused_everywhere(app: &TestApp, token: &str) {
    let document = Document::fetch(app).await;
    let mut checked = 0;
    for operation in document.operations() {
        if !operation.needs_token() {
            continue;
        }
        let path = operation.path_with(&Uuid::new_v4().to_string());
        let body = operation.json_body().map(|_| json!({}));
        let response = app
            .request(operation.method.clone(), &path, Some(token), body.as_ref())
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{operation}: {:#}",
            response.body
        );
        response.problem(StatusCode::UNAUTHORIZED);
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} operations need a token");
}

#[tokio::test]
async fn a_deleted_accounts_token_is_refused_on_every_route() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    app.get("/api/invoices", &user.token)
        .await
        .expect(StatusCode::OK);

    // Deleted behind the API's back: its sessions are still in Redis.
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user.id)
        .execute(&app.db.pool)
        .await
        .unwrap();

    refused_everywhere(&app, &user.token).await;
    refresh(&app, &user.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0, "no request brought it back");
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_refused_until_enabled_again() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let user = app.user().await;
    let other_device = app.sign_in(&user.email, PASSWORD).await;
    app.create_invoice(&user, &draft()).await;

    let answer = app
        .request(Method::PUT, &disabled(user.id), Some(&admin.token), None)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(answer["id"], user.id.to_string());
    assert!(answer["disabled_at"].is_string(), "{answer:#}");

    refused_everywhere(&app, &user.token).await;
    for session in [&user, &other_device] {
        app.get("/api/users/me", &session.token)
            .await
            .problem(StatusCode::UNAUTHORIZED);
        refresh(&app, &session.refresh_token)
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    login(&app, &user.email)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert_eq!(invoices_of(&app, &user).await, 1, "nothing was created");
    // Disabling twice keeps the first time.
    let again = app
        .request(Method::PUT, &disabled(user.id), Some(&admin.token), None)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(again["disabled_at"], answer["disabled_at"]);
    let listed = app
        .get("/api/admin/users", &admin.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let entry = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["id"] == user.id.to_string())
        .cloned()
        .unwrap();
    assert_eq!(entry["disabled_at"], answer["disabled_at"]);

    let enabled = app
        .request(Method::DELETE, &disabled(user.id), Some(&admin.token), None)
        .await
        .expect(StatusCode::OK)
        .body;
    assert!(enabled["disabled_at"].is_null(), "{enabled:#}");
    // The sessions it had stay ended; signing in starts a new one.
    app.get("/api/users/me", &user.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let back = app.sign_in(&user.email, PASSWORD).await;
    app.get("/api/invoices", &back.token)
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn an_account_disabled_in_the_database_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    // Behind the API's back: its sessions are still alive in Redis.
    sqlx::query("UPDATE users SET disabled_at = now() WHERE id = $1")
        .bind(user.id)
        .execute(&app.db.pool)
        .await
        .unwrap();

    app.get("/api/invoices", &user.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.post("/api/invoices", &user.token, &draft())
        .await
        .problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &user.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    login(&app, &user.email)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert_eq!(invoices_of(&app, &user).await, 0);
}

#[tokio::test]
async fn only_administrators_disable_or_delete_accounts_and_never_their_own() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let user = app.user().await;
    let other = app.user().await;

    for (method, path) in [
        (Method::PUT, disabled(admin.id)),
        (Method::DELETE, format!("/api/admin/users/{}", admin.id)),
    ] {
        let problem = app
            .request(method.clone(), &path, Some(&admin.token), None)
            .await
            .problem(StatusCode::FORBIDDEN);
        assert!(
            problem["detail"].as_str().unwrap().contains("own account"),
            "{method} {path}: {problem:#}"
        );
    }
    for (method, path) in [
        (Method::PUT, disabled(other.id)),
        (Method::DELETE, disabled(other.id)),
        (Method::DELETE, format!("/api/admin/users/{}", other.id)),
    ] {
        app.request(method, &path, Some(&user.token), None)
            .await
            .problem(StatusCode::FORBIDDEN);
    }
    let unknown = Uuid::new_v4();
    for (method, path) in [
        (Method::PUT, format!("/api/admin/users/{unknown}/disabled")),
        (
            Method::DELETE,
            format!("/api/admin/users/{unknown}/disabled"),
        ),
        (Method::DELETE, format!("/api/admin/users/{unknown}")),
    ] {
        app.request(method, &path, Some(&admin.token), None)
            .await
            .problem(StatusCode::NOT_FOUND);
    }

    // Nothing changed: everyone is still signed in.
    for token in [&admin.token, &user.token, &other.token] {
        app.get("/api/users/me", token).await.expect(StatusCode::OK);
    }
    let disabled_accounts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE disabled_at IS NOT NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(disabled_accounts, 0);
}

#[tokio::test]
async fn an_account_with_issued_invoices_is_kept_and_one_with_drafts_only_is_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;

    // Issued invoices are legal documents: their account stays.
    let seller = app.user().await;
    let sent = app.sent_invoice(&seller, &draft()).await;
    app.create_invoice(&seller, &draft()).await;
    let problem = app
        .delete(&format!("/api/admin/users/{}", seller.id), &admin.token)
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(problem["type"], "/problems/invoices-issued", "{problem:#}");
    app.get("/api/users/me", &seller.token)
        .await
        .expect(StatusCode::OK);
    assert_eq!(invoices_of(&app, &seller).await, 2, "the draft is kept too");
    app.invoice(&seller, &id(&sent)).await;

    // Drafts only (one of them voided before it was sent): the drafts go with the account,
    // through their workflows.
    let trial = app.user().await;
    let drafts: Vec<String> = [
        app.create_invoice(&trial, &draft()).await,
        app.create_invoice(&trial, &draft()).await,
    ]
    .iter()
    .map(id)
    .collect();
    let voided = id(&app.create_invoice(&trial, &draft()).await);
    app.post_empty(&format!("/api/invoices/{voided}/void"), &trial.token)
        .await
        .expect(StatusCode::OK);
    app.delete(&format!("/api/admin/users/{}", trial.id), &admin.token)
        .await
        .expect(StatusCode::NO_CONTENT);

    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE id = $1")
        .bind(trial.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(invoices_of(&app, &trial).await, 0);
    for draft_id in &drafts {
        app.completed(draft_id).await;
    }
    app.get("/api/users/me", &trial.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    refresh(&app, &trial.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    login(&app, &trial.email)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.delete(&format!("/api/admin/users/{}", trial.id), &admin.token)
        .await
        .problem(StatusCode::NOT_FOUND);
    // The seller was not touched by any of it.
    app.get("/api/users/me", &seller.token)
        .await
        .expect(StatusCode::OK);
}
#[tokio::test]
async fn the_api_cli_disables_and_enables_an_account() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let outcome = invoicing_api::admin::set_disabled(&app.api_settings, &user.email, true)
        .await
        .unwrap();
    assert_eq!(outcome, invoicing_api::admin::Outcome::Disabled(user.id));
    app.get("/api/users/me", &user.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    login(&app, &user.email)
        .await
        .problem(StatusCode::UNAUTHORIZED);

    let outcome = invoicing_api::admin::set_disabled(&app.api_settings, &user.email, false)
        .await
        .unwrap();
    assert_eq!(outcome, invoicing_api::admin::Outcome::Enabled(user.id));
    // Its sessions were ended when it was disabled.
    app.get("/api/users/me", &user.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.sign_in(&user.email, PASSWORD).await;
    assert!(
        invoicing_api::admin::set_disabled(&app.api_settings, "nobody@example.com", true)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_administrator_demoted_in_the_database_loses_the_role_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.get("/api/admin/reconciliation", &admin.token)
        .await
        .expect(StatusCode::OK);

    // The token still says "admin"; the account no longer does.
    sqlx::query("UPDATE users SET role = 'user' WHERE id = $1")
        .bind(admin.id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.get("/api/admin/reconciliation", &admin.token)
        .await
        .problem(StatusCode::FORBIDDEN);
}
