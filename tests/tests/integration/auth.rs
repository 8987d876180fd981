//! Accounts: registration, sign-in, tokens, roles.

use crate::support::{TestApp, draft};
use invoicing_store::users::{self, Role};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn registering_returns_the_account_and_a_working_token() {
    let app = TestApp::spawn().await;
    let email = format!("Ann.{}@Example.com", Uuid::new_v4().simple());

    let registered = app
        .request(
            Method::POST,
            "/api/auth/register",
            None,
            Some(&json!({ "email": email, "password": "correct horse battery" })),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;

    assert_eq!(registered["user"]["email"], email.as_str());
    assert_eq!(registered["user"]["role"], "user");
    let id = registered["user"]["id"].as_str().unwrap();
    assert!(id.parse::<Uuid>().is_ok());
    let token = registered["access_token"].as_str().unwrap();
    let me = app
        .get("/api/users/me", token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(me["id"], id);
    assert_eq!(me["email"], email.as_str());
    let stored = users::find(&app.db.pool, id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.password_hash.starts_with("$argon2id$"),
        "passwords are hashed with argon2id"
    );
}

#[tokio::test]
async fn signing_in_returns_a_bearer_token_whatever_the_email_case() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let signed_in = app
        .request(
            Method::POST,
            "/api/auth/login",
            None,
            Some(
                &json!({ "email": user.email.to_uppercase(), "password": "correct horse battery" }),
            ),
        )
        .await
        .expect(StatusCode::OK)
        .body;

    assert_eq!(signed_in["token_type"], "Bearer");
    assert_eq!(signed_in["expires_in"], 900);
    let token = signed_in["access_token"].as_str().unwrap();
    let me = app
        .get("/api/users/me", token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(me["id"], user.id.to_string());
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let wrong_password = app
        .request(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&json!({ "email": user.email, "password": "not the password" })),
        )
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let unknown_email = app
        .request(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&json!({ "email": "nobody@example.com", "password": "not the password" })),
        )
        .await
        .problem(StatusCode::UNAUTHORIZED);

    assert_eq!(wrong_password, unknown_email);
}

#[tokio::test]
async fn an_email_address_is_registered_once_regardless_of_case() {
    let app = TestApp::spawn().await;
    let email = format!("dup-{}@example.com", Uuid::new_v4().simple());
    let register = |email: String| {
        let app = &app;
        async move {
            app.request(
                Method::POST,
                "/api/auth/register",
                None,
                Some(&json!({ "email": email, "password": "correct horse battery" })),
            )
            .await
        }
    };

    register(email.clone()).await.expect(StatusCode::CREATED);
    let problem = register(email.to_uppercase())
        .await
        .problem(StatusCode::CONFLICT);

    assert_eq!(problem["type"], "/problems/email-taken");
    let accounts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE lower(email) = lower($1)")
            .bind(&email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(accounts, 1);
}

#[tokio::test]
async fn registration_refuses_bad_addresses_and_short_passwords_and_stores_nothing() {
    let app = TestApp::spawn().await;

    let problem = app
        .request(
            Method::POST,
            "/api/auth/register",
            None,
            Some(&json!({ "email": "not-an-address", "password": "short" })),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);

    assert!(problem["errors"]["email"].is_array(), "{problem:#}");
    assert!(problem["errors"]["password"].is_array(), "{problem:#}");
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 0);
}

#[tokio::test]
async fn routes_need_a_valid_bearer_token() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let forged = {
        // Well-formed, signed with a secret the API does not have.
        let claims = json!({
            "sub": user.id, "role": "admin", "iat": 1_700_000_000u64,
            "exp": 4_000_000_000u64, "iss": "invoicing-api"
        });
        jsonwebtoken_free_forgery(&claims)
    };

    for token in [None, Some("garbage"), Some(forged.as_str())] {
        let problem = app
            .request(Method::GET, "/api/invoices", token, None)
            .await
            .problem(StatusCode::UNAUTHORIZED);
        assert_eq!(problem["type"], "/problems/unauthorized");
    }
    app.get("/api/invoices", &user.token)
        .await
        .expect(StatusCode::OK);
}

/// An HS256 token signed with a key the API does not know, built by hand so the test does not
/// share the API's JWT code.
fn jsonwebtoken_free_forgery(claims: &serde_json::Value) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = engine.encode(claims.to_string());
    let signature = engine.encode([7u8; 32]);
    format!("{header}.{payload}.{signature}")
}

#[tokio::test]
async fn an_admin_reads_every_invoice_but_changes_only_their_own() {
    let app = TestApp::spawn().await;
    let owner = app.user().await;
    let invoice = app.create_invoice(&owner, &draft()).await;
    let id = invoice["id"].as_str().unwrap();
    let admin = app.user().await;
    users::set_role(&app.db.pool, admin.id, Role::Admin)
        .await
        .unwrap();
    // Roles travel in the token: sign in again to get an admin token.
    let token = app
        .request(
            Method::POST,
            "/api/auth/login",
            None,
            Some(&json!({ "email": admin.email, "password": "correct horse battery" })),
        )
        .await
        .expect(StatusCode::OK)
        .body["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let read = app
        .get(&format!("/api/invoices/{id}"), &token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(read["id"], id);
    app.get(&format!("/api/invoices/{id}/events"), &token)
        .await
        .expect(StatusCode::OK);
    app.post_empty(&format!("/api/invoices/{id}/send"), &token)
        .await
        .problem(StatusCode::FORBIDDEN);

    assert_eq!(app.invoice(&owner, id).await["status"], "draft");
}
