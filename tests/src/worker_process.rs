//! The real `worker` binary as a process a test can kill with SIGKILL and start again,
//! configured like production through `APP_*` variables.

use super::{TestApp, aws};
use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
};

/// The `worker` binary of this build (`scripts/test` builds it next to the test binaries).
fn worker_binary() -> PathBuf {
    let deps = std::env::current_exe().expect("the test binary's path");
    let profile_dir = deps
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from target/<profile>/deps");
    let binary = profile_dir.join("worker");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --bin worker` first (scripts/test does)",
        binary.display()
    );
    binary
}

/// A worker process, killed when dropped (a failing test must not leave it running).
pub struct WorkerProcess(Child);

impl WorkerProcess {
    /// SIGKILL: no shutdown, no goodbye to Temporal.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A worker process, configured like production through `APP_*` variables.
pub fn spawn_worker(app: &TestApp, temporal_address: &str) -> WorkerProcess {
    let child = Command::new(worker_binary())
        .env("APP_DATABASE__URL", &app.db.url)
        .env("APP_TEMPORAL__ADDRESS", temporal_address)
        .env(
            "APP_TEMPORAL__TASK_QUEUE",
            &app.temporal_settings.task_queue,
        )
        .env("APP_AWS__ENDPOINT_URL", aws::endpoint())
        .env("APP_DOCUMENTS__BUCKET", &app.aws.names.bucket)
        .env("APP_EVENTS__QUEUE_NAME", &app.aws.names.queue)
        .env(
            "APP_EVENTS__DEAD_LETTER_QUEUE_NAME",
            &app.aws.names.dead_letter_queue,
        )
        .env("APP_REDIS__KEY_PREFIX", format!("{}:", app.db.name))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .spawn()
        .expect("starting the worker process");
    WorkerProcess(child)
}
