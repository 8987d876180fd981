// Validates custom resources (KEDA, External Secrets Operator, Prometheus Operator) offline,
// for scripts/check-k8s, against the schemas the npm packages of package.json carry: the
// @kubernetes-models/* packages are generated from each project's Go API types, the same types
// the projects generate their CRDs' OpenAPI schemas from.
//
//   node validate-crds.mjs NODE_MODULES_DIR < documents.json
//
// Input: a JSON array of {"source": "...", "doc": {...}}. Two checks per document:
//   1. the package's compiled JSON-schema validator (types, required fields, enums, formats);
//   2. unknown fields: that validator accepts any extra property (the Go types carry no
//      additionalProperties: false), while the API server rejects unknown fields with
//      `kubectl apply --server-side` (strict field validation) or silently drops them. So every
//      field is looked up in the package's TypeScript declarations, which list each type's
//      properties, and a field they do not declare fails the check.
// A kind no package covers fails too. Exit status: 0 when every document passes, 1 otherwise.

import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modulesDir] = process.argv.slice(2);
if (!modulesDir || !existsSync(modulesDir)) {
  console.error("usage: node validate-crds.mjs NODE_MODULES_DIR < documents.json");
  process.exit(2);
}

// API group -> the package holding its models (directory layout: <package>/<group>/<version>/<Kind>).
const PACKAGES = {
  "keda.sh": "@kubernetes-models/keda",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modelPath(apiVersion, kind) {
  const [group, version] = apiVersion.split("/");
  const pkg = PACKAGES[group];
  if (!pkg || !version || !/^[A-Za-z]+$/.test(kind)) return null;
  const base = path.join(modulesDir, pkg, group, version, kind);
  return existsSync(`${base}.js`) && existsSync(`${base}.d.ts`) ? base : null;
}

// ---------------------------------------------------------------------------------------------
// A small reader of the packages' .d.ts files: interfaces with their properties' types, type
// aliases, and the imports that name the types of other files.

const files = new Map();

function parseFile(file) {
  if (files.has(file)) return files.get(file);
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
  const info = { file, imports: new Map(), interfaces: new Map(), aliases: new Map() };
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      info.imports.set(name, m[2]);
    }
  }
  // export type { IFoo as IComGithub...Foo, Foo as ... };
  for (const m of text.matchAll(/export\s+type\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const [local, exported] = part.split(/\s+as\s+/).map((s) => s.trim());
      if (local && exported) info.aliases.set(exported, local);
    }
  }
  // export type IFoo = <type>;
  for (const m of text.matchAll(/export\s+type\s+(\w+)\s*=\s*([^;]+);/g)) {
    info.aliases.set(m[1], m[2].trim());
  }
  // export interface IFoo [extends A, B] { ... }
  const re = /export\s+interface\s+(\w+)(?:\s+extends\s+([^{]+))?\s*\{/g;
  let m;
  while ((m = re.exec(text))) {
    const start = re.lastIndex;
    let depth = 1;
    let i = start;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}") depth--;
    }
    info.interfaces.set(m[1], {
      props: parseMembers(text.slice(start, i - 1)),
      extends: (m[2] || "").split(",").map((s) => s.trim()).filter(Boolean),
    });
    re.lastIndex = i;
  }
  files.set(file, info);
  return info;
}

// `"name"?: Type;` members of an interface body or an object type literal.
function parseMembers(body) {
  const props = new Map();
  let i = 0;
  const n = body.length;
  while (i < n) {
    while (i < n && /[\s;,]/.test(body[i])) i++;
    if (i >= n) break;
    let name;
    if (body[i] === '"') {
      const end = body.indexOf('"', i + 1);
      name = body.slice(i + 1, end);
      i = end + 1;
    } else if (body[i] === "[") {
      // index signature: [key: string]: Type
      const end = body.indexOf("]", i);
      name = "[index]";
      i = end + 1;
    } else {
      const m = /^[A-Za-z_$][\w$]*/.exec(body.slice(i));
      if (!m) break;
      name = m[0];
      i += name.length;
    }
    if (body[i] === "?") i++;
    while (i < n && /\s/.test(body[i])) i++;
    if (body[i] !== ":") break;
    i++;
    let depth = 0;
    const start = i;
    for (; i < n; i++) {
      const c = body[i];
      if ("{<(".includes(c)) depth++;
      else if ("}>)".includes(c)) depth--;
      else if (c === ";" && depth === 0) break;
    }
    props.set(name, body.slice(start, i).trim());
    i++;
  }
  return props;
}

