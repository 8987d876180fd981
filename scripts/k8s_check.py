#!/usr/bin/env python3
"""Semantic checks of the rendered Kubernetes manifests and the Temporal Helm values.

Called by scripts/check-k8s (with the deploy venv's Python, which has PyYAML):

  k8s_check.py manifests ENV=RENDERED.yaml [ENV=RENDERED.yaml ...]
  k8s_check.py helm-values

`manifests` checks what schemas cannot: that the worker's KEDA trigger measures the task queue
the worker polls (the code's DEFAULT_TASK_QUEUE unless an APP_TEMPORAL__TASK_QUEUE overrides
it), that the pods' probes, resources and shutdown timings fit the processes, that no Secret
or secret value is written in the manifests (only External Secrets Operator makes Secrets),
that every ServiceAccount used exists with an IRSA role, that every reference resolves, that
the migration Job is what the release pipeline runs before the Deployments, that no
installation value was left unset, that the network policies of namespace temporal let only the
product's API and worker, KEDA's operator, the search-attribute Job and Temporal's own pods reach
the frontend (and the UI only its internal load balancers), and that the pods at every
autoscaler's maximum fit the node group and their database pools the connection budget under the
rds-connections alarm (both against what terraform/envs/<env> builds: the sizes its main.tf
passes to modules/invoicing). `helm-values` checks the Temporal values files against the chart's
key paths (deploy/temporal/chart-keys.txt) and against
the product (namespace, search attributes, TLS, images through the ECR pull-through cache, the
UI's OIDC sign-in and operator CIDRs, the chart version read from deploy/temporal/chart-version).

Each failure is printed with what to fix; the exit status is 1 if any check failed.
"""

from __future__ import annotations

import fnmatch
import json
import ipaddress
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL_RS = ROOT / "workflows/src/workflow/model.rs"
SEARCH_RS = ROOT / "workflows/src/search.rs"
TEMPORAL_DIR = ROOT / "deploy/temporal"

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}
LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet"}
COMPONENT = "app.kubernetes.io/component"
IRSA = "eks.amazonaws.com/role-arn"
ROLE_ARN = re.compile(r"^arn:aws:iam::\d{12}:role/[\w+=,.@/-]+$")
CERT_ARN = re.compile(r"^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/"
    r"(?P<repo>[a-z0-9._/-]+)@sha256:[0-9a-f]{64}$"
)
# Substitution markers of the base that an overlay must replace (components/installation).
MARKERS = re.compile(r"\b(API_HOSTNAME|VPC_CIDR|DATA_SUBNET_CIDR_\d|INTERNAL_LB_SUBNET_CIDR_\d|ALB_ACCESS_LOGS_BUCKET)\b")
# Names of settings whose value is a secret: they must come from a Secret, never a literal.
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|TOKEN|PRIVATE_KEY|DATABASE__URL|REDIS__URL)", re.I)
# Values that look like credentials wherever they appear.
SECRET_VALUE = re.compile(
    r"(sk_(live|test)_[0-9A-Za-z]{8,}|rk_(live|test)_[0-9A-Za-z]{8,}|whsec_[0-9A-Za-z]{8,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}"
    r"|(postgres|postgresql|redis|rediss)://[^:/@\s]*:[^@\s{]+@)"
)
# Documentation values (AWS's example accounts, RFC 2606 domains): fine to render and check,
# but an installation replaces them before deploying.
DOC_VALUES = re.compile(r"\b(111122223333|444455556666|123456789012)\b|\bexample\.(com|org|net)\b")


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.warnings: list[str] = []
        self.passed = 0

    def check(self, ok: bool, message: str) -> bool:
        if ok:
            self.passed += 1
        else:
            self.failures.append(message)
        return ok

    def warn(self, message: str) -> None:
        self.warnings.append(message)


def code_task_queue() -> str:
    match = re.search(r'DEFAULT_TASK_QUEUE\s*:\s*&str\s*=\s*"([^"]+)"', MODEL_RS.read_text())
    if not match:
        sys.exit(f"k8s_check: DEFAULT_TASK_QUEUE not found in {MODEL_RS.relative_to(ROOT)}")
    return match.group(1)


def code_search_attributes() -> dict[str, str]:
    text = SEARCH_RS.read_text()
    block = re.search(r"pub const REGISTERED[^=]*=\s*\[(.*?)\];", text, re.S)
    if not block:
        sys.exit(f"k8s_check: REGISTERED not found in {SEARCH_RS.relative_to(ROOT)}")
    pairs = re.findall(r'\(\s*"(\w+)"\s*,\s*IndexedValueType::(\w+)\s*\)', block.group(1))
    return {name: kind for name, kind in pairs}


# ---------------------------------------------------------------------------------------------
# Rendered manifests


