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
the migration Job is what the release pipeline runs before the Deployments, and that no
installation value was left unset. `helm-values` checks the Temporal values files against the chart's key paths
(deploy/temporal/chart-keys.txt) and against the product (namespace, search attributes, TLS).

Each failure is printed with what to fix; the exit status is 1 if any check failed.
"""

from __future__ import annotations

import fnmatch
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
MARKERS = re.compile(r"\b(API_HOSTNAME|VPC_CIDR|DATA_SUBNET_CIDR_\d|ALB_ACCESS_LOGS_BUCKET)\b")
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

    # --- network policies ----------------------------------------------------------------------
    policies = [p for p in r.of_kind("NetworkPolicy") if p["metadata"]["namespace"] == "invoicing"]
    rep.check(any(p["spec"].get("podSelector") == {} and
                  set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"} and
                  not p["spec"].get("ingress") and not p["spec"].get("egress") for p in policies),
              f"{where} namespace invoicing needs a default deny-all NetworkPolicy")
    for p in policies:
        for rule in p["spec"].get("ingress", []) + p["spec"].get("egress", []):
            for peer in rule.get("from", []) + rule.get("to", []):
                if "ipBlock" in peer:
                    try:
                        ipaddress.ip_network(peer["ipBlock"]["cidr"])
                    except ValueError:
                        rep.check(False, f"{where} NetworkPolicy {p['metadata']['name']}: "
                                  f"{peer['ipBlock']['cidr']!r} is not a CIDR")
    for w in workloads:
        if w["metadata"]["namespace"] != "invoicing":
            continue
        labels = pod_labels(w)
        egress_ports = {port.get("port") for p in policies if "Egress" in p["spec"].get(
            "policyTypes", []) and selector_matches(p["spec"]["podSelector"], labels)
            for rule in p["spec"].get("egress", []) for port in rule.get("ports", [])}
        rep.check({53, 5432} <= egress_ports, f"{where} {w['kind']} {w['metadata']['name']}: "
                  "the network policies must let it reach DNS and PostgreSQL")

    # --- labels and the migration Job (README "Manifests") ------------------------------------
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
    stacks = {
        "production": ["values-production.yaml", "installation-production.yaml"],
        "staging": ["values-production.yaml", "values-staging.yaml", "installation-staging.yaml"],
    }
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
