// Shared by every CI analyzer: shell steps → command facts (with file lines), what steps do, findings.
import type { AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml, type YamlDocument, type YamlError } from "../../engine/yaml.js";
import type { CiJob, CiPipelineFact, CiStep, CiTriggers } from "../../facts/ci.js";
import { type CommandClass, classifyCommand, classifyRemote, onHostEngine } from "../command-class.js";
import { flowFact } from "../shell-flow.js";
import { parseShell } from "../shell-parse.js";
import { type Classified, classifyAction, jobActionOf } from "./job-actions.js";

export const emptyTriggers = (): CiTriggers => ({
  pullRequest: false,
  push: false,
  tags: false,
  release: false,
  manual: false,
  schedule: [],
  reusable: false,
});

export function newJob(id: string, line: number): CiJob {
  return { id, line, steps: [], needs: [] };
}

/** Template expressions that are not shell (`${{ github.sha }}`, CircleCI `<< parameters.x >>`). */
const EXPRESSION = /\$\{\{[\s\S]*?\}\}|<<\s*[\w.-]+\s*>>/g;

/**
 * Parses the shell text of a step, emits one `command` fact per simple command at its file line, and records
 * on the job what the commands do. `textLine` is the file line where `text` begins.
 */
export function addShell(
  file: SourceFile,
  out: AnalyzerOutput,
  job: CiJob,
  text: string,
  textLine: number,
  schedule?: string,
): { line: number; argv: string[] }[] {
  const expressions: string[] = [];
  const shell = text.replace(EXPRESSION, (expr) => {
    expressions.push(expr);
    return `__CI_EXPR_${expressions.length - 1}__${"\n".repeat(expr.split("\n").length - 1)}`;
  });
  const restore = (word: string) => word.replace(/__CI_EXPR_(\d+)__/g, (_, i: string) => expressions[Number(i)] ?? "");
  const parsed = parseShell(shell, undefined, { flow: true });
  if (parsed.error) {
    out.finding({
      path: file.path,
      line: textLine + parsed.error.line - 1,
      severity: "warning",
      rule: "ci/shell-syntax-error",
      message: `job ${job.id}: the shell of this step does not parse: ${parsed.error.message}`,
      remediation: "Fix the shell syntax of the step; the runner would fail on it.",
    });
    return [];
  }
  const commands: { line: number; argv: string[] }[] = [];
  if (parsed.flow) {
    const where = { path: file.path, origin: "ci" as const, unit: job.id, line: textLine };
    out.fact("shellFlow", flowFact(where, parsed.flow, { word: restore }));
  }
  for (const command of parsed.commands) {
    const argv = command.argv.map(restore);
    const line = textLine + command.line - 1;
    out.fact("command", { path: file.path, line, argv, origin: "ci", unit: job.id, ...(schedule ? { schedule } : {}) });
    recordCommand(job, classifyCommand(argv), line);
    commands.push({ line, argv });
  }
  return commands;
}

/** A command given as an argument list (a container step's entrypoint and args): no shell parses it. */
export function addArgv(
  file: SourceFile,
  out: AnalyzerOutput,
  job: CiJob,
  argv: string[],
  line: number,
  schedule?: string,
): void {
  out.fact("command", { path: file.path, line, argv, origin: "ci", unit: job.id, ...(schedule ? { schedule } : {}) });
  recordCommand(job, classifyCommand(argv), line);
}

/**
 * The commands of one step that mounts the host's Docker socket (/var/run/docker.sock): a container it leaves
 * running (`docker compose up -d`) runs on that host, a deploy, unless the step tears it down again (a test harness).
 */
export function recordHostStarts(job: CiJob, commands: { line: number; argv: string[] }[]): void {
  let started: { line: number; what: string } | undefined;
  for (const c of commands) {
    const on = onHostEngine(c.argv);
    if (on && "start" in on) started = { line: c.line, what: on.start };
    else if (on) started = undefined;
  }
  if (started) record(job, { kind: "deploy", what: `${started.what} on the host's Docker engine` }, started.line);
}