class Rendered:
    def __init__(self, env: str, path: Path) -> None:
        self.env = env
        self.path = path
        self.text = path.read_text()
        self.docs = [d for d in yaml.safe_load_all(self.text) if d]
        self.by_key = {}
        for d in self.docs:
            self.by_key[(d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"])] = d

    def get(self, kind: str, namespace: str, name: str):
        return self.by_key.get((kind, namespace, name))

    def of_kind(self, *kinds: str):
        return [d for d in self.docs if d["kind"] in kinds]


def pod_spec(doc):
    if doc["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "Job"}:
        return doc["spec"]["template"]["spec"]
    return None


def pod_labels(doc):
    return doc["spec"]["template"]["metadata"].get("labels", {})


def containers(spec):
    return list(spec.get("initContainers", [])) + list(spec.get("containers", []))


def container_env(r: Rendered, namespace: str, container) -> dict[str, str | None]:
    """The container's environment as the kubelet builds it: envFrom ConfigMaps, then env.
    A value from a Secret is None (its value is not in the manifests)."""
    env: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            cm = r.get("ConfigMap", namespace, source["configMapRef"]["name"])
            if cm:
                env.update({k: str(v) for k, v in (cm.get("data") or {}).items()})
        elif "secretRef" in source:
            pass
    for item in container.get("env", []):
        env[item["name"]] = item.get("value") if "value" in item else None
    return env


def selector_matches(selector, labels) -> bool:
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        have = labels.get(expr["key"])
        op = expr["operator"]
        if op == "In" and have not in expr["values"]:
            return False
        if op == "NotIn" and have in expr["values"]:
            return False
        if op == "Exists" and expr["key"] not in labels:
            return False
        if op == "DoesNotExist" and expr["key"] in labels:
            return False
    return True


def externalsecret_keys(es) -> set[str]:
    spec = es["spec"]
    template = (spec.get("target") or {}).get("template") or {}
    if template.get("data"):
        return set(template["data"])
    return {item["secretKey"] for item in spec.get("data", [])}


def check_rendered(r: Rendered, rep: Report, task_queue: str) -> None:
    env_name = r.env
    where = f"[{env_name}]"

    # --- no Secrets, no secret values -------------------------------------------------------
    secrets = r.of_kind("Secret")
    rep.check(not secrets, f"{where} the output contains Secret objects "
              f"({', '.join(s['metadata']['name'] for s in secrets)}); Secrets come from "
              "ExternalSecrets (AWS Secrets Manager) only")
    for match in SECRET_VALUE.finditer(r.text):
        rep.check(False, f"{where} a credential-like value is written in the manifests: "
                  f"{match.group(0)[:24]}…")
    for cm in r.of_kind("ConfigMap"):
        for key in cm.get("data") or {}:
            rep.check(not SECRET_NAME.search(key), f"{where} ConfigMap {cm['metadata']['name']} "
                      f"holds {key}, a secret: move it to Secrets Manager and an ExternalSecret")
    rep.check(not MARKERS.search(r.text), f"{where} unreplaced installation markers remain: "
              f"{sorted(set(MARKERS.findall(r.text)))} (overlay's installation.env and "
              "components/installation)")
    for m in DOC_VALUES.finditer(r.text):
        rep.warn(f"{where} installation values are still documentation examples "
                 f"(e.g. {m.group(0)}): replace them in installation.env before deploying")
        break

    # --- every namespaced object names its namespace -----------------------------------------
    # Otherwise `kubectl apply` puts it in the kubeconfig's current namespace (a component's
    # objects sit outside base's `namespace:` transformer), where the release role may not write.
    cluster_scoped = {"Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterSecretStore",
                      "CustomResourceDefinition", "StorageClass", "PriorityClass",
                      "IngressClass", "PersistentVolume"}
    for doc in r.docs:
        if doc.get("kind") not in cluster_scoped:
            rep.check(bool((doc.get("metadata") or {}).get("namespace")), f"{where} "
                      f"{doc.get('kind')} {(doc.get('metadata') or {}).get('name')} has no "
                      "namespace")

    # --- ExternalSecrets: this environment's prefix, a store that exists ---------------------
    externalsecrets = r.of_kind("ExternalSecret")
    for es in externalsecrets:
        ns = es["metadata"]["namespace"]
        name = es["metadata"]["name"]
        keys = [d["remoteRef"]["key"] for d in es["spec"].get("data", [])]
        keys += [d["extract"]["key"] for d in es["spec"].get("dataFrom", []) if "extract" in d]
        for key in keys:
            rep.check(key.startswith(f"invoicing/{env_name}/"), f"{where} ExternalSecret "
                      f"{ns}/{name} reads {key}, outside invoicing/{env_name}/")
        store = es["spec"]["secretStoreRef"]
        rep.check(r.get(store.get("kind", "SecretStore"), ns if store.get("kind", "SecretStore")
                        == "SecretStore" else "", store["name"]) is not None,
                  f"{where} ExternalSecret {ns}/{name} uses store {store['name']}, not in the output")
    made = {(es["metadata"]["namespace"], (es["spec"].get("target") or {}).get("name")
             or es["metadata"]["name"]): externalsecret_keys(es) for es in externalsecrets}
    for store in r.of_kind("SecretStore", "ClusterSecretStore"):
        aws = store["spec"]["provider"].get("aws")
        if aws:
            rep.check(bool(re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", aws.get("region", ""))),
                      f"{where} SecretStore {store['metadata']['name']}: region "
                      f"{aws.get('region')!r} is not an AWS region")

    # --- workloads ---------------------------------------------------------------------------
    workloads = r.of_kind(*WORKLOAD_KINDS)
    deployments = {d["metadata"]["name"]: d for d in r.of_kind("Deployment")}
    for w in workloads:
        ns = w["metadata"]["namespace"]
        name = f"{w['kind']} {ns}/{w['metadata']['name']}"
        spec = pod_spec(w)

        # ServiceAccounts: exist, carry an IRSA role; the application's pods all name one.
        sa_name = spec.get("serviceAccountName")
        if ns == "invoicing":
            rep.check(bool(sa_name), f"{where} {name} runs as the namespace's default "
                      "ServiceAccount; give it its own (with an IRSA role)")
        if sa_name:
            sa = r.get("ServiceAccount", ns, sa_name)
            if rep.check(sa is not None, f"{where} {name} uses ServiceAccount {sa_name}, "
                         "which is not in the output"):
                arn = (sa["metadata"].get("annotations") or {}).get(IRSA, "")
                rep.check(bool(ROLE_ARN.match(arn)), f"{where} ServiceAccount {ns}/{sa_name}: "
                          f"{IRSA} is {arn!r}, not an IAM role ARN (installation.env)")
        rep.check(spec.get("automountServiceAccountToken") is False or (
            sa_name and r.get("ServiceAccount", ns, sa_name) and
            r.get("ServiceAccount", ns, sa_name).get("automountServiceAccountToken") is False),
            f"{where} {name} mounts a Kubernetes API token it does not use")

        for c in containers(spec):
            cname = f"{name} container {c['name']}"
            res = c.get("resources") or {}
            for part in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    rep.check(resource in (res.get(part) or {}),
                              f"{where} {cname}: no {part}.{resource}")
            if w["kind"] in LONG_RUNNING:
                ports = {p.get("name") for p in c.get("ports", [])} | {
                    p["containerPort"] for p in c.get("ports", [])}
                for probe in ("livenessProbe", "readinessProbe"):
                    p = c.get(probe)
                    if rep.check(p is not None, f"{where} {cname}: no {probe}"):
                        port = (p.get("httpGet") or p.get("tcpSocket") or p.get("grpc") or {}).get("port")
                        rep.check(port in ports, f"{where} {cname}: {probe} port {port!r} is "
                                  "not a port of the container")

            # Secrets: only by reference, to an ExternalSecret's target and key.
            for item in c.get("env", []):
                if "value" in item and SECRET_NAME.search(item["name"]):
                    rep.check(False, f"{where} {cname}: {item['name']} is a literal; read it "
                              "from a Secret made by an ExternalSecret")
                ref = (item.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    keys = made.get((ns, ref["name"]))
                    rep.check(keys is not None and ref["key"] in keys, f"{where} {cname}: "
                              f"{item['name']} reads Secret {ref['name']} key {ref['key']}, "
                              "which no ExternalSecret makes")
                ref = (item.get("valueFrom") or {}).get("configMapKeyRef")
                if ref:
                    rep.check(r.get("ConfigMap", ns, ref["name"]) is not None,
                              f"{where} {cname}: ConfigMap {ref['name']} is not in the output")
            for source in c.get("envFrom", []):
                if "configMapRef" in source:
                    rep.check(r.get("ConfigMap", ns, source["configMapRef"]["name"]) is not None,
                              f"{where} {cname}: ConfigMap {source['configMapRef']['name']} is "
                              "not in the output")
                if "secretRef" in source:
                    rep.check((ns, source["secretRef"]["name"]) in made, f"{where} {cname}: "
                              f"Secret {source['secretRef']['name']} is made by no ExternalSecret")
            env = container_env(r, ns, c)
            for key, value in env.items():
                if value is not None and SECRET_NAME.search(key):
                    rep.check(False, f"{where} {cname}: {key} comes from a ConfigMap; it is a "
                              "secret")
            # Cluster mode runs the product's multi-key scripts only if every key is in one
            # hash slot: the prefix must carry a hash tag (platform/src/redis.rs refuses to
            # start otherwise; this finds it before a rollout does).
            if env.get("APP_REDIS__CLUSTER") == "true":
                prefix = env.get("APP_REDIS__KEY_PREFIX") or ""
                rep.check(re.search(r"\{[^}]+\}", prefix) is not None, f"{where} {cname}: "
                          f"APP_REDIS__CLUSTER=true needs a hash tag in APP_REDIS__KEY_PREFIX "
                          f"(e.g. {{invoicing}}:), it is {prefix!r}")
            if "APP_TEMPORAL__TASK_QUEUE" in env:
                rep.check(env["APP_TEMPORAL__TASK_QUEUE"] == task_queue, f"{where} {cname}: "
                          f"APP_TEMPORAL__TASK_QUEUE={env['APP_TEMPORAL__TASK_QUEUE']!r} differs "
                          f"from the code's DEFAULT_TASK_QUEUE {task_queue!r}")
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                rep.check(r.get("ConfigMap", ns, volume["configMap"]["name"]) is not None,
                          f"{where} {name}: volume ConfigMap {volume['configMap']['name']} is "
                          "not in the output")
            if "secret" in volume:
                rep.check((ns, volume["secret"]["secretName"]) in made, f"{where} {name}: "
                          f"volume Secret {volume['secret']['secretName']} is made by no "
                          "ExternalSecret")

    # --- the application's images: ECR, pinned by digest, one region --------------------------
    common = r.get("ConfigMap", "invoicing", next((d["metadata"]["name"] for d in
                                                    r.of_kind("ConfigMap") if d["metadata"]["name"]
                                                    .startswith("invoicing-common")), ""))
    region = ((common or {}).get("data") or {}).get("APP_AWS__REGION")
    images = {}
    for w in workloads:
        if w["metadata"]["namespace"] != "invoicing":
            continue
        for c in containers(pod_spec(w)):
            m = ECR_IMAGE.match(c["image"])
            if rep.check(m is not None, f"{where} {w['kind']} {w['metadata']['name']}: image "
                         f"{c['image']} is not an ECR image pinned by digest "
                         "(<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:…)"):
                rep.check(m.group("region") == region, f"{where} image {c['image']} is not in "
                          f"the environment's region {region}")
                images[w["metadata"]["name"]] = c["image"]
    if "invoicing-api" in images and "invoicing-migrate" in images:
        rep.check(images["invoicing-api"] == images["invoicing-migrate"], f"{where} the "
                  "migration Job must run the API Deployment's image (same digest)")

    # --- the worker and its autoscaler --------------------------------------------------------
    worker = deployments.get("invoicing-worker")
    api = deployments.get("invoicing-api")
    if rep.check(worker is not None and api is not None, f"{where} Deployments invoicing-api "
                 "and invoicing-worker must both be rendered"):
        wspec = pod_spec(worker)
        wenv = container_env(r, "invoicing", wspec["containers"][0])
        polled = wenv.get("APP_TEMPORAL__TASK_QUEUE") or task_queue
        grace = wspec.get("terminationGracePeriodSeconds", 30)
        shutdown = wenv.get("APP_WORKER__GRACEFUL_SHUTDOWN_SECS")
        if rep.check(shutdown is not None, f"{where} the worker's "
                     "APP_WORKER__GRACEFUL_SHUTDOWN_SECS must be set explicitly"):
            rep.check(int(grace) > int(shutdown), f"{where} worker terminationGracePeriodSeconds "
                      f"({grace}) must exceed APP_WORKER__GRACEFUL_SHUTDOWN_SECS ({shutdown})")
        # The worker listens where its settings say; the container must declare those ports,
        # and the probes must go to the health listener (APP_WORKER__HEALTH_ADDRESS, or the
        # metrics one where a build serves the probes there).
        wcontainer = wspec["containers"][0]
        wports = {p["containerPort"]: p.get("name") for p in wcontainer.get("ports", [])}
        listeners = {}
        for key in ("APP_WORKER__METRICS_ADDRESS", "APP_WORKER__HEALTH_ADDRESS"):
            address = wenv.get(key) or ""
            if address:
                port = address.rsplit(":", 1)[-1]
                ok = address.startswith("0.0.0.0:") and port.isdigit() and int(port) in wports
                if rep.check(ok, f"{where} {key}={address!r} must listen on 0.0.0.0 on a port "
                             "the worker container declares"):
                    listeners[key] = int(port)
        rep.check("APP_WORKER__METRICS_ADDRESS" in listeners, f"{where} the worker must serve "
                  "metrics (APP_WORKER__METRICS_ADDRESS)")
        probe_port = listeners.get("APP_WORKER__HEALTH_ADDRESS",
                                   listeners.get("APP_WORKER__METRICS_ADDRESS"))
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            port = ((wcontainer.get(probe) or {}).get("httpGet") or {}).get("port")
            rep.check(port in (probe_port, wports.get(probe_port)), f"{where} the worker's "
                      f"{probe} goes to port {port!r}, not to its health listener ({probe_port})")

        aspec = pod_spec(api)
        aenv = container_env(r, "invoicing", aspec["containers"][0])
        pre_stop = ((aspec["containers"][0].get("lifecycle") or {}).get("preStop") or {}) \
            .get("sleep", {}).get("seconds", 0)
        timeout = int(aenv.get("APP_HTTP__REQUEST_TIMEOUT_SECS") or 30)
        agrace = aspec.get("terminationGracePeriodSeconds", 30)
        rep.check(pre_stop > 0, f"{where} the API needs a preStop sleep so the ALB drains it")
        rep.check(int(agrace) > pre_stop + timeout, f"{where} API terminationGracePeriodSeconds "
                  f"({agrace}) must exceed preStop ({pre_stop}) + request timeout ({timeout})")

        scaled = [s for s in r.of_kind("ScaledObject")
                  if s["spec"]["scaleTargetRef"]["name"] == "invoicing-worker"]
        if rep.check(len(scaled) == 1, f"{where} exactly one ScaledObject must target "
                     "Deployment invoicing-worker"):
            so = scaled[0]
            target = so["spec"]["scaleTargetRef"]
            rep.check(target.get("kind", "Deployment") == "Deployment" and
                      target.get("apiVersion", "apps/v1") == "apps/v1",
                      f"{where} the ScaledObject must target the worker Deployment (apps/v1)")
            rep.check(so["spec"].get("minReplicaCount", 0) >= 2, f"{where} the worker's "
                      f"minReplicaCount is {so['spec'].get('minReplicaCount')}; at least 2 "
                      "(timers fire with no backlog, and one zone may fail)")
            rep.check(so["spec"].get("maxReplicaCount", 0) >= so["spec"].get("minReplicaCount", 0),
                      f"{where} the worker's maxReplicaCount is below its minReplicaCount")
            temporal = [t for t in so["spec"]["triggers"] if t["type"] == "temporal"]
            if rep.check(len(temporal) == 1, f"{where} the worker's ScaledObject needs one "
                         "`temporal` trigger"):
                meta = temporal[0]["metadata"]
                rep.check(meta.get("taskQueue") == polled, f"{where} the KEDA trigger measures "
                          f"task queue {meta.get('taskQueue')!r}, the worker polls {polled!r}")
                types = set((meta.get("queueTypes") or "").split(","))
                rep.check(types == {"workflow", "activity"}, f"{where} queueTypes is "
                          f"{meta.get('queueTypes')!r}; the worker polls both workflow and "
                          "activity tasks: set 'workflow,activity'")
                rep.check(meta.get("namespace") == wenv.get("APP_TEMPORAL__NAMESPACE"),
                          f"{where} the KEDA trigger's namespace {meta.get('namespace')!r} is "
                          f"not the worker's {wenv.get('APP_TEMPORAL__NAMESPACE')!r}")
                address = re.sub(r"^https?://", "", wenv.get("APP_TEMPORAL__ADDRESS") or "")
                rep.check(meta.get("endpoint") == address, f"{where} the KEDA endpoint "
                          f"{meta.get('endpoint')!r} is not the worker's Temporal address "
                          f"{address!r}")
                for key in ("targetQueueSize", "activationTargetQueueSize"):
                    rep.check(str(meta.get(key, "")).isdigit(), f"{where} the KEDA trigger "
                              f"needs {key} (a whole number, as a string)")
        api_env_queue = aenv.get("APP_TEMPORAL__TASK_QUEUE") or task_queue
        rep.check(api_env_queue == polled, f"{where} the API starts workflows on "
                  f"{api_env_queue!r} but the worker polls {polled!r}")

        ingress = r.get("Ingress", "invoicing", "invoicing-api")
        if rep.check(ingress is not None, f"{where} Ingress invoicing-api is missing"):
            ann = ingress["metadata"].get("annotations") or {}
            rep.check(bool(CERT_ARN.match(ann.get("alb.ingress.kubernetes.io/certificate-arn", ""))),
                      f"{where} the Ingress needs an ACM certificate ARN (installation.env)")
            attrs = ann.get("alb.ingress.kubernetes.io/load-balancer-attributes", "")
            rep.check("access_logs.s3.enabled=true" in attrs and "deletion_protection.enabled=true"
                      in attrs, f"{where} the API's ALB needs access logs and deletion protection")
            host = ingress["spec"]["rules"][0].get("host", "")
            ret = wenv.get("APP_STRIPE__CHECKOUT_RETURN_URL", "")
            rep.check(ret.startswith(f"https://{host}/"), f"{where} Stripe's return URL "
                      f"{ret!r} is not on the public host {host!r}")

    # --- every Deployment: a PDB, an autoscaler, spread over zones ----------------------------
    for name, d in deployments.items():
        ns = d["metadata"]["namespace"]
        labels = pod_labels(d)
        pdbs = [p for p in r.of_kind("PodDisruptionBudget") if p["metadata"]["namespace"] == ns
                and selector_matches(p["spec"]["selector"], labels)]
        rep.check(len(pdbs) == 1, f"{where} Deployment {name} needs one PodDisruptionBudget")
        scalers = [h for h in r.of_kind("HorizontalPodAutoscaler")
                   if h["spec"]["scaleTargetRef"]["name"] == name] + \
                  [s for s in r.of_kind("ScaledObject") if s["spec"]["scaleTargetRef"]["name"] == name]
        rep.check(len(scalers) == 1, f"{where} Deployment {name} needs one autoscaler")
        rep.check("replicas" not in d["spec"], f"{where} Deployment {name} sets replicas, "
                  "which its autoscaler owns (every apply would reset it)")
        keys = {t["topologyKey"] for t in pod_spec(d).get("topologySpreadConstraints", [])}
        rep.check("topology.kubernetes.io/zone" in keys, f"{where} Deployment {name} is not "
                  "spread over availability zones")
    for hpa in r.of_kind("HorizontalPodAutoscaler"):
        spec = hpa["spec"]
        rep.check(2 <= spec.get("minReplicas", 1) <= spec["maxReplicas"], f"{where} HPA "
                  f"{hpa['metadata']['name']}: replicas {spec.get('minReplicas')}–"
                  f"{spec['maxReplicas']}")
        rep.check("behavior" in spec and "scaleDown" in spec["behavior"], f"{where} HPA "
                  f"{hpa['metadata']['name']}: set a scale-down behaviour")

    # --- network policies (both namespaces) ---------------------------------------------------
    all_policies = r.of_kind("NetworkPolicy")
    for ns in ("invoicing", "temporal"):
        policies = [p for p in all_policies if p["metadata"]["namespace"] == ns]
        rep.check(any(p["spec"].get("podSelector") == {} and
                      set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"} and
                      not p["spec"].get("ingress") and not p["spec"].get("egress") for p in policies),
                  f"{where} namespace {ns} needs a default deny-all NetworkPolicy")
    for p in all_policies:
        for rule in p["spec"].get("ingress", []) + p["spec"].get("egress", []):
            rep.check(bool(rule.get("from", rule.get("to"))), f"{where} NetworkPolicy "
                      f"{p['metadata']['namespace']}/{p['metadata']['name']}: a rule without "
                      "from/to admits every source or destination")
            for peer in rule.get("from", []) + rule.get("to", []):
                if "ipBlock" in peer:
                    try:
                        ipaddress.ip_network(peer["ipBlock"]["cidr"])
                    except ValueError:
                        rep.check(False, f"{where} NetworkPolicy {p['metadata']['name']}: "
                                  f"{peer['ipBlock']['cidr']!r} is not a CIDR")
    policies = [p for p in all_policies if p["metadata"]["namespace"] == "invoicing"]
    for w in workloads:
        if w["metadata"]["namespace"] != "invoicing":
            continue
        labels = pod_labels(w)
        egress_ports = {port.get("port") for p in policies if "Egress" in p["spec"].get(
            "policyTypes", []) and selector_matches(p["spec"]["podSelector"], labels)
            for rule in p["spec"].get("egress", []) for port in rule.get("ports", [])}
        rep.check({53, 5432} <= egress_ports, f"{where} {w['kind']} {w['metadata']['name']}: "
                  "the network policies must let it reach DNS and PostgreSQL")
    check_temporal_policies(r, rep, where)

    # --- capacity and the database connection budget against Terraform's sizes ----------------
    check_capacity(r, rep, where)

    # --- labels and the migration Job (deploy/docs/system.md, "Manifests") ---------------------
    for d in r.docs:
        component = (d["metadata"].get("labels") or {}).get(COMPONENT)
        rep.check(component is not None, f"{where} {d['kind']} {d['metadata']['name']} has no "
                  f"{COMPONENT} label (operators select the product's parts by it)")
    for name, component in (("invoicing-api", "api"), ("invoicing-worker", "worker")):
        d = deployments.get(name)
        if d:
            rep.check((d["metadata"].get("labels") or {}).get(COMPONENT) == component and
                      pod_labels(d).get(COMPONENT) == component,
                      f"{where} Deployment {name} and its pods must carry {COMPONENT}={component}")
    job = r.get("Job", "invoicing", "invoicing-migrate")
    if rep.check(job is not None, f"{where} the migration Job invoicing-migrate is missing"):
        rep.check((job["metadata"].get("labels") or {}).get(COMPONENT) == "migrate",
                  f"{where} the migration Job must carry {COMPONENT}=migrate")
        rep.check(pod_spec(job)["containers"][0].get("args") == ["migrate"], f"{where} the "
                  "migration Job must run `api migrate`")
        rep.check(pod_spec(job).get("restartPolicy") == "Never" and
                  job["spec"].get("activeDeadlineSeconds") is not None, f"{where} the migration "
                  "Job needs restartPolicy Never and a deadline (a stuck migration fails the release)")


# The labels the Temporal Helm chart (1.x) gives its pods (templates/_helpers.tpl,
# temporal.resourceLabels): name `temporal`, instance = the release, component = the service
# (frontend, history, matching, worker), `web`, `admintools`, or `database` (its schema and
# namespace Jobs).
def temporal_pod(component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": "temporal", "app.kubernetes.io/instance": "temporal",
            COMPONENT: component}


def peer_matches(peer, policy_ns: str, pod_ns: str, labels: dict, ip: str | None = None) -> bool:
    """Whether a NetworkPolicy peer (from/to) selects a pod in pod_ns with these labels (or, for
    an ipBlock peer, the address ip)."""
    if "ipBlock" in peer:
        if ip is None:
            return False
        block = peer["ipBlock"]
        address = ipaddress.ip_address(ip)
        return address in ipaddress.ip_network(block["cidr"]) and not any(
            address in ipaddress.ip_network(e) for e in block.get("except", []))
    if "namespaceSelector" in peer:
        if not selector_matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": pod_ns}):
            return False
    elif pod_ns != policy_ns:
        return False
    return selector_matches(peer.get("podSelector") or {}, labels)


def allowed(policies, direction: str, ns: str, labels: dict, port: int, peer_ns: str,
            peer_labels: dict, ip: str | None = None) -> bool:
    """Whether the policies of namespace ns let a pod (ns, labels) receive (Ingress) from, or send
    (Egress) to, the peer on TCP port. A pod no policy selects for the direction is open."""
    key, side = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    selecting = [p for p in policies if p["metadata"]["namespace"] == ns and direction in
                 p["spec"].get("policyTypes", []) and selector_matches(p["spec"]["podSelector"], labels)]
    if not selecting:
        return True
    for p in selecting:
        for rule in p["spec"].get(key, []):
            ports = rule.get("ports")
            if ports and not any(q.get("port") == port and q.get("protocol", "TCP") == "TCP"
                                 for q in ports):
                continue
            peers = rule.get(side)
            if not peers or any(peer_matches(peer, ns, peer_ns, peer_labels, ip) for peer in peers):
                return True
    return False


def check_temporal_policies(r: Rendered, rep: Report, where: str) -> None:
    """The Temporal frontend has no authentication of its own: the network policies of namespace
    temporal are what keep other pods from driving the invoices' workflows."""
    policies = r.of_kind("NetworkPolicy")
    frontend = temporal_pod("frontend")
    deployments = {d["metadata"]["name"]: d for d in r.of_kind("Deployment")}
    clients = [("invoicing", pod_labels(deployments[name]), name)
               for name in ("invoicing-api", "invoicing-worker") if name in deployments]
    job = r.get("Job", "temporal", "invoicing-search-attributes")
    if job:
        clients.append(("temporal", pod_labels(job), "the search-attribute Job"))
    clients += [("keda", {"app.kubernetes.io/name": "keda-operator"}, "KEDA's operator (the scaler)"),
                ("temporal", temporal_pod("web"), "the Temporal UI"),
                ("temporal", temporal_pod("admintools"), "the admin tools"),
                ("temporal", temporal_pod("database"), "the chart's namespace Job"),
                ("temporal", temporal_pod("history"), "Temporal's history service")]
    for ns, labels, what in clients:
        rep.check(allowed(policies, "Ingress", "temporal", frontend, 7233, ns, labels),
                  f"{where} the Temporal frontend (7233) must admit {what}")
        rep.check(allowed(policies, "Egress", ns, labels, 7233, "temporal", frontend),
                  f"{where} {what} must be let out to the Temporal frontend (7233)")
    for ns, labels, what in [("invoicing", {"app.kubernetes.io/name": "invoicing-migrate"}, "the migration Job"),
                             ("default", {"app": "anything"}, "a pod of another namespace"),
                             ("keda", {"app.kubernetes.io/name": "keda-metrics-apiserver"}, "KEDA's metrics server"),
                             ("temporal", {"app.kubernetes.io/name": "other"}, "another pod of namespace temporal")]:
        rep.check(not allowed(policies, "Ingress", "temporal", frontend, 7233, ns, labels),
                  f"{where} the Temporal frontend (7233) admits {what}; it has no authentication")
    # Addresses: a pod's address is in the VPC (the VPC CNI), so an ipBlock rule on 7233 would
    # admit any pod of the cluster.
    for p in policies:
        if p["metadata"]["namespace"] != "temporal" or not selector_matches(p["spec"]["podSelector"], frontend):
            continue
        for rule in p["spec"].get("ingress", []):
            ports = {q.get("port") for q in rule.get("ports", [])}
            if not ports or 7233 in ports:
                rep.check(not any("ipBlock" in peer for peer in rule.get("from", [])),
                          f"{where} NetworkPolicy temporal/{p['metadata']['name']}: an ipBlock on "
                          "the frontend's port admits every pod whose address is in it")
    # Internode traffic among the services, and PostgreSQL.
    services = ("frontend", "history", "matching", "worker")
    for a in services:
        for b in services:
            for port in (7233, 7234, 7235, 6933, 6934, 6935, 6939):
                ok = allowed(policies, "Egress", "temporal", temporal_pod(a), port, "temporal", temporal_pod(b)) and \
                    allowed(policies, "Ingress", "temporal", temporal_pod(b), port, "temporal", temporal_pod(a))
                if not rep.check(ok, f"{where} Temporal {a} cannot reach {b} on {port} (membership "
                                 "and gRPC among the services)"):
                    break
        egress_5432 = any(q.get("port") == 5432 for p in policies if p["metadata"]["namespace"] == "temporal"
                          and "Egress" in p["spec"].get("policyTypes", [])
                          and selector_matches(p["spec"]["podSelector"], temporal_pod(a))
                          for rule in p["spec"].get("egress", []) for q in rule.get("ports", []))
        rep.check(egress_5432, f"{where} Temporal {a} must be let out to PostgreSQL (5432)")
    # The UI: from the internal ALB only (its subnets), never from the whole VPC, whose
    # addresses include every pod's.
    vpc = None
    api_policy = r.get("NetworkPolicy", "invoicing", "invoicing-api-ingress")
    for peer in ((api_policy or {}).get("spec", {}).get("ingress") or [{}])[0].get("from", []):
        if "ipBlock" in peer:
            vpc = ipaddress.ip_network(peer["ipBlock"]["cidr"])
    web_blocks = [ipaddress.ip_network(peer["ipBlock"]["cidr"]) for p in policies
                  if p["metadata"]["namespace"] == "temporal" and
                  selector_matches(p["spec"]["podSelector"], temporal_pod("web"))
                  for rule in p["spec"].get("ingress", []) for peer in rule.get("from", []) if "ipBlock" in peer]
    rep.check(bool(web_blocks) and all(b.prefixlen > 0 and (vpc is None or (b != vpc and b.subnet_of(vpc)))
                                       for b in web_blocks),
              f"{where} the Temporal UI (8080) must admit the internal load balancers' subnets only "
              f"(INTERNAL_LB_SUBNET_CIDR_*), not the VPC ({vpc}): {', '.join(map(str, web_blocks)) or 'none'}")
    rep.check(not allowed(policies, "Ingress", "temporal", temporal_pod("web"), 8080, "default", {"app": "anything"}),
              f"{where} the Temporal UI (8080) admits pods of other namespaces")


# ---------------------------------------------------------------------------------------------
# Capacity and the database connection budget, against terraform/envs/<env>: the values its
# main.tf passes to modules/invoicing (what the committed description builds).

STORE_RS = ROOT / "store/src/lib.rs"
TERRAFORM = ROOT / "terraform"

# What runs besides the product and Temporal, as (name, count, CPU millicores, memory MiB) of
# requests. Estimates from the add-ons' charts and EKS add-ons at the versions
# deploy/docs/standing-it-up.md names (several charts request nothing by default; a real installation should give them
# requests, and these are what this budget assumes they get).
DAEMONSETS_PER_NODE = [("aws-node (VPC CNI + network policy agent)", 50, 128),
                       ("kube-proxy", 100, 64), ("ebs-csi-node", 30, 120),
                       ("prometheus-node-exporter", 20, 32)]
ADDON_PODS = [("coredns", 2, 100, 70), ("metrics-server", 1, 100, 200),
              ("aws-load-balancer-controller", 2, 100, 128), ("cluster-autoscaler", 1, 100, 600),
              ("external-secrets (controller, webhook, cert-controller)", 3, 50, 128),
              ("keda (operator, metrics server, webhooks)", 3, 100, 128),
              ("ebs-csi-controller", 2, 60, 240), ("prometheus", 1, 500, 2048),
              ("prometheus-operator, kube-state-metrics, alertmanager, grafana", 4, 100, 256)]
# Operators' sessions (psql, the admin tools' CLI) and the chart's schema Job.
OPERATOR_CONNECTIONS = 5


def cpu_millis(value) -> int:
    text = str(value)
    return int(text[:-1]) if text.endswith("m") else int(float(text) * 1000)


def memory_mib(value) -> int:
    text = str(value)
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "Ti": 1024 * 1024, "M": 1e6 / 2**20, "G": 1e9 / 2**20}
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * units[unit])
    return int(int(text) / 2**20)


def terraform_defaults(path: Path) -> dict:
    import hcl2  # python-hcl2, in the deploy venv (scripts/requirements-deploy.txt)

    with open(path) as f:
        data = hcl2.load(f)
    out = {}
    for block in data.get("variable", []):
        for name, body in block.items():
            if "default" in body:
                # python-hcl2 wraps each attribute's value in a list of one.
                value = body["default"]
                out[name] = value[0] if isinstance(value, list) and len(value) == 1 else value
    return out


def module_arguments(path: Path, call: str) -> dict:
    """The arguments of module "<call>" in the .tf file at path (python-hcl2 wraps each value in
    a list of one; expressions come as "${...}" strings)."""
    import hcl2

    with open(path) as f:
        tree = hcl2.load(f)
    for block in tree.get("module", []):
        if call in block:
            return {name: value[0] if isinstance(value, list) and len(value) == 1 else value
                    for name, value in block[call].items() if not name.startswith("__")}
    return {}


# Where modules/invoicing hands the sizes read here to the modules that build them: (module call,
# argument, the variable it must be). Were one of them written otherwise, the check would read a
# size that is not the one built.
INVOICING_WIRING = [("eks", "node_instance_types", "node_instance_types"),
                    ("eks", "node_max_size", "node_max_size"),
                    ("database", "max_connections", "db_max_connections"),
                    ("alarms", "rds_max_connections", "db_max_connections")]


def terraform_environment(env: str) -> tuple[dict, str]:
    """The inputs modules/invoicing gets from terraform/envs/<env> when terraform.tfvars sets
    nothing, and the problem that kept one from being read (or ""). An argument of the root's
    module "invoicing" call is taken as written when it is a literal; when it is var.NAME, the
    root's default for NAME; when that default is null, or the argument is not passed, the
    module's default. Any other expression cannot be evaluated here and is left out."""
    root = TERRAFORM / "envs" / env
    module_dir = TERRAFORM / "modules" / "invoicing"
    call = module_arguments(root / "main.tf", "invoicing")
    if (root / str(call.get("source", ""))).resolve() != module_dir.resolve():
        return {}, f"terraform/envs/{env}/main.tf has no module \"invoicing\" call of ../../modules/invoicing"
    for module, argument, variable in INVOICING_WIRING:
        passed = module_arguments(module_dir / "main.tf", module).get(argument)
        if passed != f"${{var.{variable}}}":
            return {}, (f"modules/invoicing/main.tf gives module \"{module}\" {argument} = {passed!r}, "
                        f"not var.{variable}: the size read from terraform/envs/{env} is not what is built")
    root_defaults = terraform_defaults(root / "variables.tf")
    values = terraform_defaults(module_dir / "variables.tf")
    for name, value in call.items():
        if name == "source":
            continue
        reference = re.fullmatch(r"\$\{var\.([\w-]+)\}", value) if isinstance(value, str) else None
        if reference:
            if root_defaults.get(reference.group(1)) is not None:
                values[name] = root_defaults[reference.group(1)]
        elif isinstance(value, str) and "${" in value:
            values.pop(name, None)
        else:
            values[name] = value
    return values, ""


def node_shape(instance_type: str):
    """(allocatable millicores, allocatable MiB, max pods) of an EKS node of this type: EC2's
    sizes, the VPC CNI's pod limit (ENIs x (addresses - 1) + 2, no prefix delegation), and the
    EKS AMI's reservations (kube-reserved CPU 6 % of the first core, 1 % of the second, 0.5 % of
    the third and fourth, 0.25 % above; memory 255 MiB + 11 MiB per pod, 100 MiB eviction
    threshold; the kernel and firmware keep about 6 % of the nominal memory)."""
    family, _, size = instance_type.partition(".")
    m = re.fullmatch(r"(\d*)xlarge", size)
    vcpus = 2 if size == "large" else 4 * int(m.group(1) or 1) if m else None
    gib_per_vcpu = {"m": 4, "t": 4, "r": 8, "c": 2}.get(family[:1])
    max_pods = {"large": 35 if family.startswith("t") else 29, "xlarge": 58, "2xlarge": 58,
                "4xlarge": 234, "8xlarge": 234}.get(size)
    if vcpus is None or gib_per_vcpu is None or max_pods is None:
        return None
    reserved = 60 + (10 if vcpus > 1 else 0) + 5 * min(max(vcpus - 2, 0), 2) + 2.5 * max(vcpus - 4, 0)
    memory = vcpus * gib_per_vcpu * 1024 * 0.94 - (255 + 11 * max_pods) - 100
    return int(vcpus * 1000 - reserved), int(memory), max_pods


def rollout_surge(deployment, replicas: int) -> int:
    surge = ((deployment["spec"].get("strategy") or {}).get("rollingUpdate") or {}).get("maxSurge", "25%")
    if isinstance(surge, str) and surge.endswith("%"):
        return -(-replicas * int(surge[:-1]) // 100)
    return int(surge)


def container_requests(container) -> tuple[int, int]:
    req = (container.get("resources") or {}).get("requests") or {}
    return cpu_millis(req.get("cpu", 0)), memory_mib(req.get("memory", 0))


def check_capacity(r: Rendered, rep: Report, where: str) -> None:
    tf_env = TERRAFORM / "envs" / r.env
    if not rep.check((tf_env / "main.tf").is_file(), f"{where} terraform/envs/{r.env}/main.tf is "
                     "missing (the node group and max_connections the manifests are sized against)"):
        return
    tf, problem = terraform_environment(r.env)
    sizes = ("node_instance_types", "node_max_size", "availability_zone_ids", "db_max_connections")
    unread = [name for name in sizes if tf.get(name) is None]
    if unread and not problem:
        problem = (f"cannot read {', '.join(unread)} from terraform/envs/{r.env}/main.tf: write them "
                   "as literals in its module \"invoicing\" call (or pass a variable with a default)")
    if not rep.check(not problem, f"{where} {problem}"):
        return
    alarms = terraform_defaults(TERRAFORM / "modules/alarms/variables.tf")
    # The alarm's threshold: modules/alarms' default, unless modules/invoicing passes its own.
    alarms.update(module_arguments(TERRAFORM / "modules/invoicing/main.tf", "alarms"))
    values = temporal_values(r.env)
    server = values.get("server") or {}

    # --- the pods at every autoscaler's maximum ----------------------------------------------
    pods: list[tuple[str, int, int]] = []          # (what, millicores, MiB) per pod
    app_surge: list[tuple[str, int, int]] = []
    pool_default = int(re.search(r'"database\.max_connections",\s*"(\d+)"', STORE_RS.read_text()).group(1))
    connections = {}                               # what -> connections at the maximum
    app_surge_connections = 0
    for name in ("invoicing-api", "invoicing-worker"):
        d = r.get("Deployment", "invoicing", name)
        if d is None:
            return
        scalers = [h["spec"]["maxReplicas"] for h in r.of_kind("HorizontalPodAutoscaler")
                   if h["spec"]["scaleTargetRef"]["name"] == name] + \
                  [s["spec"]["maxReplicaCount"] for s in r.of_kind("ScaledObject")
                   if s["spec"]["scaleTargetRef"]["name"] == name]
        maximum = max(scalers or [1])
        container = pod_spec(d)["containers"][0]
        cpu, mem = container_requests(container)
        pods += [(name, cpu, mem)] * maximum
        surge = rollout_surge(d, maximum)
        app_surge += [(f"{name} (rollout surge)", cpu, mem)] * surge
        pool = int(container_env(r, "invoicing", container).get("APP_DATABASE__MAX_CONNECTIONS") or pool_default)
        connections[f"{name}: {maximum} x {pool}"] = maximum * pool
        app_surge_connections += surge * pool
    for job in r.of_kind("Job"):
        for c in pod_spec(job)["containers"]:
            pods.append((f"Job {job['metadata']['name']}", *container_requests(c)))
    migrate = r.get("Job", "invoicing", "invoicing-migrate")
    if migrate:
        pool = int(container_env(r, "invoicing", pod_spec(migrate)["containers"][0])
                   .get("APP_DATABASE__MAX_CONNECTIONS") or pool_default)
        connections[f"migration Job: 1 x {pool}"] = pool

    stores = (server.get("config") or {}).get("persistence", {}).get("datastores") or {}
    per_pod = sum(int((store.get("sql") or {}).get("maxConns", 0)) for store in stores.values())
    temporal_surge: list[tuple[str, int, int]] = []
    temporal_pods = 0
    for service in ("frontend", "history", "matching", "worker"):
        spec = server.get(service) or {}
        replicas = int(spec.get("replicaCount", server.get("replicaCount", 1)))
        req = ((spec.get("resources") or server.get("resources") or {}).get("requests")) or {}
        cpu, mem = cpu_millis(req.get("cpu", 0)), memory_mib(req.get("memory", 0))
        rep.check(cpu > 0 and mem > 0, f"{where} Temporal {service}: set resources.requests (the "
                  "node group is sized by them)")
        pods += [(f"temporal-{service}", cpu, mem)] * replicas
        temporal_surge.append((f"temporal-{service} (upgrade surge)", cpu, mem))
        temporal_pods += replicas
    for part, replicas in (("web", int((values.get("web") or {}).get("replicaCount", 1))), ("admintools", 1)):
        req = ((values.get(part) or {}).get("resources") or {}).get("requests") or {}
        pods += [(f"temporal-{part}", cpu_millis(req.get("cpu", 0)), memory_mib(req.get("memory", 0)))] * replicas
    connections[f"Temporal: {temporal_pods} pods x {per_pod}"] = temporal_pods * per_pod
    for name, count, cpu, mem in ADDON_PODS:
        pods += [(name, cpu, mem)] * count
    surge = max(app_surge, temporal_surge, key=lambda ps: sum(p[1] for p in ps))
    pods += surge

    # --- the node group ------------------------------------------------------------------------
    types = tf.get("node_instance_types") or []
    shapes = {t: node_shape(t) for t in types}
    unknown = [t for t, shape in shapes.items() if shape is None]
    if not rep.check(types and not unknown, f"{where} node_instance_types {types}: unknown instance "
                     f"size {unknown} (add it to node_shape in scripts/k8s_check.py)"):
        return
    rep.check(len(set(shapes.values())) == 1, f"{where} node_instance_types {types} differ in size; "
              "the Cluster Autoscaler assumes one shape per node group")
    cpu_alloc, mem_alloc, max_pods = min(shapes.values())
    ds_cpu = sum(c for _, c, _ in DAEMONSETS_PER_NODE)
    ds_mem = sum(m for _, _, m in DAEMONSETS_PER_NODE)
    free = (cpu_alloc - ds_cpu, mem_alloc - ds_mem, max_pods - len(DAEMONSETS_PER_NODE))
    too_big = sorted({p[0] for p in pods if p[1] > free[0] or p[2] > free[1]})
    rep.check(not too_big, f"{where} {', '.join(too_big)} request more than a {types[0]} node "
              f"leaves free ({free[0]}m CPU, {free[1]} MiB after the kubelet's reservation and the "
              "DaemonSets): they could never be scheduled; give the node group bigger instance types")
    # First-fit decreasing: how many nodes hold all of it.
    nodes: list[list[int]] = []
    for _, cpu, mem in sorted(pods, key=lambda p: (p[1], p[2]), reverse=True):
        if cpu > free[0] or mem > free[1]:
            continue
        for node in nodes:
            if node[0] >= cpu and node[1] >= mem and node[2] >= 1:
                node[0] -= cpu
                node[1] -= mem
                node[2] -= 1
                break
        else:
            nodes.append([free[0] - cpu, free[1] - mem, free[2] - 1])
    zones = len(tf["availability_zone_ids"])
    needed = -(-len(nodes) // zones) * zones   # the node group balances its nodes over the zones
    total_cpu = sum(p[1] for p in pods)
    node_max = int(tf.get("node_max_size", 0))
    print(f"{r.env}: at every maximum (with a rollout's surge and the add-ons) the pods request "
          f"{total_cpu / 1000:.2f} vCPU, {sum(p[2] for p in pods) / 1024:.1f} GiB; a {types[0]} "
          f"leaves {free[0]}m / {free[1]} MiB to them: {len(nodes)} nodes, {needed} balanced over "
          f"{zones} zones; node_max_size {node_max}")
    rep.check(needed <= node_max, f"{where} the pods at their maximum replica counts need {needed} "
              f"{types[0]} nodes ({total_cpu / 1000:.2f} vCPU of requests), node_max_size is "
              f"{node_max} (terraform/envs/{r.env}/main.tf)")

    # --- the database connection budget -----------------------------------------------------
    max_connections = int(tf.get("db_max_connections", 0))
    percent = alarms.get("rds_connections_threshold_percent", 0)
    percent = int(percent) if isinstance(percent, (int, float)) else 0   # an expression: unknown
    threshold = max_connections * percent // 100
    temporal_surge_connections = len(temporal_surge) * per_pod
    budget = sum(connections.values()) + OPERATOR_CONNECTIONS + max(app_surge_connections,
                                                                      temporal_surge_connections)
    print(f"{r.env}: database connections at every maximum: "
          f"{' + '.join(f'{v} ({k})' for k, v in connections.items())} + {OPERATOR_CONNECTIONS} "
          f"(operators) + {max(app_surge_connections, temporal_surge_connections)} (the larger "
          f"rollout surge: application {app_surge_connections}, Temporal "
          f"{temporal_surge_connections}) = {budget}; the rds-connections alarm fires above "
          f"{threshold} ({percent} % of max_connections {max_connections})")
    rep.check(0 < percent <= 95 and budget <= threshold, f"{where} the database connection budget "
              f"({budget}) exceeds the rds-connections alarm's threshold ({threshold} = {percent} % "
              f"of db_max_connections {max_connections}): raise db_max_connections "
              f"(terraform/envs/{r.env}/main.tf) or lower a pool or a replica maximum")


def manifests(args: list[str]) -> Report:
    rep = Report()
    queue = code_task_queue()
    print(f"task queue in the code (DEFAULT_TASK_QUEUE): {queue}")
    for arg in args:
        env, _, path = arg.partition("=")
        r = Rendered(env, Path(path))
        before = (rep.passed, len(rep.failures))
        check_rendered(r, rep, queue)
        print(f"{env}: {len(r.docs)} objects, {rep.passed - before[0]} checks passed, "
              f"{len(rep.failures) - before[1]} failed")
    return rep


# ---------------------------------------------------------------------------------------------
# Temporal Helm values


def deep_merge(base, over):
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base.get(k), v) if k in base else v
        return out
    return over


def leaf_paths(value, prefix=()):
    """Paths of a values tree as tuples of keys (a key may contain dots, as annotation names
    do); list items as `[]`."""
    if isinstance(value, dict) and value:
        for k, v in value.items():
            yield from leaf_paths(v, prefix + (str(k),))
    elif isinstance(value, list) and value:
        yield prefix
        for item in value:
            yield from leaf_paths(item, prefix + ("[]",))
    else:
        yield prefix


def show_path(path: tuple) -> str:
    text = ""
    for part in path:
        if part == "[]":
            text += "[]"
        elif "." in part:
            text += f'["{part}"]'
        else:
            text += f".{part}" if text else part
    return text


def path_allowed(path: tuple, patterns: list[str]) -> bool:
    parts = list(path)
    for pattern in patterns:
        pparts = re.findall(r"\*\*|[^.\[\]]+|\[\]", pattern)
        if pparts and pparts[-1] == "**":
            head = pparts[:-1]
            if len(parts) > len(head) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, head)):
                return True
        elif len(parts) == len(pparts) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, pparts)):
            return True
    return False


