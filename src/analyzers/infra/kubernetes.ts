// Kubernetes manifests: multi-document YAML where a document with string apiVersion and kind is an object.
// Emits one k8s fact per object, probes as health checks, CronJob/Job commands, and container findings.
// Missing resources are judged by the resource-limits detector, which knows which files are Kustomize patches.

import type { Analyzer, AnalyzerOutput } from "../../engine/analyzer.js";
import { asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { K8sContainer, K8sObjectFact } from "../../facts/infra.js";
import { programOf } from "../../vocabulary/programs.js";
import { shellScriptIndex } from "../../vocabulary/shells.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { folders, yamlSyntaxErrors } from "./common.js";
import { hasTemplateActions, readTemplatedYaml } from "./go-template.js";
import { containersOf, isWorkloadKind, type PodContainer, podSpecOf, type YamlPath } from "./k8s-workloads.js";

/** Folders where teams keep plain manifests (Helm `templates/` are Go templates, not YAML: never read). */
const MANIFEST_FOLDERS = new Set([
  "k8s",
  "kubernetes",
  "kube",
  "manifests",
  "manifest",
  "deploy",
  "deployment",
  "deployments",
  "kustomize",
  "overlays",
  "base",
  "bases",
  "infra",
  "infrastructure",
  "ops",
  "argocd",
  "argo",
  "flux",
  "clusters",
  "gitops",
  "openshift",
  "crds",
]);
/** Folders whose YAML belongs to other tools even inside the folders above. */
const FOREIGN_FOLDERS = new Set([
  "templates",
  ".github",
  ".gitlab",
  ".circleci",
  "ansible",
  "playbooks",
  "roles",
  "group_vars",
  "host_vars",
  "inventory",
  "inventories",
  "i18n",
  "locales",
  "locale",
  "translations",
]);
/**
 * Folders of monitoring tools' own configs (prometheus.yml, provisioning files) — unless they are a GitOps app's
 * folder: a manifest-named file in it (`grafana/ks.yaml`) or a subfolder (`grafana/app/helmrelease.yaml`).
 */
const TOOL_FOLDERS = new Set(["prometheus", "alertmanager", "grafana"]);
/** Names of manifests that live anywhere (a root deployment.yaml, web-statefulset.yml …). */
const MANIFEST_NAME = /(deployment|statefulset|daemonset|cronjob|k8s|kube|hpa|ingress)/;
/**
 * Folder names of GitOps trees (`argocd-apps/`, `k8s-apps/`, `flux-system/`) and names of the files GitOps repos
 * keep one per app (`ks.yaml`, `app.ks.yaml`, `helmrelease.yaml`, `canary.yaml`, `replicationsource.yaml` …).
 */
const GITOPS_FOLDER = /(^|[-_.])(k8s|kube|kubernetes|argo|argocd|flux|fluxcd|gitops)([-_.]|$)/;
const GITOPS_NAME = new RegExp(
  String.raw`(^|[-_.])(ks|helm-?release|hr|git-?repository|oci-?repository|helm-?repository|` +
    String.raw`application-?set|app-of-apps|canary|rollout|prometheus-?rule|service-?monitor|` +
    String.raw`pod-?monitor|replication-?source|scheduled-?backup|pvc)([-_.]|$)`,
);
/** Folders of GitOps trees whose name alone says little (`apps/` is also a monorepo's): their YAML is read, errors only for manifests. */
const WEAK_FOLDERS = new Set(["apps", "components", "applications", "releases", "platform"]);
/** YAML files of other tools that sit in the same folders. */
const FOREIGN_NAME = new RegExp(
  String.raw`^(chart|values.*|kustomization|docker-compose.*|compose.*|skaffold.*|pulumi.*|` +
    String.raw`\.gitlab-ci|mkdocs|serverless|helmfile.*|pnpm-lock|pnpm-workspace|openapi.*|swagger.*|` +
    String.raw`\..*rc|codecov|catalog-info)\.ya?ml$`,
);

/** How a path says it holds manifests: by its folder or name (strong), by a folder apps share with other code (weak). */
export function manifestHint(name: string, lowerPath: string): "strong" | "weak" | undefined {
  if (!lowerPath.endsWith(".yaml") && !lowerPath.endsWith(".yml")) return undefined;
  const lowerName = name.toLowerCase();
  if (FOREIGN_NAME.test(lowerName)) return undefined;
  const dirs = folders(lowerPath);
  if (dirs.some((d) => FOREIGN_FOLDERS.has(d))) return undefined;
  const named = MANIFEST_NAME.test(lowerName) || GITOPS_NAME.test(lowerName.replace(/\.ya?ml$/, ""));
  if (!named && TOOL_FOLDERS.has(dirs[dirs.length - 1] ?? "")) return undefined;
  if (dirs.some((d) => MANIFEST_FOLDERS.has(d) || GITOPS_FOLDER.test(d))) return "strong";
  if (named) return "strong";
  return dirs.some((d) => WEAK_FOLDERS.has(d)) ? "weak" : undefined;
}

export function isManifestPath(name: string, lowerPath: string): boolean {
  return manifestHint(name, lowerPath) !== undefined;
}

/** The text says it is a Kubernetes manifest: `apiVersion:` and `kind:` at the start of lines. */
const LOOKS_LIKE_MANIFEST = /^apiVersion:/m;

/** replicas-patch.yaml, patch_cpu.yml, deployment.patch.yaml — not dispatcher.yaml */
const PATCH_NAME = /(^|[-_.])patch(es)?([-_.]|$)/i;

/** apiVersions of tools that borrow the Kubernetes shape but are not cluster objects (build, test, local clusters). */
const NOT_CLUSTER_OBJECTS =
  /^(skaffold\/|kustomize\.config\.k8s\.io\/|kuttl\.dev\/|chainsaw\.kyverno\.io\/|kind\.x-k8s\.io\/|k3d\.io\/|ctlptl\.dev\/)/;

export const kubernetesAnalyzer: Analyzer = {
  id: "kubernetes",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lowerPath) => isManifestPath(name, lowerPath),
  prepare: loadShellParser,
  analyze(file, out) {
    const patch = PATCH_NAME.test(file.name);
    let parsed = parseYaml(file.text);
    if (parsed.errors.length > 0 && hasTemplateActions(file.text)) {
      // a Go template (an operator's or helmfile's manifest): never a syntax error; the documents that render
      // whatever the values are (no `if` around them) are read without their actions
      const read = readTemplatedYaml(file.text);
      parsed = { docs: read.docs.filter((d) => d.gates.length === 0), errors: [] };
    }
    // in a folder other code shares (`apps/`), a file that does not say it is a manifest is someone else's YAML
    const weak = manifestHint(file.name, file.path.toLowerCase()) === "weak";
    yamlSyntaxErrors(
      file,
      out,
      weak && !LOOKS_LIKE_MANIFEST.test(file.text) ? [] : parsed.errors,
      "k8s/parse-error",
      "Fix the YAML so that `kubectl apply --dry-run=client -f` accepts the file.",
    );
    for (const doc of parsed.docs) {
      const value = doc.value;
      if (!isRecord(value)) continue;
      if (value.kind === "List" && Array.isArray(value.items)) {
        for (const [index, item] of value.items.entries())
          readObject(file.path, patch, doc, item, ["items", index], out);
      } else {
        readObject(file.path, patch, doc, value, [], out);
      }
    }
  },
};

