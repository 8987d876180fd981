#!/usr/bin/env python3
"""Render one release of an environment's Kubernetes description, split into apply phases.

Used by .github/workflows/deploy.yml and .github/scripts/deploy-environment, and offline by
scripts/check-ci:

    render_release.py --kubectl KUBECTL --overlay deploy/overlays/staging --repositories
        prints {"invoicing-api": REPOSITORY, "invoicing-worker": REPOSITORY}: where the
        overlay's images live (each environment has the ECR registry of its own AWS account)

    render_release.py --kubectl KUBECTL --overlay deploy/overlays/staging \
        --digest invoicing-api=sha256:... --digest invoicing-worker=sha256:... \
        --release GIT_SHA --out DIR

What the second form does:
1. renders the overlay as it is (`kubectl kustomize`), to learn the repositories its
   containers use (the overlay names them; the release only pins the digest);
2. copies deploy/ to a temporary folder and puts a release kustomization on top of the overlay
   whose `images:` pin those repositories to the given digests (what `kustomize edit set
   image invoicing-api=<repository>@sha256:...` would write; there is no kustomize binary
   here, only kubectl's built-in kustomize), and renders that;
3. checks what the rollout relies on, and fails with a message otherwise:
   - every container that runs invoicing-api or invoicing-worker runs the release's digest,
     every other container's image has an explicit tag or digest (never `latest`);
   - exactly one Job runs `api migrate` (the migration), in the Deployments' namespace;
   - every Deployment rolls with maxUnavailable 0, so a rollout never drops below the running
     capacity;
   - no Deployment that an HPA or KEDA ScaledObject scales sets spec.replicas (applying it
     would reset the autoscaler's replica count on every deploy);
4. writes DIR/all.yaml (the whole release), DIR/1-platform.yaml (everything but Jobs and
   Deployments), DIR/1-jobs.yaml (other Jobs, e.g. the registration of Temporal search
   attributes), DIR/2-migrate.yaml (the migration Job, named after the release: a Job's pod
   template is immutable, so each release gets a Job of its own, and the previous ones stay
   for their logs until their TTL), DIR/3-workloads.yaml (the Deployments) and
   DIR/release.json (namespace, names, images, ExternalSecret namespaces, the public URL).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

WORKLOAD_KINDS = {"Deployment"}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"}
DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
RELEASE_IMAGES = ("invoicing-api", "invoicing-worker")


class RenderError(Exception):
    """A problem with the rendered description that must stop the deployment."""


def kustomize(kubectl: str, path: Path) -> list[dict]:
    result = subprocess.run(
        [kubectl, "kustomize", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RenderError(f"kubectl kustomize {path} failed:\n{result.stderr.strip()}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def repository(image: str) -> str:
    """The image reference without its tag or digest."""
    name = image.split("@", 1)[0]
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:
        name = name[:colon]
    return name


def containers(doc: dict) -> list[dict]:
    kind = doc.get("kind")
    if kind not in POD_TEMPLATE_KINDS:
        return []
    spec = doc.get("spec") or {}
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
    pod = spec if kind == "Pod" else ((spec.get("template") or {}).get("spec") or {})
    return list(pod.get("initContainers") or []) + list(pod.get("containers") or [])


def parse_digests(values: list[str]) -> dict[str, str]:
    digests: dict[str, str] = {}
    for value in values:
        name, sep, digest = value.partition("=")
        if not sep or name not in RELEASE_IMAGES or not DIGEST_RE.match(digest):
            raise RenderError(
                f"--digest {value!r}: expected invoicing-api=sha256:<64 hex digits> or "
                "invoicing-worker=sha256:<64 hex digits> (releases are deployed by digest, "
                "never by a movable tag)"
            )
        digests[name] = digest
    missing = sorted(set(RELEASE_IMAGES) - set(digests))
    if missing:
        raise RenderError(f"no --digest for {', '.join(missing)}")
    return digests


def repositories(plain: list[dict]) -> dict[str, str]:
    """The repository each release image has in the overlay's output, by image name."""
    found: dict[str, set[str]] = {name: set() for name in RELEASE_IMAGES}
    for doc in plain:
        for container in containers(doc):
            repo = repository(str(container.get("image", "")))
            basename = repo.rsplit("/", 1)[-1]
            if basename in found:
                found[basename].add(repo)
    problems = [
        f"{name}: {', '.join(sorted(repos)) or 'no container uses it'}"
        for name, repos in found.items()
        if len(repos) != 1
    ]
    if problems:
        raise RenderError(
            "each release image must come from exactly one repository in the overlay: "
            + "; ".join(problems)
        )
    return {name: repos.pop() for name, repos in found.items()}


