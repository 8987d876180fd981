//! Configuration: code defaults, overridden by `APP_…` environment variables, `__` between
//! nesting levels (`APP_DATABASE__URL` sets `database.url`). Every variable is listed in
//! docs/configuration.md.

use anyhow::Context;
use serde::{
    Deserialize, Deserializer,
    de::{DeserializeOwned, IntoDeserializer},
};

/// Where the process runs. `production` refuses to start with local-only defaults (such as a
/// generated JWT secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Local,
    Production,
}

/// For optional settings (`#[serde(default, deserialize_with = "config::empty_is_none")]`): a
/// variable set to the empty string (or only spaces) is the same as one not set, which is how a
/// deployment turns a default off (`APP_AWS__ENDPOINT_URL=` for real AWS). What is set is parsed
/// as `T` here, so a bad value stops the process at start-up, naming the variable.
pub fn empty_is_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<String>::deserialize(deserializer)? {
        Some(raw) if !raw.trim().is_empty() => {
            T::deserialize(IntoDeserializer::<D::Error>::into_deserializer(raw)).map(Some)
        }
        _ => Ok(None),
    }
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
        .context("invalid configuration (docs/configuration.md lists every APP_ variable)")
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

    #[derive(Debug, Deserialize)]
    struct Optional {
        probes: Probes,
    }

    #[derive(Debug, Deserialize)]
    struct Probes {
        #[serde(default, deserialize_with = "empty_is_none")]
        address: Option<std::net::SocketAddr>,
        #[serde(default, deserialize_with = "empty_is_none")]
        endpoint: Option<String>,
    }

    const OPTIONAL_DEFAULTS: &[(&str, &str)] = &[("probes.endpoint", "http://127.0.0.1:4566")];

    #[test]
    fn empty_optional_settings_are_off() {
        let set: Optional = load_from(
            OPTIONAL_DEFAULTS,
            environment(&[("APP_PROBES__ADDRESS", "0.0.0.0:8081")]),
        )
        .unwrap();
        assert_eq!(set.probes.address, Some(([0, 0, 0, 0], 8081).into()));
        assert_eq!(
            set.probes.endpoint.as_deref(),
            Some("http://127.0.0.1:4566")
        );
        for blank in ["", "  "] {
            let off: Optional = load_from(
                OPTIONAL_DEFAULTS,
                environment(&[
                    ("APP_PROBES__ADDRESS", blank),
                    ("APP_PROBES__ENDPOINT", blank),
                ]),
            )
            .unwrap();
            assert_eq!(off.probes.address, None, "{blank:?}");
            assert_eq!(off.probes.endpoint, None, "{blank:?}");
        }
    }

    #[test]
    fn malformed_optional_settings_are_reported() {
        let error = load_from::<Optional>(
            OPTIONAL_DEFAULTS,
            environment(&[("APP_PROBES__ADDRESS", "everywhere")]),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("address"), "{error:#}");
    }
}
