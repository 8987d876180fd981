//! Logging through `tracing`: readable lines locally, JSON lines in production.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber. The filter comes from `RUST_LOG` (default `info`); the
/// format from `APP_LOG_FORMAT` (`pretty`, the default, or `json`).
pub fn init() {
    init_with_default("info,sqlx=warn,temporalio_sdk_core=warn");
}

/// Like [`init`], with `default_filter` when `RUST_LOG` is not set (a load test keeps its
/// output to warnings).
pub fn init_with_default(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let json = std::env::var("APP_LOG_FORMAT").is_ok_and(|format| format == "json");
    let builder = fmt().with_env_filter(filter).with_target(true);
    // `try_init`: tests build several applications in one process.
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}