FORBIDDEN_TOP = {"cassandra", "elasticsearch", "prometheus", "grafana", "mysql", "postgresql"}

# The values files of each environment, in the order helm receives them (-f ... -f ...).
TEMPORAL_STACKS = {
    "production": ["values-production.yaml", "installation-production.yaml"],
    "staging": ["values-production.yaml", "values-staging.yaml", "installation-staging.yaml"],
}


# A Temporal image through an account's ECR pull-through cache of Docker Hub (module ecr).
CACHED_IMAGE = re.compile(r"^(?P<registry>\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com)/docker-hub/"
                          r"(?P<image>temporalio/[a-z0-9-]+)$")
CHART_VERSION_FILE = TEMPORAL_DIR / "chart-version"
CHART_VERSION_ARG = '--version "$(cat deploy/temporal/chart-version)"'


def installation_value(env: str, key: str) -> str | None:
    path = ROOT / "deploy/overlays" / env / "installation.env"
    if not path.is_file():
        return None
    for line in path.read_text().splitlines():
        if line.startswith(f"{key}="):
            return line.split("=", 1)[1].strip()
    return None


def check_chart_version(rep: Report) -> None:
    """The Temporal chart's version is named once, in deploy/temporal/chart-version; every
    `helm upgrade --install temporal` of the docs and values reads it from there."""
    text = CHART_VERSION_FILE.read_text().strip() if CHART_VERSION_FILE.is_file() else ""
    rep.check(bool(re.fullmatch(r"1\.\d+\.\d+(-rc\.\d+)?", text)), f"{CHART_VERSION_FILE.relative_to(ROOT)} "
              f"must hold one chart version of the 1.x line the values are written for, got {text!r}")
    commands = 0
    docs = [ROOT / "deploy/README.md", *sorted((ROOT / "deploy/docs").glob("*.md"))]
    for path in [*docs, *sorted(TEMPORAL_DIR.glob("*.yaml"))]:
        lines = path.read_text().splitlines()
        for i, line in enumerate(lines):
            if "helm upgrade --install temporal " not in line:
                continue
            command = line
            j = i
            while command.rstrip().endswith("\\") and j + 1 < len(lines):
                j += 1
                command += " " + lines[j].lstrip("# ").strip()
            commands += 1
            rep.check(CHART_VERSION_ARG in command, f"{path.relative_to(ROOT)}:{i + 1}: helm upgrade "
                      f"--install temporal must take {CHART_VERSION_ARG} (the one place of the chart's "
                      "version)")
        stale = [str(i + 1) for i, line in enumerate(lines) if "TEMPORAL_CHART_VERSION" in line]
        rep.check(not stale, f"{path.relative_to(ROOT)}:{','.join(stale)}: $TEMPORAL_CHART_VERSION "
                  "is set nowhere; use deploy/temporal/chart-version")
    rep.check(commands > 0, "no `helm upgrade --install temporal` command found in deploy/README.md, "
              "deploy/docs/ or deploy/temporal/ to check")
    print(f"Temporal chart version {text} (deploy/temporal/chart-version), read by {commands} install "
          "commands")


