// CircleCI (.circleci/config.yml): job definitions run through workflows; an `approval` job holds every job
// that requires it; a workflow `triggers: schedule` makes its jobs scheduled. Orb jobs invoked from a workflow
// (`aws-ecs/deploy-service-update`) become jobs of their own.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import { addAction, addShell, emptyTriggers, mappingDoc, newJob, stepOf, stringMap } from "./common.js";

export const circleciAnalyzer: Analyzer = {
  id: "ci-circleci",
  extensions: [".yml", ".yaml"],
  match: (_path, _name, lower) => lower === ".circleci/config.yml" || lower === ".circleci/config.yaml",
  prepare: loadShellParser,
  analyze(file, out) {
    const read = mappingDoc(file, out, "CircleCI", "the CircleCI config is empty or not a mapping");
    if (read) readConfig(file, out, read.doc, read.root);
  },
};

interface Invocation {
  workflow: string;
  line: number;
  requires: string[];
  approval: boolean;
  branchOnly: boolean;
  inputs?: Record<string, string>;
}

function readConfig(file: SourceFile, out: AnalyzerOutput, doc: YamlDocument, root: Record<string, unknown>): void {
  const definitions = isRecord(root.jobs) ? root.jobs : {};
  const fact: CiPipelineFact = { path: file.path, system: "circleci", triggers: emptyTriggers(), jobs: [] };
  const invocations = new Map<string, Invocation[]>();
  const scheduledWorkflows = new Map<string, string>();
  const workflows = isRecord(root.workflows) ? root.workflows : undefined;
  if (workflows) fact.triggers.line = doc.lineAt(["workflows"]);

  for (const [workflow, raw] of Object.entries(workflows ?? {})) {
    if (!isRecord(raw)) continue;
    for (const trigger of asArray(raw.triggers)) {
      const cron = isRecord(trigger) && isRecord(trigger.schedule) ? asString(trigger.schedule.cron) : undefined;
      if (cron) {
        fact.triggers.schedule.push(cron);
        scheduledWorkflows.set(workflow, cron);
      }
    }
    asArray(raw.jobs).forEach((entry, index) => {
      const [name, config] =
        typeof entry === "string" ? [entry, {}] : isRecord(entry) ? (Object.entries(entry)[0] ?? []) : [];
      if (typeof name !== "string") return;
      const options = isRecord(config) ? config : {};
      const only =
        isRecord(options.filters) && isRecord(options.filters.branches) ? options.filters.branches.only : undefined;
      const invocation: Invocation = {
        workflow,
        line: doc.lineAt(["workflows", workflow, "jobs", index]),
        requires: asArray(options.requires).filter((r): r is string => typeof r === "string"),
        approval: options.type === "approval",
        branchOnly: only !== undefined && !asArray(only).some((b) => b === "/.*/"),
        inputs: stringMap(options),
      };
      const key = asString(options.name) ?? name;
      invocations.set(key, [
        ...(invocations.get(key) ?? []),
        { ...invocation, inputs: { ...invocation.inputs, job: name } },
      ]);
      if (!scheduledWorkflows.has(workflow) && !invocation.branchOnly && !invocation.approval)
        fact.triggers.pullRequest = true;
      fact.triggers.push = true;
    });
  }
  if (!workflows && isRecord(definitions.build)) {
    // version 2.0 without workflows runs the job named `build` on every push
    invocations.set("build", [
      { workflow: "", line: doc.lineAt(["jobs", "build"]), requires: [], approval: false, branchOnly: false },
    ]);
    fact.triggers.push = fact.triggers.pullRequest = true;
  }

  const approvals = new Set([...invocations].filter(([, list]) => list.every((i) => i.approval)).map(([name]) => name));
  const gated = (name: string, seen = new Set<string>()): number | undefined => {
    for (const inv of invocations.get(name) ?? []) {
      for (const required of inv.requires) {
        if (seen.has(required)) continue;
        seen.add(required);
        if (approvals.has(required)) return invocations.get(required)![0]!.line;
        const upstream = gated(required, seen);
        if (upstream) return upstream;
      }
    }
    return undefined;
  };

  for (const [key, list] of invocations) {
    if (approvals.has(key)) continue;
    const jobName = list[0]!.inputs?.job ?? key;
    const definition = definitions[jobName];
    const job = newJob(key, isRecord(definition) ? doc.lineAt(["jobs", jobName]) : list[0]!.line);
    job.needs = [...new Set(list.flatMap((i) => i.requires))];
    const approvalLine = gated(key);
    if (approvalLine) {
      job.manualApproval = true;
      job.approvalLine = approvalLine;
    }
    const cron = list.map((i) => scheduledWorkflows.get(i.workflow)).find(Boolean);
    if (isRecord(definition)) readSteps(file, out, doc, job, definition.steps, ["jobs", jobName, "steps"], cron);
    else if (jobName.includes("/")) {
      job.calls = jobName; // an orb job
      addAction(job, jobName, list[0]!.inputs, list[0]!.line);
    }
    fact.jobs.push(job);
  }
  out.fact("ci", fact);
}

function readSteps(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: CiJob,
  steps: unknown,
  path: (string | number)[],
  cron?: string,
): void {
  asArray(steps).forEach((raw, index) => {
    const at = [...path, index];
    const line = doc.lineAt(at);
    const [name, config] =
      typeof raw === "string" ? [raw, undefined] : isRecord(raw) ? (Object.entries(raw)[0] ?? []) : [];
    if (typeof name !== "string") return;
    if (name === "when" || name === "unless") {
      if (isRecord(config)) readSteps(file, out, doc, job, config.steps, [...at, name, "steps"], cron);
      return;
    }
    if (name === "run") {
      const command = typeof config === "string" ? config : isRecord(config) ? asString(config.command) : undefined;
      if (command === undefined) return;
      const textLine = doc.textLineAt(typeof config === "string" ? [...at, "run"] : [...at, "run", "command"]);
      job.steps.push(
        stepOf(line, { name: isRecord(config) ? asString(config.name) : undefined, run: command, runLine: textLine }),
      );
      addShell(file, out, job, command, textLine, cron);
      if (isRecord(config) && config.no_output_timeout !== undefined)
        job.timeoutLine ??= doc.lineAt([...at, "run", "no_output_timeout"]);
      return;
    }
    job.steps.push(stepOf(line, { uses: name, with: stringMap(config) }));
    if (
      name === "save_cache" ||
      name === "restore_cache" ||
      /\/install-(packages|deps)$/.test(name) ||
      (name === "setup_remote_docker" && isRecord(config) && config.docker_layer_caching === true)
    ) {
      job.cache = true;
      job.cacheLine ??= line;
    }
    if (name.includes("/")) addAction(job, name, stringMap(config), line);
  });
}
