// GitLab CI (.gitlab-ci.yml, and included `*.gitlab-ci.yml` / `.gitlab/ci/*.yml` files).
// Jobs are the top-level keys that are not keywords; `.hidden` keys are templates that only run through
// `extends:`, YAML merge keys (`<<: *anchor`) or `!reference`, which are resolved within the file.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact, CiTriggers } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import { addShell, emptyTriggers, newJob, parseErrorFinding, shapeFinding } from "./common.js";

const KEYWORDS = new Set([
  "default",
  "include",
  "stages",
  "variables",
  "workflow",
  "image",
  "services",
  "cache",
  "before_script",
  "after_script",
  "types",
  "spec",
]);
const SCRIPT_KEYS = ["before_script", "script", "after_script"] as const;
/** `environment: { action: stop }` and friends tear down or prepare; they do not deploy. */
const NON_DEPLOY_ACTIONS = new Set(["stop", "prepare", "verify", "access"]);

export const gitlabAnalyzer: Analyzer = {
  id: "ci-gitlab",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lower) =>
    name === ".gitlab-ci.yml" ||
    lower.endsWith(".gitlab-ci.yml") ||
    (lower.startsWith(".gitlab/ci/") && (lower.endsWith(".yml") || lower.endsWith(".yaml"))),
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "GitLab CI");
    // CI/CD components put a `spec:` header in a first document; jobs follow in the next one.
    const docs = parsed.docs.filter(
      (d) => isRecord(d.value) && !("spec" in (d.value as object) && Object.keys(d.value as object).length === 1),
    );
    if (docs.length === 0) return shapeFinding(file, out, 1, "the GitLab CI file is empty or not a mapping");
    for (const doc of docs) readPipeline(file, out, doc, doc.value as Record<string, unknown>);
  },
};

function readPipeline(file: SourceFile, out: AnalyzerOutput, doc: YamlDocument, root: Record<string, unknown>): void {
  const defaults = isRecord(root.default) ? root.default : {};
  const fact: CiPipelineFact = { path: file.path, system: "gitlab", triggers: readTriggers(root, doc), jobs: [] };
  if (defaults.timeout !== undefined) fact.timeout = { line: doc.lineAt(["default", "timeout"]) };
  const cacheKey = isCache(defaults.cache) ? ["default", "cache"] : isCache(root.cache) ? ["cache"] : undefined;
  if (cacheKey) fact.cache = { line: doc.lineAt(cacheKey) };
  const includes = readIncludes(root.include, doc);
  if (includes.length > 0) fact.includes = includes;

  for (const [key, raw] of Object.entries(root)) {
    if (KEYWORDS.has(key) || key.startsWith(".") || !isRecord(raw)) continue;
    const resolved = resolve(root, raw, new Set([key]));
    if (!("script" in resolved) && !("trigger" in resolved) && !("extends" in raw)) continue;
    fact.jobs.push(readJob(file, out, doc, root, key, resolved, defaults));
  }
  out.fact("ci", fact);
}

/** A job with its `extends:` templates and `<<:` merge keys applied (later keys win, as in GitLab). */
function resolve(
  root: Record<string, unknown>,
  job: Record<string, unknown>,
  seen: Set<string>,
): Record<string, unknown> {
  let merged: Record<string, unknown> = {};
  for (const base of asArray(job.extends)) {
    const name = asString(base);
    if (!name || seen.has(name) || !isRecord(root[name])) continue;
    seen.add(name);
    merged = { ...merged, ...resolve(root, root[name] as Record<string, unknown>, seen) };
  }
  for (const source of asArray(job["<<"])) if (isRecord(source)) merged = { ...merged, ...source };
  const own = { ...job };
  delete own["<<"];
  delete own.extends;
  return { ...merged, ...own };
}

