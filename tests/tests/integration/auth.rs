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

/// An access token signed with the API's own secret, with `claims` as they are: for claims the
/// API never issues.
fn signed_token(app: &TestApp, claims: &serde_json::Value) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = engine.encode(claims.to_string());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(app.jwt_secret.as_bytes()).unwrap();
    mac.update(format!("{header}.{payload}").as_bytes());
    let signature = engine.encode(mac.finalize().into_bytes());
    format!("{header}.{payload}.{signature}")
}

/// The claims of an access token the API issued.
fn claims_of(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("a JWT");
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&json).expect("JSON claims")
}

fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// Signs `user`'s own claims with `changes` applied; checks that the same token dated now is
/// accepted (so only the dates differ) and returns the changed one.
fn redated(
    app: &TestApp,
    user: &crate::support::TestUser,
    changes: serde_json::Value,
) -> (String, String) {
    let issued = claims_of(&user.token);
    let with = |changes: &serde_json::Value| {
        let mut claims = issued.clone();
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        signed_token(app, &claims)
    };
    let dated_now = with(&json!({ "iat": now(), "nbf": now() }));
    (dated_now, with(&changes))
}

/// A token that is not valid yet (`nbf`) is refused; a few seconds ahead is a clock's
/// difference and is allowed.
#[tokio::test]
async fn a_token_not_valid_for_another_hour_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (dated_now, ahead) = redated(&app, &user, json!({ "nbf": now() + 3600 }));
    app.get("/api/invoices", &dated_now)
        .await
        .expect(StatusCode::OK);
    let (_, within_leeway) = redated(&app, &user, json!({ "nbf": now() + 5 }));
    app.get("/api/invoices", &within_leeway)
        .await
        .expect(StatusCode::OK);

    app.get("/api/invoices", &ahead)
        .await
        .problem(StatusCode::UNAUTHORIZED);
}

/// A token issued in the future (`iat`) was not issued by this API's clock: refused beyond a
/// few seconds' difference.
#[tokio::test]
async fn a_token_issued_an_hour_from_now_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (dated_now, ahead) = redated(
        &app,
        &user,
        json!({ "iat": now() + 3600, "exp": now() + 4500 }),
    );
    app.get("/api/invoices", &dated_now)
        .await
        .expect(StatusCode::OK);
    let (_, within_leeway) = redated(&app, &user, json!({ "iat": now() + 5 }));
    app.get("/api/invoices", &within_leeway)
        .await
        .expect(StatusCode::OK);

    app.get("/api/invoices", &ahead)
        .await
        .problem(StatusCode::UNAUTHORIZED);
}
