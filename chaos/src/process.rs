//! One of the product's processes (the Temporal server, the API, the worker) under the suite's
//! control: started, killed with SIGKILL at the worst moment, started again the same way, and
//! stopped at the end. Each start appends to the same log file, under a header line.
//!
//! Every process started is listed in a pid file (`pid<TAB>executable` per line) that
//! `scripts/chaos` reads on exit, so that nothing outlives a suite that was itself killed.

use anyhow::Context;
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{ExitStatus, Stdio},
    sync::Arc,
    time::Duration,
};
use tokio::{
    process::{Child, Command},
    sync::Mutex,
};

/// How a process is started: the same command every time.
pub type Recipe = Arc<dyn Fn() -> Command + Send + Sync>;

pub struct Process {
    pub name: &'static str,
    recipe: Recipe,
    log: PathBuf,
    pid_file: PathBuf,
    child: Mutex<Option<Child>>,
}

impl Process {
    /// Starts the process (`recipe`, output appended to `log`).
    pub async fn start(
        name: &'static str,
        recipe: Recipe,
        log: PathBuf,
        pid_file: PathBuf,
    ) -> anyhow::Result<Self> {
        let process = Self {
            name,
            recipe,
            log,
            pid_file,
            child: Mutex::new(None),
        };
        process.restart().await?;
        Ok(process)
    }

    /// Starts the process again (after it was killed or exited).
    pub async fn restart(&self) -> anyhow::Result<()> {
        let mut slot = self.child.lock().await;
        if let Some(mut old) = slot.take() {
            // Not expected to run: a restart follows a kill or an exit.
            let _ = old.kill().await;
        }
        let mut log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .with_context(|| format!("opening {}", self.log.display()))?;
        writeln!(
            log,
            "==== chaos: {} started at {} ====",
            self.name,
            chrono::Utc::now().format("%H:%M:%S%.3f")
        )?;
        let mut command = (self.recipe)();
        command
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true);
        let child = command
            .spawn()
            .with_context(|| format!("starting the {} ({command:?})", self.name))?;
        if let Some(pid) = child.id() {
            let program = command
                .as_std()
                .get_program()
                .to_string_lossy()
                .into_owned();
            let mut pids = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.pid_file)
                .with_context(|| format!("opening {}", self.pid_file.display()))?;
            writeln!(pids, "{pid}\t{program}")?;
        }
        *slot = Some(child);
        Ok(())
    }

    /// `kill -9`: no shutdown, no goodbye to anyone. Waits until the process is gone.
    pub async fn kill9(&self) -> anyhow::Result<()> {
        let mut slot = self.child.lock().await;
        if let Some(child) = slot.as_mut() {
            child
                .kill()
                .await
                .with_context(|| format!("killing the {}", self.name))?;
        }
        *slot = None;
        Ok(())
    }

    /// The exit status if the process ended by itself (`None` while it runs, or while a fault
    /// is being injected into it).
    pub fn exited(&self) -> Option<ExitStatus> {
        let mut slot = self.child.try_lock().ok()?;
        let status = slot.as_mut()?.try_wait().ok()??;
        *slot = None;
        Some(status)
    }

    /// SIGTERM, then SIGKILL after `grace`.
    pub async fn stop(&self, grace: Duration) {
        let mut slot = self.child.lock().await;
        let Some(child) = slot.as_mut() else {
            return;
        };
        if let Some(pid) = child.id() {
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()
                .await;
        }
        if tokio::time::timeout(grace, child.wait()).await.is_err() {
            let _ = child.kill().await;
        }
        *slot = None;
    }

    pub fn log(&self) -> &Path {
        &self.log
    }
}
