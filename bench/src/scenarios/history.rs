//! Scenario 5b, the history of one invoice through its whole life at real durations: sent,
//! five reminders (3 days before the due date, on it, 1, 7 and 14 days after), paid in two
//! parts. On Temporal's time-skipping test server, with an API and a worker of its own. Targets:
//! ≤ 100 events and ≤ 64 KiB, far below Temporal's limits (50,000 events, 50 MB) and cheap to
//! replay whenever the invoice leaves the worker's cache.

use super::{Bench, wait_for};
use crate::{
    client::{Account, Api, draft},
    report::{Row, Target},
    time_skipping::TimeSkipping,
};
use anyhow::Context;
use chrono::{Days, NaiveDate, NaiveTime};
use invoicing_workflows::{InvoiceWorkflow, workflow_id};
use prost::Message;
use std::{collections::BTreeMap, time::Duration};
use temporalio_client::WorkflowGetResultOptions;
use temporalio_common::protos::temporal::api::{
    enums::v1::EventType,
    history::v1::{HistoryEvent, history_event::Attributes},
};
use uuid::Uuid;

/// 09:00 UTC, `days` after `due` (reminders go out then).
fn reminder_moment(due: NaiveDate, days: u64) -> chrono::DateTime<chrono::Utc> {
    (due + Days::new(days))
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("a time"))
        .and_utc()
}

pub async fn run(bench: &Bench) -> anyhow::Result<Vec<Row>> {
    let clock = TimeSkipping::start(&bench.stack).await?;
    let api = &clock.api;
    let account = api.register().await?;
    let mut body = draft(&account, 2);
    let due = clock.now().await?.date_naive() + Days::new(10);
    body["due_date"] = due.to_string().into();
    let invoice = api
        .create(&account, &body)
        .await
        .map_err(anyhow::Error::msg)?;
    api.send(&account, invoice)
        .await
        .map_err(anyhow::Error::msg)?;
    let total = api
        .invoice(&account, invoice)
        .await
        .map_err(anyhow::Error::msg)?["total"]
        .as_i64()
        .context("no total on the invoice")?;

    // Two reminders (3 days before, on the due date), then a first payment.
    clock
        .skip_to(reminder_moment(due, 0) + chrono::Duration::hours(1))
        .await?;
    reminders_sent(api, &account, invoice, 2).await?;
    api.pay(&account, invoice, total / 2)
        .await
        .map_err(anyhow::Error::msg)?;
    // Three more (1, 7 and 14 days after), then the rest.
    clock
        .skip_to(reminder_moment(due, 14) + chrono::Duration::hours(1))
        .await?;
    reminders_sent(api, &account, invoice, 5).await?;
    api.pay(&account, invoice, total - total / 2)
        .await
        .map_err(anyhow::Error::msg)?;
    // A paid invoice's workflow completes once its receipt is out.
    let handle = clock
        .temporal
        .get_workflow_handle::<InvoiceWorkflow>(workflow_id(invoice));
    tokio::time::timeout(
        Duration::from_secs(60),
        handle.get_result(WorkflowGetResultOptions::default()),
    )
    .await
    .context("the paid invoice's workflow did not complete within 60 s")??;

    let history = handle
        .fetch_history(Default::default())
        .into_events()
        .await?;
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

/// Waits until the invoice's timeline shows `count` reminders e-mailed.
async fn reminders_sent(
    api: &Api,
    account: &Account,
    invoice: Uuid,
    count: usize,
) -> anyhow::Result<()> {
    wait_for(
        &format!("{count} reminders"),
        Duration::from_secs(60),
        || async {
            let sent = api
                .timeline(account, invoice)
                .await
                .map_err(anyhow::Error::msg)?
                .iter()
                .filter(|entry| entry["type"] == "reminder_sent")
                .count();
            Ok((sent >= count).then_some(()))
        },
    )
    .await
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
