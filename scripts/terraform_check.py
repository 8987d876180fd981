#!/usr/bin/env python3
"""Offline checks of terraform/ for machines without a `terraform` binary.

Called by scripts/check-terraform with the deploy venv's Python (it needs python-hcl2).

    terraform_check.py parse    ROOT   every .tf (and .tfvars.example) file parses
    terraform_check.py validate ROOT   a static `terraform validate` (see validate() below)
    terraform_check.py fmt      ROOT   a `terraform fmt -check` for what can be checked without
                                       terraform; `fmt --fix ROOT` rewrites the whitespace it checks
    terraform_check.py checkov  ROOT REPORTS
                                       summarises checkov's JSON and JUnit reports (in REPORTS):
                                       passed/failed/skipped counts, each failure, each suppression
                                       with its reason; fails on a failed check, a parsing error or
                                       a suppression without a reason

What `validate` proves is structural: names resolve, module interfaces match, roots pin their
providers and keep their state remotely, moved blocks lead somewhere, and the environments' roots
(envs/*) differ in values only: no resource or data source of their own, the same module calls
with the same arguments, the same variables and outputs (see env_root_problems()), so that the
composition, in modules/invoicing, cannot drift between them. One semantic rule is added
because checkov misses it in its usual form: every policy statement that trusts GitHub's OIDC
provider pins the token's sub (repo:<owner>/<name>:..., StringEquals, no wildcard) and aud (see
github_oidc_problems()). It does not know the AWS provider's schema (argument names and types of
`aws_*` resources); checkov, run next by scripts/check-terraform, reads those resources, and
`terraform validate` in a pipeline with network access is still the final word.

What `fmt` checks is the part of `terraform fmt` that reviewers notice: indentation (2 spaces per
bracket level, computed the way hclwrite's formatIndent does), the alignment of `=` in runs of
single-line attributes and of trailing comments (hclwrite's formatCells), exactly one space after
`=`, no tabs, no trailing whitespace, LF line endings and one final newline. It does not check the
spacing between other tokens (`foo( x )`), which terraform fmt would also rewrite.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def tf_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.tf") if ".terraform" not in p.parts)


def load_hcl(path: Path):
    import hcl2  # the deploy venv's python-hcl2

    with path.open(encoding="utf-8") as handle:
        return hcl2.load(handle)


def cmd_parse(root: Path) -> int:
    files = tf_files(root) + sorted(root.rglob("*.tfvars.example")) + sorted(root.rglob("*.hcl.example"))
    failures = 0
    for path in files:
        try:
            load_hcl(path)
        except Exception as error:  # python-hcl2 raises lark errors of many kinds
            failures += 1
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            print(f"  PARSE ERROR {path.relative_to(root.parent)}: {first}")
    print(f"parsed {len(files) - failures}/{len(files)} files")
    return 1 if failures else 0


# ---------------------------------------------------------------------------
# Static validation
# ---------------------------------------------------------------------------

META_ARGUMENTS = {"source", "version", "providers", "depends_on", "count", "for_each"}
PROVIDER_PREFIXES = ("aws", "random", "tls")
REF_RE = re.compile(r"(?<![\w.\-])(var|local|module|data)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?")
RESOURCE_REF_RE = re.compile(r"(?<![\w.\-])((?:%s)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)" % "|".join(PROVIDER_PREFIXES))
SECRET_NAME_RE = re.compile(r"password|secret|token|private_key", re.IGNORECASE)
REEXPORT_RE = re.compile(r"\$\{module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)\}")


@dataclass
class Variable:
    name: str
    file: str
    has_default: bool
    has_type: bool
    has_description: bool


@dataclass
class Output:
    name: str
    file: str
    has_description: bool
    sensitive: bool
    value_text: str
    reexport: tuple[str, str] | None  # (module call, output) when the value is module.<call>.<output>


@dataclass
class ModuleCall:
    name: str
    file: str
    source: str
    version: str | None
    arguments: set[str]


@dataclass
class Directory:
    path: Path
    variables: dict[str, Variable] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    locals: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)
    data: set[str] = field(default_factory=set)
    ephemeral: set[str] = field(default_factory=set)
    modules: dict[str, ModuleCall] = field(default_factory=dict)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # (file, from, to)
    required_providers: dict[str, dict] = field(default_factory=dict)
    required_version: str | None = None
    backends: list[tuple[str, dict]] = field(default_factory=list)
    providers: list[tuple[str, dict]] = field(default_factory=list)
    expressions: list[tuple[str, str]] = field(default_factory=list)  # (file, expression text)
    errors: list[str] = field(default_factory=list)


def first(value):
    """python-hcl2 wraps attribute values in one-element lists."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "${" in key:
                yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def unwrap(text) -> str:
    """python-hcl2 writes an expression as ${...}; the bare text of a reference or address."""
    text = str(text)
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text


def expressions_in(value):
    """Strings of the parsed tree that hold expressions (python-hcl2 writes them as ${...})."""
    for text in strings_in(value):
        if "${" in text:
            yield text


def load_directory(path: Path, root: Path) -> Directory:
    directory = Directory(path)
    for file in sorted(path.glob("*.tf")):
        rel = str(file.relative_to(root.parent))
        try:
            tree = load_hcl(file)
        except Exception as error:
            directory.errors.append(f"{rel}: does not parse ({error})")
            continue
        for block in tree.get("variable", []):
            for name, body in block.items():
                directory.variables[name] = Variable(
                    name,
                    rel,
                    "default" in body,
                    "type" in body,
                    bool(str(first(body.get("description", ""))).strip()),
                )
                directory.expressions += [(rel, e) for e in expressions_in({k: v for k, v in body.items() if k != "type"})]
        for block in tree.get("output", []):
            for name, body in block.items():
                value_text = json.dumps(body.get("value"))
                reexport = REEXPORT_RE.fullmatch(str(first(body.get("value", ""))))
                directory.outputs[name] = Output(
                    name,
                    rel,
                    bool(str(first(body.get("description", ""))).strip()),
                    first(body.get("sensitive", False)) is True,
                    value_text,
                    (reexport.group(1), reexport.group(2)) if reexport else None,
                )
                directory.expressions += [(rel, e) for e in expressions_in(body)]
        for block in tree.get("locals", []):
            for name, body in block.items():
                if name.startswith("__"):
                    continue
                directory.locals.add(name)
                directory.expressions += [(rel, e) for e in expressions_in(body)]
        for kind, target in (("resource", directory.resources), ("data", directory.data), ("ephemeral", directory.ephemeral)):
            for block in tree.get(kind, []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        target.add(f"{rtype}.{name}")
                        directory.expressions += [(rel, e) for e in expressions_in(body)]
        for block in tree.get("module", []):
            for name, body in block.items():
                arguments = {k for k in body if not k.startswith("__")}
                directory.modules[name] = ModuleCall(
                    name,
                    rel,
                    str(first(body.get("source", ""))),
                    first(body["version"]) if "version" in body else None,
                    arguments - META_ARGUMENTS,
                )
                directory.expressions += [(rel, e) for e in expressions_in(body)]
        for block in tree.get("provider", []):
            for name, body in block.items():
                directory.providers.append((name, body))
                directory.expressions += [(rel, e) for e in expressions_in(body)]
        for block in tree.get("moved", []):
            directory.moved.append((rel, unwrap(first(block.get("from", ""))), unwrap(first(block.get("to", "")))))
        for block in tree.get("check", []):
            directory.expressions += [(rel, e) for e in expressions_in(block)]
        for block in tree.get("terraform", []):
            if "required_version" in block:
                directory.required_version = str(first(block["required_version"]))
            for providers in block.get("required_providers", []):
                for name, spec in providers.items():
                    directory.required_providers[name] = first(spec) if isinstance(spec, list) else spec
            for backend in block.get("backend", []):
                for kind, body in backend.items():
                    directory.backends.append((kind, body))
    return directory


def is_root(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    return (len(rel) == 2 and rel[0] == "envs") or rel == ("bootstrap",)


def validate_directory(d: Directory, dirs: dict[Path, Directory], root: Path) -> list[str]:
    errors = list(d.errors)
    rel_dir = str(d.path.relative_to(root.parent))
    used_vars: set[str] = set()
    declared_types = {r.split(".")[0] for r in d.resources | d.data | d.ephemeral}

    for file, text in d.expressions:
        for kind, name, attr in REF_RE.findall(text):
            if kind == "var":
                used_vars.add(name)
                if name not in d.variables:
                    errors.append(f"{file}: var.{name} is not declared in {rel_dir}")
            elif kind == "local":
                if name not in d.locals:
                    errors.append(f"{file}: local.{name} is not declared in {rel_dir}")
            elif kind == "module":
                call = d.modules.get(name)
                if call is None:
                    errors.append(f"{file}: module.{name} is not called in {rel_dir}")
                elif attr and call.source.startswith("."):
                    target = dirs.get((d.path / call.source).resolve())
                    if target is not None and attr not in target.outputs:
                        errors.append(f"{file}: module.{name}.{attr}: {call.source} has no output \"{attr}\"")
            elif kind == "data":
                if not attr or f"{name}.{attr}" not in d.data:
                    errors.append(f"{file}: data.{name}.{attr} is not declared in {rel_dir}")
        for rtype, name in RESOURCE_REF_RE.findall(text):
            ref = f"{rtype}.{name}"
            if ref not in d.resources and ref not in d.ephemeral:
                errors.append(f"{file}: {ref} is not a resource of {rel_dir}")

    for var in d.variables.values():
        if not var.has_type:
            errors.append(f"{var.file}: variable \"{var.name}\" has no type")
        if not var.has_description:
            errors.append(f"{var.file}: variable \"{var.name}\" has no description")
        if var.name not in used_vars:
            errors.append(f"{var.file}: variable \"{var.name}\" is declared but never used")
    for out in d.outputs.values():
        # A root that re-exports a module's output under the same name may leave the description
        # to the module (written once, where the value is made); any other output needs its own.
        call = d.modules.get(out.reexport[0]) if out.reexport else None
        target = dirs.get((d.path / call.source).resolve()) if call and call.source.startswith(".") else None
        origin = target.outputs.get(out.reexport[1]) if target is not None else None
        if not out.has_description and not (origin and origin.name == out.name and origin.has_description):
            errors.append(
                f"{out.file}: output \"{out.name}\" has no description"
                + (" (and is not a same-named re-export of a described module output)" if out.reexport else "")
            )
        if origin and origin.sensitive and not out.sensitive:
            errors.append(f"{out.file}: output \"{out.name}\" re-exports the sensitive module.{out.reexport[0]}.{out.reexport[1]}: set sensitive = true")
        if re.search(r"random_password\.[\w-]+\.result", out.value_text) and not out.sensitive:
            errors.append(f"{out.file}: output \"{out.name}\" exposes a generated password without sensitive = true")

    for call in d.modules.values():
        if not call.source.startswith("."):
            # A registry module: its version must be pinned exactly.
            if not call.version or not re.fullmatch(r"=?\s*\d+\.\d+\.\d+", call.version):
                errors.append(f"{call.file}: module \"{call.name}\" ({call.source}) must pin an exact version")
            continue
        target = dirs.get((d.path / call.source).resolve())
        if target is None:
            errors.append(f"{call.file}: module \"{call.name}\": source {call.source} is not a module directory")
            continue
        for argument in sorted(call.arguments - set(target.variables)):
            errors.append(f"{call.file}: module \"{call.name}\": {call.source} has no variable \"{argument}\"")
        for var in sorted(target.variables.values(), key=lambda v: v.name):
            if not var.has_default and var.name not in call.arguments:
                errors.append(f"{call.file}: module \"{call.name}\": required variable \"{var.name}\" of {call.source} is not set")

    # Providers: every provider whose resources are used must be required (with a source and a
    # version constraint) by this directory.
    used_providers = {t.split("_", 1)[0] for t in declared_types}
    for provider in sorted(used_providers):
        spec = d.required_providers.get(provider)
        if not spec:
            errors.append(f"{rel_dir}: uses {provider}_* resources but does not list \"{provider}\" in required_providers")
        elif not spec.get("source") or not spec.get("version"):
            errors.append(f"{rel_dir}: required_providers.{provider} needs a source and a version")
    if not d.required_version:
        errors.append(f"{rel_dir}: terraform.required_version is missing")

    if is_root(d.path, root):
        for name, spec in d.required_providers.items():
            version = str(spec.get("version", ""))
            if not re.fullmatch(r"(~>\s*\d+\.\d+(\.\d+)?|=?\s*\d+\.\d+\.\d+)", version):
                errors.append(f"{rel_dir}: provider \"{name}\" must be pinned to a minor (\"~> X.Y\") or an exact version, not \"{version}\"")
        aws_blocks = [body for name, body in d.providers if name == "aws"]
        if not aws_blocks:
            errors.append(f"{rel_dir}: no provider \"aws\" block")
        for body in aws_blocks:
            tags_text = json.dumps(body.get("default_tags", []))
            for tag in ("Project", "Environment", "ManagedBy"):
                if f'"{tag}"' not in tags_text:
                    errors.append(f"{rel_dir}: provider \"aws\" default_tags lacks {tag}")
        if d.path.parent.name == "envs":
            s3 = [body for kind, body in d.backends if kind == "s3"]
            if not s3:
                errors.append(f"{rel_dir}: no backend \"s3\" block")
            for body in s3:
                if first(body.get("encrypt")) is not True:
                    errors.append(f"{rel_dir}: backend \"s3\" must set encrypt = true")
                if first(body.get("use_lockfile")) is not True and "dynamodb_table" not in body:
                    errors.append(f"{rel_dir}: backend \"s3\" needs use_lockfile = true (or a dynamodb_table)")
                if "key" not in body:
                    errors.append(f"{rel_dir}: backend \"s3\" needs a key")
            example = d.path / "terraform.tfvars.example"
            if not example.is_file():
                errors.append(f"{rel_dir}: terraform.tfvars.example is missing")
            else:
                errors += validate_tfvars_example(example, d, root)
        elif (d.path / "terraform.tfvars.example").is_file():
            errors += validate_tfvars_example(d.path / "terraform.tfvars.example", d, root)
    else:
        for required in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
            if not (d.path / required).is_file():
                errors.append(f"{rel_dir}: {required} is missing")
    return errors


def address_exists(d: Directory, address: str, dirs: dict[Path, Directory]) -> bool:
    """Whether a module call or managed resource address (module.a.module.b.aws_x.y) names
    something this configuration declares, following local module calls."""
    parts = [part.split("[")[0] for part in address.split(".")]
    current = d
    while len(parts) >= 2 and parts[0] == "module":
        call = current.modules.get(parts[1])
        target = dirs.get((current.path / call.source).resolve()) if call and call.source.startswith(".") else None
        if target is None:
            return False
        current, parts = target, parts[2:]
    if not parts:
        return True
    return len(parts) == 2 and f"{parts[0]}.{parts[1]}" in current.resources


def moved_problems(d: Directory, dirs: dict[Path, Directory]) -> list[str]:
    """A moved block must lead to what the configuration declares now, and away from what it no
    longer declares: otherwise Terraform plans a destroy and a create, or refuses the block."""
    errors = []
    for file, source, target in d.moved:
        if not address_exists(d, target, dirs):
            errors.append(f"{file}: moved to {target}, which this configuration does not declare")
        if address_exists(d, source, dirs):
            errors.append(f"{file}: moved from {source}, which this configuration still declares")
    return errors


def env_root_problems(envs: list[Directory], dirs: dict[Path, Directory], root: Path) -> list[str]:
    """The environments' roots differ in values only. Each declares no resource or data source of
    its own (the composition lives once, in the modules it calls: modules/invoicing), and all of
    them call the same modules with the same arguments and declare the same variables, outputs
    and locals; so a change made to one root and forgotten in another fails here."""
    errors = []

    def rel(d: Directory) -> str:
        return str(d.path.relative_to(root.parent))

    for d in envs:
        own = sorted(d.resources | {f"data.{name}" for name in d.data} | {f"ephemeral.{name}" for name in d.ephemeral})
        if own:
            errors.append(f"{rel(d)}: declares {', '.join(own)}; an environment's root only calls modules (write it in the module, once)")

    def calls(d: Directory) -> dict[str, str]:
        return {name: str((d.path / c.source).resolve().relative_to(root)) if c.source.startswith(".") else c.source for name, c in d.modules.items()}

    first, *others = sorted(envs, key=lambda d: d.path)
    for other in others:
        pairs = [
            ("variable", set(first.variables), set(other.variables)),
            ("output", set(first.outputs), set(other.outputs)),
            ("local", first.locals, other.locals),
            ("module call", {f"{n} ({src})" for n, src in calls(first).items()}, {f"{n} ({src})" for n, src in calls(other).items()}),
        ]
        for name in sorted(first.modules.keys() & other.modules.keys()):
            pairs.append((f"argument of module \"{name}\"", first.modules[name].arguments, other.modules[name].arguments))
        for what, mine, theirs in pairs:
            for name in sorted(mine - theirs):
                errors.append(f"{rel(other)}: lacks the {what} {name} that {rel(first)} has (the roots differ in values only)")
            for name in sorted(theirs - mine):
                article = "an" if what[0] in "aeiou" else "a"
                errors.append(f"{rel(other)}: has {article} {what} {name} that {rel(first)} lacks (the roots differ in values only)")
    return errors


def validate_tfvars_example(example: Path, d: Directory, root: Path) -> list[str]:
    errors = []
    rel = str(example.relative_to(root.parent))
    try:
        values = load_hcl(example)
    except Exception as error:
        return [f"{rel}: does not parse ({error})"]
    for key in sorted(k for k in values if not k.startswith("__")):
        if key not in d.variables:
            errors.append(f"{rel}: \"{key}\" is not a variable of {d.path.name}")
        if SECRET_NAME_RE.search(key):
            errors.append(f"{rel}: \"{key}\" looks like a secret; secrets never go into tfvars")
    for var in d.variables.values():
        if not var.has_default and var.name not in values:
            errors.append(f"{rel}: required variable \"{var.name}\" has no example value")
    return errors


# ---------------------------------------------------------------------------
# GitHub Actions OIDC trust policies
# ---------------------------------------------------------------------------
#
# A role that trusts token.actions.githubusercontent.com without a sub condition can be assumed
# by a workflow of any repository on GitHub (the token is GitHub's, not the repository's). checkov
# has CKV_AWS_358 for this, but it only recognises the provider when the principal's text holds
# "oidc-provider/token.actions.githubusercontent.com", so `identifiers =
# [aws_iam_openid_connect_provider.github.arn]` (the usual way to write it) escapes it; it also
# accepts StringLike "repo:org/*" (any repository of the owner, any branch, any pull request) and
# stops at the first statement. This check recognises the provider by resource, local, variable
# name or condition key, and requires of every Allow statement that trusts it:
#   - only sts:AssumeRoleWithWebIdentity;
#   - a StringEquals condition on token.actions.githubusercontent.com:sub whose values are all
#     repo:<owner>/<name>:<context> without wildcards;
#   - a StringEquals condition on token.actions.githubusercontent.com:aud = sts.amazonaws.com.
# And trust policies that mention the provider are data "aws_iam_policy_document" blocks (not
# inline JSON on the role), so that this check can read them.

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
INTERPOLATION_RE = re.compile(r"\$\{[^{}]*\}")
GITHUB_SUB_RE = re.compile(r"^repo:[^/:*?]+/[^/:*?]+:[^*?]+$")


def flat_strings(value) -> list[str]:
    return [text for text in strings_in(value) if isinstance(text, str)]


def github_oidc_problems(path: Path, root: Path) -> tuple[list[str], int]:
    """Problems of the GitHub OIDC trust statements of one module directory, and how many there are."""
    trees = []
    for file in sorted(path.glob("*.tf")):
        try:
            trees.append((str(file.relative_to(root.parent)), load_hcl(file)))
        except Exception:
            continue  # reported by parse and validate

    # Names that stand for the GitHub provider: its resource or data source, the locals made of it,
    # and variables named after it.
    markers = {GITHUB_OIDC_HOST}
    for _, tree in trees:
        for kind, prefix in (("resource", ""), ("data", "data.")):
            for block in tree.get(kind, []):
                for name, body in block.get("aws_iam_openid_connect_provider", {}).items():
                    if GITHUB_OIDC_HOST in json.dumps(body.get("url", "")):
                        markers.add(f"{prefix}aws_iam_openid_connect_provider.{name}")
    local_texts = {}
    for _, tree in trees:
        for block in tree.get("locals", []):
            for name, body in block.items():
                if not name.startswith("__"):
                    local_texts[name] = json.dumps(body)
    changed = True
    while changed:
        changed = False
        for name, text in local_texts.items():
            marker = f"local.{name}"
            if marker not in markers and any(m in text for m in markers):
                markers.add(marker)
                changed = True

    def mentions_github(text: str) -> bool:
        if any(re.search(re.escape(m) + r"(?![\w-])", text) for m in markers):
            return True
        return bool(re.search(r"var\.[\w-]*github[\w-]*", text, re.IGNORECASE))

    problems: list[str] = []
    checked = 0
    for file, tree in trees:
        for block in tree.get("data", []):
            for name, body in block.get("aws_iam_policy_document", {}).items():
                where = f"{file}:{body.get('__start_line__', '?')}: data.aws_iam_policy_document.{name}"
                for statement in body.get("statement", []):
                    if str(first(statement.get("effect", "Allow"))) == "Deny":
                        continue
                    federated = [
                        text
                        for principal in statement.get("principals", [])
                        if str(first(principal.get("type"))) == "Federated"
                        for text in flat_strings(principal.get("identifiers"))
                    ]
                    conditions = statement.get("condition", [])
                    keys = [str(first(c.get("variable"))) for c in conditions]
                    if not any(mentions_github(text) for text in federated) and not any(
                        key.startswith(GITHUB_OIDC_HOST + ":") for key in keys
                    ):
                        continue
                    checked += 1
                    sid = first(statement.get("sid"))
                    label = f"{where}{f' (statement {sid})' if sid else ''}"
                    actions = flat_strings(statement.get("actions"))
                    if actions != ["sts:AssumeRoleWithWebIdentity"]:
                        problems.append(f"{label} trusts GitHub's OIDC provider with actions {actions}; allow sts:AssumeRoleWithWebIdentity only")
                    by_key: dict[str, list[dict]] = {}
                    for condition in conditions:
                        by_key.setdefault(str(first(condition.get("variable"))), []).append(condition)
                    subs = by_key.get(f"{GITHUB_OIDC_HOST}:sub", [])
                    if not subs:
                        problems.append(
                            f"{label} trusts GitHub's OIDC provider without a condition on {GITHUB_OIDC_HOST}:sub: "
                            "a workflow of any repository on GitHub could assume the role (pin repo:<owner>/<name>:ref:refs/heads/<branch> "
                            "or repo:<owner>/<name>:environment:<environment>)"
                        )
                    for condition in subs:
                        test = str(first(condition.get("test")))
                        values = flat_strings(condition.get("values"))
                        if test != "StringEquals":
                            problems.append(f"{label}: the sub condition uses {test}; use StringEquals (a pattern lets other repositories, branches or pull requests in)")
                        if not values:
                            problems.append(f"{label}: the sub condition has no value")
                        for value in values:
                            shape = INTERPOLATION_RE.sub("x", value)
                            if not GITHUB_SUB_RE.match(shape):
                                problems.append(f"{label}: sub value {value!r} is not repo:<owner>/<name>:<context> without wildcards")
                    auds = by_key.get(f"{GITHUB_OIDC_HOST}:aud", [])
                    if not any(
                        str(first(c.get("test"))) == "StringEquals" and flat_strings(c.get("values")) == ["sts.amazonaws.com"]
                        for c in auds
                    ):
                        problems.append(f"{label} trusts GitHub's OIDC provider without StringEquals {GITHUB_OIDC_HOST}:aud = sts.amazonaws.com")
        for block in tree.get("resource", []):
            for name, body in block.get("aws_iam_role", {}).items():
                text = json.dumps(body.get("assume_role_policy", ""))
                if GITHUB_OIDC_HOST in text and "data.aws_iam_policy_document." not in text:
                    problems.append(
                        f"{file}:{body.get('__start_line__', '?')}: aws_iam_role.{name} trusts GitHub's OIDC provider in an inline policy; "
                        "write it as a data \"aws_iam_policy_document\" so that it is checked"
                    )
    return problems, checked


def cmd_validate(root: Path) -> int:
    module_dirs = sorted({p.parent.resolve() for p in tf_files(root)})
    dirs = {path: load_directory(path, root.resolve()) for path in module_dirs}
    errors: list[str] = []
    called: set[Path] = set()
    for d in dirs.values():
        for call in d.modules.values():
            if call.source.startswith("."):
                called.add((d.path / call.source).resolve())
    roots = [p for p in dirs if is_root(p, root.resolve())]
    github_trusts = 0
    for path, d in dirs.items():
        rel = path.relative_to(root.resolve())
        if path not in roots and rel.parts[0] != "modules":
            errors.append(f"{rel}: .tf files outside envs/*, bootstrap/ and modules/*")
        if rel.parts[0] == "modules" and path not in called:
            errors.append(f"terraform/{rel}: module is not used by any root or module")
        errors += validate_directory(d, dirs, root.resolve())
        errors += moved_problems(d, dirs)
        oidc_problems, oidc_checked = github_oidc_problems(path, root.resolve())
        errors += oidc_problems
        github_trusts += oidc_checked
    envs = [p for p in roots if p.parent.name == "envs"]
    if not envs:
        errors.append("no environment roots under terraform/envs/")
    else:
        errors += env_root_problems([dirs[p] for p in envs], dirs, root.resolve())

    for path in sorted(dirs):
        d = dirs[path]
        rel = path.relative_to(root.resolve())
        print(
            f"  {str(rel) + '/':34} {len(d.variables):3} variables {len(d.outputs):3} outputs "
            f"{len(d.resources):3} resources {len(d.modules):3} module calls"
        )
    if errors:
        print()
        for error in errors:
            print(f"  ERROR {error}")
        print(f"validate: {len(errors)} problem(s) in {len(dirs)} directories ({github_trusts} GitHub OIDC trust statements)")
        return 1
    moved = sum(len(d.moved) for d in dirs.values())
    print(
        f"validate: {len(dirs)} directories ({len(roots)} roots, {len(envs)} environments alike but for values), "
        f"{github_trusts} GitHub OIDC trust statements, {moved} moved blocks, no problems"
    )
    return 0


# ---------------------------------------------------------------------------
# fmt-like whitespace check (a model of hclwrite's formatter; see the module docstring)
# ---------------------------------------------------------------------------

OPEN = {"OBRACE", "OBRACK", "OPAREN", "TEMPLATE_INTERP"}
CLOSE = {"CBRACE", "CBRACK", "CPAREN", "TEMPLATE_SEQ_END"}


@dataclass
class Token:
    kind: str
    line: int
    col: int
    end: int  # column after the token on its first line


class ScanError(Exception):
    pass


def scan(text: str) -> tuple[list[Token], set[int]]:
    """Tokens of an HCL file, and the numbers of the lines the formatter leaves alone (heredoc
    bodies and the inside of /* */ comments)."""
    tokens: list[Token] = []
    untouched: set[int] = set()
    lines = text.split("\n")
    stack = ["code"]
    line = col = 0

    def peek(offset=0):
        current = lines[line]
        return current[col + offset] if col + offset < len(current) else ("\n" if line + 1 < len(lines) else "")

    while line < len(lines):
        current = lines[line]
        mode = stack[-1]
        if col >= len(current):
            if mode == "quote":
                raise ScanError(f"line {line + 1}: unterminated string")
            if line + 1 < len(lines):
                tokens.append(Token("NEWLINE", line, col, col + 1))
            line += 1
            col = 0
            continue
        ch = current[col]
        if mode == "quote":
            if ch == "\\":
                col += 2
            elif ch == '"':
                tokens.append(Token("CQUOTE", line, col, col + 1))
                stack.pop()
                col += 1
            elif current.startswith(("$${", "%%{"), col):
                col += 3
            elif current.startswith(("${", "%{"), col):
                tokens.append(Token("TEMPLATE_INTERP", line, col, col + 2))
                stack.append("interp")
                col += 2
            else:
                start = col
                while col < len(current) and current[col] not in '"\\$%':
                    col += 1
                if col == start:
                    col += 1
                tokens.append(Token("QUOTED_LIT", line, start, col))
            continue
        # code or interp
        if ch in " \t":
            col += 1
        elif ch == "#" or current.startswith("//", col):
            tokens.append(Token("COMMENT", line, col, len(current)))
            col = len(current)
        elif current.startswith("/*", col):
            start_line, start_col = line, col
            col += 2
            while not lines[line].startswith("*/", col):
                col += 1
                if col >= len(lines[line]):
                    line += 1
                    col = 0
                    if line >= len(lines):
                        raise ScanError(f"line {start_line + 1}: unterminated /* comment")
                    untouched.add(line)
            col += 2
            tokens.append(Token("COMMENT" if line == start_line else "BLOCK_COMMENT", start_line, start_col, col if line == start_line else len(lines[start_line])))
        elif ch == '"':
            tokens.append(Token("OQUOTE", line, col, col + 1))
            stack.append("quote")
            col += 1
        elif current.startswith("<<", col) and re.match(r"<<-?([A-Za-z_][\w-]*)\s*$", current[col:]):
            marker = re.match(r"<<-?([A-Za-z_][\w-]*)", current[col:]).group(1)
            tokens.append(Token("OHEREDOC", line, col, len(current)))
            line += 1
            col = 0
            while line < len(lines) and lines[line].strip() != marker:
                untouched.add(line)
                line += 1
            if line >= len(lines):
                raise ScanError(f"heredoc {marker} is not closed")
            untouched.add(line)
            tokens.append(Token("CHEREDOC", line, 0, len(lines[line])))
            col = len(lines[line])
        elif ch in "{[(":
            tokens.append(Token({"{": "OBRACE", "[": "OBRACK", "(": "OPAREN"}[ch], line, col, col + 1))
            if ch == "{":
                stack.append("brace")
            col += 1
        elif ch in ")]":
            tokens.append(Token({")": "CPAREN", "]": "CBRACK"}[ch], line, col, col + 1))
            col += 1
        elif ch == "}":
            if mode == "interp":
                tokens.append(Token("TEMPLATE_SEQ_END", line, col, col + 1))
            else:
                tokens.append(Token("CBRACE", line, col, col + 1))
            if len(stack) > 1:
                stack.pop()
            col += 1
        elif ch == "=":
            nxt = peek(1)
            if nxt in "=>":
                tokens.append(Token("OP", line, col, col + 2))
                col += 2
            else:
                tokens.append(Token("EQUAL", line, col, col + 1))
                col += 1
        elif ch in "!<>" and peek(1) == "=":
            tokens.append(Token("OP", line, col, col + 2))
            col += 2
        elif ch.isalpha() or ch == "_":
            start = col
            while col < len(current) and (current[col].isalnum() or current[col] in "_-"):
                col += 1
            tokens.append(Token("IDENT", line, start, col))
        elif ch.isdigit():
            start = col
            while col < len(current) and (current[col].isalnum() or current[col] in "."):
                col += 1
            tokens.append(Token("NUMBER", line, start, col))
        else:
            width = 2 if current.startswith(("&&", "||", "..."), col) else 1
            width = 3 if current.startswith("...", col) else width
            tokens.append(Token("OP", line, col, col + width))
            col += width
    return tokens, untouched


@dataclass
class Line:
    number: int
    lead: list[Token]
    assign: list[Token]
    comment: list[Token]


def format_lines(text: str) -> tuple[list[Line], set[int]]:
    tokens, untouched = scan(text)
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        if token.kind != "NEWLINE":
            by_line.setdefault(token.line, []).append(token)
    result = []
    for number in range(len(text.split("\n"))):
        lead = by_line.get(number, [])
        assign: list[Token] = []
        comment: list[Token] = []
        if number not in untouched and lead:
            if len(lead) > 1 and lead[-1].kind == "COMMENT":
                comment, lead = lead[-1:], lead[:-1]
            for i, token in enumerate(lead):
                if i > 0 and token.kind == "EQUAL":
                    net = sum((t.kind in OPEN) - (t.kind in CLOSE) for t in lead[i:])
                    if net == 0:
                        assign, lead = lead[i:], lead[:i]
                    break
        result.append(Line(number, lead, assign, comment))
    return result, untouched


def expected_indents(lines: list[Line], untouched: set[int]) -> dict[int, int]:
    indents: list[int] = []
    expected = {}
    for line in lines:
        if line.number in untouched or not line.lead:
            continue
        net = 0
        for token in line.lead + line.assign:
            net += (token.kind in OPEN) - (token.kind in CLOSE)
            if token.kind == "OHEREDOC":
                break
        if net > 0:
            expected[line.number] = 2 * len(indents)
            indents.append(net)
        elif net < 0:
            closed = -net
            while closed > 0 and indents:
                if closed > indents[-1]:
                    closed -= indents.pop()
                elif closed < indents[-1]:
                    indents[-1] -= closed
                    closed = 0
                else:
                    indents.pop()
                    closed = 0
            expected[line.number] = 2 * len(indents)
        else:
            expected[line.number] = 2 * len(indents)
    return expected


def chains(lines: list[Line], cell: str):
    chain: list[Line] = []
    for line in lines:
        if getattr(line, cell):
            chain.append(line)
        else:
            if chain:
                yield chain
            chain = []
    if chain:
        yield chain


def fmt_problems(text: str) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    raw_lines = text.split("\n")
    if "\r" in text:
        problems.append((1, "CRLF line endings"))
    if text and not text.endswith("\n"):
        problems.append((len(raw_lines), "no newline at the end of the file"))
    if text.endswith("\n\n"):
        problems.append((len(raw_lines) - 1, "blank lines at the end of the file"))
    try:
        lines, untouched = format_lines(text)
    except ScanError as error:
        return problems + [(0, f"cannot scan: {error}")]
    for number, raw in enumerate(raw_lines):
        if "\t" in raw:
            problems.append((number + 1, "tab character"))
        if raw != raw.rstrip() and number not in untouched:
            problems.append((number + 1, "trailing whitespace"))
    for number, indent in expected_indents(lines, untouched).items():
        actual = len(raw_lines[number]) - len(raw_lines[number].lstrip(" "))
        if actual != indent:
            problems.append((number + 1, f"indented {actual} spaces, expected {indent}"))
    for chain in chains(lines, "assign"):
        column = max(line.lead[-1].end for line in chain) + 1
        for line in chain:
            eq = line.assign[0]
            if eq.col != column:
                problems.append((line.number + 1, f"'=' at column {eq.col + 1}, expected {column + 1} (aligned with its neighbours)"))
            if len(line.assign) > 1 and line.assign[1].line == eq.line and line.assign[1].col != eq.end + 1:
                problems.append((line.number + 1, "not exactly one space after '='"))
    for chain in chains(lines, "comment"):
        column = max((line.assign or line.lead)[-1].end for line in chain) + 1
        for line in chain:
            if line.comment[0].col != column:
                problems.append((line.number + 1, f"trailing comment at column {line.comment[0].col + 1}, expected {column + 1}"))
    return sorted(set(problems))


def fmt_fix(text: str) -> str:
    """Rewrite indentation, '=' alignment and trailing-comment alignment (whitespace only)."""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\t", "  ").split("\n"))
    text = text.rstrip("\n") + "\n"
    # 1. indentation
    lines, untouched = format_lines(text)
    raw = text.split("\n")
    for number, indent in expected_indents(lines, untouched).items():
        raw[number] = " " * indent + raw[number].lstrip(" ")
    text = "\n".join(raw)
    # 2. '=' alignment and one space after '='
    lines, _ = format_lines(text)
    raw = text.split("\n")
    for chain in chains(lines, "assign"):
        column = max(line.lead[-1].end for line in chain) + 1
        for line in chain:
            s = raw[line.number]
            eq = line.assign[0]
            after = s[eq.end:].lstrip(" ")
            raw[line.number] = s[: line.lead[-1].end] + " " * (column - line.lead[-1].end) + "=" + (" " + after if after else "")
    text = "\n".join(raw)
    # 3. trailing comments
    lines, _ = format_lines(text)
    raw = text.split("\n")
    for chain in chains(lines, "comment"):
        column = max((line.assign or line.lead)[-1].end for line in chain) + 1
        for line in chain:
            s = raw[line.number]
            end = (line.assign or line.lead)[-1].end
            raw[line.number] = s[:end] + " " * (column - end) + s[line.comment[0].col :]
    return "\n".join(raw)


def cmd_fmt(root: Path, fix: bool) -> int:
    files = tf_files(root) + sorted(root.rglob("*.tfvars.example")) + sorted(root.rglob("*.hcl.example"))
    bad = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        if fix:
            fixed = fmt_fix(text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"  rewrote {path.relative_to(root.parent)}")
        problems = fmt_problems(path.read_text(encoding="utf-8"))
        if problems:
            bad += 1
            for number, message in problems[:20]:
                print(f"  {path.relative_to(root.parent)}:{number}: {message}")
            if len(problems) > 20:
                print(f"  ... and {len(problems) - 20} more in {path.name}")
    print(f"fmt: {len(files) - bad}/{len(files)} files formatted as terraform fmt would (indentation, alignment, whitespace)")
    return 1 if bad else 0


# ---------------------------------------------------------------------------
# checkov report
# ---------------------------------------------------------------------------

SKIP_RE = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::\s*(.*))?$")


def cmd_checkov(root: Path, reports: Path) -> int:
    import xml.etree.ElementTree as ElementTree

    status = 0
    # Every inline suppression names one check and says why, at some length.
    suppressions = 0
    for path in tf_files(root):
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            match = SKIP_RE.search(line)
            if match:
                suppressions += 1
                reason = (match.group(2) or "").strip()
                if len(reason) < 20:
                    print(f"  SUPPRESSION WITHOUT A REASON {path.relative_to(root.parent)}:{number}: {line.strip()}")
                    status = 1
    config = root / ".checkov.yaml"
    if config.is_file() and re.search(r"^\s*skip[-_]check\s*:", config.read_text(encoding="utf-8"), re.M):
        print(f"  {config.relative_to(root.parent)} skips checks globally; suppress them next to the resource, with a reason")
        status = 1

    data = json.loads((reports / "checkov.json").read_text(encoding="utf-8"))
    results = data if isinstance(data, list) else [data]
    passed = failed = skipped = parsing_errors = 0
    for result in results:
        summary = result.get("summary", {})
        passed += summary.get("passed", 0)
        failed += summary.get("failed", 0)
        skipped += summary.get("skipped", 0)
        parsing_errors += summary.get("parsing_errors", 0)
        for check in result.get("results", {}).get("failed_checks", []):
            lines = check.get("file_line_range") or ["?", "?"]
            print(f"  FAILED {check['check_id']} {check.get('check_name', '')}")
            print(f"         {check['resource']} terraform{check['file_path']}:{lines[0]}-{lines[1]}")
    if parsing_errors:
        print(f"  checkov could not parse {parsing_errors} file(s); see {reports / 'checkov.txt'}")

    seen = set()
    tree = ElementTree.parse(reports / "checkov.junit.xml")
    for case in tree.iter("testcase"):
        skip = case.find("skipped")
        if skip is None:
            continue
        check = re.search(r"\[(CKV[A-Z0-9_]+)\]", case.get("name", ""))
        resource = case.get("classname", "").split(".tf.", 1)[-1]
        key = (check.group(1) if check else case.get("name"), resource)
        if key in seen:
            continue
        seen.add(key)
        print(f"  skipped {key[0]:12} {resource}: {(skip.get('message') or '').strip()}")

    print(f"checkov: {passed} passed, {failed} failed, {skipped} skipped ({suppressions} inline suppressions in the .tf files)")
    if failed or parsing_errors:
        status = 1
    return status


def main(argv: list[str]) -> int:
    if len(argv) >= 4 and argv[1] == "checkov":
        return cmd_checkov(Path(argv[2]), Path(argv[3]))
    if len(argv) < 3 or argv[1] not in {"parse", "validate", "fmt"}:
        print(__doc__)
        return 2
    fix = "--fix" in argv
    root = Path([a for a in argv[2:] if a != "--fix"][0])
    if not (root / "envs").is_dir():
        print(f"{root} does not look like the terraform/ folder (no envs/)")
        return 2
    if argv[1] == "parse":
        return cmd_parse(root)
    if argv[1] == "validate":
        return cmd_validate(root)
    return cmd_fmt(root, fix)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
