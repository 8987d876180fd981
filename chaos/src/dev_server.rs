//! The suite's own Temporal dev server: `temporal server start-dev` on fixed ports with its
//! state in an on-disk SQLite file, so that the same command starts it again after a `kill -9`
//! on the state it had; and the product's search attributes in its namespace.

use crate::{
    process::{Process, Recipe},
    stack::Paths,
};
use anyhow::{Context, bail};
use std::{
    collections::HashSet,
    sync::Arc,
    time::{Duration, Instant},
};
use temporalio_client::{Client, tonic::IntoRequest};
use temporalio_common::protos::temporal::api::operatorservice::v1::{
    AddSearchAttributesRequest, ListSearchAttributesRequest,
};
use tokio::process::Command;

/// `temporal server start-dev` on fixed ports and the on-disk SQLite file: the same command
/// starts it again after a `kill -9`, on the state it had.
pub fn recipe(paths: &Paths, port: u16) -> anyhow::Result<Recipe> {
    let (http_port, metrics_port) = (crate::stack::free_port()?, crate::stack::free_port()?);
    let mut args: Vec<String> = [
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--headless",
        "--log-level",
        "warn",
        "--namespace",
        "default",
    ]
    .map(str::to_owned)
    .to_vec();
    args.extend([
        "--port".to_owned(),
        port.to_string(),
        "--http-port".to_owned(),
        http_port.to_string(),
        "--metrics-port".to_owned(),
        metrics_port.to_string(),
        "--db-filename".to_owned(),
        paths.temporal_db.display().to_string(),
    ]);
    // The product's search attributes; `start-dev` registers them on a new file only (they
    // are checked after every start, see `ensure_search_attributes`).
    for (name, kind) in invoicing_workflows::search::REGISTERED {
        args.push("--search-attribute".to_owned());
        args.push(format!("{name}={}", attribute_type(kind)));
    }
    let bin = paths.temporal_bin.clone();
    if !bin.exists() {
        bail!(
            "{} is missing (scripts/chaos installs it into .tools/venv)",
            bin.display()
        );
    }
    Ok(Arc::new(move || {
        let mut command = Command::new(&bin);
        command.args(&args);
        command
    }))
}

fn attribute_type(
    kind: temporalio_common::protos::temporal::api::enums::v1::IndexedValueType,
) -> &'static str {
    use temporalio_common::protos::temporal::api::enums::v1::IndexedValueType as T;
    match kind {
        T::Keyword => "Keyword",
        T::Int => "Int",
        T::Datetime => "Datetime",
        T::Bool => "Bool",
        T::Double => "Double",
        T::Text => "Text",
        _ => "KeywordList",
    }
}

/// Registers the product's search attributes the namespace lacks (as `scripts/lib.sh`'s
/// `ensure_temporal_search_attributes` does for the scripts' servers).
pub async fn ensure_search_attributes(temporal: &Client) -> anyhow::Result<()> {
    let listed = temporal
        .connection()
        .operator_service()
        .list_search_attributes(
            ListSearchAttributesRequest {
                namespace: "default".to_owned(),
            }
            .into_request(),
        )
        .await
        .context("listing the search attributes")?
        .into_inner();
    let have: HashSet<&String> = listed.custom_attributes.keys().collect();
    let missing: Vec<_> = invoicing_workflows::search::REGISTERED
        .iter()
        .filter(|(name, _)| !have.contains(&(*name).to_owned()))
        .map(|(name, kind)| (name.to_string(), *kind as i32))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    temporal
        .connection()
        .operator_service()
        .add_search_attributes(
            AddSearchAttributesRequest {
                search_attributes: missing.into_iter().collect(),
                namespace: "default".to_owned(),
            }
            .into_request(),
        )
        .await
        .context("registering the search attributes")?;
    Ok(())
}

/// Waits until `process` accepts connections on `port`; fails if it exits first.
pub async fn wait_for_port(process: &Process, port: u16, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if let Some(status) = process.exited() {
            bail!(
                "the {} exited ({status}); see {}",
                process.name,
                process.log().display()
            );
        }
        if Instant::now() > deadline {
            bail!(
                "the {} did not listen on {port} within {timeout:?}",
                process.name
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}
