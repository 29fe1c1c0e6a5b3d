// Buildkite (.buildkite/pipeline.yml and friends): a list of steps. A `block` or `input` step stops the build
// until a person unblocks it, so it gates every step after it; `group` steps nest more steps.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument } from "../../engine/yaml.js";
import type { CiPipelineFact } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import { addShell, emptyTriggers, isFalse, newJob, parseErrorFinding, shapeFinding } from "./common.js";

type Path = (string | number)[];

export const buildkiteAnalyzer: Analyzer = {
  id: "ci-buildkite",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lower) =>
    (lower.startsWith(".buildkite/") && /^pipeline[\w.-]*\.ya?ml$/.test(name)) ||
    lower === "buildkite.yml" ||
    lower === "buildkite.yaml",
  prepare: loadShellParser,
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    if (parsed.errors.length > 0) return parseErrorFinding(file, out, parsed.errors, "Buildkite");
    const doc = parsed.docs[0];
    if (!doc || !readPipeline(file, out, doc))
      shapeFinding(file, out, doc?.line ?? 1, "the Buildkite pipeline has no `steps:` list");
  },
};

/** Emits the pipeline of a parsed Buildkite document; false when it has no `steps:` list. */
export function readPipeline(file: SourceFile, out: AnalyzerOutput, doc: YamlDocument): boolean {
  const root = doc.value;
  const steps = Array.isArray(root) ? root : isRecord(root) ? root.steps : undefined;
  if (!Array.isArray(steps)) return false;
  // Buildkite builds every push, and pull requests by default, as the pipeline settings say.
  const fact: CiPipelineFact = {
    path: file.path,
    system: "buildkite",
    triggers: { ...emptyTriggers(), push: true, pullRequest: true },
    jobs: [],
  };
  readSteps(file, out, doc, fact, steps, Array.isArray(root) ? [] : ["steps"], { gate: undefined });
  out.fact("ci", fact);
  return true;
}

function readSteps(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  fact: CiPipelineFact,
  steps: unknown[],
  path: Path,
  state: { gate?: number },
): void {
  steps.forEach((raw, index) => {
    const at = [...path, index];
    if (!isRecord(raw)) return; // "wait" and friends
    if (raw.block !== undefined || raw.input !== undefined) {
      state.gate ??= doc.lineAt(at);
      return;
    }
    if (Array.isArray(raw.steps)) return readSteps(file, out, doc, fact, raw.steps, [...at, "steps"], state);
    const command = raw.command ?? raw.commands;
    if (command === undefined) return;
    const id = asString(raw.key) ?? asString(raw.label) ?? `step-${index + 1}`;
    const job = newJob(id, doc.lineAt(at));
    if (raw.if !== undefined) job.condition = asString(raw.if);
    if (isFalse(raw.if) || raw.skip === true) job.disabled = true;
    if (state.gate !== undefined) {
      job.manualApproval = true;
      job.approvalLine = state.gate;
    }
    if (raw.timeout_in_minutes !== undefined) job.timeoutLine = doc.lineAt([...at, "timeout_in_minutes"]);
    if (raw.concurrency !== undefined && raw.concurrency_group !== undefined)
      job.concurrency = { line: doc.lineAt([...at, "concurrency"]) };
    if (
      raw.cache !== undefined ||
      asArray(raw.plugins).some((p) => isRecord(p) && Object.keys(p).some((k) => /(^|\/)cache(#|$)/.test(k)))
    ) {
      job.cache = true;
      job.cacheLine = doc.lineAt([...at, raw.cache !== undefined ? "cache" : "plugins"]);
    }
    const key = raw.command !== undefined ? "command" : "commands";
    if (!job.disabled) {
      asArray(command).forEach((text, i) => {
        if (typeof text !== "string") return;
        const textLine = doc.textLineAt(Array.isArray(command) ? [...at, key, i] : [...at, key]);
        job.steps.push({ line: textLine, run: text, runLine: textLine });
        addShell(file, out, job, text, textLine);
      });
    }
    fact.jobs.push(job);
  });
}
