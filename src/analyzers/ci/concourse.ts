// Concourse pipelines (ci/pipeline.yml, concourse/*.yml …): `resources`, and `jobs` whose `plan` gets resources,
// runs tasks and puts resources. A job runs when a resource it gets with `trigger: true` has a new version (a git
// commit, a pull request, a `time` tick); a job with no triggering get runs only when a person starts it.
// Putting to a deploy resource (Cloud Foundry, Kubernetes, Helm, Terraform, BOSH) deploys; a task's inline
// `config.run` is its command. Limits (honest): a task given by `file:` is not followed into that file.

import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { shellScriptIndex } from "../../vocabulary/shells.js";
import { loadShellParser } from "../shell-parse.js";
import { addArgv, addShell, emptyTriggers, newJob, parseErrorFinding, record } from "./common.js";

type Path = (string | number)[];

/** Folders where Concourse pipelines live by convention. */
const DIRS = new Set(["ci", ".ci", "concourse", ".concourse", "pipelines", "pipeline"]);

/**
 * Resource types whose `put` deploys (by type name, or by the image a `resource_types:` entry runs), with the
 * `params` that make a put a no-op or a plan.
 */
const DEPLOY_TYPES: [RegExp, string, ((params: Record<string, unknown>) => boolean)?][] = [
  [/^cf$|cf-resource$|^cf-cli/, "Cloud Foundry push"],
  [/kubernetes|^k8s|kubectl/, "Kubernetes apply"],
  [/helm/, "helm upgrade"],
  [/terraform/, "terraform apply", (p) => p.plan_only !== true && p.action !== "destroy"],
  [/bosh-deployment|^bosh$/, "bosh deploy"],
];
const RELEASE_TYPES = /^github-release$|github-release-resource$|^gitea-release/;
const PR_TYPES = /pull-request|github-pr|-pr-resource$/;

export const concourseAnalyzer: Analyzer = {
  id: "ci-concourse",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lower) =>
    (lower.endsWith(".yml") || lower.endsWith(".yaml")) &&
    lower
      .split("/")
      .slice(0, -1)
      .some((dir) => DIRS.has(dir)) &&
    !name.startsWith("."),
  prepare: loadShellParser,
  analyze(file, out) {
    // a cheap look before parsing: a pipeline names jobs and their plans
    if (!/^jobs:/m.test(file.text) || !/\bplan:/.test(file.text)) return;
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "Concourse pipeline");
    const doc = parsed.docs[0];
    if (!doc || !isRecord(doc.value) || !Array.isArray(doc.value.jobs)) return;
    const jobs = doc.value.jobs;
    if (!jobs.some((j) => isRecord(j) && typeof j.name === "string" && Array.isArray(j.plan))) return;
    readPipeline(file, out, doc, doc.value, jobs);
  },
};

interface Resource {
  type: string;
  /** the image of a custom resource type, when `resource_types:` declares one */
  image?: string;
  source: Record<string, unknown>;
}

function readPipeline(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  root: Record<string, unknown>,
  jobs: unknown[],
): void {
  const images = new Map<string, string>();
  for (const t of asArray(root.resource_types)) {
    if (!isRecord(t) || !isRecord(t.source)) continue;
    const repository = asString(t.source.repository);
    if (asString(t.name) && repository) images.set(t.name as string, repository);
  }
  const resources = new Map<string, Resource>();
  for (const r of asArray(root.resources)) {
    if (!isRecord(r) || !asString(r.name) || !asString(r.type)) continue;
    const type = r.type as string;
    resources.set(r.name as string, {
      type,
      ...(images.has(type) ? { image: images.get(type) } : {}),
      source: isRecord(r.source) ? r.source : {},
    });
  }
  const triggers = emptyTriggers();
  const fact: CiPipelineFact = { path: file.path, system: "concourse", triggers, jobs: [] };
  jobs.forEach((raw, index) => {
    if (!isRecord(raw) || !asString(raw.name) || !Array.isArray(raw.plan)) return;
    const at: Path = ["jobs", index];
    const job = newJob(raw.name as string, doc.lineAt(at));
    if (raw.serial === true || raw.serial_groups !== undefined)
      job.concurrency = { line: doc.lineAt([...at, raw.serial === true ? "serial" : "serial_groups"]) };
    const state: JobState = { triggered: [] };
    readPlan(file, out, doc, job, raw.plan, [...at, "plan"], resources, state);
    for (const t of state.triggered) {
      const type = typeOf(resources.get(t.resource));
      if (type === "time") {
        const interval = asString(resources.get(t.resource)?.source.interval);
        triggers.schedule.push(interval ? `every ${interval}` : "scheduled");
      } else if (PR_TYPES.test(type)) triggers.pullRequest = true;
      else if (type === "git") triggers.push = true;
      triggers.line ??= t.line;
    }
    if (state.triggered.length === 0) {
      // nothing starts it but a person (the web UI or `fly trigger-job`)
      job.manualApproval = true;
      job.approvalLine = job.line;
      triggers.manual = true;
    }
    fact.jobs.push(job);
  });
  out.fact("ci", fact);
}

