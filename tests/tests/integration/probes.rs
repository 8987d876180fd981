//! The worker's probes for Kubernetes (`APP_WORKER__HEALTH_ADDRESS`): liveness, and readiness
//! that fails when the worker cannot reach what it needs.

use crate::support::{AwsNames, Response, TestApp, TestDatabase, WorkerThread, worker_settings};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::json;

async fn probe(app: &TestApp, address: std::net::SocketAddr, path: &str) -> Response {
    Response::read(
        app.http
            .get(format!("http://{address}{path}"))
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_worker_that_reaches_temporal_and_postgres_is_live_and_ready() {
    let app = TestApp::spawn().await;
    let address = app
        .worker_health_address()
        .expect("the test worker serves its probes");

    let live = probe(&app, address, "/healthz").await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(live.body, json!({"status": "ok"}));

    let ready = probe(&app, address, "/readyz").await;
    assert_eq!(ready.status, StatusCode::OK, "{:?}", ready.body);
    assert_eq!(
        ready.body,
        json!({"status": "ok", "checks": {"temporal": "ok", "database": "ok"}})
    );
}

/// A pod whose database is unreachable must not count as ready: a rolling update would
/// otherwise stop the old workers for new ones that cannot record anything.
#[tokio::test]
async fn a_worker_whose_database_is_unreachable_is_live_but_not_ready() {
    let app = TestApp::spawn().await;
    let db = TestDatabase::create().await;
    let mut settings = worker_settings(&db, &app.temporal_settings, &AwsNames::unique());
    // A database that does not exist: the pool connects lazily, so the worker starts, and
    // only its probe can tell.
    settings.database.url = SecretString::from(format!("{}_missing", db.url));
    settings.worker.health_address = Some(([127, 0, 0, 1], 0).into());
    let worker = WorkerThread::start(settings).await;
    let address = worker.health_address.expect("probes were asked for");

    assert_eq!(
        probe(&app, address, "/healthz").await.status,
        StatusCode::OK
    );
    let ready = probe(&app, address, "/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        ready.body,
        json!({"status": "unavailable", "checks": {"temporal": "ok", "database": "unavailable"}})
    );
}
