//! The figures: what the run measured without an invariant to hold it to: e-mails and
//! lifecycle events per invoice (missing and duplicated), invoices created twice, how the
//! clients fared (retries, answers that never came) and how long a client waited for an
//! answer when a crash happened meanwhile.

use crate::{
    client::CallRecord,
    evidence::Evidence,
    timeline::{Fault, FaultKind, overlapping},
    workload::InvoiceRun,
};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The target for the longest wait of a client after a crash.
pub const WAIT_TARGET_SECS: f64 = 30.0;

#[derive(Debug, Default, Serialize)]
pub struct Deliveries {
    pub expected: usize,
    pub received: usize,
    pub missing: usize,
    /// Beyond what the stored state calls for.
    pub duplicates: usize,
    /// Invoices that got at least one of them twice.
    pub invoices_with_duplicates: usize,
    pub details: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Wait {
    pub seconds: f64,
    pub request: String,
    pub answered: bool,
    pub faults: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Figures {
    pub emails: Deliveries,
    pub events: Deliveries,
    /// Messages with an event id already received.
    pub event_redeliveries: usize,
    /// `invoice.payment_failed` published (a failure reported after its intent succeeded must
    /// change nothing).
    pub payment_failed_events: usize,
    /// Invoices stored beyond the one their client was told about (a retried create).
    pub invoices_created_twice: Vec<String>,
    pub requests: usize,
    pub requests_retried: usize,
    pub requests_during_a_crash: usize,
    /// Requests that got no definitive answer before the clients' deadline.
    pub requests_unanswered: Vec<String>,
    pub in_progress_answers: u32,
    pub longest_wait_after_crash: Option<Wait>,
    /// The longest wait after each kind of fault.
    pub longest_wait_by_fault: BTreeMap<String, f64>,
    pub faults: BTreeMap<String, usize>,
    pub fault_notes: Vec<String>,
    /// Open invoices whose workflow is not running (paid and void ones are settled).
    pub open_without_workflow: Vec<String>,
}

impl Figures {
    pub fn wait_target_met(&self) -> bool {
        self.longest_wait_after_crash
            .as_ref()
            .is_none_or(|wait| wait.answered && wait.seconds <= WAIT_TARGET_SECS)
    }
}

pub fn measure(
    runs: &[InvoiceRun],
    evidence: &Evidence,
    events: &[Value],
    records: &[CallRecord],
    faults: &[Fault],
) -> Figures {
    let mut figures = Figures::default();
    deliveries(&mut figures, runs, evidence, events);
    requests(&mut figures, records, faults);
    for fault in faults {
        *figures
            .faults
            .entry(fault.kind.label().to_owned())
            .or_default() += 1;
        if matches!(fault.kind, FaultKind::ApiKill | FaultKind::UnexpectedExit) {
            figures
                .fault_notes
                .push(format!("{:.1}s: {}", fault.at, fault.note));
        }
    }
    let told: HashSet<_> = runs.iter().filter_map(|run| run.id).collect();
    let emails: HashMap<&str, &InvoiceRun> = runs
        .iter()
        .map(|run| (run.client_email.as_str(), run))
        .collect();
    for invoice in &evidence.invoices {
        if let Some(run) = emails.get(invoice.client_email.as_str())
            && !told.contains(&invoice.id)
        {
            figures.invoices_created_twice.push(format!(
                "invoice #{}: {} stored as {} beside the one its client was told about ({:?})",
                run.index, invoice.id, invoice.status, run.id
            ));
        }
    }
    for invoice in &evidence.invoices {
        let open = matches!(invoice.status.as_str(), "sent" | "overdue" | "draft");
        let running = evidence.workflows.get(&invoice.id).copied().flatten()
            == Some(temporalio_common::protos::temporal::api::enums::v1::WorkflowExecutionStatus::Running);
        if open && !running {
            figures.open_without_workflow.push(format!(
                "invoice {} ({}): workflow {:?}",
                invoice.id,
                invoice.status,
                evidence.workflows.get(&invoice.id).copied().flatten()
            ));
        }
    }
    figures
}

/// E-mails and events per invoice, against what its stored state calls for: the invoice, a
/// receipt per payment, a void notice; `invoice.sent`, one `invoice.payment_recorded` per
/// payment, `invoice.paid`, `invoice.voided`.
fn deliveries(figures: &mut Figures, runs: &[InvoiceRun], evidence: &Evidence, events: &[Value]) {
    let mut payments: HashMap<uuid::Uuid, usize> = HashMap::new();
    for payment in &evidence.payments {
        *payments.entry(payment.invoice_id).or_default() += 1;
    }
    let mut seen_ids = HashSet::new();
    let mut by_invoice: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for event in events {
        let id = event["event_id"].as_str().unwrap_or_default().to_owned();
        if !seen_ids.insert(id) {
            figures.event_redeliveries += 1;
            continue;
        }
        let kind = event["type"].as_str().unwrap_or_default().to_owned();
        if kind == "invoice.payment_failed" {
            figures.payment_failed_events += 1;
        }
        let invoice = event["invoice_id"].as_str().unwrap_or_default().to_owned();
        *by_invoice
            .entry(invoice)
            .or_default()
            .entry(kind)
            .or_default() += 1;
    }
    let rows: HashMap<_, _> = evidence.invoices.iter().map(|row| (row.id, row)).collect();
    for run in runs {
        let Some(row) = run.id.and_then(|id| rows.get(&id)) else {
            continue;
        };
        if row.number.is_none() {
            continue;
        }
        let paid_count = payments.get(&row.id).copied().unwrap_or(0);
        let (paid, void) = (row.status == "paid", row.status == "void");
        let want_emails = 1 + paid_count + usize::from(void);
        let got_emails = evidence
            .emails
            .get(&run.client_email.to_lowercase())
            .copied()
            .unwrap_or(0);
        tally(
            &mut figures.emails,
            want_emails,
            got_emails,
            &format!("invoice #{} ({})", run.index, row.id),
            "e-mails",
        );
        let want: [(&str, usize); 4] = [
            ("invoice.sent", 1),
            ("invoice.payment_recorded", paid_count),
            ("invoice.paid", usize::from(paid)),
            ("invoice.voided", usize::from(void)),
        ];
        let got = by_invoice.remove(&row.id.to_string()).unwrap_or_default();
        let mut duplicate = false;
        for (kind, count) in want {
            let have = got.get(kind).copied().unwrap_or(0);
            figures.events.expected += count;
            figures.events.received += have;
            if have < count {
                figures.events.missing += count - have;
                figures.events.details.push(format!(
                    "invoice #{} ({}): {kind} {have} of {count}",
                    run.index, row.id
                ));
            } else if have > count {
                figures.events.duplicates += have - count;
                duplicate = true;
                figures.events.details.push(format!(
                    "invoice #{} ({}): {kind} {have} times, {count} expected",
                    run.index, row.id
                ));
            }
        }
        figures.events.invoices_with_duplicates += usize::from(duplicate);
    }
}

fn tally(deliveries: &mut Deliveries, want: usize, got: usize, what: &str, kind: &str) {
    deliveries.expected += want;
    deliveries.received += got;
    if got < want {
        deliveries.missing += want - got;
        deliveries
            .details
            .push(format!("{what}: {got} of {want} {kind}"));
    } else if got > want {
        deliveries.duplicates += got - want;
        deliveries.invoices_with_duplicates += 1;
        deliveries
            .details
            .push(format!("{what}: {got} {kind}, {want} expected"));
    }
}

fn requests(figures: &mut Figures, records: &[CallRecord], faults: &[Fault]) {
    figures.requests = records.len();
    for record in records {
        figures.in_progress_answers += record.in_progress_answers;
        if record.attempts > 1 {
            figures.requests_retried += 1;
        }
        let waited = record.waited();
        let end = record.ended_at;
        let what = format!(
            "{}{} at {:.1}s",
            record.what,
            record
                .invoice
                .map(|i| format!(" of invoice #{i}"))
                .unwrap_or_default(),
            record.sent_at
        );
        if !record.answered {
            figures.requests_unanswered.push(format!(
                "{what}: {} attempts over {waited:.0}s, last: {}",
                record.attempts,
                record.last_retry_reason.as_deref().unwrap_or("?")
            ));
        }
        let hit = overlapping(faults, record.sent_at, end);
        if hit.is_empty() {
            continue;
        }
        figures.requests_during_a_crash += 1;
        for fault in &hit {
            let longest = figures
                .longest_wait_by_fault
                .entry(fault.kind.label().to_owned())
                .or_default();
            *longest = longest.max(waited);
        }
        if figures
            .longest_wait_after_crash
            .as_ref()
            .is_none_or(|wait| waited > wait.seconds)
        {
            figures.longest_wait_after_crash = Some(Wait {
                seconds: waited,
                request: what,
                answered: record.answered,
                faults: summary(&hit),
            });
        }
    }
}

/// `API killed at 8.5s, worker killed 7 times (first at 3.9s)`.
fn summary(faults: &[&Fault]) -> Vec<String> {
    let mut by_kind: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for fault in faults {
        by_kind
            .entry(fault.kind.label())
            .or_default()
            .push(fault.at);
    }
    by_kind
        .into_iter()
        .map(|(kind, times)| match times.as_slice() {
            [once] => format!("{kind} at {once:.1}s"),
            [first, ..] => format!("{kind} {} times (first at {first:.1}s)", times.len()),
            [] => String::new(),
        })
        .collect()
}