interface JobState {
  /** the resources whose new versions start the job (`get: x, trigger: true`) */
  triggered: { resource: string; line: number }[];
}

const typeOf = (r: Resource | undefined) => (r ? (r.image ?? r.type).toLowerCase() : "");

/** Steps, nested in `in_parallel`, `do`, `try`, `across` and the `on_*`/`ensure` hooks. */
function readPlan(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: CiJob,
  steps: unknown,
  path: Path,
  resources: Map<string, Resource>,
  state: JobState,
): void {
  const list = isRecord(steps) && Array.isArray(steps.steps) ? steps.steps : asArray(steps);
  const base = isRecord(steps) && Array.isArray(steps.steps) ? [...path, "steps"] : path;
  list.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const at = [...base, index];
    const line = doc.lineAt(at);
    if (raw.timeout !== undefined) job.timeoutLine ??= doc.lineAt([...at, "timeout"]);
    const get = asString(raw.get);
    if (get) {
      const resource = asString(raw.resource) ?? get;
      if (raw.trigger === true) state.triggered.push({ resource, line: doc.lineAt([...at, "trigger"]) });
      job.needs.push(...asArray(raw.passed).filter((p): p is string => typeof p === "string"));
    }
    const put = asString(raw.put);
    if (put) readPut(job, put, raw, line, resources);
    const task = asString(raw.task);
    if (task) readTask(file, out, doc, job, task, raw, at);
    for (const key of ["in_parallel", "aggregate", "do"]) {
      if (raw[key] !== undefined) readPlan(file, out, doc, job, raw[key], [...at, key], resources, state);
    }
    for (const key of ["try", "on_success", "on_failure", "on_error", "on_abort", "ensure"]) {
      if (isRecord(raw[key])) readPlan(file, out, doc, job, [raw[key]], [...at, key], resources, state);
    }
  });
}

function readPut(
  job: CiJob,
  name: string,
  raw: Record<string, unknown>,
  line: number,
  resources: Map<string, Resource>,
): void {
  const resource = resources.get(asString(raw.resource) ?? name);
  const type = typeOf(resource);
  const params = isRecord(raw.params) ? raw.params : {};
  job.steps.push({ line, name: `put ${name}`, uses: resource?.image ?? resource?.type ?? name });
  const deploy = DEPLOY_TYPES.find(([pattern]) => pattern.test(type));
  if (deploy && (!deploy[2] || deploy[2](params)))
    record(job, { kind: "deploy", what: `put ${name} (${deploy[1]})` }, line);
  else if (RELEASE_TYPES.test(type)) record(job, { kind: "publish", what: `put ${name} (GitHub release)` }, line);
}

/** A task's inline `config.run`: `path` with `args`, or a shell with `-c` and a script. */
function readTask(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: CiJob,
  name: string,
  raw: Record<string, unknown>,
  at: Path,
): void {
  const line = doc.lineAt(at);
  const config = isRecord(raw.config) ? raw.config : undefined;
  const run = config && isRecord(config.run) ? config.run : undefined;
  job.steps.push({ line, name: `task ${name}`, ...(asString(raw.file) ? { uses: asString(raw.file) } : {}) });
  const path = run ? asString(run.path) : undefined;
  if (!run || !path) return;
  const args = asArray(run.args)
    .map((a) => asString(a))
    .filter((a): a is string => a !== undefined);
  const program = path.slice(path.lastIndexOf("/") + 1);
  const scriptAt = shellScriptIndex(program, args);
  if (scriptAt >= 0) {
    const textLine = doc.textLineAt([...at, "config", "run", "args", scriptAt]);
    job.steps[job.steps.length - 1]!.run = args[scriptAt];
    addShell(file, out, job, args[scriptAt]!, textLine);
  } else addArgv(file, out, job, [path, ...args], doc.lineAt([...at, "config", "run", "path"]));
}
