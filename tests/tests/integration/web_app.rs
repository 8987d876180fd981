//! The web app's build, served by the API from its own origin: files as they are, the app's
//! own routes as `index.html`, and every API route, probe and unknown API path as before.

use crate::support::{Stack, TestApp};
use reqwest::{Method, StatusCode};
use std::path::PathBuf;
use uuid::Uuid;

const INDEX: &str = "<!doctype html><html><head><title>Invoicing</title>\
    <script type=\"module\" src=\"/assets/app-abc.js\"></script></head>\
    <body><div id=\"root\"></div></body></html>";
const SCRIPT: &str = "console.log('the app');";

/// A build as Vite lays it out: `index.html` and hashed bundles under `assets/`.
struct Build(PathBuf);

impl Build {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("web-app-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), INDEX).unwrap();
        std::fs::write(dir.join("assets/app-abc.js"), SCRIPT).unwrap();
        Self(dir)
    }
}

impl Drop for Build {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn the_api_serves_the_web_app_and_its_client_side_routes() {
    let build = Build::new();
    let app = TestApp::spawn_with(Stack {
        web_dir: Some(build.0.clone()),
        ..Stack::default()
    })
    .await;

    // The app and its client-side routes: index.html, revalidated on every use.
    for path in [
        "/",
        "/index.html",
        "/invoices/some-id",
        "/sign-in",
        "/apiary",
    ] {
        let page = app.request(Method::GET, path, None, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            page.content_type.starts_with("text/html"),
            "{path}: {}",
            page.content_type
        );
        assert_eq!(page.body, INDEX, "{path}");
        assert_eq!(page.header("cache-control"), "no-cache", "{path}");
        assert!(
            page.header("content-security-policy")
                .contains("script-src 'self'"),
            "{path}"
        );
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{path}");
    }
    let head = app
        .request(Method::HEAD, "/invoices/some-id", None, None)
        .await;
    assert_eq!(head.status, StatusCode::OK);

    // A hashed bundle: kept for a year.
    let script = app
        .request(Method::GET, "/assets/app-abc.js", None, None)
        .await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(
        script.content_type.contains("javascript"),
        "{}",
        script.content_type
    );
    assert_eq!(script.body, SCRIPT);
    assert_eq!(
        script.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    // A bundle that is not there is not the page (a browser would run it as a script).
    app.request(Method::GET, "/assets/app-old.js", None, None)
        .await
        .problem(StatusCode::NOT_FOUND);

    // The API keeps its answers: unknown API paths are problems, never the page.
    for path in ["/api/nope", "/api", "/api/invoices/some-id/nope"] {
        let problem = app.request(Method::GET, path, None, None).await;
        assert_ne!(problem.header("cache-control"), "no-cache", "{path}");
        problem.problem(StatusCode::NOT_FOUND);
    }
    app.request(Method::GET, "/api/users/me", None, None)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.request(Method::POST, "/invoices/some-id", None, None)
        .await
        .problem(StatusCode::NOT_FOUND);
    let health = app.request(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert!(health.content_type.starts_with("application/json"));
    let metrics = app.request(Method::GET, "/metrics", None, None).await;
    assert!(metrics.content_type.starts_with("text/plain"));
    let docs = app.request(Method::GET, "/api/docs/", None, None).await;
    assert_eq!(docs.status, StatusCode::OK);
    assert_ne!(docs.body, INDEX);

    // The document describes the API only.
    let document = app
        .request(Method::GET, "/api/openapi.json", None, None)
        .await
        .expect(StatusCode::OK)
        .body;
    let paths = document["paths"].as_object().unwrap();
    assert!(
        paths.keys().all(|path| path.starts_with("/api/")
            || ["/healthz", "/readyz", "/metrics"].contains(&path.as_str())),
        "{:?}",
        paths.keys().collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn without_a_build_the_api_serves_no_pages() {
    let app = TestApp::spawn().await;

    for path in ["/", "/invoices/some-id", "/assets/app-abc.js", "/api/nope"] {
        app.request(Method::GET, path, None, None)
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    app.request(Method::GET, "/healthz", None, None)
        .await
        .expect(StatusCode::OK);
}
