//! Where the CPU went while a figure was measured: each process of the stack (Temporal, moto,
//! PostgreSQL, Redis, the API, the worker, the baseline's worker, the bench itself), its CPU time
//! read from `/proc` before and after. On a machine of two shared cores, this is the profile that
//! says what bounds a scenario: the process near 100% of a core, or all of them adding up to
//! every core.

use serde::Serialize;
use std::{collections::BTreeMap, time::Instant};

/// Linux reports process times in USER_HZ, 100 per second on every mainstream architecture.
const TICKS_PER_SECOND: f64 = 100.0;

/// The processes, in the order the report lists them, by their command name (`comm`).
const PROCESSES: [(&str, &str); 7] = [
    ("temporal", "Temporal"),
    ("moto_server", "moto"),
    ("postgres", "PostgreSQL"),
    ("redis-server", "Redis"),
    ("api", "API"),
    ("worker", "worker"),
    ("bench", "bench"),
];

/// The CPU time of every process of interest at one moment.
pub struct Snapshot {
    at: Instant,
    ticks: BTreeMap<&'static str, u64>,
}

/// CPU used between a snapshot and now, per process, as a share of one core (1.0 = a whole core).
#[derive(Clone, Debug, Serialize)]
pub struct Usage {
    pub seconds: f64,
    pub cores: BTreeMap<&'static str, f64>,
}

impl Snapshot {
    pub fn take() -> Self {
        Self {
            at: Instant::now(),
            ticks: ticks(),
        }
    }

    pub fn usage(&self) -> Usage {
        let mut tally = Tally::default();
        tally.add(self);
        tally.usage()
    }
}

/// CPU used over several intervals, added up: the product's calls in rounds that alternate
/// with a baseline's, which is left out.
#[derive(Default)]
pub struct Tally {
    seconds: f64,
    ticks: BTreeMap<&'static str, u64>,
}

impl Tally {
    /// Adds what was used from `since` until now.
    pub fn add(&mut self, since: &Snapshot) {
        self.seconds += since.at.elapsed().as_secs_f64();
        for (name, ticks) in ticks() {
            let used = ticks.saturating_sub(since.ticks.get(name).copied().unwrap_or(0));
            *self.ticks.entry(name).or_default() += used;
        }
    }

    pub fn usage(&self) -> Usage {
        let cores = self
            .ticks
            .iter()
            .map(|(name, used)| {
                (
                    *name,
                    *used as f64 / TICKS_PER_SECOND / self.seconds.max(1e-3),
                )
            })
            .collect();
        Usage {
            seconds: self.seconds,
            cores,
        }
    }
}

impl Usage {
    /// "Temporal 94%, moto 44%, …": the busiest first, the idle left out.
    pub fn summary(&self) -> String {
        let mut busy: Vec<_> = self
            .cores
            .iter()
            .filter(|(_, share)| **share >= 0.01)
            .collect();
        busy.sort_by(|a, b| b.1.total_cmp(a.1));
        busy.iter()
            .map(|(name, share)| format!("{name} {:.0}%", *share * 100.0))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The process names as columns, in the report's order.
    pub fn columns() -> impl Iterator<Item = &'static str> {
        PROCESSES.iter().map(|(_, label)| *label)
    }
}

/// Every process's utime + stime, summed per label (PostgreSQL is a process per connection;
/// the bench is the load generator and the baseline's worker). Processes that cannot be read
/// (they exited meanwhile) count as nothing.
fn ticks() -> BTreeMap<&'static str, u64> {
    let mut ticks: BTreeMap<&'static str, u64> =
        PROCESSES.iter().map(|(_, label)| (*label, 0)).collect();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return ticks;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if let Some((comm, used)) = parse_stat(&stat)
            && let Some((_, label)) = PROCESSES.iter().find(|(c, _)| *c == comm)
        {
            *ticks.entry(label).or_default() += used;
        }
    }
    ticks
}

/// `(comm, utime + stime)` from a `/proc/PID/stat` line. The command name is in parentheses
/// and may itself contain spaces and parentheses, so the fields are counted after the last `)`.
fn parse_stat(stat: &str) -> Option<(&str, u64)> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?;
    let mut fields = stat.get(close + 1..)?.split_whitespace();
    // After the name: state (3), ppid (4), …, utime (14), stime (15).
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((comm, utime + stime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_the_name_and_the_cpu_ticks() {
        let line = "4242 (moto_server) S 1 4242 4242 0 -1 4194304 9000 0 0 0 1500 250 0 0 20 0 \
                    3 0 123456 1125268000 31996 18446744073709551615";
        assert_eq!(parse_stat(line), Some(("moto_server", 1750)));
        let odd = "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 1 1 1 1";
        assert_eq!(parse_stat(odd), Some(("a (b) c", 15)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn a_busy_process_is_seen_using_cpu() {
        let own = || {
            let stat = std::fs::read_to_string("/proc/self/stat").expect("own stat");
            parse_stat(&stat).expect("own stat parses").1
        };
        let before = own();
        // Busy for long enough to span many scheduler ticks.
        let started = Instant::now();
        let mut x = 0u64;
        while started.elapsed().as_millis() < 300 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        assert!(own() > before, "no CPU time counted for a busy loop");
    }
}
