//! The overdue timer at its real durations, on Temporal's time-skipping test server: a 30-day
//! due date takes milliseconds, and the assertions are about the instants that matter (the
//! last minute of the due date, the first minute after it).

use crate::support::{TestApp, TestUser, draft_due_in, eventually, id, today};
use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use invoicing_workflows::domain::InvoiceStatus;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

/// Waits until the API shows the invoice in `status`.
async fn stored_status_becomes(app: &TestApp, user: &TestUser, invoice_id: &str, status: &str) {
    eventually(
        &format!("invoice {invoice_id} to be stored as {status}"),
        Duration::from_secs(20),
        || async { (app.invoice(user, invoice_id).await["status"] == status).then_some(()) },
    )
    .await;
}

/// The workflow's status now: a query is answered only after every timer that has fired up to
/// the server's current time has been processed, so this is exact.
async fn workflow_status(app: &TestApp, invoice_id: &str) -> InvoiceStatus {
    app.workflow_view(invoice_id).await.status
}

/// The first instant after the due date (UTC), worked out here rather than with the domain's
/// own function, so a wrong boundary in the product fails these tests.
fn end_of(due_date: NaiveDate) -> DateTime<Utc> {
    due_date
        .succ_opt()
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

fn overdue_at(invoice: &serde_json::Value) -> DateTime<Utc> {
    end_of(invoice["due_date"].as_str().unwrap().parse().unwrap())
}

#[tokio::test]
async fn an_invoice_due_in_30_days_is_overdue_after_the_due_date_and_not_a_day_before() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let invoice = app.sent_invoice(&user, &draft_due_in(30)).await;
    let invoice_id = id(&invoice);
    let overdue_at = overdue_at(&invoice);
    assert_eq!(
        invoice["due_date"],
        (today() + chrono::Days::new(30)).to_string()
    );

    clock.skip_to(overdue_at - Span::days(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Sent
    );

    clock.skip_to(overdue_at - Span::minutes(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Sent,
        "still payable in the last minute of the due date"
    );
    assert_eq!(app.invoice(&user, &invoice_id).await["status"], "sent");

    clock.skip_to(overdue_at + Span::minutes(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Overdue
    );
    stored_status_becomes(&app, &user, &invoice_id, "overdue").await;
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "sent", "overdue"]
    );
    let events = app.events(&user, &invoice_id).await;
    let overdue = events.iter().find(|e| e["type"] == "overdue").unwrap();
    let fell_overdue: DateTime<Utc> = overdue["occurred_at"].as_str().unwrap().parse().unwrap();
    assert!(
        fell_overdue >= overdue_at && fell_overdue < overdue_at + Span::minutes(1),
        "overdue at {fell_overdue}, expected just after {overdue_at}"
    );
}

#[tokio::test]
async fn moving_the_due_date_postpones_the_overdue_timer() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let invoice = app.sent_invoice(&user, &draft_due_in(30)).await;
    let invoice_id = id(&invoice);
    let first_deadline = overdue_at(&invoice);

    clock.skip_to(first_deadline - Span::days(2)).await;
    let moved = app
        .patch(
            &format!("/api/invoices/{invoice_id}/due-date"),
            &user.token,
            &json!({ "due_date": today() + chrono::Days::new(45) }),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    let new_deadline = overdue_at(&moved);
    assert_eq!(new_deadline - first_deadline, Span::days(15));

    clock.skip_to(first_deadline + Span::days(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Sent,
        "the old due date passed without effect"
    );
    clock.skip_to(new_deadline - Span::minutes(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Sent
    );

    clock.skip_to(new_deadline + Span::minutes(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Overdue
    );
    stored_status_becomes(&app, &user, &invoice_id, "overdue").await;
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "sent", "due_date_changed", "overdue"]
    );
}

#[tokio::test]
async fn paying_in_full_cancels_the_overdue_timer() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let invoice = app.sent_invoice(&user, &draft_due_in(30)).await;
    let invoice_id = id(&invoice);
    let deadline = overdue_at(&invoice);

    clock.skip(Duration::from_secs(10 * 24 * 3600)).await;
    app.record_payment(&user, &invoice_id, 38_499, "bank_transfer")
        .await;

    // The workflow is done: it does not wait out the old deadline.
    app.completed(&invoice_id).await;
    assert!(clock.now().await < deadline);
    clock.skip_to(deadline + Span::days(7)).await;
    assert_eq!(app.invoice(&user, &invoice_id).await["status"], "paid");
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "sent", "payment_recorded", "paid"]
    );
    let history = app.history(&invoice_id).await;
    use temporalio_common::protos::temporal::api::enums::v1::EventType;
    let count = |kind: EventType| history.iter().filter(|e| e.event_type() == kind).count();
    assert_eq!(count(EventType::TimerStarted), 1);
    assert_eq!(
        count(EventType::TimerCanceled),
        1,
        "the payment cancelled the timer"
    );
    assert_eq!(count(EventType::TimerFired), 0);
}

#[tokio::test]
async fn an_overdue_invoice_whose_due_date_moves_into_the_future_is_sent_again() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let invoice = app.sent_invoice(&user, &draft_due_in(30)).await;
    let invoice_id = id(&invoice);
    let deadline = overdue_at(&invoice);
    clock.skip_to(deadline + Span::days(3)).await;
    stored_status_becomes(&app, &user, &invoice_id, "overdue").await;

    let new_due = (clock.now().await + Span::days(14)).date_naive();
    let moved = app
        .patch(
            &format!("/api/invoices/{invoice_id}/due-date"),
            &user.token,
            &json!({ "due_date": new_due }),
        )
        .await
        .expect(StatusCode::OK)
        .body;

    assert_eq!(moved["status"], "sent");
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Sent
    );
    let new_deadline = end_of(new_due);
    clock.skip_to(new_deadline - Span::minutes(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Sent
    );
    clock.skip_to(new_deadline + Span::minutes(1)).await;
    assert_eq!(
        workflow_status(&app, &invoice_id).await,
        InvoiceStatus::Overdue
    );
    stored_status_becomes(&app, &user, &invoice_id, "overdue").await;
    assert_eq!(
        app.timeline(&user, &invoice_id).await,
        ["created", "sent", "overdue", "due_date_changed", "overdue"]
    );
}
