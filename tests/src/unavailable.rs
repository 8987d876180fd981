//! An HTTP endpoint in front of a real one that answers the next few requests of one kind with
//! 503 Service Unavailable and forwards everything else: a dependency that is down for a while,
//! deterministically.

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, Method, StatusCode, Uri},
    response::Response,
};
use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

#[derive(Clone)]
struct Upstream {
    url: String,
    path: &'static str,
    failures_left: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
    http: reqwest::Client,
}

pub struct Unavailable {
    pub address: SocketAddr,
    failed: Arc<AtomicUsize>,
}

impl Unavailable {
    /// Forwards to `upstream`, except that the next `failures` POSTs to `path` get a 503.
    pub async fn start(upstream: String, path: &'static str, failures: usize) -> Self {
        let failed = Arc::new(AtomicUsize::new(0));
        let state = Upstream {
            url: upstream,
            path,
            failures_left: Arc::new(AtomicUsize::new(failures)),
            failed: failed.clone(),
            http: reqwest::Client::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = Router::new().fallback(forward).with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { address, failed }
    }

    /// How many requests were answered 503.
    pub fn failed(&self) -> usize {
        self.failed.load(Ordering::SeqCst)
    }
}

async fn forward(State(upstream): State<Upstream>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if parts.method == Method::POST
        && parts.uri.path() == upstream.path
        && upstream
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    {
        upstream.failed.fetch_add(1, Ordering::SeqCst);
        return Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .header("content-type", "application/json")
            .body(Body::from(r#"{"message":"Service Unavailable"}"#))
            .unwrap();
    }
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    relay(&upstream, parts.method, &parts.uri, &parts.headers, body).await
}

async fn relay(
    upstream: &Upstream,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut request = upstream
        .http
        .request(method, format!("{}{path}", upstream.url));
    for (name, value) in headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    let answer = request
        .body(body)
        .send()
        .await
        .expect("the upstream answers");
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            response = response.header(name, value);
        }
    }
    response
        .body(Body::from(answer.bytes().await.unwrap_or_default()))
        .unwrap()
}