function readJob(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  root: Record<string, unknown>,
  key: string,
  raw: Record<string, unknown>,
  defaults: Record<string, unknown>,
): CiJob {
  const at = (...path: (string | number)[]) => doc.lineAt([key, ...path]);
  const job = newJob(key, at());
  const rules = asArray(raw.rules).filter(isRecord);
  if (raw.when === "never" || (rules.length > 0 && rules.every((r) => r.when === "never"))) job.disabled = true;
  if (raw.rules !== undefined || raw.only !== undefined) job.condition = JSON.stringify(raw.rules ?? raw.only);
  if (raw.when === "manual" || rules.some((r) => r.when === "manual")) {
    job.manualApproval = true;
    job.approvalLine = raw.when === "manual" ? at("when") : at("rules");
  }
  job.needs = asArray(raw.needs)
    .map((n) => (isRecord(n) ? asString(n.job) : asString(n)))
    .filter((n): n is string => Boolean(n));

  const env = isRecord(raw.environment) ? raw.environment : { name: raw.environment };
  const envName = asString(env.name);
  if (envName && !NON_DEPLOY_ACTIONS.has(asString(env.action) ?? "start"))
    job.environment = { name: envName, line: at("environment") };
  if (raw.resource_group !== undefined) job.concurrency = { line: at("resource_group") };
  if (raw.timeout !== undefined) job.timeoutLine = at("timeout");
  if (isCache(raw.cache)) {
    job.cache = true;
    job.cacheLine = at("cache");
  }
  if (isRecord(raw.release)) job.publishes = [{ line: at("release"), what: "GitLab release" }];
  if (isRecord(raw.trigger) || typeof raw.trigger === "string") job.calls = JSON.stringify(raw.trigger);

  const schedule = scheduled(raw) ? "scheduled" : undefined;
  if (!job.disabled) {
    for (const scriptKey of SCRIPT_KEYS) {
      const own = raw[scriptKey] !== undefined;
      const lines = own ? raw[scriptKey] : scriptKey === "script" ? undefined : defaults[scriptKey];
      const base = own ? [key, scriptKey] : ["default", scriptKey];
      asArray(lines).forEach((item, index) => {
        for (const text of expandReference(root, item)) {
          addShell(file, out, job, text, doc.textLineAt([...base, index]), schedule);
        }
      });
    }
  }
  return job;
}

/** `!reference [.setup, script]` arrives as a nested list of names; returns the script lines it names. */
function expandReference(root: Record<string, unknown>, item: unknown): string[] {
  if (typeof item === "string") return [item];
  if (!Array.isArray(item)) return [];
  if (item.every((p) => typeof p === "string") && typeof item[0] === "string" && item[0].startsWith(".")) {
    let node: unknown = root;
    for (const part of item) node = isRecord(node) ? node[part as string] : undefined;
    return asArray(node).filter((s): s is string => typeof s === "string");
  }
  return item.filter((s): s is string => typeof s === "string");
}

function isCache(value: unknown): boolean {
  return (
    (isRecord(value) && (value.paths !== undefined || value.key !== undefined)) ||
    (Array.isArray(value) && value.length > 0)
  );
}

/** Only jobs restricted to scheduled pipelines (rules on CI_PIPELINE_SOURCE == "schedule", or `only: [schedules]`). */
function scheduled(raw: Record<string, unknown>): boolean {
  const rules = asArray(raw.rules).filter(isRecord);
  const onlyRefs = isRecord(raw.only) ? asArray(raw.only.refs) : asArray(raw.only);
  if (onlyRefs.length > 0) return onlyRefs.every((r) => r === "schedules");
  const running = rules.filter((r) => r.when !== "never");
  return (
    running.length > 0 && running.every((r) => /CI_PIPELINE_SOURCE\s*==\s*["']schedule["']/.test(asString(r.if) ?? ""))
  );
}

/** GitLab runs a pipeline for every push, branch and tag, and merge requests see them, unless `workflow:rules` says otherwise. */
function readTriggers(root: Record<string, unknown>, doc: YamlDocument): CiTriggers {
  const triggers = { ...emptyTriggers(), push: true, tags: true, pullRequest: true };
  const rules = isRecord(root.workflow) ? asArray(root.workflow.rules).filter(isRecord) : [];
  if (rules.length === 0) return triggers;
  triggers.line = doc.lineAt(["workflow"]);
  const running = rules.filter((r) => r.when !== "never");
  triggers.pullRequest = running.some((r) => {
    const condition = asString(r.if);
    return (
      condition === undefined ||
      /merge_request/.test(condition) ||
      !/CI_DEFAULT_BRANCH|CI_COMMIT_TAG|"schedule"|'schedule'|"web"/.test(condition)
    );
  });
  triggers.tags = running.some((r) => asString(r.if) === undefined || /CI_COMMIT_TAG/.test(asString(r.if)!));
  if (running.some((r) => /CI_PIPELINE_SOURCE\s*==\s*["']schedule["']/.test(asString(r.if) ?? "")))
    triggers.schedule.push("scheduled");
  return triggers;
}

function readIncludes(include: unknown, doc: YamlDocument): NonNullable<CiPipelineFact["includes"]> {
  const list: NonNullable<CiPipelineFact["includes"]> = [];
  asArray(include).forEach((entry, index) => {
    const line = doc.lineAt(Array.isArray(include) ? ["include", index] : ["include"]);
    if (typeof entry === "string") list.push({ kind: /^https?:/.test(entry) ? "remote" : "local", value: entry, line });
    else if (isRecord(entry)) {
      for (const kind of ["template", "local", "remote", "project", "component"] as const) {
        const value = asString(entry[kind]);
        if (value)
          list.push({ kind, value: kind === "project" ? `${value}:${asArray(entry.file).join(",")}` : value, line });
      }
    }
  });
  return list;
}