function resolveModule(fromFile, spec) {
  let target;
  if (spec.startsWith(".")) target = path.resolve(path.dirname(fromFile), spec);
  else target = path.join(modulesDir, spec);
  target = target.replace(/\.js$/, "");
  return existsSync(`${target}.d.ts`) ? `${target}.d.ts` : null;
}

// A type reference -> {kind: "object", props, file} | {kind: "leaf"}.
function resolveType(file, typeExpr, seen = new Set()) {
  const t = typeExpr.trim();
  if (/^Array<[\s\S]*>$/.test(t)) {
    return { kind: "array", element: { file, type: t.slice(6, -1) } };
  }
  if (t.startsWith("{")) {
    const props = parseMembers(t.slice(1, -1));
    if (props.size === 1 && props.has("[index]")) {
      return { kind: "map", value: { file, type: props.get("[index]") } };
    }
    return { kind: "object", props, file };
  }
  if (!/^[A-Za-z_$][\w$]*$/.test(t)) return { kind: "leaf" }; // unions, literals
  if (["string", "number", "boolean", "any", "unknown", "object", "null"].includes(t)) {
    return { kind: "leaf" };
  }
  const key = `${file}::${t}`;
  if (seen.has(key)) return { kind: "leaf" };
  seen.add(key);
  const info = parseFile(file);
  if (info.interfaces.has(t)) {
    const iface = info.interfaces.get(t);
    const props = new Map(iface.props);
    // TypeMeta (@kubernetes-models/base) declares only apiVersion and kind, which every
    // kind's interface declares again.
    for (const parent of iface.extends.filter((p) => p !== "TypeMeta")) {
      const p = resolveType(file, parent, seen);
      if (p.kind === "object") for (const [k, v] of p.props) props.set(k, v);
    }
    return { kind: "object", props, file };
  }
  if (info.aliases.has(t)) return resolveType(file, info.aliases.get(t), seen);
  if (info.imports.has(t)) {
    const target = resolveModule(file, info.imports.get(t));
    if (target) return resolveType(target, t, seen);
  }
  unresolved.add(`${t} (${path.relative(modulesDir, file)})`);
  return { kind: "leaf" };
}

const unresolved = new Set();

// Property types are written in the declaring file's scope; an object's props carry their file.
function unknownFields(value, type, where, out) {
  if (value === null || value === undefined) return;
  if (type.kind === "array") {
    if (Array.isArray(value)) {
      const el = resolveType(type.element.file, type.element.type);
      value.forEach((v, i) => unknownFields(v, el, `${where}[${i}]`, out));
    }
    return;
  }
  if (type.kind === "map") {
    if (typeof value === "object" && !Array.isArray(value)) {
      const vt = resolveType(type.value.file, type.value.type);
      for (const [k, v] of Object.entries(value)) unknownFields(v, vt, `${where}.${k}`, out);
    }
    return;
  }
  if (type.kind !== "object" || typeof value !== "object" || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (!type.props.has(k)) {
      out.push(`${where}.${k}: unknown field (declared: ${[...type.props.keys()].join(", ")})`);
      continue;
    }
    unknownFields(v, resolveType(type.file, type.props.get(k)), `${where}.${k}`, out);
  }
}

// ---------------------------------------------------------------------------------------------

const input = JSON.parse(readFileSync(0, "utf8"));
let failures = 0;
const counts = new Map();
for (const { source, doc } of input) {
  const id = `${source}: ${doc.kind}/${doc.metadata?.name} (${doc.apiVersion})`;
  const base = modelPath(doc.apiVersion || "", doc.kind || "");
  if (!base) {
    console.log(`FAIL ${id}: no schema for this kind (add its package to deploy/schemas)`);
    failures++;
    continue;
  }
  const errors = [];
  const mod = await import(pathToFileURL(`${base}.js`).href);
  const Model = mod[doc.kind];
  try {
    new Model(doc).validate();
  } catch (err) {
    errors.push(err.message);
  }
  const root = resolveType(`${base}.d.ts`, `I${doc.kind}`);
  if (root.kind !== "object") errors.push(`no declaration of I${doc.kind} in ${base}.d.ts`);
  else unknownFields(doc, root, doc.kind, errors);
  if (errors.length) {
    failures++;
    console.log(`FAIL ${id}`);
    for (const e of errors) console.log(`     ${e}`);
  } else {
    console.log(`ok   ${id}`);
  }
  counts.set(doc.kind, (counts.get(doc.kind) || 0) + 1);
}
if (unresolved.size) {
  // Types the reader could not follow are not checked for unknown fields below them.
  console.log(`note: types not followed: ${[...unresolved].sort().join("; ")}`);
}
const summary = [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
console.log(`custom resources: ${input.length} checked (${summary || "none"}), ${failures} failed`);
process.exit(failures ? 1 : 0);
