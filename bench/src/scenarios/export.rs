//! Scenario 8, Export: the accountant's invoices CSV (`GET /api/exports/invoices.csv`) over
//! the invoices of [`books`], for the last 25 days (10,000 rows) and then all 250 (100,000
//! rows). While each file streams, the API process's resident memory is sampled every 10 ms
//! (`/proc/<pid>/status`): an export streams from PostgreSQL a chunk at a time, so its peak
//! must not grow with the rows. Target: the peak at 100,000 rows ≤ 1.2 × the peak at 10,000.
//!
//! Every file is read to its end and its records counted (RFC 4180's line ends, outside
//! quotes): the rows must be the invoices seeded in the range, or the scenario fails. Its time
//! is measured against a plain `SELECT sum(total)` over the same invoices, run from here through
//! sqlx; rounds alternate and the best of each counts.

use super::{
    Bench,
    books::{Books, DAYS, books},
};
use crate::{
    cpu::{Snapshot, Tally, Usage},
    report::{Row, Target, number},
    stack::rss_mib,
};
use anyhow::bail;
use chrono::NaiveDate;
use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::task::JoinHandle;

/// Rounds of each size, each an export and its baseline.
const ROUNDS: usize = 3;
/// How often the API's memory is read while a file streams.
const SAMPLE_EVERY: Duration = Duration::from_millis(10);

/// One size's figures over its rounds.
struct Measured {
    rows: i64,
    bytes: u64,
    /// The fastest export and the fastest baseline, in seconds.
    export: f64,
    baseline: f64,
    /// The API's resident memory before the first round, and the highest seen during any.
    before_mib: f64,
    peak_mib: f64,
    /// Where the CPU went during the exports.
    cpu: Usage,
}

pub async fn run(bench: &mut Bench) -> anyhow::Result<Vec<Row>> {
    let books = books(bench).await?;
    // One day's file first: what the first export of the process allocates once (the
    // connection's statement, the encoder's buffers) is not counted in the smaller size.
    download(bench, &books, books.today, books.today, books.per_day).await?;
    let some = measure(bench, &books, DAYS / 10).await?;
    let all = measure(bench, &books, DAYS).await?;

    let mut rows: Vec<Row> = [&some, &all]
        .into_iter()
        .map(|size| {
            Row::new(
                "Export",
                format!(
                    "GET /api/exports/invoices.csv, {} rows ({:.1} MiB, {} rows/s)",
                    number(size.rows as f64),
                    size.bytes as f64 / 1024.0 / 1024.0,
                    number(size.rows as f64 / size.export)
                ),
                size.export * 1000.0,
                "ms",
            )
            .cpu(size.cpu.clone())
            .against(
                "SELECT sum(total) over the same invoices",
                size.baseline * 1000.0,
                "ms",
            )
        })
        .collect();
    rows.push(
        Row::new(
            "Export",
            format!(
                "API peak memory (RSS) exporting {} rows (before: {:.0} MiB)",
                number(all.rows as f64),
                all.before_mib
            ),
            all.peak_mib,
            "MiB",
        )
        .against(
            format!(
                "exporting {} rows (before: {:.0} MiB)",
                number(some.rows as f64),
                some.before_mib
            ),
            some.peak_mib,
            "MiB",
        )
        .target(Target::RatioAtMost(1.2)),
    );
    Ok(rows)
}

/// The export of the last `days` days, [`ROUNDS`] times, each after its baseline.
async fn measure(bench: &Bench, books: &Books, days: u32) -> anyhow::Result<Measured> {
    let (from, to) = (books.days_back(days), books.today);
    let expected = books.issued_in_last(days);
    let before_mib = rss_mib(bench.stack.api_pid())?;
    let (mut export, mut baseline, mut peak_mib) = (f64::INFINITY, f64::INFINITY, 0f64);
    let (mut bytes, mut cpu) = (0, Tally::default());
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let (invoices, _total): (i64, i64) = sqlx::query_as(
            "SELECT count(*), COALESCE(sum(total), 0)::int8 FROM invoices \
             WHERE user_id = $1 AND sent_at IS NOT NULL AND issue_date BETWEEN $2 AND $3",
        )
        .bind(books.user_id)
        .bind(from)
        .bind(to)
        .fetch_one(&bench.stack.db)
        .await?;
        baseline = baseline.min(started.elapsed().as_secs_f64());
        if invoices != expected {
            bail!("{invoices} invoices were issued from {from} to {to}, not the {expected} seeded");
        }

        let profile = Snapshot::take();
        let file = download(bench, books, from, to, expected).await?;
        cpu.add(&profile);
        export = export.min(file.seconds);
        peak_mib = peak_mib.max(file.peak_mib);
        bytes = file.bytes;
    }
    Ok(Measured {
        rows: expected,
        bytes,
        export,
        baseline,
        before_mib,
        peak_mib,
        cpu: cpu.usage(),
    })
}

