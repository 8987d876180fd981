//! Scenario 5b, the history of one invoice through its whole life at real durations: sent,
//! five reminders (3 days before the due date, on it, 1, 7 and 14 days after), paid in two
//! parts. On Temporal's time-skipping test server, with the harness's in-process stack. Targets:
//! ≤ 100 events and ≤ 64 KiB, far below Temporal's limits (50,000 events, 50 MB) and cheap to
//! replay whenever the invoice leaves the worker's cache.

use crate::report::{Row, Target};
use chrono::{Days, NaiveDate, NaiveTime};
use invoicing_tests::{TestApp, draft_due_in, eventually, id};
use prost::Message;
use serde_json::json;
use std::{collections::BTreeMap, time::Duration};
use temporalio_common::protos::temporal::api::{
    enums::v1::EventType,
    history::v1::{HistoryEvent, history_event::Attributes},
};

/// 09:00 UTC, `days` after `due` (reminders go out then).
fn reminder_moment(due: NaiveDate, days: u64) -> chrono::DateTime<chrono::Utc> {
    (due + Days::new(days))
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"))
        .and_utc()
}

pub async fn run() -> anyhow::Result<Vec<Row>> {
    let (clock, app) = TestApp::spawn_time_skipping().await;
    let user = app.user().await;
    let invoice = app.sent_invoice(&user, &draft_due_in(10)).await;
    let invoice_id = id(&invoice);
    let due: NaiveDate = invoice["due_date"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no due date in {invoice}"))?;
    let total = invoice["total"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no total in {invoice}"))?;

    // Two reminders (3 days before, on the due date), then a first payment.
    clock
        .skip_to(reminder_moment(due, 0) + chrono::Duration::hours(1))
        .await;
    wait_for_reminders(&app, &user, &invoice_id, 2).await;
    app.pay(
        &user,
        &invoice_id,
        json!({ "amount": total / 2, "method": "bank_transfer" }),
    )
    .await
    .expect(reqwest::StatusCode::CREATED);
    // Three more (1, 7 and 14 days after), then the rest.
    clock
        .skip_to(reminder_moment(due, 14) + chrono::Duration::hours(1))
        .await;
    wait_for_reminders(&app, &user, &invoice_id, 5).await;
    app.pay(
        &user,
        &invoice_id,
        json!({ "amount": total - total / 2, "method": "bank_transfer" }),
    )
    .await
    .expect(reqwest::StatusCode::CREATED);
    app.completed(&invoice_id).await;

    let history = app.history(&invoice_id).await;
    let bytes: usize = history.iter().map(Message::encoded_len).sum();
    eprintln!("[History] what the events are: {}", profile(&history));
    Ok(vec![
        Row::new(
            "History",
            "events of one invoice: sent, 5 reminders, 2 payments",
            history.len() as f64,
            "events",
        )
        .target(Target::AtMost(100.0)),
        Row::new(
            "History",
            "size of that history",
            bytes as f64 / 1024.0,
            "KiB",
        )
        .target(Target::AtMost(64.0)),
    ])
}

async fn wait_for_reminders(
    app: &TestApp,
    user: &invoicing_tests::TestUser,
    invoice_id: &str,
    count: usize,
) {
    eventually(
        &format!("{count} reminders"),
        Duration::from_secs(60),
        || async {
            let sent = app
                .notifications(user, invoice_id)
                .await
                .into_iter()
                .filter(|n| n["type"] == "reminder_sent")
                .count();
            (sent >= count).then_some(())
        },
    )
    .await;
}

/// The history's events counted by type (markers by name: local activities, patches), most
/// frequent first: where the events go.
pub fn profile(history: &[HistoryEvent]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for event in history {
        let name = event
            .event_type()
            .as_str_name()
            .trim_start_matches("EVENT_TYPE_");
        let name = match marker_name(event) {
            Some(marker) => format!("{name} {marker}"),
            None => name.to_owned(),
        };
        *counts.entry(name).or_default() += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
        .iter()
        .map(|(name, count)| format!("{count} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The activities a history ran: (regular, local).
pub fn activities(history: &[HistoryEvent]) -> (usize, usize) {
    let regular = history
        .iter()
        .filter(|e| e.event_type() == EventType::ActivityTaskScheduled)
        .count();
    let local = history
        .iter()
        .filter(|e| marker_name(e) == Some(LOCAL_ACTIVITY_MARKER))
        .count();
    (regular, local)
}

/// The name Temporal's SDKs give the marker recording a local activity's result.
const LOCAL_ACTIVITY_MARKER: &str = "core_local_activity";

fn marker_name(event: &HistoryEvent) -> Option<&str> {
    match &event.attributes {
        Some(Attributes::MarkerRecordedEventAttributes(marker)) => Some(&marker.marker_name),
        _ => None,
    }
}
