//! The results: one row per measured figure, next to its baseline and target, written as a
//! Markdown table (for the README) and as JSON (for tools), and printed as they come.

use crate::{cpu::Usage, load::Measured};
use serde::Serialize;
use std::{fmt::Write as _, path::Path};

/// What a figure must reach.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Target {
    /// The ratio to the baseline is at least this.
    RatioAtLeast(f64),
    /// The ratio to the baseline is at most this.
    RatioAtMost(f64),
    /// The figure itself is at least this, with no errors.
    AtLeastWithoutErrors(f64),
    /// The figure itself is at most this.
    AtMost(f64),
}

impl Target {
    fn met(self, row: &Row) -> bool {
        match self {
            Target::RatioAtLeast(limit) => row.ratio.is_some_and(|r| r >= limit),
            Target::RatioAtMost(limit) => row.ratio.is_some_and(|r| r <= limit),
            Target::AtLeastWithoutErrors(limit) => {
                row.value >= limit && row.load.as_ref().is_none_or(|l| l.errors == 0)
            }
            Target::AtMost(limit) => row.value <= limit,
        }
    }

    fn describe(self, unit: &str) -> String {
        match self {
            Target::RatioAtLeast(limit) => format!("ratio ≥ {limit}"),
            Target::RatioAtMost(limit) => format!("ratio ≤ {limit}"),
            Target::AtLeastWithoutErrors(limit) => format!("≥ {} {unit}, 0 errors", number(limit)),
            Target::AtMost(limit) => format!("≤ {} {unit}", number(limit)),
        }
    }
}

/// The baseline a figure is compared with, measured in the same run.
#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    pub what: String,
    pub value: f64,
    pub unit: &'static str,
    pub load: Option<Measured>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub scenario: &'static str,
    pub what: String,
    pub value: f64,
    pub unit: &'static str,
    /// Latencies and errors, for figures measured by the load generator.
    pub load: Option<Measured>,
    pub baseline: Option<Baseline>,
    /// `value / baseline.value`.
    pub ratio: Option<f64>,
    pub targets: Vec<Target>,
    /// Whether every target is met (`None`: the figure has none).
    pub met: Option<bool>,
    /// Where the CPU went while the product's figure was measured.
    pub cpu: Option<Usage>,
}

impl Row {
    pub fn new(
        scenario: &'static str,
        what: impl Into<String>,
        value: f64,
        unit: &'static str,
    ) -> Self {
        Self {
            scenario,
            what: what.into(),
            value,
            unit,
            load: None,
            baseline: None,
            ratio: None,
            targets: Vec::new(),
            met: None,
            cpu: None,
        }
    }

    /// A figure from the load generator: its throughput, with latencies and errors.
    pub fn load(scenario: &'static str, what: impl Into<String>, measured: Measured) -> Self {
        let mut row = Self::new(scenario, what, measured.per_second, "req/s");
        row.load = Some(measured);
        row
    }

    pub fn unit(mut self, unit: &'static str) -> Self {
        self.unit = unit;
        self
    }

    /// Compares the figure with `value` (in `unit`) of the baseline `what`.
    pub fn against(mut self, what: impl Into<String>, value: f64, unit: &'static str) -> Self {
        self.ratio = (value > 0.0).then(|| self.value / value);
        self.baseline = Some(Baseline {
            what: what.into(),
            value,
            unit,
            load: None,
        });
        self
    }

    /// Compares the figure with a baseline from the load generator.
    pub fn against_load(self, what: impl Into<String>, measured: Measured) -> Self {
        let mut row = self.against(what, measured.per_second, "req/s");
        if let Some(baseline) = &mut row.baseline {
            baseline.load = Some(measured);
        }
        row
    }

    /// What each process of the stack used while the figure was measured.
    pub fn cpu(mut self, usage: Usage) -> Self {
        self.cpu = Some(usage);
        self
    }

    pub fn target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self.met = Some(self.targets.iter().all(|t| t.met(&self)));
        self
    }

    /// One line for the console.
    pub fn line(&self) -> String {
        let mut line = format!(
            "[{}] {}: {} {}",
            self.scenario,
            self.what,
            number(self.value),
            self.unit
        );
        if let Some(load) = &self.load {
            let _ = write!(
                line,
                " (p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, {} errors of {} at concurrency {})",
                load.p50_ms, load.p95_ms, load.p99_ms, load.errors, load.calls, load.concurrency
            );
            if let Some(error) = &load.first_error {
                let _ = write!(line, "; first error: {error}");
            }
        }
        if let (Some(baseline), Some(ratio)) = (&self.baseline, self.ratio) {
            let _ = write!(
                line,
                "; baseline {}: {} {} → ratio {ratio:.2}",
                baseline.what,
                number(baseline.value),
                baseline.unit
            );
        }
        if let Some(met) = self.met {
            let _ = write!(
                line,
                " [{}]",
                if met { "target met" } else { "TARGET MISSED" }
            );
        }
        if let Some(cpu) = &self.cpu {
            let _ = write!(line, "\n    CPU (% of a core): {}", cpu.summary());
        }
        line
    }
}

