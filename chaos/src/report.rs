//! The report: a summary table of the invariants and the figures, printed and written as
//! Markdown (`report.md`) and JSON (`report.json`, with every call and every invoice of the
//! workload).

use crate::{
    checks::Check,
    client::CallRecord,
    figures::{Figures, WAIT_TARGET_SECS},
    timeline::Fault,
    workload::InvoiceRun,
};
use serde::Serialize;
use std::{fmt::Write, path::Path};

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Sizes {
    pub bounded: bool,
    pub invoices: usize,
    pub clients: usize,
    pub worker_kills: usize,
    pub api_kills: usize,
    pub temporal_restarts: usize,
    pub client_deadline_secs: u64,
}

impl Sizes {
    /// The full size `scripts/chaos` runs by default.
    pub const FULL: (usize, usize, usize, usize) = (70, 30, 2, 1);
    /// The bounded size `scripts/test` runs (`--bounded`).
    pub const BOUNDED: (usize, usize, usize, usize) = (20, 8, 1, 1);

    fn label(&self) -> &'static str {
        let counts = (
            self.invoices,
            self.worker_kills,
            self.api_kills,
            self.temporal_restarts,
        );
        match (self.bounded, counts) {
            (true, counts) if counts == Self::BOUNDED => "bounded",
            (true, _) => "bounded, resized",
            (false, counts) if counts == Self::FULL => "full size",
            (false, _) => "resized",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub started_at: String,
    pub sizes: Sizes,
    pub workload_secs: f64,
    pub settle_secs: f64,
    pub total_secs: f64,
    /// What was still outstanding when the wait for a quiet product ended (empty: settled).
    pub unsettled: Vec<String>,
    /// A fault whose process did not come back.
    pub fault_errors: Vec<String>,
    pub checks: Vec<Check>,
    pub figures: Figures,
    pub faults: Vec<Fault>,
    pub invoices: Vec<InvoiceRun>,
    pub requests: Vec<CallRecord>,
}

/// How many violations of each check the table lists.
const SHOWN: usize = 15;

impl Report {
    /// Whether every invariant held (and, at full size, the wait target was met).
    pub fn passed(&self) -> bool {
        self.failures().is_empty()
    }

