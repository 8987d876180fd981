//! Payment reminders at their real durations, on the time-skipping test server: the default
//! schedule (3 days before the due date, on it, 1, 7 and 14 days after), at 09:00 UTC.

use crate::support::{TestApp, TestUser, draft_due_in, eventually, id};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use uuid::Uuid;

/// A draft due in ten days, for a client address of the test's own.
fn draft_for(client: &str) -> Value {
    let mut body = draft_due_in(10);
    body["client_email"] = json!(client);
    body
}

/// 09:00 UTC, `days` from `due` (worked out here, not with the product's own function).
fn reminder_moment(due: NaiveDate, days: i64) -> DateTime<Utc> {
    let day = if days >= 0 {
        due + Days::new(days as u64)
    } else {
        due - Days::new(days.unsigned_abs())
    };
    day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
        .and_utc()
}

/// The reminders on the timeline once there are `count` of them.
async fn reminders(app: &TestApp, user: &TestUser, invoice_id: &str, count: usize) -> Vec<Value> {
    eventually(
        &format!("{count} reminders on the timeline"),
        Duration::from_secs(30),
        || async {
            let reminders: Vec<Value> = app
                .notifications(user, invoice_id)
                .await
                .into_iter()
                .filter(|n| n["type"] == "reminder_sent")
                .collect();
            (reminders.len() >= count).then_some(reminders)
        },
    )
    .await
}

#[tokio::test]
async fn an_unpaid_invoice_gets_exactly_the_scheduled_reminders_on_their_days() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let client = format!("late-{}@acme.example", Uuid::new_v4().simple());
    let invoice = app.sent_invoice(&user, &draft_for(&client)).await;
    let invoice_id = id(&invoice);
    let due: NaiveDate = invoice["due_date"].as_str().unwrap().parse().unwrap();

    clock.skip_to(reminder_moment(due, 15)).await;

    let sent = reminders(&app, &user, &invoice_id, 5).await;
    let moments: Vec<DateTime<Utc>> = sent
        .iter()
        .map(|r| r["occurred_at"].as_str().unwrap().parse().unwrap())
        .collect();
    for (moment, days) in moments.iter().zip([-3, 0, 1, 7, 14]) {
        let expected = reminder_moment(due, days);
        assert!(
            *moment >= expected && *moment < expected + chrono::Duration::minutes(5),
            "reminder {days} went out at {moment}, expected {expected}"
        );
    }
    let days: Vec<i64> = sent
        .iter()
        .map(|r| r["data"]["email"]["days_from_due_date"].as_i64().unwrap())
        .collect();
    assert_eq!(days, [-3, 0, 1, 7, 14], "exactly the schedule, in order");

    let subjects: Vec<String> = app.aws.email_subjects(&client, 6).await;
    assert_eq!(
        subjects.len(),
        6,
        "the invoice and five reminders: {subjects:#?}"
    );
    assert_eq!(subjects[1], "Reminder: invoice INV-000001 is due in 3 days");
    assert_eq!(subjects[2], "Reminder: invoice INV-000001 is due today");
    assert_eq!(subjects[3], "Overdue: invoice INV-000001 was due 1 day ago");
    assert_eq!(
        subjects[4],
        "Overdue: invoice INV-000001 was due 7 days ago"
    );
    assert_eq!(
        subjects[5],
        "Overdue: invoice INV-000001 was due 14 days ago"
    );
    let reminder_events = app
        .aws
        .drain_events(Duration::from_secs(2))
        .await
        .into_iter()
        .filter(|event| event["type"] == "invoice.reminder_sent")
        .count();
    assert_eq!(reminder_events, 5);
}

#[tokio::test]
async fn a_payment_halfway_stops_the_remaining_reminders() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let client = format!("payer-{}@acme.example", Uuid::new_v4().simple());
    let invoice = app.sent_invoice(&user, &draft_for(&client)).await;
    let invoice_id = id(&invoice);
    let due: NaiveDate = invoice["due_date"].as_str().unwrap().parse().unwrap();

    // Three days past the due date: the reminders of -3, 0 and +1 have gone out.
    clock.skip_to(reminder_moment(due, 3)).await;
    assert_eq!(reminders(&app, &user, &invoice_id, 3).await.len(), 3);
    app.record_payment(&user, &invoice_id, 38_499, "bank_transfer")
        .await;
    app.completed(&invoice_id).await;

    clock.skip_to(reminder_moment(due, 30)).await;
    let all: Vec<String> = app
        .notifications(&user, &invoice_id)
        .await
        .iter()
        .filter(|n| n["type"] == "reminder_sent")
        .map(|n| n["data"]["email"]["days_from_due_date"].to_string())
        .collect();
    assert_eq!(all, ["-3", "0", "1"], "no reminder after the payment");
    let subjects: Vec<String> = app
        .aws
        .emails_to(&client)
        .await
        .into_iter()
        .map(|email| email.subject)
        .collect();
    assert_eq!(subjects.len(), 5, "{subjects:#?}");
    assert_eq!(subjects[4], "Payment received for invoice INV-000001");
}

#[tokio::test]
async fn reminders_follow_a_moved_due_date_and_none_is_sent_twice() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let client = format!("mover-{}@acme.example", Uuid::new_v4().simple());
    let invoice = app.sent_invoice(&user, &draft_for(&client)).await;
    let invoice_id = id(&invoice);
    let due: NaiveDate = invoice["due_date"].as_str().unwrap().parse().unwrap();

    // The "due in 3 days" reminder goes out; then the client is given two more weeks.
    clock.skip_to(reminder_moment(due, -2)).await;
    assert_eq!(reminders(&app, &user, &invoice_id, 1).await.len(), 1);
    let new_due = due + Days::new(14);
    app.patch(
        &format!("/api/invoices/{invoice_id}/due-date"),
        &user.token,
        &json!({ "due_date": new_due }),
    )
    .await
    .expect(StatusCode::OK);

    clock.skip_to(reminder_moment(new_due, 15)).await;
    let sent = reminders(&app, &user, &invoice_id, 5).await;
    let schedule: Vec<(i64, DateTime<Utc>)> = sent
        .iter()
        .map(|r| {
            (
                r["data"]["email"]["days_from_due_date"].as_i64().unwrap(),
                r["occurred_at"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    // The one already sent is not repeated; the rest are counted from the new due date.
    let expected = [
        (-3, reminder_moment(due, -3)),
        (0, reminder_moment(new_due, 0)),
        (1, reminder_moment(new_due, 1)),
        (7, reminder_moment(new_due, 7)),
        (14, reminder_moment(new_due, 14)),
    ];
    assert_eq!(schedule.len(), expected.len(), "{schedule:#?}");
    for ((days, moment), (expected_days, expected_moment)) in schedule.iter().zip(expected) {
        assert_eq!(*days, expected_days, "{schedule:#?}");
        assert!(
            *moment >= expected_moment && *moment < expected_moment + chrono::Duration::minutes(5),
            "reminder {days} went out at {moment}, expected {expected_moment}"
        );
    }
    let subjects = app.aws.email_subjects(&client, 6).await;
    assert_eq!(
        subjects.len(),
        6,
        "the invoice and five reminders: {subjects:#?}"
    );
}