/// One file, read to its end.
struct Downloaded {
    seconds: f64,
    bytes: u64,
    /// The API's highest resident memory while it streamed.
    peak_mib: f64,
}

/// Downloads the invoices issued from `from` to `to`, sampling the API's memory meanwhile;
/// fails unless the file is whole and holds `expected` rows.
async fn download(
    bench: &Bench,
    books: &Books,
    from: NaiveDate,
    to: NaiveDate,
    expected: i64,
) -> anyhow::Result<Downloaded> {
    let sampler = Sampler::start(bench.stack.api_pid());
    let started = Instant::now();
    let path = format!("/api/exports/invoices.csv?from={from}&to={to}");
    let mut response = bench
        .api
        .open(&path, &books.account)
        .await
        .map_err(anyhow::Error::msg)?;
    let (mut bytes, mut records) = (0u64, Records::default());
    while let Some(chunk) = response.chunk().await? {
        bytes += chunk.len() as u64;
        records.feed(&chunk);
    }
    let seconds = started.elapsed().as_secs_f64();
    let peak_mib = sampler.peak().await?;
    let rows = records.complete().map(|records| records as i64 - 1);
    if rows != Some(expected) {
        bail!(
            "the export from {from} to {to} held {} ({bytes} bytes); {expected} rows were seeded",
            rows.map_or("an unfinished record".to_owned(), |rows| format!(
                "{rows} rows"
            ))
        );
    }
    Ok(Downloaded {
        seconds,
        bytes,
        peak_mib,
    })
}

/// Reads a process's resident memory every [`SAMPLE_EVERY`] until stopped; keeps the highest.
struct Sampler {
    stop: Arc<AtomicBool>,
    task: JoinHandle<anyhow::Result<f64>>,
}

impl Sampler {
    fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let task = tokio::spawn(async move {
            let mut peak = rss_mib(pid)?;
            while !stopped.load(Ordering::Relaxed) {
                tokio::time::sleep(SAMPLE_EVERY).await;
                peak = peak.max(rss_mib(pid)?);
            }
            Ok(peak)
        });
        Self { stop, task }
    }

    /// Stops sampling (after one last sample); the highest resident memory seen, in MiB.
    async fn peak(self) -> anyhow::Result<f64> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await?
    }
}

/// Counts the records of an RFC 4180 file as it streams in: line ends outside quoted fields
/// (a quote inside a field is doubled, so it toggles twice).
#[derive(Default)]
struct Records {
    quoted: bool,
    records: u64,
    /// Whether the last byte ended a record.
    at_end: bool,
}

impl Records {
    fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match byte {
                b'"' => self.quoted = !self.quoted,
                b'\n' if !self.quoted => self.records += 1,
                _ => {}
            }
            self.at_end = byte == b'\n' && !self.quoted;
        }
    }

    /// The records, header included, if the file ended where a record ends.
    fn complete(&self) -> Option<u64> {
        self.at_end.then_some(self.records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_counted_across_chunks_and_quoted_line_ends() {
        let file = "number,name\r\nINV-1,\"Müller, Schmidt & \"\"Partner\"\"\"\r\n\
                    INV-2,\"two\r\nlines\"\r\nINV-3,Plain\r\n";
        for split in 0..file.len() {
            let mut records = Records::default();
            let (head, tail) = file.as_bytes().split_at(split);
            records.feed(head);
            records.feed(tail);
            assert_eq!(records.complete(), Some(4), "split at {split}");
        }
        let mut cut = Records::default();
        cut.feed(&file.as_bytes()[..file.len() - 3]);
        assert_eq!(cut.complete(), None);
        let mut open_quote = Records::default();
        open_quote.feed(b"a,\"b\r\n");
        assert_eq!(open_quote.complete(), None);
    }
}