def temporal_values(env: str) -> dict:
    values: dict = {}
    for name in TEMPORAL_STACKS.get(env, []):
        values = deep_merge(values, yaml.safe_load((TEMPORAL_DIR / name).read_text()) or {})
    return values


def helm_values() -> Report:
    rep = Report()
    patterns = [line.strip() for line in (TEMPORAL_DIR / "chart-keys.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    files = sorted(TEMPORAL_DIR.glob("values-*.yaml")) + sorted(TEMPORAL_DIR.glob("installation-*.yaml"))
    loaded = {}
    for f in files:
        data = yaml.safe_load(f.read_text()) or {}
        loaded[f.name] = data
        rel = f.relative_to(ROOT)
        unknown = [show_path(p) for p in leaf_paths(data) if not path_allowed(p, patterns)]
        rep.check(not unknown, f"{rel}: keys not in chart-keys.txt (misspelt, or new: add them "
                  f"with their source): {', '.join(unknown)}")
        bad = FORBIDDEN_TOP & set(data)
        rep.check(not bad, f"{rel}: the 1.x chart fails on top-level {sorted(bad)} (no bundled "
                  "databases or monitoring; leave the keys out)")
        persistence = ((data.get("server") or {}).get("config") or {}).get("persistence") or {}
        rep.check(not ({"default", "visibility"} & set(persistence)), f"{rel}: "
                  "server.config.persistence.default/visibility is the pre-1.0 format; use "
                  "datastores.<name>")
        rep.check(not ({"createDatabase", "setup", "update"} & set(data.get("schema") or {})),
                  f"{rel}: schema.createDatabase/setup/update are gone in 1.x (per-store "
                  "createDatabase/manageSchema)")
        m = DOC_VALUES.search(f.read_text())
        if m and f.name.startswith("installation-"):
            rep.warn(f"{rel}: installation values are still documentation examples (e.g. "
                     f"{m.group(0)}): replace them before installing")
        print(f"{rel}: {sum(1 for _ in leaf_paths(data))} values, keys checked against "
              f"{len(patterns)} chart paths")

    # The merged values of each environment, as helm receives them.
    stacks = TEMPORAL_STACKS
    temporal_registry: dict[str, str | None] = {}
    oidc_secrets = {}
    for doc in yaml.safe_load_all((TEMPORAL_DIR / "manifests/base/externalsecret.yaml").read_text()):
        if doc and doc.get("kind") == "ExternalSecret":
            target = (doc["spec"].get("target") or {}).get("name") or doc["metadata"]["name"]
            oidc_secrets[target] = externalsecret_keys(doc)
    job = yaml.safe_load((TEMPORAL_DIR / "manifests/base/search-attributes-job.yaml").read_text())
    job_container = job["spec"]["template"]["spec"]["containers"][0]
    job_env = {e["name"]: e.get("value", "") for e in job_container["env"]}
    for env, stack in stacks.items():
        missing = [f for f in stack if f not in loaded]
        if not rep.check(not missing, f"[temporal {env}] missing values files {missing}"):
            continue
        values = {}
        for f in stack:
            values = deep_merge(values, loaded[f])
        where = f"[temporal {env}]"
        server = values.get("server") or {}
        persistence = (server.get("config") or {}).get("persistence") or {}
        shards = persistence.get("numHistoryShards")
        rep.check(isinstance(shards, int) and shards >= 512 and shards & (shards - 1) == 0,
                  f"{where} numHistoryShards must be set, a power of two, at least 512 "
                  f"(got {shards!r})")
        stores = persistence.get("datastores") or {}
        for role in ("defaultStore", "visibilityStore"):
            store = stores.get(persistence.get(role)) or {}
            sql = store.get("sql") or {}
            name = persistence.get(role)
            if not rep.check(bool(sql), f"{where} {role} {name!r} must be an SQL datastore"):
                continue
            rep.check(sql.get("pluginName") == "postgres12", f"{where} store {name}: pluginName "
                      "must be postgres12 (PostgreSQL 12+, SQL visibility)")
            rep.check(bool(sql.get("existingSecret")) and "password" not in sql, f"{where} store "
                      f"{name}: the password comes from existingSecret, never a literal")
            tls = sql.get("tls") or {}
            address = str(sql.get("connectAddr") or "")
            host = address.rsplit(":", 1)[0]
            rep.check(bool(re.fullmatch(r"[a-z0-9.-]+\.rds\.amazonaws\.com:\d+", address)),
                      f"{where} store {name}: connectAddr {address!r} must be the RDS endpoint "
                      "with its port (installation file)")
            rep.check(tls.get("enabled") is True and tls.get("enableHostVerification") is True and
                      bool(tls.get("caFile")) and tls.get("serverName") == host,
                      f"{where} store {name}: TLS to RDS with host verification against the CA "
                      f"bundle, serverName = the endpoint ({host!r})")
        namespaces = (server.get("config") or {}).get("namespaces") or {}
        ns = [n for n in namespaces.get("namespace") or [] if n.get("name") == job_env.get("TEMPORAL_NAMESPACE")]
        rep.check(namespaces.get("create") is True and len(ns) == 1 and bool(ns[0].get("retention")),
                  f"{where} the chart must create namespace {job_env.get('TEMPORAL_NAMESPACE')!r} "
                  "with a retention")
        for store_ref in (server.get("additionalVolumes") or []):
            if "configMap" in store_ref:
                rep.check(store_ref["configMap"]["name"] == "rds-ca-bundle", f"{where} unexpected "
                          f"ConfigMap volume {store_ref['configMap']['name']}")
        web = values.get("web") or {}
        ingress = web.get("ingress") or {}
        ann = ingress.get("annotations") or {}
        rep.check(web.get("enabled") is True and ingress.get("enabled") is True and
                  ingress.get("className") == "alb", f"{where} the Temporal UI is served through "
                  "an ALB Ingress")
        rep.check(ann.get("alb.ingress.kubernetes.io/scheme") == "internal", f"{where} the "
                  "Temporal UI's ALB must be internal (operators only)")
        cidrs = [c.strip() for c in str(ann.get("alb.ingress.kubernetes.io/inbound-cidrs", "")).split(",") if c.strip()]
        ok = bool(cidrs)
        for c in cidrs:
            try:
                ok = ok and not ipaddress.ip_network(c).is_global and ipaddress.ip_network(c).prefixlen > 0
            except ValueError:
                ok = False
        rep.check(ok, f"{where} the Temporal UI needs an allow-list of private operator CIDRs "
                  "(alb.ingress.kubernetes.io/inbound-cidrs)")
        rep.check(bool(CERT_ARN.match(str(ann.get("alb.ingress.kubernetes.io/certificate-arn", "")))),
                  f"{where} the Temporal UI's HTTPS listener needs an ACM certificate ARN")
        attrs = str(ann.get("alb.ingress.kubernetes.io/load-balancer-attributes", ""))
        rep.check("access_logs.s3.enabled=true" in attrs and
                  re.search(r"access_logs\.s3\.bucket=[a-z0-9.-]{3,63}(,|$)", attrs) is not None,
                  f"{where} the Temporal UI's ALB must write access logs (load-balancer-attributes)")
        tag = ((values.get("admintools") or {}).get("image") or {}).get("tag", "")
        rep.check(job_container["image"].endswith(f":{tag}") and tag.startswith(
            str((server.get("image") or {}).get("tag", "?")) + "-"),
                  f"{where} the search-attribute Job's image ({job_container['image']}) must be "
                  f"the admin-tools release of the server ({tag})")

        # The images: through the account's ECR pull-through cache of Docker Hub, never from
        # Docker Hub itself (anonymous pulls through the NAT gateways hit its rate limit), each
        # with an explicit tag.
        registries = set()
        for part, image in (("server", "temporalio/server"), ("admintools", "temporalio/admin-tools"),
                            ("web", "temporalio/ui")):
            spec = (server if part == "server" else values.get(part) or {}).get("image") or {}
            m = CACHED_IMAGE.match(str(spec.get("repository", "")))
            if rep.check(m is not None and m.group("image") == image and bool(spec.get("tag")),
                         f"{where} {part}.image must be {image} through the ECR pull-through cache "
                         f"(<account>.dkr.ecr.<region>.amazonaws.com/docker-hub/{image}, terraform "
                         f"output docker_hub_cache) with a tag; it is {spec.get('repository')!r}:"
                         f"{spec.get('tag')!r}"):
                registries.add(m.group("registry"))
        rep.check(len(registries) <= 1, f"{where} the Temporal images come from different "
                  f"registries: {sorted(registries)}")
        temporal_registry[env] = next(iter(registries), None)

        # The UI's sign-in at the operators' identity provider (ALB OIDC authentication).
        rep.check(ann.get("alb.ingress.kubernetes.io/auth-type") == "oidc" and
                  ann.get("alb.ingress.kubernetes.io/auth-on-unauthenticated-request") == "authenticate",
                  f"{where} the Temporal UI's ALB must sign users in (auth-type oidc, "
                  "auth-on-unauthenticated-request authenticate): neither the UI nor the frontend "
                  "authenticates anyone")
        try:
            idp = json.loads(str(ann.get("alb.ingress.kubernetes.io/auth-idp-oidc", "")))
        except ValueError:
            idp = {}
        endpoints = ("issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint")
        rep.check(all(str(idp.get(k, "")).startswith("https://") for k in endpoints),
                  f"{where} auth-idp-oidc must be JSON with the identity provider's {', '.join(endpoints)} "
                  "(https://…) and secretName (installation file)")
        oidc = oidc_secrets.get(idp.get("secretName"))
        rep.check(oidc is not None and {"clientID", "clientSecret"} <= oidc, f"{where} auth-idp-oidc's "
                  f"secretName {idp.get('secretName')!r} must be a Secret an ExternalSecret of "
                  "deploy/temporal/manifests makes in namespace temporal, with keys clientID and "
                  "clientSecret")

        # inbound-cidrs: the operators' networks, never the VPC (every pod has a VPC address).
        vpc = installation_value(env, "VPC_CIDR")
        for c in cidrs:
            try:
                inside = vpc is not None and ipaddress.ip_network(c).overlaps(ipaddress.ip_network(vpc))
            except ValueError:
                continue
            rep.check(not inside, f"{where} the Temporal UI's inbound-cidrs {c} overlaps the VPC "
                      f"({vpc}), where every pod has its address: use terraform output operator_cidrs")

    # The overlays point the search-attribute Job's image at the same pull-through cache.
    for env, registry in temporal_registry.items():
        overlay = yaml.safe_load((ROOT / "deploy/overlays" / env / "kustomization.yaml").read_text())
        names = {i.get("name"): i.get("newName") for i in overlay.get("images") or []}
        rep.check(registry is not None and names.get("temporalio/admin-tools") ==
                  f"{registry}/docker-hub/temporalio/admin-tools",
                  f"deploy/overlays/{env}/kustomization.yaml: images must point temporalio/admin-tools "
                  f"at {registry}/docker-hub/temporalio/admin-tools (the Helm values' registry)")

    check_chart_version(rep)

    want = code_search_attributes()
    have = dict(pair.split("=", 1) for pair in job_env.get("SEARCH_ATTRIBUTES", "").split())
    rep.check(have == want, f"search-attributes-job.yaml registers {have}, the workflows "
              f"upsert {want} (workflows/src/search.rs)")
    print(f"search attributes: {len(want)} in workflows/src/search.rs, "
          f"{'the same' if have == want else 'DIFFERENT'} in the Job")
    return rep


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"manifests", "helm-values"}:
        print(__doc__)
        return 2
    rep = manifests(sys.argv[2:]) if sys.argv[1] == "manifests" else helm_values()
    for w in dict.fromkeys(rep.warnings):
        print(f"WARNING: {w}")
    for f in rep.failures:
        print(f"FAIL: {f}")
    print(f"{sys.argv[1]}: {rep.passed} passed, {len(rep.failures)} failed")
    return 1 if rep.failures else 0


if __name__ == "__main__":
    sys.exit(main())