def release_kustomization(repos: dict[str, str], digests: dict[str, str]) -> list[dict]:
    """`images:` entries that pin each repository to its release digest."""
    return [
        {"name": repos[name], "newName": repos[name], "digest": digests[name]}
        for name in RELEASE_IMAGES
    ]


def is_zero(value: object) -> bool:
    return value in (0, "0", "0%")


def is_migration(doc: dict, api_image: str) -> bool:
    if doc.get("kind") != "Job":
        return False
    for container in containers(doc):
        words = [str(w) for w in list(container.get("command") or []) + list(container.get("args") or [])]
        if container.get("image") == api_image and "migrate" in words:
            return True
    return False


def check_release(docs: list[dict], images: dict[str, str]) -> dict:
    """`images`: the release's image reference by image name."""
    wanted = set(images.values())
    used: set[str] = set()
    problems: list[str] = []
    deployments: list[dict] = []
    migrations: list[dict] = []
    namespaces: set[str] = set()
    scaled: set[tuple[str, str]] = set()
    hosts: list[str] = []

    for doc in docs:
        kind = doc.get("kind")
        meta = doc.get("metadata") or {}
        where = f"{kind}/{meta.get('name')}"
        if kind in ("HorizontalPodAutoscaler", "ScaledObject"):
            target = (doc.get("spec") or {}).get("scaleTargetRef") or {}
            if target.get("kind", "Deployment") == "Deployment" and target.get("name"):
                scaled.add((meta.get("namespace", ""), target["name"]))
        if kind == "Ingress":
            hosts += [r["host"] for r in (doc.get("spec") or {}).get("rules") or [] if r.get("host")]
        for container in containers(doc):
            image = str(container.get("image", ""))
            basename = repository(image).rsplit("/", 1)[-1]
            if image in wanted:
                used.add(image)
            elif basename in RELEASE_IMAGES:
                problems.append(
                    f"{where} container {container.get('name')} runs {image!r}, not this "
                    f"release's {images[basename]}"
                )
            elif "@sha256:" not in image and (
                ":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")
            ):
                problems.append(
                    f"{where} container {container.get('name')} runs {image!r}: pin a tag or digest"
                )
        if kind == "Deployment":
            deployments.append(doc)
            namespaces.add(meta.get("namespace", ""))
        elif is_migration(doc, images["invoicing-api"]):
            migrations.append(doc)
            namespaces.add(meta.get("namespace", ""))
        elif kind in POD_TEMPLATE_KINDS - {"Job"}:
            problems.append(
                f"{where}: the deployment only rolls out Deployments and Jobs; another workload "
                "kind needs a decision in .github/scripts/deploy-environment"
            )

    for image in sorted(wanted - used):
        problems.append(f"the release image {image} is used by no container")

    if len(migrations) != 1:
        problems.append(
            "expected exactly one Job that runs `api migrate` with the release's API image, "
            f"found {len(migrations)}"
        )
    if not deployments:
        problems.append("the overlay renders no Deployment")

    for doc in deployments:
        meta = doc["metadata"]
        spec = doc.get("spec") or {}
        strategy = spec.get("strategy") or {}
        rolling = strategy.get("rollingUpdate") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate" or not is_zero(
            rolling.get("maxUnavailable")
        ):
            problems.append(
                f"Deployment/{meta['name']} must roll with strategy RollingUpdate and "
                f"maxUnavailable 0 (has {strategy or 'the default, 25%'})"
            )
        if (meta.get("namespace", ""), meta["name"]) in scaled and "replicas" in spec:
            problems.append(
                f"Deployment/{meta['name']} is scaled by an autoscaler but sets spec.replicas "
                f"({spec['replicas']}); every deploy would reset its replica count"
            )

    if len(namespaces) != 1 or "" in namespaces:
        problems.append(
            "the Deployments and the migration Job must all be in one explicit namespace, found: "
            + ", ".join(sorted(repr(n) for n in namespaces))
        )
    if len(set(hosts)) > 1:
        problems.append(f"more than one Ingress host ({', '.join(sorted(set(hosts)))}): which one is the smoke test's?")

    if problems:
        raise RenderError("the release is not deployable:\n  - " + "\n  - ".join(problems))
    return {
        "namespace": next(iter(namespaces)),
        "deployments": [d["metadata"]["name"] for d in deployments],
        "url": f"https://{hosts[0]}" if hosts else "",
    }


