// Woodpecker CI (.woodpecker.yml, .woodpecker/*.yml): one workflow per file, its `steps:` a list or a map
// (the pre-1.0 `pipeline:` map too). A step runs when the workflow's `when:` and its own `when:` both match the
// event: each `when:` is a list of conditions, any of which may match; a condition's `event:` lists the events it
// accepts, and `evaluate:` is an expression. A step that no event can reach (its events are outside the
// workflow's, `evaluate: "false"`, an event that does not exist) never runs. Each step becomes a job, because
// its `when:` decides on its own whether it deploys on a tag, a push or a pull request.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import {
  addShell,
  emptyTriggers,
  isFalse,
  mountsDockerSocket,
  newJob,
  parseErrorFinding,
  recordHostStarts,
  shapeFinding,
  stringMap,
} from "./common.js";
import { recordPlugin } from "./plugins.js";

type Path = (string | number)[];

const EVENTS = [
  "push",
  "pull_request",
  "pull_request_closed",
  "pull_request_metadata",
  "tag",
  "release",
  "deployment",
  "cron",
  "manual",
] as const;
type WoodpeckerEvent = (typeof EVENTS)[number];
/** Without a `when:`, a workflow runs on the events that build code; cron and deployment need one to be meant. */
const DEFAULT_EVENTS: WoodpeckerEvent[] = ["push", "pull_request", "tag", "release", "manual"];

export const woodpeckerAnalyzer: Analyzer = {
  id: "ci-woodpecker",
  extensions: [".yml", ".yaml"],
  match: (_path, _name, lower) =>
    lower === ".woodpecker.yml" ||
    lower === ".woodpecker.yaml" ||
    (lower.startsWith(".woodpecker/") &&
      !lower.includes("/", ".woodpecker/".length) &&
      (lower.endsWith(".yml") || lower.endsWith(".yaml"))),
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "Woodpecker");
    const doc = parsed.docs[0];
    const root = doc?.value;
    if (!doc || !isRecord(root))
      return shapeFinding(file, out, doc?.line ?? 1, "the Woodpecker workflow is not a mapping");
    const key = root.steps !== undefined ? "steps" : root.pipeline !== undefined ? "pipeline" : undefined;
    if (!key || (!Array.isArray(root[key]) && !isRecord(root[key])))
      return shapeFinding(
        file,
        out,
        doc.line,
        "the Woodpecker workflow has no top-level `steps:`; Woodpecker rejects it and runs nothing",
      );
    if (key === "pipeline") legacyFinding(file, out, doc.lineAt(["pipeline"]));
    readWorkflow(file, out, doc, root, key);
  },
};

function legacyFinding(file: SourceFile, out: AnalyzerOutput, line: number): void {
  out.finding({
    path: file.path,
    line,
    severity: "warning",
    rule: "ci/deprecated-syntax",
    message: "`pipeline:` is Woodpecker's pre-1.0 name for `steps:`; Woodpecker 2 and later reject the workflow",
    remediation: "Rename the top-level `pipeline:` key to `steps:`.",
  });
}

function readWorkflow(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  root: Record<string, unknown>,
  key: "steps" | "pipeline",
): void {
  const workflowEvents = root.when === undefined ? new Set(DEFAULT_EVENTS) : eventsOf(root.when);
  const triggers = emptyTriggers();
  triggers.push = workflowEvents.has("push");
  triggers.pullRequest = workflowEvents.has("pull_request");
  triggers.tags = workflowEvents.has("tag");
  triggers.release = workflowEvents.has("release");
  triggers.manual = workflowEvents.has("manual") || workflowEvents.has("deployment");
  if (workflowEvents.has("cron")) triggers.schedule.push(cronName(root.when) ?? "scheduled");
  if (root.when !== undefined) triggers.line = doc.lineAt(["when"]);
  const fact: CiPipelineFact = { path: file.path, system: "woodpecker", triggers, jobs: [] };

  const steps = root[key];
  const list: [string | undefined, unknown, Path][] = Array.isArray(steps)
    ? steps.map((s, i) => [undefined, s, [key, i]])
    : Object.entries(steps as Record<string, unknown>).map(([name, s]) => [name, s, [key, name]]);
  list.forEach(([name, raw, at], index) => {
    if (!isRecord(raw)) return;
    const id = name ?? asString(raw.name) ?? `step-${index + 1}`;
    fact.jobs.push(readStep(file, out, doc, id, raw, at, workflowEvents));
  });
  out.fact("ci", fact);
}

