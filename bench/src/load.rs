//! The load generator: a fixed number of calls from a fixed number of concurrent clients, each
//! timed. It stops by itself when the last call has answered.

use serde::Serialize;
use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

/// What one run of calls measured.
#[derive(Clone, Debug, Serialize)]
pub struct Measured {
    pub calls: usize,
    pub concurrency: usize,
    pub errors: usize,
    /// The first error, to say what went wrong.
    pub first_error: Option<String>,
    pub seconds: f64,
    /// Successful calls per second.
    pub per_second: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// Makes `calls` calls, `concurrency` at a time: call `i` is `call(i)`. Each client task takes
/// the next index when its call has answered, so `concurrency` calls are always in flight.
pub async fn drive<F, Fut>(calls: usize, concurrency: usize, call: F) -> Measured
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let call = Arc::new(call);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let call = call.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut timings = Vec::new();
                let mut errors = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= calls {
                        break;
                    }
                    let sent = Instant::now();
                    match call(index).await {
                        Ok(()) => timings.push(sent.elapsed()),
                        Err(error) => errors.push(error),
                    }
                }
                (timings, errors)
            })
        })
        .collect();
    let mut timings = Vec::with_capacity(calls);
    let mut errors = Vec::new();
    for client in clients {
        match client.await {
            Ok((mut t, mut e)) => {
                timings.append(&mut t);
                errors.append(&mut e);
            }
            Err(panicked) => errors.push(format!("a client task failed: {panicked}")),
        }
    }
    summarize(calls, concurrency, started.elapsed(), timings, errors)
}

fn summarize(
    calls: usize,
    concurrency: usize,
    elapsed: Duration,
    mut timings: Vec<Duration>,
    errors: Vec<String>,
) -> Measured {
    timings.sort_unstable();
    let seconds = elapsed.as_secs_f64();
    Measured {
        calls,
        concurrency,
        errors: errors.len(),
        first_error: errors.into_iter().next(),
        seconds,
        per_second: timings.len() as f64 / seconds,
        p50_ms: percentile(&timings, 0.50),
        p95_ms: percentile(&timings, 0.95),
        p99_ms: percentile(&timings, 0.99),
    }
}

/// The nearest-rank percentile of sorted timings, in milliseconds (0 when there are none).
fn percentile(sorted: &[Duration], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}

/// Of several rounds of the same measurement, the fastest: noise on a shared machine only ever
/// slows a round down.
pub fn best(rounds: Vec<Measured>) -> Measured {
    rounds
        .into_iter()
        .max_by(|a, b| a.per_second.total_cmp(&b.per_second))
        .expect("at least one round")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let timings: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&timings, 0.50), 50.0);
        assert_eq!(percentile(&timings, 0.95), 95.0);
        assert_eq!(percentile(&timings, 0.99), 99.0);
        assert_eq!(percentile(&timings[..1], 0.99), 1.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[tokio::test]
    async fn every_call_is_made_once_and_errors_are_counted() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let measured = drive(50, 7, move |i| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(i);
                if i % 10 == 0 {
                    Err(format!("call {i} refused"))
                } else {
                    Ok(())
                }
            }
        })
        .await;
        let mut seen = seen.lock().unwrap().clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..50).collect::<Vec<_>>());
        assert_eq!(measured.errors, 5);
        assert!(measured.first_error.unwrap().ends_with("refused"));
        assert_eq!(measured.calls, 50);
    }
}