/** Records what a `uses:`-style step (action, orb, pipe, plugin) does. */
export function addAction(job: CiJob, uses: string, inputs: Record<string, string> | undefined, line: number): void {
  record(job, classifyAction(uses, inputs), line);
}

/** A script that runs on a server over ssh (an ssh action's `script:`): deploys, and restarts that follow a copy. */
export function addRemoteScript(job: CiJob, script: string, line: number): void {
  const found = classifyRemote(script);
  recordCommand(job, found?.kind === "deploy" || found?.kind === "remote-restart" ? found : undefined, line);
}

/** A copy to a host and a remote restart are recorded as such: together they deploy (src/derived/ci-jobs.ts). */
function recordCommand(job: CiJob, found: CommandClass | undefined, line: number): void {
  if (found?.kind === "transfer") (job.transfers ??= []).push({ line, what: found.summary });
  else if (found?.kind === "remote-restart") (job.remoteRestarts ??= []).push({ line, what: found.summary });
  else record(job, jobActionOf(found), line);
}

export function record(job: CiJob, found: Classified | undefined, line: number): void {
  if (!found) return;
  const list =
    found.kind === "deploy"
      ? (job.deploys ??= [])
      : found.kind === "publish"
        ? (job.publishes ??= [])
        : (job.tests ??= []);
  list.push({ line, what: found.what });
}

/** String map of a `with:`/`inputs:` mapping; non-scalar values are dropped. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") map[k] = String(v);
  }
  return map;
}

export function parseErrorFinding(file: SourceFile, out: AnalyzerOutput, errors: YamlError[], system: string): void {
  for (const error of errors.slice(0, 5)) {
    out.finding({
      path: file.path,
      line: error.line,
      severity: "error",
      rule: "ci/parse-error",
      message: `${system} config is not valid YAML: ${error.message}`,
      remediation: "Fix the YAML syntax; the CI system rejects the whole file, so none of its jobs run.",
    });
  }
}

/** The file's single YAML mapping; undefined after a finding that says why there is none. */
export function mappingDoc(
  file: SourceFile,
  out: AnalyzerOutput,
  system: string,
  notMapping: string,
): { doc: YamlDocument; root: Record<string, unknown> } | undefined {
  const parsed = parseYaml(file.text);
  if (parsed.errors.length > 0) {
    parseErrorFinding(file, out, parsed.errors, system);
    return undefined;
  }
  const doc = parsed.docs[0];
  if (!doc || !isRecord(doc.value)) {
    shapeFinding(file, out, doc?.line ?? 1, notMapping);
    return undefined;
  }
  return { doc, root: doc.value };
}

export function shapeFinding(file: SourceFile, out: AnalyzerOutput, line: number, message: string): void {
  out.finding({
    path: file.path,
    line,
    severity: "warning",
    rule: "ci/invalid-config",
    message,
    remediation: "Fix the structure of the pipeline file as the CI system documents it.",
  });
}

/** Emits the pipeline fact with every job's steps already recorded. */
export function emitPipeline(out: AnalyzerOutput, fact: CiPipelineFact): void {
  out.fact("ci", fact);
}

export function stepOf(line: number, fields: Partial<CiStep>): CiStep {
  return { line, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

/** A YAML scalar meant as a boolean/condition that switches the thing off: `false`, `${{ false }}`. */
export function isFalse(value: unknown): boolean {
  if (value === false) return true;
  if (typeof value !== "string") return false;
  return /^\s*(\$\{\{\s*false\s*\}\}|false)\s*$/.test(value);
}

/** `volumes: [/var/run/docker.sock:/var/run/docker.sock]`: the step talks to the agent host's Docker engine. */
export function mountsDockerSocket(volumes: unknown): boolean {
  return asArray(volumes).some(
    (v) =>
      (typeof v === "string" && /(^|:)\/(var\/)?run\/docker\.sock(:|$)/.test(v)) ||
      (isRecord(v) && /^\/(var\/)?run\/docker\.sock$/.test(asString(v.path) ?? "")),
  );
}
