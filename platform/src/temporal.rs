//! The connection to Temporal, shared by the API (a client) and the worker.

use anyhow::Context;
use serde::Deserialize;
use std::time::Duration;
use temporalio_client::{
    Client, ClientOptions, Connection, ConnectionOptions, NamespacedClient, tonic::IntoRequest,
};
use temporalio_common::protos::temporal::api::{
    enums::v1::IndexedValueType, operatorservice::v1::AddSearchAttributesRequest,
};
use url::Url;

/// Where Temporal is (`APP_TEMPORAL__*`).
#[derive(Clone, Debug, Deserialize)]
pub struct TemporalSettings {
    /// `APP_TEMPORAL__ADDRESS`: the frontend's gRPC address, e.g. `http://127.0.0.1:7233`.
    pub address: String,
    /// `APP_TEMPORAL__NAMESPACE`.
    pub namespace: String,
    /// `APP_TEMPORAL__TASK_QUEUE`: where invoice workflows and activities run.
    pub task_queue: String,
}

impl TemporalSettings {
    pub const DEFAULT_ADDRESS: &'static str = "http://127.0.0.1:7233";
}

/// Connects a client, retrying for up to `patience` so a process started alongside Temporal
/// (as `scripts/dev` does) waits for it instead of failing.
pub async fn connect(
    settings: &TemporalSettings,
    identity: &str,
    patience: Duration,
) -> anyhow::Result<Client> {
    let url = Url::parse(&settings.address)
        .with_context(|| format!("APP_TEMPORAL__ADDRESS '{}' is not a URL", settings.address))?;
    let deadline = tokio::time::Instant::now() + patience;
    let mut backoff = Duration::from_millis(250);
    let connection = loop {
        let options = ConnectionOptions::new(url.clone())
            .identity(identity.to_owned())
            .build();
        match Connection::connect(options).await {
            Ok(connection) => break connection,
            Err(error) if tokio::time::Instant::now() < deadline => {
                tracing::warn!(address = %settings.address, %error, "Temporal not reachable yet; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("connecting to Temporal at {}", settings.address));
            }
        }
    };
    let client = Client::new(
        connection,
        ClientOptions::new(settings.namespace.clone()).build(),
    )
    .context("creating the Temporal client")?;
    Ok(client)
}

/// Registers custom search attributes with the client's namespace. A test server knows none
/// until they are registered; a dev server gets them from `scripts/*` (`--search-attribute`).
pub async fn register_search_attributes(
    client: &Client,
    attributes: &[(&str, IndexedValueType)],
) -> anyhow::Result<()> {
    let request = AddSearchAttributesRequest {
        search_attributes: attributes
            .iter()
            .map(|(name, kind)| (name.to_string(), *kind as i32))
            .collect(),
        namespace: client.namespace(),
    };
    client
        .connection()
        .operator_service()
        .add_search_attributes(request.into_request())
        .await
        .context("registering the search attributes")?;
    Ok(())
}

/// Defaults for [`TemporalSettings`], as configuration keys.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("temporal.address", TemporalSettings::DEFAULT_ADDRESS),
    ("temporal.namespace", "default"),
    ("temporal.task_queue", "invoices"),
];
