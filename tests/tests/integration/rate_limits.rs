//! Rate limits, counted in Redis: the count is global across API processes.

use crate::support::{Response, Stack, TestApp, api_process::ApiProcess};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn refresh_attempt(http: &reqwest::Client, base: &str) -> Response {
    let response = http
        .post(format!("{base}/api/auth/refresh"))
        .json(&json!({ "refresh_token": "not a token" }))
        .send()
        .await
        .expect("the API answers");
    Response::read(response).await
}

fn number(response: &Response, header: &str) -> u64 {
    response
        .header(header)
        .parse()
        .unwrap_or_else(|_| panic!("{header} is a number: {:?}", response.headers))
}

#[tokio::test]
async fn the_101st_auth_request_from_one_ip_is_refused_whichever_process_answers() {
    let app = TestApp::spawn().await;
    let replica = ApiProcess::replica_of(&app).await;
    let user = app.user().await; // one auth request already
    let bases = [app.address.as_str(), replica.address.as_str()];

    let mut sent = 1;
    let mut remaining = 99;
    while remaining > 0 {
        let base = bases[sent % 2];
        let response = refresh_attempt(&app.http, base).await;
        sent += 1;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "request {sent} to {base}"
        );
        assert_eq!(number(&response, "ratelimit-limit"), 100);
        let now = number(&response, "ratelimit-remaining");
        assert_eq!(
            now,
            remaining - 1,
            "each request counts once, on either process"
        );
        assert_eq!(response.header("ratelimit-policy"), "100;w=900");
        remaining = now;
    }
    assert_eq!(sent, 100);

    for base in bases {
        let refused = refresh_attempt(&app.http, base).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        let retry_after = number(&refused, "retry-after");
        assert!((1..=900).contains(&retry_after), "{retry_after}");
        assert_eq!(number(&refused, "ratelimit-remaining"), 0);
        assert_eq!(number(&refused, "ratelimit-limit"), 100);
        assert!(number(&refused, "ratelimit-reset") <= 900);
        let problem = refused.problem(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(problem["type"], "/problems/rate-limited");
    }
    // Signing in is refused too (same policy), even with the right password...
    app.request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(&json!({ "email": user.email, "password": "correct horse battery" })),
    )
    .await
    .problem(StatusCode::TOO_MANY_REQUESTS);
    // ...while the rest of the API has its own, per-account limit.
    let me = app
        .get("/api/users/me", &user.token)
        .await
        .expect(StatusCode::OK);
    assert_eq!(number(&me, "ratelimit-limit"), 1200);
}

#[tokio::test]
async fn each_account_has_its_own_configurable_limit_on_the_api() {
    let mut limits = Stack::default_rate_limits();
    limits.user_requests = 5;
    limits.user_window_secs = 600;
    let app = TestApp::spawn_with(Stack {
        rate_limit: limits,
        ..Stack::default()
    })
    .await;
    let ann = app.user().await;
    let bob = app.user().await;

    for left in (0..5).rev() {
        let response = app
            .get("/api/users/me", &ann.token)
            .await
            .expect(StatusCode::OK);
        assert_eq!(number(&response, "ratelimit-remaining"), left);
        assert_eq!(response.header("ratelimit-policy"), "5;w=600");
    }
    let refused = app.get("/api/invoices", &ann.token).await;
    assert!(number(&refused, "retry-after") >= 1);
    refused.problem(StatusCode::TOO_MANY_REQUESTS);

    // Bob's count is his own; Ann can still sign in (the auth limit is separate).
    app.get("/api/users/me", &bob.token)
        .await
        .expect(StatusCode::OK);
    app.request(
        Method::POST,
        "/api/auth/login",
        None,
        Some(&json!({ "email": ann.email, "password": "correct horse battery" })),
    )
    .await
    .expect(StatusCode::OK);
    // Probes are never limited.
    app.request(Method::GET, "/healthz", None, None)
        .await
        .expect(StatusCode::OK);
}
