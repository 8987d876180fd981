//! A worker process killed in the middle of a lifecycle, at the worst moment: its activity has
//! committed a payment to PostgreSQL but Temporal never hears of it. Temporal retries the
//! activity on a new worker; the invoice completes with nothing recorded twice.

use crate::support::{Stack, TestApp, dev_server_address, draft, eventually, id, proxy::Proxy};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;
use std::{
    net::{SocketAddr, ToSocketAddrs},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};
use temporalio_client::WorkflowExecutionStatus;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;

/// The `worker` binary of this build (`scripts/test` builds it next to the test binaries).
fn worker_binary() -> PathBuf {
    let deps = std::env::current_exe().expect("the test binary's path");
    let profile_dir = deps
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from target/<profile>/deps");
    let binary = profile_dir.join("worker");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --bin worker` first (scripts/test does)",
        binary.display()
    );
    binary
}

/// A worker process, configured like production through `APP_*` variables.
fn spawn_worker(app: &TestApp, temporal_address: &str) -> Child {
    Command::new(worker_binary())
        .env("APP_DATABASE__URL", &app.db.url)
        .env("APP_TEMPORAL__ADDRESS", temporal_address)
        .env(
            "APP_TEMPORAL__TASK_QUEUE",
            &app.temporal_settings.task_queue,
        )
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .spawn()
        .expect("starting the worker process")
}

fn temporal_socket() -> SocketAddr {
    let address = dev_server_address();
    let host_port = address.trim_start_matches("http://");
    host_port
        .to_socket_addrs()
        .expect("TEST_TEMPORAL_ADDRESS resolves")
        .next()
        .expect("TEST_TEMPORAL_ADDRESS has an address")
}

#[tokio::test]
async fn a_worker_killed_after_committing_a_payment_leaves_no_duplicate() {
    let app = TestApp::spawn_with(Stack {
        in_process_worker: false,
        ..Stack::default()
    })
    .await;
    let proxy = Proxy::start(temporal_socket()).await;
    let mut first_worker = spawn_worker(&app, &format!("http://{}", proxy.address));
    let user = app.user().await;
    let invoice_id = id(&app.sent_invoice(&user, &draft()).await);
    app.pay(
        &user,
        &invoice_id,
        json!({ "amount": 10_000, "method": "bank_transfer" }),
    )
    .await
    .expect(StatusCode::CREATED);

    // Hold the invoice row so the next payment's activity stops mid-write, where we can see it.
    let mut blocker = sqlx::PgConnection::connect(&app.db.url).await.unwrap();
    let mut lock = blocker.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM invoices WHERE id = $1 FOR UPDATE")
        .bind(invoice_id.parse::<uuid::Uuid>().unwrap())
        .execute(&mut *lock)
        .await
        .unwrap();
    let settle = {
        let http = app.http.clone();
        let url = format!("{}/api/invoices/{invoice_id}/payments", app.address);
        let token = user.token.clone();
        tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&json!({ "amount": 28_499, "method": "bank_transfer", "reference": "FINAL" }))
                .send()
                .await
        })
    };
    eventually(
        "the payment activity to wait on the row lock",
        Duration::from_secs(30),
        || async {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
            )
            .bind(&app.db.name)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            (waiting > 0).then_some(())
        },
    )
    .await;

    // Cut the worker off from Temporal, let its write commit, then kill it before it can report.
    proxy.freeze();
    lock.rollback().await.unwrap();
    eventually(
        "the final payment to be committed",
        Duration::from_secs(30),
        || async {
            let payments = app
                .count(
                    "SELECT count(*) FROM payments WHERE invoice_id = $1",
                    &invoice_id,
                )
                .await;
            (payments == 2).then_some(())
        },
    )
    .await;
    first_worker.kill().expect("killing the worker");
    first_worker.wait().expect("reaping the worker");
    proxy.cut().await;

    // A new worker: Temporal times the lost activity out and retries it there.
    let mut second_worker = spawn_worker(&app, &dev_server_address());
    let answer = tokio::time::timeout(Duration::from_secs(120), settle)
        .await
        .expect("the payment request completes once the activity is retried")
        .unwrap()
        .expect("the API answers");
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.unwrap();
    second_worker.kill().ok();
    second_worker.wait().ok();

    assert_eq!(status, StatusCode::CREATED, "{body:#}");
    assert_eq!(body["invoice"]["status"], "paid");
    assert_eq!(body["invoice"]["amount_paid"], 38_499);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM payments WHERE invoice_id = $1",
            &invoice_id
        )
        .await,
        2,
        "no payment recorded twice"
    );
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        [
            "created",
            "sent",
            "payment_recorded",
            "payment_recorded",
            "paid"
        ],
        "no timeline entry recorded twice"
    );
    assert_eq!(
        app.workflow_status(&invoice_id).await,
        WorkflowExecutionStatus::Completed
    );
    let history = app.history(&invoice_id).await;
    let retried = history.iter().any(|event| {
        matches!(
            &event.attributes,
            Some(Attributes::ActivityTaskStartedEventAttributes(started)) if started.attempt >= 2
        )
    });
    assert!(retried, "the lost activity was retried on the new worker");
}
