//! Sessions: refresh-token rotation and reuse detection, signing out here or everywhere, and
//! a password change ending the other sessions.

use crate::support::{TestApp, TestUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn refresh(app: &TestApp, refresh_token: &str) -> crate::support::Response {
    app.request(
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(&json!({ "refresh_token": refresh_token })),
    )
    .await
}

async fn works(app: &TestApp, token: &str) -> bool {
    let status = app.get("/api/users/me", token).await.status;
    assert!(
        status == StatusCode::OK || status == StatusCode::UNAUTHORIZED,
        "{status}"
    );
    status == StatusCode::OK
}

#[tokio::test]
async fn a_refresh_rotates_both_tokens_and_a_reused_refresh_token_ends_the_session() {
    let app = TestApp::spawn().await;
    let user = app.user().await;

    let first: Value = refresh(&app, &user.refresh_token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(first["token_type"], "Bearer");
    assert_eq!(first["expires_in"], 900);
    assert_eq!(first["refresh_expires_in"], 2_592_000);
    let access = first["access_token"].as_str().unwrap();
    let rotated = first["refresh_token"].as_str().unwrap();
    assert_ne!(rotated, user.refresh_token, "the refresh token rotates");
    assert!(works(&app, access).await);

    // The rotated token works once more (and rotates again).
    let second = refresh(&app, rotated).await.expect(StatusCode::OK).body;
    let latest_access = second["access_token"].as_str().unwrap().to_owned();
    let latest_refresh = second["refresh_token"].as_str().unwrap().to_owned();

    // Someone replays the first refresh token: the whole session ends.
    let problem = refresh(&app, &user.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert!(
        problem["detail"].as_str().unwrap().contains("already used"),
        "{problem}"
    );
    refresh(&app, &latest_refresh)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert!(!works(&app, &latest_access).await, "access ends at once");
    assert!(!works(&app, &user.token).await);

    // Signing in again starts a new session.
    let again = app.sign_in(&user.email, PASSWORD).await;
    assert!(works(&app, &again.token).await);
}

#[tokio::test]
async fn malformed_or_unknown_refresh_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let (session, _) = user.refresh_token.split_once('.').unwrap();
    for token in [
        "",
        "garbage",
        &format!("{session}.short"),
        &format!("{}.{}", "0".repeat(32), "A".repeat(43)),
        &user.token,
    ] {
        refresh(&app, token).await.problem(StatusCode::UNAUTHORIZED);
    }
    // None of that touched the real session.
    refresh(&app, &user.refresh_token)
        .await
        .expect(StatusCode::OK);
    app.request(
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(&json!({ "refresh": user.refresh_token })),
    )
    .await
    .problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn logout_ends_this_session_only_and_logout_all_ends_every_session() {
    let app = TestApp::spawn().await;
    let registered = app.user().await;
    let laptop = app.sign_in(&registered.email, PASSWORD).await;
    let phone = app.sign_in(&registered.email, PASSWORD).await;
    let sessions: [&TestUser; 3] = [&registered, &laptop, &phone];
    for session in sessions {
        assert!(works(&app, &session.token).await);
    }

    app.post_empty("/api/auth/logout", &laptop.token)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert!(!works(&app, &laptop.token).await);
    refresh(&app, &laptop.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert!(works(&app, &registered.token).await);
    assert!(works(&app, &phone.token).await);

    // The phone refreshes, then signs out everywhere: the registration session ends too.
    let phone_tokens = refresh(&app, &phone.refresh_token)
        .await
        .expect(StatusCode::OK)
        .body;
    let phone_access = phone_tokens["access_token"].as_str().unwrap();
    app.post_empty("/api/auth/logout-all", phone_access)
        .await
        .expect(StatusCode::NO_CONTENT);
    for token in [registered.token.as_str(), phone_access] {
        assert!(!works(&app, token).await);
    }
    for refresh_token in [
        &registered.refresh_token,
        phone_tokens["refresh_token"].as_str().unwrap(),
    ] {
        refresh(&app, refresh_token)
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    // Signing out of an ended session is a 401, not a success.
    app.post_empty("/api/auth/logout", &registered.token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_and_keeps_this_one() {
    let app = TestApp::spawn().await;
    let here = app.user().await;
    let elsewhere = app.sign_in(&here.email, PASSWORD).await;

    let wrong = app
        .post(
            "/api/auth/password",
            &here.token,
            &json!({ "current_password": "not the password", "new_password": "a new passphrase" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong["errors"]["current_password"].is_array(), "{wrong}");
    let weak = app
        .post(
            "/api/auth/password",
            &here.token,
            &json!({ "current_password": PASSWORD, "new_password": "short" }),
        )
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak["errors"]["new_password"].is_array(), "{weak}");
    assert!(
        works(&app, &elsewhere.token).await,
        "refusals change nothing"
    );

    app.post(
        "/api/auth/password",
        &here.token,
        &json!({ "current_password": PASSWORD, "new_password": "a new passphrase" }),
    )
    .await
    .expect(StatusCode::NO_CONTENT);

    assert!(works(&app, &here.token).await);
    refresh(&app, &here.refresh_token)
        .await
        .expect(StatusCode::OK);
    assert!(!works(&app, &elsewhere.token).await);
    refresh(&app, &elsewhere.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(&json!({ "email": here.email, "password": PASSWORD })),
    )
    .await
    .problem(StatusCode::UNAUTHORIZED);
    app.sign_in(&here.email, "a new passphrase").await;
}
