//! Temporal's time-skipping test server: timers of 30 days fire in milliseconds, so time-based
//! behaviour is tested at its real durations.

use chrono::{DateTime, Utc};
use std::time::Duration;
use temporalio_client::{Client, tonic::IntoRequest};
use temporalio_common::protos::temporal::api::testservice::v1::SleepRequest;
use temporalio_sdk_core::ephemeral_server::{
    EphemeralExe, EphemeralServer, TemporalDevServerConfig, TestServerConfig,
};

/// A test server of this test's own (its clock is shared by everything connected to it); the
/// process is killed when this is dropped.
pub struct TimeSkipping {
    server: EphemeralServer,
    client: Client,
}

impl TimeSkipping {
    pub async fn start() -> Self {
        let path = std::env::var("TEMPORAL_TEST_SERVER_PATH").unwrap_or_else(|_| {
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../.tools/venv/bin/temporal-test-server"
            )
            .to_owned()
        });
        assert!(
            std::path::Path::new(&path).exists(),
            "no Temporal test server at {path}; run scripts/test, or set TEMPORAL_TEST_SERVER_PATH"
        );
        let server = TestServerConfig::builder()
            .exe(EphemeralExe::ExistingPath(path))
            .build()
            .start_server()
            .await
            .expect("starting the Temporal test server");
        let settings = invoicing_platform::temporal::TemporalSettings {
            address: format!("http://{}", server.target),
            namespace: "default".to_owned(),
            task_queue: String::new(),
        };
        let client = invoicing_platform::temporal::connect(
            &settings,
            "time-skipping",
            Duration::from_secs(10),
        )
        .await
        .expect("connecting to the test server");
        invoicing_platform::temporal::register_search_attributes(
            &client,
            &invoicing_workflows::search::REGISTERED,
        )
        .await
        .expect("registering the product's search attributes");
        Self { server, client }
    }

    pub fn address(&self) -> String {
        format!("http://{}", self.server.target)
    }

    /// The server's clock.
    pub async fn now(&self) -> DateTime<Utc> {
        let response = self
            .client
            .connection()
            .test_service()
            .get_current_time(().into_request())
            .await
            .expect("reading the test server's clock")
            .into_inner();
        let time = response.time.expect("the test server reports a time");
        DateTime::from_timestamp(time.seconds, time.nanos as u32).expect("a valid timestamp")
    }

    /// Moves the server's clock forward by `duration`, firing every timer due on the way.
    pub async fn skip(&self, duration: Duration) {
        let request = SleepRequest {
            duration: Some(duration.try_into().expect("a representable duration")),
        };
        self.client
            .connection()
            .test_service()
            .unlock_time_skipping_with_sleep(request.into_request())
            .await
            .expect("skipping time");
    }

    /// Moves the server's clock forward to `instant`.
    pub async fn skip_to(&self, instant: DateTime<Utc>) {
        let now = self.now().await;
        assert!(instant > now, "cannot skip back from {now} to {instant}");
        self.skip((instant - now).to_std().unwrap()).await;
    }
}

/// A Temporal dev server of this test's own, for server settings the shared one must not have.
pub struct DevServer {
    server: EphemeralServer,
}

impl DevServer {
    /// Starts an in-memory dev server with the product's search attributes and these
    /// `--dynamic-config-value` settings.
    pub async fn start(dynamic_config: &[&str]) -> Self {
        let path = std::env::var("TEMPORAL_CLI_PATH").unwrap_or_else(|_| {
            concat!(env!("CARGO_MANIFEST_DIR"), "/../.tools/venv/bin/temporal").to_owned()
        });
        assert!(
            std::path::Path::new(&path).exists(),
            "no Temporal CLI at {path}; run scripts/test, or set TEMPORAL_CLI_PATH"
        );
        let mut extra_args = vec!["--headless".to_owned()];
        for (name, kind) in invoicing_workflows::search::REGISTERED {
            let kind = kind.as_str_name().trim_start_matches("INDEXED_VALUE_TYPE_");
            extra_args.push("--search-attribute".to_owned());
            extra_args.push(format!("{name}={}", title_case(kind)));
        }
        for setting in dynamic_config {
            extra_args.push("--dynamic-config-value".to_owned());
            extra_args.push((*setting).to_owned());
        }
        let server = TemporalDevServerConfig::builder()
            .exe(EphemeralExe::ExistingPath(path))
            .extra_args(extra_args)
            .build()
            .start_server_with_output(std::process::Stdio::null(), std::process::Stdio::null())
            .await
            .expect("starting a Temporal dev server");
        Self { server }
    }

    pub fn address(&self) -> String {
        format!("http://{}", self.server.target)
    }
}

/// `KEYWORD` → `Keyword`, as the CLI spells search attribute types.
fn title_case(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
