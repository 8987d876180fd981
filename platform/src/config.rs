//! Configuration: code defaults, overridden by `APP_…` environment variables, `__` between
//! nesting levels (`APP_DATABASE__URL` sets `database.url`). Every variable is listed in the
//! README.

use anyhow::Context;
use serde::{Deserialize, de::DeserializeOwned};

/// Where the process runs. `production` refuses to start with local-only defaults (such as a
/// generated JWT secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Local,
    Production,
}

/// Loads settings of type `T` from `defaults` and then the environment.
pub fn load<T: DeserializeOwned>(defaults: &[(&str, &str)]) -> anyhow::Result<T> {
    load_from(defaults, ::config::Environment::default())
}

/// Like [`load`] but with an explicit source of variables, so tests do not touch the process
/// environment.
pub fn load_from<T: DeserializeOwned>(
    defaults: &[(&str, &str)],
    environment: ::config::Environment,
) -> anyhow::Result<T> {
    let mut builder = ::config::Config::builder();
    for (key, value) in defaults {
        builder = builder.set_default(*key, *value)?;
    }
    builder
        .add_source(
            environment
                .prefix("APP")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true),
        )
        .build()
        .context("reading configuration")?
        .try_deserialize()
        .context("invalid configuration (see the README for every APP_ variable)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Debug, Deserialize)]
    struct Sample {
        environment: Environment,
        database: Database,
    }

    #[derive(Debug, Deserialize)]
    struct Database {
        url: String,
        max_connections: u32,
    }

    fn environment(vars: &[(&str, &str)]) -> ::config::Environment {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ::config::Environment::default().source(Some(vars))
    }

    const DEFAULTS: &[(&str, &str)] = &[
        ("environment", "local"),
        ("database.url", "postgres://localhost/app"),
        ("database.max_connections", "10"),
    ];

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let sample: Sample = load_from(DEFAULTS, environment(&[])).unwrap();
        assert_eq!(sample.environment, Environment::Local);
        assert_eq!(sample.database.url, "postgres://localhost/app");
        assert_eq!(sample.database.max_connections, 10);
    }

    #[test]
    fn nested_variables_override_defaults() {
        let sample: Sample = load_from(
            DEFAULTS,
            environment(&[
                ("APP_ENVIRONMENT", "production"),
                ("APP_DATABASE__MAX_CONNECTIONS", "40"),
            ]),
        )
        .unwrap();
        assert_eq!(sample.environment, Environment::Production);
        assert_eq!(sample.database.max_connections, 40);
    }

    #[test]
    fn malformed_values_are_reported() {
        let error = load_from::<Sample>(
            DEFAULTS,
            environment(&[("APP_DATABASE__MAX_CONNECTIONS", "many")]),
        )
        .unwrap_err();
        assert!(
            format!("{error:#}").contains("max_connections"),
            "{error:#}"
        );
    }
}
