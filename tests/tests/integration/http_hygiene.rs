//! What every answer carries: security headers, CORS for the configured origins only, and the
//! request id.

use crate::support::TestApp;
use reqwest::{Method, StatusCode};

#[tokio::test]
async fn answers_carry_security_headers_and_the_request_id() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    for response in [
        app.get("/api/users/me", &user.token)
            .await
            .expect(StatusCode::OK),
        app.request(Method::GET, "/api/nowhere", None, None).await,
        app.request(Method::GET, "/healthz", None, None).await,
    ] {
        assert_eq!(response.header("x-content-type-options"), "nosniff");
        assert_eq!(
            response.header("referrer-policy"),
            "strict-origin-when-cross-origin"
        );
        assert_eq!(response.header("x-frame-options"), "DENY");
        let csp = response.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        // HSTS only when configured to be behind TLS.
        assert_eq!(response.header("strict-transport-security"), "");
        assert_eq!(
            response.header("x-request-id").len(),
            36,
            "a generated UUID"
        );
    }
    // A caller's request id is kept.
    let response = app
        .http
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-123");
}

#[tokio::test]
async fn cors_allows_the_configured_origins_only() {
    let app = TestApp::spawn().await;
    let preflight = |origin: &'static str| {
        app.http
            .request(Method::OPTIONS, format!("{}/api/invoices", app.address))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type,idempotency-key",
            )
            .send()
    };
    let allowed = preflight("http://localhost:5173").await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let allowed_headers = allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        allowed_headers.contains("idempotency-key"),
        "{allowed_headers}"
    );
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
