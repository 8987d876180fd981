//! The production manifests (`deploy/`) against the code: the worker's autoscaler (KEDA's
//! Temporal scaler) measures the task queue the worker actually polls, and the API starts
//! invoices on that queue. Rendered with `kubectl kustomize` (`KUBECTL_PATH`, which
//! `scripts/test` sets), as the release pipeline renders them.

use invoicing_workflows::DEFAULT_TASK_QUEUE;
use serde::Deserialize;
use serde_json::Value;
use std::{collections::HashMap, path::PathBuf, process::Command};

fn render(overlay: &str) -> Vec<Value> {
    let kubectl = std::env::var("KUBECTL_PATH")
        .expect("KUBECTL_PATH: the kubectl that renders deploy/ (run scripts/test)");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy/overlays")
        .join(overlay);
    let output = Command::new(kubectl)
        .arg("kustomize")
        .arg(&dir)
        .output()
        .expect("running kubectl kustomize");
    assert!(
        output.status.success(),
        "kubectl kustomize {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("YAML is UTF-8");
    serde_norway::Deserializer::from_str(&text)
        .map(|document| Value::deserialize(document).expect("a YAML document"))
        .filter(|document| !document.is_null())
        .collect()
}

fn named<'a>(documents: &'a [Value], kind: &str, name: &str) -> &'a Value {
    documents
        .iter()
        .find(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in the rendered manifests"))
}

/// The environment a Deployment's container gets: its ConfigMaps' data, then its own `env`
/// values (those come later and win, as in Kubernetes). Secret references have no value here.
fn environment(documents: &[Value], deployment: &str) -> HashMap<String, String> {
    let container =
        &named(documents, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0];
    let mut env = HashMap::new();
    for source in container["envFrom"].as_array().into_iter().flatten() {
        if let Some(name) = source["configMapRef"]["name"].as_str() {
            let data = &named(documents, "ConfigMap", name)["data"];
            for (key, value) in data.as_object().into_iter().flatten() {
                env.insert(key.clone(), value.as_str().unwrap_or_default().to_owned());
            }
        }
    }
    for variable in container["env"].as_array().into_iter().flatten() {
        if let Some(value) = variable["value"].as_str() {
            env.insert(
                variable["name"].as_str().unwrap().to_owned(),
                value.to_owned(),
            );
        }
    }
    env
}

#[test]
fn the_worker_scales_on_the_task_queue_it_polls_in_every_overlay() {
    // The settings' default is the constant (a literal in the platform crate, which cannot
    // depend on the workflows crate).
    let default = invoicing_platform::temporal::DEFAULTS
        .iter()
        .find(|(key, _)| *key == "temporal.task_queue")
        .map(|(_, value)| *value);
    assert_eq!(default, Some(DEFAULT_TASK_QUEUE));

    for overlay in ["staging", "production"] {
        let documents = render(overlay);
        let worker = environment(&documents, "invoicing-worker");
        let api = environment(&documents, "invoicing-api");
        let polled = worker
            .get("APP_TEMPORAL__TASK_QUEUE")
            .map_or(DEFAULT_TASK_QUEUE, String::as_str);
        let started_on = api
            .get("APP_TEMPORAL__TASK_QUEUE")
            .map_or(DEFAULT_TASK_QUEUE, String::as_str);
        assert_eq!(
            polled, started_on,
            "[{overlay}] the API starts invoices where the worker polls"
        );

        let scaled = named(&documents, "ScaledObject", "invoicing-worker");
        assert_eq!(scaled["spec"]["scaleTargetRef"]["name"], "invoicing-worker");
        assert!(
            scaled["spec"]["minReplicaCount"].as_u64() >= Some(2),
            "[{overlay}] at least two workers: timers fire with no backlog to scale on"
        );
        let temporal = scaled["spec"]["triggers"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|trigger| trigger["type"] == "temporal")
            .unwrap_or_else(|| panic!("[{overlay}] the worker scales on Temporal's backlog"));
        let metadata = &temporal["metadata"];
        assert_eq!(
            metadata["taskQueue"].as_str(),
            Some(polled),
            "[{overlay}] the scaler measures the queue the worker polls"
        );
        assert_eq!(
            metadata["namespace"].as_str(),
            worker.get("APP_TEMPORAL__NAMESPACE").map(String::as_str),
            "[{overlay}] the scaler looks in the worker's Temporal namespace"
        );
        let mut queue_types: Vec<&str> = metadata["queueTypes"]
            .as_str()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .collect();
        queue_types.sort_unstable();
        assert_eq!(
            queue_types,
            ["activity", "workflow"],
            "[{overlay}] the worker polls workflow and activity tasks on the queue"
        );
    }
}
