//! Prometheus metrics: the API's own at `/metrics`, and the worker's (the Temporal SDK's
//! exporter, `APP_WORKER__METRICS_ADDRESS`).

use crate::support::{Response, Stack, TestApp, draft, eventually, id};
use reqwest::StatusCode;
use std::time::Duration;

/// The metrics page at `url`, checked to be Prometheus' text format.
async fn scrape(app: &TestApp, url: &str) -> String {
    let response = Response::read(app.http.get(url).send().await.unwrap()).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(response.content_type.starts_with("text/plain"));
    response.body.as_str().unwrap().to_owned()
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_and_the_cache() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);
    for _ in 0..3 {
        app.invoice(&user, &invoice_id).await;
    }
    let text = scrape(&app, &format!("{}/metrics", app.address)).await;
    let has = |needle: &str| {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    };
    has(r#"http_requests_total{method="GET",route="/api/invoices/{id}",status="200"}"#);
    has(
        r#"http_request_duration_seconds_bucket{method="GET",route="/api/invoices/{id}",status="200",le="#,
    );
    has(r#"http_requests_total{method="POST",route="/api/auth/register",status="201"}"#);
    has("invoice_cache_hits_total");
    has("invoice_cache_misses_total");
}

/// Operators watch activity outcomes and latencies by activity type on the worker's page: the
/// SDK's metrics, and ours saying how each activity ended.
#[tokio::test]
async fn the_worker_serves_activity_metrics_by_type() {
    let app = TestApp::spawn_with(Stack {
        worker_metrics: true,
        ..Stack::default()
    })
    .await;
    let address = app
        .worker_metrics_address()
        .expect("the worker serves metrics when asked to");
    let user = app.user().await;
    let invoice_id = id(&app.create_invoice(&user, &draft()).await);
    let sent = app
        .post_empty(&format!("/api/invoices/{invoice_id}/send"), &user.token)
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    app.pdf_rendered(&invoice_id).await;

    // The SDK records an activity after reporting it to the server, and the delivery (PDF,
    // e-mail, event) runs after the sending is stored: wait for both on the page rather than
    // guess how long it takes.
    let url = format!("http://{address}/metrics");
    // The delivery is a regular activity, the write a local one: each has its own latency
    // metric.
    let timed = |text: &str, metric: &str, activity: &str| {
        text.lines().any(|line| {
            line.starts_with(metric) && line.contains(&format!(r#"activity_type="{activity}""#))
        })
    };
    let text = eventually(
        "the delivery and the write in the worker's metrics",
        Duration::from_secs(30),
        || async {
            let text = scrape(&app, &url).await;
            (timed(
                &text,
                "temporal_activity_execution_latency",
                "invoice.deliver",
            ) && timed(
                &text,
                "temporal_local_activity_execution_latency",
                "invoice.mark_sent",
            ))
            .then_some(text)
        },
    )
    .await;
    for needle in [
        "temporal_workflow_task_execution_latency",
        "temporal_worker_task_slots_available",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
    // The delivery is counted as completed, and its e-mail as sent.
    for (activity, outcome) in [
        ("invoice.deliver", "completed"),
        ("invoice.deliver", "email_sent"),
    ] {
        let counted = text.lines().any(|line| {
            line.starts_with("invoicing_activity_outcomes_total{")
                && line.contains(&format!(r#"activity_type="{activity}""#))
                && line.contains(&format!(r#"outcome="{outcome}""#))
                && line.ends_with(" 1")
        });
        assert!(
            counted,
            "{activity} is not counted once as {outcome} in\n{text}"
        );
    }
}