function readObject(
  path: string,
  patch: boolean,
  doc: YamlDocument,
  value: unknown,
  at: YamlPath,
  out: AnalyzerOutput,
): void {
  const object = objectFact(path, doc, value, at, patch);
  if (!object) return;
  out.fact("k8s", object);
  const lineOf = (rel: YamlPath) => doc.lineAt([...at, ...rel]);
  const pod = isWorkloadKind(object.kind) ? podSpecOf(object.kind, object.doc) : undefined;
  const containers = pod ? containersOf(pod) : [];
  for (const container of containers) {
    checkContainer(path, object.kind, object.name, container, lineOf, out);
    if (!container.init) emitProbes(path, container, lineOf, out);
  }
  if (object.kind === "CronJob" || object.kind === "Job") {
    const spec = isRecord(object.doc.spec) ? object.doc.spec : {};
    const schedule = object.kind === "CronJob" && spec.suspend !== true ? asString(spec.schedule) : undefined;
    for (const container of containers)
      emitCommands(path, doc, at, object.name ?? object.kind, container, schedule, out);
  }
}

/** The k8s fact of an object at a path of a document, or undefined when it is not a cluster object. */
export function objectFact(
  path: string,
  doc: YamlDocument,
  value: unknown,
  at: YamlPath,
  patch: boolean,
): K8sObjectFact | undefined {
  if (!isRecord(value)) return undefined;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !apiVersion || !kind) return undefined;
  if (NOT_CLUSTER_OBJECTS.test(apiVersion)) return undefined;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = asString(metadata.name);
  const namespace = asString(metadata.namespace);
  const spec = isRecord(value.spec) ? value.spec : {};
  const line = at.length === 0 ? doc.line : doc.lineAt(at);
  const lineOf = (rel: YamlPath) => doc.lineAt([...at, ...rel]);
  const pod = isWorkloadKind(kind) ? podSpecOf(kind, value) : undefined;
  const containers = pod ? containersOf(pod) : [];
  return {
    path,
    line,
    apiVersion,
    kind,
    doc: value,
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(pod ? { containers: containers.map((c) => containerFact(c, lineOf)) } : {}),
    ...(typeof spec.replicas === "number" ? { replicas: spec.replicas } : {}),
    ...(patch ? { patch } : {}),
  };
}

