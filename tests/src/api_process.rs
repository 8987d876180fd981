//! A second API replica: the real `api` binary, configured through `APP_*` variables like
//! production, sharing the test's database, Temporal task queue and Redis prefix.

use super::TestApp;
use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

pub struct ApiProcess {
    pub address: String,
    child: Child,
}

fn api_binary() -> PathBuf {
    let deps = std::env::current_exe().expect("the test binary's path");
    let binary = deps
        .parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from target/<profile>/deps")
        .join("api");
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build --bin api` first (scripts/test does)",
        binary.display()
    );
    binary
}

impl ApiProcess {
    /// Starts the binary as a replica of `app`'s API and waits until it answers `/healthz`.
    pub async fn replica_of(app: &TestApp) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let settings = &app.api_settings;
        let limits = &settings.rate_limit;
        let child = Command::new(api_binary())
            .env("APP_HTTP__PORT", port.to_string())
            .env("APP_HTTP__WEB_DIR", &settings.http.web_dir)
            .env("APP_DATABASE__URL", &app.db.url)
            .env("APP_TEMPORAL__ADDRESS", &settings.temporal.address)
            .env("APP_TEMPORAL__TASK_QUEUE", &settings.temporal.task_queue)
            .env("APP_AUTH__JWT_SECRET", &app.jwt_secret)
            .env("APP_AWS__ENDPOINT_URL", super::aws::endpoint())
            .env("APP_DOCUMENTS__BUCKET", &settings.documents.bucket)
            .env("APP_REDIS__URL", &settings.redis.url)
            .env("APP_REDIS__KEY_PREFIX", &settings.redis.key_prefix)
            .env(
                "APP_RATE_LIMIT__AUTH_REQUESTS",
                limits.auth_requests.to_string(),
            )
            .env(
                "APP_RATE_LIMIT__AUTH_WINDOW_SECS",
                limits.auth_window_secs.to_string(),
            )
            .env(
                "APP_RATE_LIMIT__USER_REQUESTS",
                limits.user_requests.to_string(),
            )
            .env(
                "APP_RATE_LIMIT__USER_WINDOW_SECS",
                limits.user_window_secs.to_string(),
            )
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .spawn()
            .expect("starting the api process");
        let replica = Self {
            address: format!("http://127.0.0.1:{port}"),
            child,
        };
        let http = reqwest::Client::new();
        super::eventually("the second API to answer", Duration::from_secs(30), || {
            let request = http.get(format!("{}/healthz", replica.address)).send();
            async move { request.await.ok().filter(|r| r.status().is_success()) }
        })
        .await;
        replica
    }
}

impl Drop for ApiProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
