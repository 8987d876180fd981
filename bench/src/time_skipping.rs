//! Temporal's time-skipping test server with an API and a worker of the product's own on it
//! (the same release binaries, their own task queue): what the History scenario runs on, so
//! that one invoice lives through a month of reminders in seconds, at the real durations.

use crate::{
    client::Api,
    stack::{self, Stack, api_command, free_port, product_command, spawn, wait_until_ready},
};
use anyhow::Context;
use chrono::{DateTime, Utc};
use invoicing_platform::temporal::{self, TemporalSettings};
use std::{
    process::{Child, Command},
    time::Duration,
};
use temporalio_client::{Client, tonic::IntoRequest};
use temporalio_common::protos::temporal::api::testservice::v1::SleepRequest;
use uuid::Uuid;

pub struct TimeSkipping {
    /// The API on the test server.
    pub api: Api,
    /// A client of the test server.
    pub temporal: Client,
    server: Child,
    api_process: Child,
    worker_process: Child,
}

impl TimeSkipping {
    /// Starts the test server (`TEMPORAL_TEST_SERVER_PATH`, which `scripts/bench` sets), then
    /// an API and a worker on it, configured as `stack`'s are (same database, Redis, local AWS
    /// and fake Stripe); returns once the API is ready.
    pub async fn start(stack: &Stack) -> anyhow::Result<Self> {
        let logs = stack.logs();
        let exe = std::env::var("TEMPORAL_TEST_SERVER_PATH").context(
            "TEMPORAL_TEST_SERVER_PATH: the Temporal test server's binary (scripts/bench sets it)",
        )?;
        let port = free_port()?;
        let mut server = Command::new(&exe);
        server.arg(port.to_string());
        let server = spawn(server, &logs.join("temporal-test-server.log"))?;

        let run = Uuid::new_v4().simple().to_string()[..8].to_owned();
        let settings = TemporalSettings {
            address: format!("http://127.0.0.1:{port}"),
            namespace: "default".to_owned(),
            task_queue: format!("invoices-history-{run}"),
        };
        // The server is a JVM: it takes a few seconds to listen.
        let temporal = temporal::connect(&settings, "bench", Duration::from_secs(60)).await?;
        temporal::register_search_attributes(&temporal, &invoicing_workflows::search::REGISTERED)
            .await?;

        let redis_prefix = format!("bench-history-{run}:");
        let api_port = free_port()?;
        let mut api = api_command(api_port, &settings.task_queue, &redis_prefix, &stack.stripe)?;
        api.env("APP_TEMPORAL__ADDRESS", &settings.address);
        let api_process = spawn(api, &logs.join("history-api.log"))?;
        let mut worker =
            product_command("worker", &settings.task_queue, &redis_prefix, &stack.stripe)?;
        worker.env("APP_TEMPORAL__ADDRESS", &settings.address);
        let worker_process = spawn(worker, &logs.join("history-worker.log"))?;

        let mut this = Self {
            api: Api::new(&format!("http://127.0.0.1:{api_port}")),
            temporal,
            server,
            api_process,
            worker_process,
        };
        wait_until_ready(
            this.api.base(),
            &mut [
                ("history-api", &mut this.api_process),
                ("history-worker", &mut this.worker_process),
                ("temporal-test-server", &mut this.server),
            ],
            logs,
        )
        .await?;
        Ok(this)
    }

    /// The server's clock.
    pub async fn now(&self) -> anyhow::Result<DateTime<Utc>> {
        let time = self
            .temporal
            .connection()
            .test_service()
            .get_current_time(().into_request())
            .await
            .context("reading the test server's clock")?
            .into_inner()
            .time
            .context("the test server reports no time")?;
        DateTime::from_timestamp(time.seconds, time.nanos.try_into().unwrap_or(0))
            .context("the test server's time is out of range")
    }

    /// Moves the server's clock forward to `instant`, firing every timer due on the way.
    pub async fn skip_to(&self, instant: DateTime<Utc>) -> anyhow::Result<()> {
        let now = self.now().await?;
        let duration = (instant - now)
            .to_std()
            .with_context(|| format!("cannot skip back from {now} to {instant}"))?;
        let request = SleepRequest {
            duration: Some(duration.try_into()?),
        };
        self.temporal
            .connection()
            .test_service()
            .unlock_time_skipping_with_sleep(request.into_request())
            .await
            .context("skipping time")?;
        Ok(())
    }
}

impl Drop for TimeSkipping {
    fn drop(&mut self) {
        stack::stop(&mut [
            &mut self.api_process,
            &mut self.worker_process,
            &mut self.server,
        ]);
    }
}