function containerFact(c: PodContainer, lineOf: (p: YamlPath) => number): K8sContainer {
  const resources = isRecord(c.value.resources) ? c.value.resources : {};
  const nonEmpty = (v: unknown) => isRecord(v) && Object.keys(v).length > 0;
  const name = asString(c.value.name);
  const image = asString(c.value.image);
  return {
    line: lineOf(c.path),
    init: c.init,
    requests: nonEmpty(resources.requests),
    limits: nonEmpty(resources.limits),
    ...(name !== undefined ? { name } : {}),
    ...(image !== undefined ? { image } : {}),
  };
}

function checkContainer(
  path: string,
  kind: string,
  objectName: string | undefined,
  c: PodContainer,
  lineOf: (p: YamlPath) => number,
  out: AnalyzerOutput,
): void {
  const label = `container "${asString(c.value.name) ?? "?"}" of ${kind} ${objectName ?? ""}`.trim();
  const fact = containerFact(c, lineOf);
  const image = fact.image;
  if (image && !image.includes("@") && /:latest$/.test(image)) {
    out.finding({
      path,
      line: lineOf([...c.path, "image"]),
      severity: "warning",
      rule: "k8s/latest-image",
      message: `${label} runs ${image}: the :latest tag changes under you and cannot be rolled back`,
      remediation: "Pin a version tag or a digest, e.g. `image: nginx:1.27.2` or `image: nginx@sha256:…`.",
    });
  }
  const security = c.value.securityContext;
  if (isRecord(security) && security.privileged === true) {
    out.finding({
      path,
      line: lineOf([...c.path, "securityContext", "privileged"]),
      severity: "warning",
      rule: "k8s/privileged",
      message: `${label} is privileged: it has every capability of the host`,
      remediation:
        "Remove `privileged: true`; grant only the capabilities it needs (`securityContext.capabilities.add`).",
    });
  }
}

const PROBES = [
  ["livenessProbe", "k8s-liveness"],
  ["readinessProbe", "k8s-readiness"],
  ["startupProbe", "k8s-startup"],
] as const;

export function emitProbes(path: string, c: PodContainer, lineOf: (p: YamlPath) => number, out: AnalyzerOutput): void {
  for (const [key, kind] of PROBES) {
    const probe = c.value[key];
    if (isRecord(probe) && Object.keys(probe).length > 0)
      out.fact("healthcheck", { path, line: lineOf([...c.path, key]), kind });
  }
}

/** The container's command + args as commands; a `sh -c "<script>"` is parsed into its own commands. */
function emitCommands(
  path: string,
  doc: YamlDocument,
  at: YamlPath,
  unit: string,
  c: PodContainer,
  schedule: string | undefined,
  out: AnalyzerOutput,
): void {
  const words: { word: string; path: YamlPath }[] = [];
  for (const key of ["command", "args"]) {
    const list = c.value[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      const word = asString(item);
      if (word !== undefined) words.push({ word, path: [...at, ...c.path, key, index] });
    });
  }
  if (words.length === 0) return;
  const base = { path, origin: "k8s" as const, unit, ...(schedule !== undefined ? { schedule } : {}) };
  const argv = words.map((w) => w.word);
  const { program, args } = programOf(argv);
  const scriptAt = shellScriptIndex(program, args);
  const script = scriptAt >= 0 ? words[argv.length - args.length + scriptAt] : undefined;
  if (!script) {
    out.fact("command", { ...base, line: doc.lineAt(words[0]!.path), argv });
    return;
  }
  const firstLine = doc.textLineAt(script.path);
  const parsed = parseShell(script.word, undefined, { flow: true });
  if (parsed.flow) out.fact("shellFlow", flowFact({ path, origin: "k8s", unit, line: firstLine }, parsed.flow));
  if (parsed.error) {
    out.finding({
      path,
      line: firstLine + parsed.error.line - 1,
      severity: "warning",
      rule: "k8s/shell-parse-error",
      message: `the ${program} -c script of ${unit} does not parse: ${parsed.error.message}`,
      remediation: "Fix the shell syntax; check it with `sh -n` or shellcheck.",
    });
    out.fact("command", { ...base, line: doc.lineAt(words[0]!.path), argv });
    return;
  }
  for (const command of parsed.commands)
    out.fact("command", { ...base, line: firstLine + command.line - 1, argv: command.argv });
}