function readStep(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  id: string,
  raw: Record<string, unknown>,
  at: Path,
  workflowEvents: Set<WoodpeckerEvent>,
): CiJob {
  const line = doc.lineAt(at);
  const job = newJob(id, line);
  job.needs = asArray(raw.depends_on).filter((d): d is string => typeof d === "string");
  const own = raw.when === undefined ? undefined : eventsOf(raw.when);
  const events = own ? new Set([...own].filter((e) => workflowEvents.has(e))) : workflowEvents;
  if (raw.when !== undefined) job.condition = describe(raw.when);
  if (events.size === 0) job.disabled = true;
  // deployment events are started by a person (`woodpecker-cli deploy <repo> <pipeline> <environment>`)
  if (events.size > 0 && [...events].every((e) => e === "deployment" || e === "manual")) {
    job.manualApproval = true;
    job.approvalLine = doc.lineAt([...at, "when"]);
    const environment = environmentOf(raw.when);
    if (environment) job.environment = { name: environment, line: doc.lineAt([...at, "when"]) };
  }
  const schedule = events.size > 0 && [...events].every((e) => e === "cron") ? "scheduled" : undefined;
  const image = asString(raw.image) ?? "";
  const settings = pluginSettings(raw.settings);
  job.steps.push({ line, name: id, ...(image ? { uses: image } : {}), with: settings });
  if (job.disabled) return job;

  const commands: { line: number; argv: string[] }[] = [];
  asArray(raw.commands).forEach((text, i) => {
    if (typeof text !== "string") return;
    const textLine = doc.textLineAt(Array.isArray(raw.commands) ? [...at, "commands", i] : [...at, "commands"]);
    // `$$` is Woodpecker's escape for a literal `$` (it substitutes `${VAR}` itself before the shell runs)
    commands.push(...addShell(file, out, job, text.replace(/\$\$/g, "$"), textLine, schedule));
  });
  if (mountsDockerSocket(raw.volumes)) recordHostStarts(job, commands);
  if (image && raw.commands === undefined) recordPlugin(job, image, settings, line);
  return job;
}

/** The events a `when:` accepts: the union over its conditions; a condition that cannot match adds none. */
function eventsOf(when: unknown): Set<WoodpeckerEvent> {
  const events = new Set<WoodpeckerEvent>();
  for (const condition of asArray(when)) {
    if (!isRecord(condition) || isFalse(condition.evaluate)) continue;
    for (const event of conditionEvents(condition.event)) events.add(event);
  }
  return events;
}

/** `event: push`, `event: [push, tag]`, `event: { include: [...], exclude: [...] }`; absent means every event. */
function conditionEvents(value: unknown): WoodpeckerEvent[] {
  if (value === undefined) return [...EVENTS];
  const known = (list: unknown) =>
    asArray(list).filter((e): e is WoodpeckerEvent => EVENTS.includes(e as WoodpeckerEvent));
  if (!isRecord(value)) return known(value);
  const excluded = new Set(known(value.exclude));
  return (value.include === undefined ? [...EVENTS] : known(value.include)).filter((e) => !excluded.has(e));
}

function cronName(when: unknown): string | undefined {
  for (const condition of asArray(when))
    if (isRecord(condition) && asString(condition.cron)) return `cron ${condition.cron}`;
  return undefined;
}

function environmentOf(when: unknown): string | undefined {
  for (const condition of asArray(when)) {
    const environment = isRecord(condition) ? asArray(condition.environment)[0] : undefined;
    if (typeof environment === "string") return environment;
  }
  return undefined;
}

function describe(when: unknown): string {
  return asArray(when)
    .filter(isRecord)
    .map((c) =>
      Object.entries(c)
        .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(",") : isRecord(v) ? JSON.stringify(v) : String(v)}`)
        .join(" "),
    )
    .join(" | ");
}

/** Plugin settings as strings; a list (an ssh plugin's `script:` lines) is joined by newlines. */
function pluginSettings(value: unknown): Record<string, string> {
  const settings = stringMap(value) ?? {};
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value))
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) settings[k] = v.join("\n");
  }
  return settings;
}