/// The machine the run measured, so a table is read with it.
#[derive(Debug, Serialize)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub kernel: String,
}

impl Machine {
    pub fn describe() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name"))
            .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let memory_kib: f64 = std::fs::read_to_string("/proc/meminfo")
            .unwrap_or_default()
            .lines()
            .find_map(|line| line.strip_prefix("MemTotal:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|release| format!("Linux {}", release.trim()))
            .unwrap_or_else(|_| std::env::consts::OS.to_owned());
        Self {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: memory_kib / 1024.0 / 1024.0,
            kernel,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub started_at: String,
    pub seconds: f64,
    pub machine: Machine,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn markdown(&self) -> String {
        let machine = &self.machine;
        let mut out = format!(
            "Run {} on {} cores ({}), {:.0} GiB, {}; {:.0} s.\n\n",
            self.started_at,
            machine.cores,
            machine.cpu,
            machine.memory_gib,
            machine.kernel,
            self.seconds
        );
        out.push_str(
            "| Scenario | Measure | Result | p50 / p95 / p99 ms | Errors | Baseline | Ratio | Target | Met |\n",
        );
        out.push_str("|---|---|---:|---:|---:|---|---:|---|:---:|\n");
        for row in &self.rows {
            let latency = row.load.as_ref().map_or(String::new(), |l| {
                format!("{:.1} / {:.1} / {:.1}", l.p50_ms, l.p95_ms, l.p99_ms)
            });
            let errors = row
                .load
                .as_ref()
                .map_or(String::new(), |l| format!("{} of {}", l.errors, l.calls));
            let baseline = row.baseline.as_ref().map_or(String::new(), |b| {
                format!("{}: {} {}", b.what, number(b.value), b.unit)
            });
            let ratio = row.ratio.map_or(String::new(), |r| format!("{r:.2}"));
            let targets = row
                .targets
                .iter()
                .map(|t| t.describe(row.unit))
                .collect::<Vec<_>>()
                .join("; ");
            let met = match row.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} {} | {latency} | {errors} | {baseline} | {ratio} | {targets} | {met} |",
                row.scenario,
                row.what,
                number(row.value),
                row.unit
            );
        }
        let profiled: Vec<_> = self
            .rows
            .iter()
            .filter_map(|row| row.cpu.as_ref().map(|cpu| (row, cpu)))
            .collect();
        if !profiled.is_empty() {
            let _ = write!(
                out,
                "\nWhere the CPU went while the product was measured, in % of one core \
                 (the machine has {}):\n\n| Scenario | Measure | Seconds |",
                machine.cores
            );
            for column in Usage::columns() {
                let _ = write!(out, " {column} |");
            }
            out.push_str("\n|---|---|---:|");
            out.push_str(&"---:|".repeat(Usage::columns().count()));
            out.push('\n');
            for (row, cpu) in profiled {
                let _ = write!(
                    out,
                    "| {} | {} | {:.0} |",
                    row.scenario, row.what, cpu.seconds
                );
                for column in Usage::columns() {
                    let share = cpu.cores.get(column).copied().unwrap_or(0.0);
                    let _ = write!(out, " {:.0} |", share * 100.0);
                }
                out.push('\n');
            }
        }
        out
    }

    /// Writes `bench.md` and `bench.json` into `dir`.
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("bench.md"), self.markdown())?;
        std::fs::write(dir.join("bench.json"), serde_json::to_string_pretty(self)?)?;
        Ok(())
    }
}

/// Figures to three significant digits, with thousands separated.
pub fn number(value: f64) -> String {
    if value >= 100.0 {
        let whole = value.round() as i64;
        let digits = whole.abs().to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        if whole < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_easily() {
        assert_eq!(number(1234.6), "1,235");
        assert_eq!(number(123.4), "123");
        assert_eq!(number(12.34), "12.3");
        assert_eq!(number(1.234), "1.23");
        assert_eq!(number(1_234_567.0), "1,234,567");
    }

    #[test]
    fn targets_judge_the_ratio_or_the_figure() {
        let row = Row::new("Create", "POST", 80.0, "req/s").against("raw", 100.0, "req/s");
        assert!(row.clone().target(Target::RatioAtLeast(0.8)).met.unwrap());
        assert!(!row.clone().target(Target::RatioAtLeast(0.81)).met.unwrap());
        assert!(row.clone().target(Target::RatioAtMost(0.8)).met.unwrap());
        assert!(!row.clone().target(Target::AtMost(79.0)).met.unwrap());
        assert!(
            !row.target(Target::RatioAtLeast(0.5))
                .target(Target::AtLeastWithoutErrors(1000.0))
                .met
                .unwrap()
        );
    }
}
