//! Exactly once where it matters: an e-mail endpoint that is down for a while delays the
//! e-mail (Temporal retries the delivery with backoff), and a retried delivery sends one e-mail
//! and publishes one event.

use crate::support::{Stack, TestApp, aws, draft, eventually, id, unavailable::Unavailable};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
use uuid::Uuid;

#[tokio::test]
async fn an_email_endpoint_down_twice_yields_exactly_one_email_and_one_event() {
    // SES v2's SendEmail is POST /v2/email/outbound-emails; the first two are refused 503.
    let ses = Unavailable::start(aws::endpoint(), "/v2/email/outbound-emails", 2).await;
    let app = TestApp::spawn_with(Stack {
        email_endpoint: Some(format!("http://{}", ses.address)),
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let client = format!("ap-{}@acme.example", Uuid::new_v4().simple());
    let mut body = draft();
    body["client_email"] = json!(client);
    let invoice_id = id(&app.sent_invoice(&user, &body).await);

    eventually(
        "the invoice e-mail to go out",
        Duration::from_secs(60),
        || async {
            let sent = app
                .notifications(&user, &invoice_id)
                .await
                .iter()
                .any(|n| n["type"] == "email_sent");
            sent.then_some(())
        },
    )
    .await;

    assert_eq!(ses.failed(), 2, "the endpoint was down twice");
    assert_eq!(
        app.aws.emails_to(&client).await.len(),
        1,
        "exactly one e-mail"
    );
    let emails_on_timeline = app
        .notifications(&user, &invoice_id)
        .await
        .iter()
        .filter(|n| n["type"] == "email_sent")
        .count();
    assert_eq!(emails_on_timeline, 1);
    let events = app.aws.drain_events(Duration::from_secs(2)).await;
    let sent: Vec<_> = events
        .iter()
        .filter(|e| e["type"] == "invoice.sent")
        .collect();
    assert_eq!(sent.len(), 1, "exactly one event: {events:#?}");

    // The history shows the delivery (PDF, e-mail, event) succeeding on its third attempt.
    let history = app.history(&invoice_id).await;
    let deliveries: Vec<i64> = history
        .iter()
        .filter_map(|event| match &event.attributes {
            Some(Attributes::ActivityTaskScheduledEventAttributes(scheduled))
                if scheduled
                    .activity_type
                    .as_ref()
                    .is_some_and(|t| t.name == "invoice.deliver") =>
            {
                Some(event.event_id)
            }
            _ => None,
        })
        .collect();
    let attempts: Vec<i32> = history
        .iter()
        .filter_map(|event| match &event.attributes {
            Some(Attributes::ActivityTaskStartedEventAttributes(started))
                if deliveries.contains(&started.scheduled_event_id) =>
            {
                Some(started.attempt)
            }
            _ => None,
        })
        .collect();
    let attempt = match attempts.as_slice() {
        [attempt] => Some(*attempt),
        more => panic!("expected one delivery, found attempts {more:?}"),
    };
    assert_eq!(attempt, Some(3));
    app.get(&format!("/api/invoices/{invoice_id}"), &user.token)
        .await
        .expect(StatusCode::OK);
}
