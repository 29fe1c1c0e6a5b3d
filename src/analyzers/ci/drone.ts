// Drone (.drone.yml): a stream of YAML documents, each `kind: pipeline` is one job of steps. A pipeline
// triggered only by `promote` runs when a person promotes a build (`drone build promote`), to a `target`.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import {
  addShell,
  emptyTriggers,
  mountsDockerSocket,
  newJob,
  parseErrorFinding,
  recordHostStarts,
  shapeFinding,
  stringMap,
} from "./common.js";
import { pluginName, recordPlugin } from "./plugins.js";

export const droneAnalyzer: Analyzer = {
  id: "ci-drone",
  extensions: [".yml", ".yaml"],
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
    const image = pluginName(asString(raw.image) ?? "");
    const settings = stringMap(raw.settings) ?? {};
    job.steps.push({ line, name: asString(raw.name), uses: image || undefined, with: settings });
    const commands: { line: number; argv: string[] }[] = [];
    asArray(raw.commands).forEach((text, i) => {
      if (typeof text === "string")
        commands.push(...addShell(file, out, job, text, doc.textLineAt([...at, "commands", i]), schedule));
    });
    if (mountsDockerSocket(raw.volumes)) recordHostStarts(job, commands);
    if (image) recordPlugin(job, image, settings, line);
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
