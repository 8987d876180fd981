//! A worker process killed in the middle of a lifecycle, at the worst moment: its (local)
//! activity has committed a payment to PostgreSQL but Temporal never hears of it. The workflow
//! task times out, and a new worker runs the write again; the invoice completes with nothing
//! recorded twice.

use crate::support::{
    Stack, TestApp, dev_server_address, draft, eventually, id, proxy::Proxy,
    worker_process::spawn_worker,
};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;
use std::{
    net::{SocketAddr, ToSocketAddrs},
    time::Duration,
};
use temporalio_common::protos::temporal::api::{
    enums::v1::EventType, history::v1::history_event::Attributes,
};

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
    let client = format!("ap-{}@acme.example", uuid::Uuid::new_v4().simple());
    let mut body = draft();
    body["client_email"] = json!(client);
    let invoice_id = id(&app.sent_invoice(&user, &body).await);
    app.record_payment(&user, &invoice_id, 10_000, "bank_transfer")
        .await;

    // Let the notifications of the sending and of that payment finish first (they write to the
    // invoice row too), so that the only write left to block is the next payment's.
    eventually(
        "the earlier notifications to be delivered",
        Duration::from_secs(30),
        || async {
            let notifications = app.notifications(&user, &invoice_id).await;
            let count = |kind: &str| notifications.iter().filter(|n| n["type"] == kind).count();
            (count("document_rendered") == 1 && count("email_sent") == 2).then_some(())
        },
    )
    .await;

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
    // The payment activity waits on the row lock.
    app.wait_for_blocked("FOR UPDATE").await;

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
    first_worker.kill();
    proxy.cut().await;

    // A new worker: Temporal times the lost workflow task out, and the new worker runs it.
    let _second_worker = spawn_worker(&app, &dev_server_address());
    let answer = tokio::time::timeout(Duration::from_secs(120), settle)
        .await
        .expect("the payment request completes once the activity is retried")
        .unwrap()
        .expect("the API answers");
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.unwrap();

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
    app.completed(&invoice_id).await;
    let history = app.history(&invoice_id).await;
    // Nor was any notification sent twice: the invoice, two receipts; four events.
    let subjects: Vec<String> = app.aws.email_subjects(&client, 3).await;
    assert_eq!(subjects.len(), 3, "{subjects:#?}");
    let events: Vec<String> = app.aws.event_types(Duration::from_secs(2)).await;
    assert_eq!(
        events,
        [
            "invoice.sent",
            "invoice.payment_recorded",
            "invoice.payment_recorded",
            "invoice.paid"
        ]
    );
    // The write is a local activity: the first worker's workflow task timed out with it, and
    // the new worker ran it again in the next task, which recorded it once.
    let timed_out = history
        .iter()
        .any(|event| event.event_type() == EventType::WorkflowTaskTimedOut);
    assert!(timed_out, "the lost workflow task timed out");
    let payment_markers = history
        .iter()
        .filter(|event| match &event.attributes {
            Some(Attributes::MarkerRecordedEventAttributes(marker)) => {
                marker.marker_name == "core_local_activity"
                    && marker.details.get("data").is_some_and(|data| {
                        data.payloads.first().is_some_and(|payload| {
                            serde_json::from_slice::<serde_json::Value>(&payload.data)
                                .is_ok_and(|data| data["activity_type"] == "invoice.record_payment")
                        })
                    })
            }
            _ => false,
        })
        .count();
    assert_eq!(payment_markers, 2, "each payment's write recorded once");
}