def job_name(name: str, release: str) -> str:
    suffix = release[:12].lower()
    return f"{name[: 63 - len(suffix) - 1].rstrip('-')}-{suffix}"


def dump(path: Path, docs: list[dict]) -> None:
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False) if docs else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubectl", required=True)
    parser.add_argument("--overlay", required=True, type=Path)
    parser.add_argument("--repositories", action="store_true", help="print the overlay's image repositories")
    parser.add_argument("--digest", action="append", default=[], help="NAME=sha256:...")
    parser.add_argument("--release", help="the git commit being deployed")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    try:
        overlay = args.overlay.resolve()
        deploy_root = next((p for p in overlay.parents if p.name == "deploy"), None)
        if deploy_root is None or not (overlay / "kustomization.yaml").is_file():
            raise RenderError(f"{args.overlay} is not a kustomize overlay under deploy/")
        repos = repositories(kustomize(args.kubectl, overlay))
        if args.repositories:
            print(json.dumps(repos))
            return 0

        if not args.release or not re.fullmatch(r"[0-9a-f]{7,40}", args.release):
            raise RenderError(f"--release {args.release!r} is not a git commit id")
        if args.out is None:
            raise RenderError("--out is required")
        digests = parse_digests(args.digest)
        images = {name: f"{repos[name]}@{digests[name]}" for name in RELEASE_IMAGES}

        with tempfile.TemporaryDirectory(prefix="release-") as tmp:
            copy = Path(tmp) / "deploy"
            shutil.copytree(deploy_root, copy)
            release_dir = Path(tmp) / "release"
            release_dir.mkdir()
            relative = Path("..") / "deploy" / overlay.relative_to(deploy_root)
            (release_dir / "kustomization.yaml").write_text(
                yaml.safe_dump(
                    {
                        "apiVersion": "kustomize.config.k8s.io/v1beta1",
                        "kind": "Kustomization",
                        "resources": [relative.as_posix()],
                        "images": release_kustomization(repos, digests),
                    },
                    sort_keys=False,
                )
            )
            docs = kustomize(args.kubectl, release_dir)

        summary = check_release(docs, images)
        platform, jobs, migrate, workloads = [], [], [], []
        for doc in docs:
            kind = doc.get("kind")
            if is_migration(doc, images["invoicing-api"]):
                doc["metadata"]["name"] = job_name(doc["metadata"]["name"], args.release)
                doc["metadata"].pop("generateName", None)
                migrate.append(doc)
            elif kind == "Job":
                jobs.append(doc)
            elif kind in WORKLOAD_KINDS:
                workloads.append(doc)
            else:
                platform.append(doc)
        summary["job"] = migrate[0]["metadata"]["name"]
        summary["other_jobs"] = [
            f"{(j['metadata'].get('namespace') or 'default')}/{j['metadata']['name']}" for j in jobs
        ]
        summary["external_secret_namespaces"] = sorted(
            {d["metadata"].get("namespace", "default") for d in docs if d.get("kind") == "ExternalSecret"}
        )
        summary["images"] = images

        args.out.mkdir(parents=True, exist_ok=True)
        dump(args.out / "all.yaml", platform + jobs + migrate + workloads)
        dump(args.out / "1-platform.yaml", platform)
        dump(args.out / "1-jobs.yaml", jobs)
        dump(args.out / "2-migrate.yaml", migrate)
        dump(args.out / "3-workloads.yaml", workloads)
        (args.out / "release.json").write_text(json.dumps(summary, indent=2) + "\n")
    except RenderError as error:
        print(f"render_release: {error}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
