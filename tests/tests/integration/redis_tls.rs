//! ElastiCache's in-transit encryption and auth token: Redis over TLS (`rediss://`) with a
//! password, against a real Redis that speaks TLS only (`TEST_REDIS_TLS_URL`, started by
//! `scripts/test` with a certificate its `SSL_CERT_FILE` trusts).

use crate::support::{Stack, TestApp, draft, id};
use invoicing_api::RedisSettings;
use reqwest::{Method, StatusCode};
use uuid::Uuid;

fn tls_url() -> String {
    std::env::var("TEST_REDIS_TLS_URL")
        .expect("TEST_REDIS_TLS_URL: a Redis over TLS (run scripts/test)")
}

fn settings(url: String) -> RedisSettings {
    RedisSettings {
        url,
        key_prefix: format!("tls-{}:", Uuid::new_v4().simple()),
        timeout_ms: 1_000,
        cluster: false,
    }
}

#[tokio::test]
async fn over_tls_with_the_auth_token_sessions_limits_and_the_cache_work() {
    let app = TestApp::spawn_with(Stack {
        redis: Some(settings(tls_url())),
        ..Stack::default()
    })
    .await;
    let ready = app.request(Method::GET, "/readyz", None, None).await;
    assert_eq!(ready.body["checks"]["redis"], "ok", "{:#}", ready.body);

    let user = app.user().await;
    let me = app.get("/api/users/me", &user.token).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(!me.header("ratelimit-remaining").is_empty());
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);
    let first = app.invoice(&user, &invoice_id).await;
    assert_eq!(app.invoice(&user, &invoice_id).await, first);
    app.post_empty("/api/auth/logout", &user.token)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/users/me", &user.token).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// A wrong auth token is Redis being unavailable, said plainly: degraded, not a crash.
#[tokio::test]
async fn a_wrong_auth_token_is_reported_as_redis_unavailable() {
    let url = tls_url();
    let (scheme_and_password, host) = url.rsplit_once('@').expect("rediss://:password@host");
    let wrong = format!(
        "{}@{host}",
        scheme_and_password.replace(
            scheme_and_password.rsplit_once(':').unwrap().1,
            "not-the-token"
        )
    );
    let app = TestApp::spawn_with(Stack {
        redis: Some(settings(wrong)),
        ..Stack::default()
    })
    .await;
    let ready = app
        .request(Method::GET, "/readyz", None, None)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(ready["status"], "degraded", "{ready:#}");
    assert_eq!(ready["checks"]["redis"], "unavailable");
}
