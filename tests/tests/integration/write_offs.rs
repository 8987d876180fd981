//! Writing an invoice off: an open invoice marked uncollectible gets no more reminders and
//! leaves the receivables; a payment that still comes recovers the debt and, in full, makes
//! it paid. Every movement of the debt is a `write_offs` row.

use crate::support::{TestApp, TestUser, draft, draft_due_in, eventually, id, today};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use temporalio_client::WorkflowExecutionStatus;
use uuid::Uuid;

/// 09:00 UTC, `days` from `due`: when a reminder of that day goes out.
fn reminder_moment(due: NaiveDate, days: i64) -> DateTime<Utc> {
    (due + chrono::Duration::days(days))
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
        .and_utc()
}

/// The days of the reminders on the timeline.
async fn reminder_days(app: &TestApp, user: &TestUser, invoice_id: &str) -> Vec<i64> {
    app.notifications(user, invoice_id)
        .await
        .iter()
        .filter(|n| n["type"] == "reminder_sent")
        .map(|n| n["data"]["email"]["days_from_due_date"].as_i64().unwrap())
        .collect()
}

/// The invoice's `write_offs` rows: (amount, date, with a payment).
async fn movements(app: &TestApp, invoice_id: &str) -> Vec<(i64, NaiveDate, bool)> {
    sqlx::query_as::<_, (i64, NaiveDate, bool)>(
        "SELECT amount, occurred_on, payment_id IS NOT NULL FROM write_offs
         WHERE invoice_id = $1 ORDER BY event_seq",
    )
    .bind(invoice_id.parse::<Uuid>().unwrap())
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn dashboard_outstanding(app: &TestApp, user: &TestUser) -> Value {
    app.get("/api/dashboard", &user.token)
        .await
        .expect(StatusCode::OK)
        .body["currencies"]
        .clone()
}

#[tokio::test]
async fn a_written_off_invoice_gets_no_reminders_and_a_late_payment_recovers_it() {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let client = format!("insolvent-{}@acme.example", Uuid::new_v4().simple());
    let mut body = draft_due_in(10);
    body["client_email"] = json!(client);
    let invoice = app.sent_invoice(&user, &body).await;
    let invoice_id = id(&invoice);
    let due: NaiveDate = invoice["due_date"].as_str().unwrap().parse().unwrap();

    // Three days past due: the reminders of -3, 0 and +1 went out.
    clock.skip_to(reminder_moment(due, 3)).await;
    eventually("three reminders", Duration::from_secs(30), || async {
        (reminder_days(&app, &user, &invoice_id).await.len() == 3).then_some(())
    })
    .await;

    let written_off = app
        .post(
            &format!("/api/invoices/{invoice_id}/uncollectible"),
            &user.token,
            &json!({ "reason": "  The customer is insolvent.  ", "on": today() }),
        )
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(written_off["status"], "uncollectible");
    assert_eq!(written_off["uncollectible_on"], today().to_string());
    assert_eq!(
        written_off["uncollectible_reason"],
        "The customer is insolvent."
    );
    assert_eq!(written_off["amount_due"], 38_499, "still owed, written off");
    assert_eq!(
        movements(&app, &invoice_id).await,
        [(38_499, today(), false)]
    );
    // Out of the receivables: nothing outstanding, nothing overdue.
    let usd = &dashboard_outstanding(&app, &user).await[0];
    assert_eq!(usd["currency"], "USD");
    assert_eq!(
        (
            &usd["outstanding"],
            &usd["outstanding_count"],
            &usd["overdue"],
            &usd["overdue_count"]
        ),
        (&json!(0), &json!(0), &json!(0), &json!(0)),
        "{usd:#}"
    );
    // Nor in the aging report: from the day of the write-off on, it is a bad debt.
    let aging = app
        .get("/api/reports/aging", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(aging["currencies"], json!([]), "{aging:#}");
    // The view of the workflow promises no reminder, and none comes.
    assert_eq!(app.workflow_view(&invoice_id).await.next_reminder_at, None);
    clock.skip_to(reminder_moment(due, 30)).await;
    assert_eq!(reminder_days(&app, &user, &invoice_id).await, [-3, 0, 1]);
    assert_eq!(
        app.workflow_status(&invoice_id).await,
        WorkflowExecutionStatus::Running,
        "a payment may still come"
    );

    // A payment still lands, recovering that much of the debt.
    let partial = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 10_000, "method": "bank_transfer", "reference": "Liquidator" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    assert_eq!(partial["invoice"]["status"], "uncollectible");
    assert_eq!(partial["invoice"]["amount_due"], 28_499);
    let rows = movements(&app, &invoice_id).await;
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[1].0, rows[1].2), (-10_000, true));
    assert_eq!(rows.iter().map(|row| row.0).sum::<i64>(), 28_499);

    // Paid in full: paid, the debt fully recovered, the workflow done.
    let settled = app
        .pay(
            &user,
            &invoice_id,
            json!({ "amount": 28_499, "method": "card" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .body;
    assert_eq!(settled["invoice"]["status"], "paid");
    assert_eq!(settled["invoice"]["amount_due"], 0);
    assert_eq!(
        settled["invoice"]["uncollectible_on"],
        today().to_string(),
        "the write-off stays on record"
    );
    let rows = movements(&app, &invoice_id).await;
    assert_eq!(rows.iter().map(|row| row.0).sum::<i64>(), 0);
    app.completed(&invoice_id).await;

    let timeline = app.timeline(&user, &invoice_id).await;
    let tail: Vec<&str> = timeline
        .iter()
        .map(String::as_str)
        .filter(|kind| *kind != "reminder_sent" && *kind != "document_rendered")
        .filter(|kind| *kind != "email_sent")
        .collect();
    assert_eq!(
        tail,
        [
            "created",
            "sent",
            "overdue",
            "marked_uncollectible",
            "payment_recorded",
            "payment_recorded",
            "paid"
        ]
    );
    let events = app.aws.drain_events(Duration::from_secs(2)).await;
    let event = events
        .iter()
        .find(|event| event["type"] == "invoice.marked_uncollectible")
        .expect("the event");
    assert_eq!(event["status"], "uncollectible");
    assert_eq!(event["data"]["amount"], 38_499);
    assert_eq!(event["data"]["reason"], "The customer is insolvent.");
}

#[tokio::test]
async fn only_an_open_invoice_is_written_off_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let user = app.user().await;
    let stranger = app.user().await;
    let sent = app.sent_invoice(&user, &draft()).await;
    let sent_id = id(&sent);
    let path = format!("/api/invoices/{sent_id}/uncollectible");

    // Bad input: 422 on the field, and the invoice is as it was.
    for (body, field) in [
        (json!({ "reason": "   " }), "reason"),
        (json!({ "reason": "x".repeat(501) }), "reason"),
        (
            json!({ "reason": "Gone", "on": today() - Days::new(1) }),
            "on",
        ),
        (
            json!({ "reason": "Gone", "on": today() + Days::new(2) }),
            "on",
        ),
    ] {
        let problem = app
            .post(&path, &user.token, &body)
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(problem["errors"][field].is_array(), "{body}: {problem:#}");
    }
    let problem = app
        .post(&path, &user.token, &json!({ "on": today() }))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["errors"]["reason"].is_array(), "{problem:#}");
    app.post(&path, &stranger.token, &json!({ "reason": "Gone" }))
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(app.invoice(&user, &sent_id).await["status"], "sent");
    assert_eq!(app.timeline(&user, &sent_id).await, ["created", "sent"]);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM write_offs WHERE invoice_id = $1",
            &sent_id
        )
        .await,
        0
    );

    // A draft and a paid invoice are not written off.
    let draft_invoice = app.create_invoice(&user, &draft()).await;
    app.post(
        &format!("/api/invoices/{}/uncollectible", id(&draft_invoice)),
        &user.token,
        &json!({ "reason": "Gone" }),
    )
    .await
    .problem(StatusCode::CONFLICT);
    let paid = app.sent_invoice(&user, &draft()).await;
    app.record_payment(&user, &id(&paid), 38_499, "cash").await;
    app.post(
        &format!("/api/invoices/{}/uncollectible", id(&paid)),
        &user.token,
        &json!({ "reason": "Gone" }),
    )
    .await
    .problem(StatusCode::CONFLICT);

    // Written off (dated today by default): no second write-off, no void, no new due date.
    let written_off = app
        .post(&path, &user.token, &json!({ "reason": "Gone" }))
        .await
        .expect(StatusCode::OK)
        .body;
    assert_eq!(written_off["uncollectible_on"], today().to_string());
    app.post(&path, &user.token, &json!({ "reason": "Again" }))
        .await
        .problem(StatusCode::CONFLICT);
    app.post_empty(&format!("/api/invoices/{sent_id}/void"), &user.token)
        .await
        .problem(StatusCode::CONFLICT);
    app.patch(
        &format!("/api/invoices/{sent_id}/due-date"),
        &user.token,
        &json!({ "due_date": today() + Days::new(30) }),
    )
    .await
    .problem(StatusCode::CONFLICT);
    // Listed under its own status.
    let listed = app
        .get("/api/invoices?status=uncollectible", &user.token)
        .await
        .expect(StatusCode::OK)
        .body;
    let ids: Vec<&str> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|invoice| invoice["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [sent_id.as_str()]);
}