    /// The names of what failed.
    pub fn failures(&self) -> Vec<String> {
        let mut failed: Vec<String> = self
            .checks
            .iter()
            .filter(|check| !check.passed())
            .map(|check| check.name.to_owned())
            .collect();
        if !self.unsettled.is_empty() {
            failed.push("the product settled".to_owned());
        }
        if !self.fault_errors.is_empty() {
            failed.push("every process came back after its fault".to_owned());
        }
        if !self.sizes.bounded && !self.figures.wait_target_met() {
            failed.push(format!(
                "longest wait after a crash <= {WAIT_TARGET_SECS} s"
            ));
        }
        failed
    }

    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let s = &self.sizes;
        let _ = writeln!(
            md,
            "# Chaos run, {} ({})\n\n{} invoices from {} clients; {} worker kills, {} API kills, {} Temporal restarts planned; clients retry for up to {} s. Workload {:.0} s, settling {:.0} s, {:.0} s in all.\n",
            self.started_at,
            s.label(),
            s.invoices,
            s.clients,
            s.worker_kills,
            s.api_kills,
            s.temporal_restarts,
            s.client_deadline_secs,
            self.workload_secs,
            self.settle_secs,
            self.total_secs
        );
        md.push_str("| invariant | checked | result |\n|---|---:|---|\n");
        let settled = if self.unsettled.is_empty() {
            "ok".to_owned()
        } else {
            format!("**FAILED**: {} outstanding", self.unsettled.len())
        };
        let _ = writeln!(
            md,
            "| the product settled (deliveries done, workflows completed) | | {settled} |"
        );
        for check in &self.checks {
            let result = if check.passed() {
                "ok".to_owned()
            } else {
                format!("**FAILED**: {}", check.violations.len())
            };
            let _ = writeln!(md, "| {} | {} | {result} |", check.name, check.checked);
        }
        let f = &self.figures;
        let wait = f.longest_wait_after_crash.as_ref().map_or_else(
            || "no request overlapped a crash".to_owned(),
            |w| {
                format!(
                    "{:.1} s{} ({}; {})",
                    w.seconds,
                    if w.answered { "" } else { ", never answered" },
                    w.request,
                    w.faults.join(", ")
                )
            },
        );
        let met = if f.wait_target_met() {
            "met"
        } else {
            "NOT met"
        };
        let target = if s.bounded {
            " (a figure in a bounded run)"
        } else {
            ""
        };
        md.push_str("\n| figure | value |\n|---|---|\n");
        let rows = [
            (
                format!(
                    "longest wait after a crash (target <= {WAIT_TARGET_SECS} s: {met}{target})"
                ),
                wait,
            ),
            (
                "longest wait by fault".to_owned(),
                join_map(&f.longest_wait_by_fault, |v| format!("{v:.1} s")),
            ),
            (
                "faults injected".to_owned(),
                join_map(&f.faults, |v| v.to_string()),
            ),
            (
                "requests (retried / during a crash / never answered)".to_owned(),
                format!(
                    "{} ({} / {} / {})",
                    f.requests,
                    f.requests_retried,
                    f.requests_during_a_crash,
                    f.requests_unanswered.len()
                ),
            ),
            (
                "409 idempotency-key-in-progress answers".to_owned(),
                f.in_progress_answers.to_string(),
            ),
            (
                "e-mails (expected / received / missing / duplicates)".to_owned(),
                deliveries(&f.emails),
            ),
            (
                "events (expected / received / missing / duplicates)".to_owned(),
                deliveries(&f.events),
            ),
            (
                "event messages delivered again".to_owned(),
                f.event_redeliveries.to_string(),
            ),
            (
                "payment_failed events after a success".to_owned(),
                f.payment_failed_events.to_string(),
            ),
            (
                "invoices created twice".to_owned(),
                f.invoices_created_twice.len().to_string(),
            ),
            (
                "open invoices without a running workflow".to_owned(),
                f.open_without_workflow.len().to_string(),
            ),
        ];
        for (name, value) in rows {
            let _ = writeln!(md, "| {name} | {value} |");
        }
        let mut details: Vec<(String, &[String])> = vec![
            (
                "Outstanding when settling ended".to_owned(),
                &self.unsettled,
            ),
            (
                "Processes that did not come back".to_owned(),
                &self.fault_errors,
            ),
        ];
        for check in &self.checks {
            details.push((check.name.to_owned(), &check.violations));
        }
        details.extend([
            (
                "Requests never answered".to_owned(),
                f.requests_unanswered.as_slice(),
            ),
            (
                "Invoices created twice".to_owned(),
                f.invoices_created_twice.as_slice(),
            ),
            ("E-mails".to_owned(), f.emails.details.as_slice()),
            ("Events".to_owned(), f.events.details.as_slice()),
            (
                "Open invoices without a running workflow".to_owned(),
                f.open_without_workflow.as_slice(),
            ),
            (
                "API kills and unexpected exits".to_owned(),
                f.fault_notes.as_slice(),
            ),
        ]);
        for (title, lines) in details {
            if lines.is_empty() {
                continue;
            }
            let _ = writeln!(md, "\n**{title}** ({}):\n", lines.len());
            for line in lines.iter().take(SHOWN) {
                let _ = writeln!(md, "- {line}");
            }
            if lines.len() > SHOWN {
                let _ = writeln!(md, "- ... and {} more (report.json)", lines.len() - SHOWN);
            }
        }
        let failures = self.failures();
        let _ = writeln!(
            md,
            "\n**Result: {}**",
            if failures.is_empty() {
                "every invariant held".to_owned()
            } else {
                format!("FAILED: {}", failures.join("; "))
            }
        );
        md
    }

    pub fn write(&self, out: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(out)?;
        std::fs::write(out.join("report.md"), self.markdown())?;
        std::fs::write(out.join("report.json"), serde_json::to_string_pretty(self)?)?;
        Ok(())
    }
}

fn deliveries(d: &crate::figures::Deliveries) -> String {
    format!(
        "{} / {} / {} / {} (on {} invoices)",
        d.expected, d.received, d.missing, d.duplicates, d.invoices_with_duplicates
    )
}

fn join_map<V>(map: &std::collections::BTreeMap<String, V>, show: impl Fn(&V) -> String) -> String {
    if map.is_empty() {
        return "none".to_owned();
    }
    map.iter()
        .map(|(k, v)| format!("{k}: {}", show(v)))
        .collect::<Vec<_>>()
        .join(", ")
}
