//! The run's clock and the faults injected on it, so that each call can be set against the
//! crashes that happened while it waited.

use serde::Serialize;
use std::{sync::Mutex, time::Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// `kill -9` of the worker, then a new one.
    WorkerKill,
    /// `kill -9` of the API, then a new one on the same port.
    ApiKill,
    /// `kill -9` of the Temporal server, then a new one on the same SQLite file and ports.
    TemporalRestart,
    /// A process the suite did not kill exited by itself (and was started again).
    UnexpectedExit,
}

impl FaultKind {
    pub fn label(self) -> &'static str {
        match self {
            FaultKind::WorkerKill => "worker killed",
            FaultKind::ApiKill => "API killed",
            FaultKind::TemporalRestart => "Temporal killed",
            FaultKind::UnexpectedExit => "process exited by itself",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Fault {
    pub kind: FaultKind,
    /// Seconds since the run started.
    pub at: f64,
    /// When its replacement was running again.
    pub back_at: Option<f64>,
    pub note: String,
}

pub struct Timeline {
    started: Instant,
    faults: Mutex<Vec<Fault>>,
}

impl Timeline {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            faults: Mutex::default(),
        }
    }

    /// Seconds since the run started.
    pub fn now(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Records a fault; returns its index for [`Self::back`].
    pub fn fault(&self, kind: FaultKind, note: String) -> usize {
        let mut faults = self.faults.lock().expect("faults");
        faults.push(Fault {
            kind,
            at: self.now(),
            back_at: None,
            note,
        });
        faults.len() - 1
    }

    /// The process hit by fault `index` runs again.
    pub fn back(&self, index: usize) {
        let now = self.now();
        if let Some(fault) = self.faults.lock().expect("faults").get_mut(index) {
            fault.back_at = Some(now);
        }
    }

    pub fn faults(&self) -> Vec<Fault> {
        self.faults.lock().expect("faults").clone()
    }
}

impl Default for Timeline {
    fn default() -> Self {
        Self::new()
    }
}

/// The faults whose outage overlapped `[from, to]`.
pub fn overlapping(faults: &[Fault], from: f64, to: f64) -> Vec<&Fault> {
    faults
        .iter()
        .filter(|fault| fault.at <= to && fault.back_at.unwrap_or(f64::INFINITY) >= from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(at: f64, back_at: Option<f64>) -> Fault {
        Fault {
            kind: FaultKind::WorkerKill,
            at,
            back_at,
            note: String::new(),
        }
    }

    #[test]
    fn a_call_overlaps_the_outages_that_touch_it() {
        let faults = [
            fault(1.0, Some(2.0)),
            fault(5.0, Some(6.0)),
            fault(9.0, None),
        ];
        // Sent while the first process was down, answered before the second fault.
        assert_eq!(overlapping(&faults, 1.5, 4.0).len(), 1);
        assert_eq!(overlapping(&faults, 2.5, 4.0).len(), 0);
        // A fault whose process never came back overlaps everything after it.
        assert_eq!(overlapping(&faults, 20.0, 21.0).len(), 1);
        assert_eq!(overlapping(&faults, 0.0, 30.0).len(), 3);
    }
}
