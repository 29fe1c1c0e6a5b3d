// Drone (.drone.yml): a stream of YAML documents, each `kind: pipeline` is one job of steps. A pipeline
// triggered only by `promote` runs when a person promotes a build (`drone build promote`), to a `target`.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import {
  addAction,
  addRemoteScript,
  addShell,
  emptyTriggers,
  newJob,
  parseErrorFinding,
  record,
  shapeFinding,
  stringMap,
} from "./common.js";

/** Plugin images that deploy or publish; everything else is decided by the commands. */
const PLUGINS: Record<string, { kind: "deploy" | "publish"; when?: (settings: Record<string, string>) => boolean }> = {
  "pelotech/drone-helm3": { kind: "deploy", when: (s) => (s.mode ?? "upgrade") === "upgrade" && s.dry_run !== "true" },
  "sinlead/drone-kubectl": { kind: "deploy" },
  "honestbee/drone-kubernetes": { kind: "deploy" },
  "plugins/ansible": { kind: "deploy", when: (s) => s.check !== "true" && s.syntax_check !== "true" },
  "plugins/github-release": { kind: "publish" },
  "plugins/gitea-release": { kind: "publish" },
  "plugins/npm": { kind: "publish" },
};
const CACHE_PLUGINS = /^(meltwater\/drone-cache|plugins\/s3-cache|drillster\/drone-volume-cache|plugins\/cache)$/;

export const droneAnalyzer: Analyzer = {
  id: "ci-drone",
  match: (_path, _name, lower) => lower === ".drone.yml" || lower === ".drone.yaml",
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "Drone");
    const pipelines = parsed.docs.filter((d) => isRecord(d.value) && (d.value.kind ?? "pipeline") === "pipeline");
    if (pipelines.length === 0) return shapeFinding(file, out, 1, "the Drone file has no `kind: pipeline` document");
    for (const doc of pipelines) readPipeline(file, out, doc, doc.value as Record<string, unknown>);
  },
};

function readPipeline(file: SourceFile, out: AnalyzerOutput, doc: YamlDocument, root: Record<string, unknown>): void {
  const trigger = isRecord(root.trigger) ? root.trigger : {};
  const events = includeList(trigger.event);
  const on = (event: string) => events === undefined || events.includes(event);
  const triggers = {
    ...emptyTriggers(),
    push: on("push"),
    pullRequest: on("pull_request"),
    tags: on("tag"),
    manual: on("promote") || on("custom"),
  };
  if (events?.includes("cron")) triggers.schedule.push("scheduled");
  if (root.trigger !== undefined) triggers.line = doc.lineAt(["trigger"]);
  const name = asString(root.name) ?? "default";
  const fact: CiPipelineFact = { path: file.path, system: "drone", name, triggers, jobs: [] };
  const job = newJob(name, doc.line);
  if (events?.every((e) => e === "promote" || e === "rollback")) {
    job.manualApproval = true;
    job.approvalLine = doc.lineAt(["trigger", "event"]);
    const target = includeList(trigger.target)?.[0];
    if (target) job.environment = { name: target, line: doc.lineAt(["trigger", "target"]) };
  }
  if (isRecord(root.concurrency) && root.concurrency.limit !== undefined)
    job.concurrency = { line: doc.lineAt(["concurrency"]) };
  const schedule = triggers.schedule.length > 0 && events?.every((e) => e === "cron") ? "scheduled" : undefined;

  asArray(root.steps).forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const at = ["steps", index];
    const line = doc.lineAt(at);
    const image = (asString(raw.image) ?? "").replace(/[:@].*$/, "");
    const settings = stringMap(raw.settings) ?? {};
    job.steps.push({ line, name: asString(raw.name), uses: image || undefined, with: settings });
    asArray(raw.commands).forEach((text, i) => {
      if (typeof text === "string") addShell(file, out, job, text, doc.textLineAt([...at, "commands", i]), schedule);
    });
    const plugin = PLUGINS[image];
    if (plugin && (!plugin.when || plugin.when(settings))) record(job, { kind: plugin.kind, what: image }, line);
    else if (image === "appleboy/drone-ssh" && settings.script) addRemoteScript(job, settings.script, line);
    else if (image.includes("/")) addAction(job, image, settings, line);
    if (CACHE_PLUGINS.test(image)) {
      job.cache = true;
      job.cacheLine ??= line;
    }
  });
  fact.jobs.push(job);
  out.fact("ci", fact);
}

/** Drone conditions are a list, a single value, or `{ include: [...], exclude: [...] }`. */
function includeList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = isRecord(value) ? value.include : value;
  if (list === undefined) return undefined;
  return asArray(list)
    .map((v) => asString(v))
    .filter((v): v is string => Boolean(v));
}
