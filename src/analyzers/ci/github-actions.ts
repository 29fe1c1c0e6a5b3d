// GitHub Actions workflows (.github/workflows/*.yml): triggers, jobs, steps, pinning, permissions, and the
// classic workflow vulnerabilities (script injection, pull_request_target checking out the PR head).
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, type YamlDocument } from "../../engine/yaml.js";
import type { CiJob, CiStep, CiTriggers, Pin } from "../../facts/ci.js";
import { loadShellParser } from "../shell-parse.js";
import {
  addAction,
  addRemoteScript,
  addShell,
  emptyTriggers,
  isFalse,
  mappingDoc,
  newJob,
  shapeFinding,
  stepOf,
  stringMap,
} from "./common.js";

const WORKFLOWS = ".github/workflows/";

export const githubActionsAnalyzer: Analyzer = {
  id: "ci-github-actions",
  extensions: [".yml", ".yaml"],
  match: (_path, _name, lower) =>
    lower.startsWith(WORKFLOWS) &&
    !lower.includes("/", WORKFLOWS.length) &&
    (lower.endsWith(".yml") || lower.endsWith(".yaml")),
  prepare: loadShellParser,
  analyze(file, out) {
    const read = mappingDoc(file, out, "GitHub Actions workflow", "the workflow is empty or not a mapping");
    if (read) readWorkflow(file, out, read.doc, read.root);
  },
};

function readWorkflow(file: SourceFile, out: AnalyzerOutput, doc: YamlDocument, wf: Record<string, unknown>): void {
  // YAML 1.1 readers turn `on` into true; the `yaml` package keeps it a string, but accept both.
  const onKey = "on" in wf ? "on" : "true" in wf ? "true" : undefined;
  const triggers = readTriggers(onKey === undefined ? undefined : wf[onKey]);
  if (onKey) triggers.line = doc.lineAt([onKey]);
  const schedule = triggers.schedule[0];

  const permissions =
    wf.permissions === undefined
      ? undefined
      : { line: doc.lineAt(["permissions"]), writeAll: wf.permissions === "write-all" };
  if (permissions?.writeAll) writeAllFinding(file, out, permissions.line, "the workflow");

  const jobs: CiJob[] = [];
  if (!isRecord(wf.jobs)) shapeFinding(file, out, doc.line, "the workflow has no `jobs:` mapping");
  for (const [id, raw] of Object.entries(isRecord(wf.jobs) ? wf.jobs : {})) {
    if (!isRecord(raw)) continue;
    jobs.push(readJob(file, out, doc, id, raw, triggers, schedule));
  }
  out.fact("ci", {
    path: file.path,
    system: "github-actions",
    name: asString(wf.name),
    triggers,
    jobs,
    ...(permissions ? { permissions } : {}),
    ...(wf.concurrency !== undefined ? { concurrency: { line: doc.lineAt(["concurrency"]) } } : {}),
  });
}

function readTriggers(on: unknown): CiTriggers {
  const triggers = emptyTriggers();
  const events: [string, unknown][] =
    typeof on === "string"
      ? [[on, null]]
      : Array.isArray(on)
        ? on.filter((e): e is string => typeof e === "string").map((e) => [e, null])
        : isRecord(on)
          ? Object.entries(on)
          : [];
  triggers.events = events.map(([name]) => name);
  for (const [event, config] of events) {
    switch (event) {
      case "pull_request":
      case "pull_request_target":
        triggers.pullRequest = true;
        break;
      case "push":
        triggers.push = true;
        if (isRecord(config) && (config.tags !== undefined || config["tags-ignore"] !== undefined))
          triggers.tags = true;
        break;
      case "release":
        triggers.release = true;
        break;
      case "workflow_dispatch":
        triggers.manual = true;
        break;
      case "workflow_call":
        triggers.reusable = true;
        break;
      case "schedule":
        for (const entry of asArray(config)) {
          const cron = isRecord(entry) ? asString(entry.cron) : undefined;
          if (cron) triggers.schedule.push(cron);
        }
        break;
    }
  }
  return triggers;
}

function readJob(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  id: string,
  raw: Record<string, unknown>,
  triggers: CiTriggers,
  schedule: string | undefined,
): CiJob {
  const at = (...path: (string | number)[]) => doc.lineAt(["jobs", id, ...path]);
  const job = newJob(id, at());
  job.name = asString(raw.name);
  job.needs = asArray(raw.needs).filter((n): n is string => typeof n === "string");
  if (raw.if !== undefined) job.condition = asString(raw.if);
  if (isFalse(raw.if)) job.disabled = true;

  const environment = isRecord(raw.environment) ? asString(raw.environment.name) : asString(raw.environment);
  if (environment) job.environment = { name: environment, line: at("environment") };
  if (typeof raw["timeout-minutes"] === "number") {
    job.timeoutMinutes = raw["timeout-minutes"];
    job.timeoutLine = at("timeout-minutes");
  } else if (typeof raw["timeout-minutes"] === "string") {
    job.timeoutLine = at("timeout-minutes"); // an expression, still a bound
  }
  if (raw.permissions !== undefined) {
    job.permissions = true;
    job.permissionsLine = at("permissions");
    job.writeAll = raw.permissions === "write-all";
    if (job.writeAll) writeAllFinding(file, out, job.permissionsLine, `job ${id}`);
  }
  if (raw.concurrency !== undefined) job.concurrency = { line: at("concurrency") };

  const calls = asString(raw.uses);
  if (calls) {
    job.calls = calls;
    const pin = checkPinning(file, out, calls, at("uses"));
    if (pin) job.callPin = pin;
  }

  const steps = Array.isArray(raw.steps) ? raw.steps : [];
  steps.forEach((rawStep, index) => {
    if (!isRecord(rawStep)) return;
    const step = readStep(file, out, doc, job, rawStep, ["jobs", id, "steps", index], triggers, schedule);
    job.steps.push(step);
  });
  return job;
}

const NON_POSIX_SHELLS = /^(pwsh|powershell|cmd|python)\b/;

function readStep(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: CiJob,
  raw: Record<string, unknown>,
  path: (string | number)[],
  triggers: CiTriggers,
  schedule: string | undefined,
): CiStep {
  const line = doc.lineAt(path);
  const uses = asString(raw.uses);
  const run = asString(raw.run);
  const inputs = stringMap(raw.with);
  const step = stepOf(line, { name: asString(raw.name), uses, run, with: inputs, condition: asString(raw.if) });
  const active = !job.disabled && !isFalse(raw.if);

  if (uses) {
    const pin = checkPinning(file, out, uses, doc.lineAt([...path, "uses"]));
    if (pin) step.pin = pin;
    if (active) {
      addAction(job, uses, inputs, line);
      readActionInputs(file, out, doc, job, uses, inputs ?? {}, path, triggers);
    }
  }
  if (run !== undefined) {
    const runLine = doc.textLineAt([...path, "run"]);
    step.runLine = runLine;
    if (active) checkInjection(file, out, run, runLine, job.id);
    const shell = asString(raw.shell);
    if (active && !(shell && NON_POSIX_SHELLS.test(shell))) {
      const commands = addShell(file, out, job, run, runLine, schedule);
      if (triggers.events?.includes("pull_request_target")) {
        const checkout = commands.find((c) => checksOutPrHead(c.argv));
        if (checkout) prTargetFinding(file, out, checkout.line, job.id);
      }
    }
  }
  return step;
}

/** Caching, action inputs that are shell, and pull_request_target checkouts. */
function readActionInputs(
  file: SourceFile,
  out: AnalyzerOutput,
  doc: YamlDocument,
  job: CiJob,
  uses: string,
  inputs: Record<string, string>,
  path: (string | number)[],
  triggers: CiTriggers,
): void {
  const action = uses.toLowerCase().replace(/@.*$/, "");
  const line = doc.lineAt(path);
  if (cachesDependencies(action, uses, inputs)) {
    job.cache = true;
    job.cacheLine ??= line;
  }
  if (action === "actions/checkout" && triggers.events?.includes("pull_request_target")) {
    if (PR_HEAD.test(inputs.ref ?? "") || /head\.repo\.full_name/.test(inputs.repository ?? "")) {
      prTargetFinding(file, out, doc.lineAt([...path, "with", "ref"]), job.id);
    }
  }
  if (action === "actions/github-script" && inputs.script) {
    checkInjection(file, out, inputs.script, doc.textLineAt([...path, "with", "script"]), job.id);
  }
  if (action === "appleboy/ssh-action" && inputs.script) addRemoteScript(job, inputs.script, line);
  if (action === "azure/cli" && inputs.inlineScript) {
    addShell(file, out, job, inputs.inlineScript, doc.textLineAt([...path, "with", "inlineScript"]));
  }
}

function cachesDependencies(action: string, uses: string, inputs: Record<string, string>): boolean {
  if (action === "actions/cache" || action === "actions/cache/restore") return true;
  if (/^actions\/setup-(node|python|java|dotnet)$/.test(action))
    return Boolean(inputs.cache) && inputs.cache !== "false";
  if (action === "actions/setup-go") {
    // setup-go caches by default since v4
    const major = Number(/@v(\d+)/.exec(uses)?.[1] ?? 0);
    return inputs.cache === "true" || (major >= 4 && inputs.cache !== "false");
  }
  if (action === "ruby/setup-ruby") return inputs["bundler-cache"] === "true";
  if (action === "astral-sh/setup-uv") return inputs["enable-cache"] === "true";
  if (action === "docker/build-push-action" || action === "docker/bake-action") return Boolean(inputs["cache-from"]);
  if (action === "gradle/actions/setup-gradle" || action === "gradle/gradle-build-action")
    return inputs["cache-disabled"] !== "true";
  return action === "swatinem/rust-cache" || action === "mozilla-actions/sccache-action";
}

// ---- pinning ----------------------------------------------------------------------------------------------

const FULL_SHA = /^[0-9a-f]{40}$/i;
const VERSION_TAG = /^v?\d+(\.\d+){0,2}$/;
/** GitHub's own actions: the runner already trusts their owner; a moving major tag there is a note, not a warning. */
const FIRST_PARTY = /^(actions|github)\//i;

/** Reports a mutable `uses:` ref and says how the ref is pinned; undefined for local paths. */
function checkPinning(file: SourceFile, out: AnalyzerOutput, uses: string, line: number): Pin | undefined {
  if (uses.startsWith("./") || uses.startsWith(".\\")) return undefined;
  if (uses.startsWith("docker://")) {
    if (uses.includes("@sha256:")) return "sha";
    unpinnedFinding(file, out, line, uses, "warning", "a Docker image by tag");
    return "mutable";
  }
  const at = uses.lastIndexOf("@");
  if (at < 0) {
    shapeFinding(file, out, line, `\`uses: ${uses}\` has no @ref; GitHub rejects it`);
    return "mutable";
  }
  const ref = uses.slice(at + 1);
  if (FULL_SHA.test(ref)) return "sha";
  const firstParty = FIRST_PARTY.test(uses) && VERSION_TAG.test(ref);
  const kind = VERSION_TAG.test(ref) ? "a tag" : "a branch or other mutable ref";
  unpinnedFinding(file, out, line, uses, firstParty ? "note" : "warning", kind);
  return firstParty ? "first-party-tag" : "mutable";
}

function unpinnedFinding(
  file: SourceFile,
  out: AnalyzerOutput,
  line: number,
  uses: string,
  severity: "warning" | "note",
  kind: string,
): void {
  out.finding({
    path: file.path,
    line,
    severity,
    rule: "ci/unpinned-action",
    message: `\`${uses}\` is referenced by ${kind}, which its owner can move to different code`,
    remediation:
      "Pin the action to a full 40-character commit SHA and keep the version in a comment, e.g. " +
      "`uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2`; Dependabot and Renovate keep SHA pins up to date.",
  });
}

// ---- risky patterns ---------------------------------------------------------------------------------------

function writeAllFinding(file: SourceFile, out: AnalyzerOutput, line: number, scope: string): void {
  out.finding({
    path: file.path,
    line,
    severity: "warning",
    rule: "ci/write-all-permissions",
    message: `${scope} grants the GITHUB_TOKEN write access to everything (\`permissions: write-all\`)`,
    remediation:
      "Grant only what the jobs need, e.g. `permissions: { contents: read }` at the top and `packages: write` on the job that pushes.",
  });
}

/** Event fields a pull-request author controls (titles, bodies, branch names, commit messages, author names). */
const UNTRUSTED = new RegExp(
  String.raw`\bgithub\.(head_ref\b|event\.[\w.*[\]-]*?\.(title|body|message|label|page_name|` +
    String.raw`head_branch)\b|event\.[\w.*[\]-]*?\.head\.ref\b|event\.[\w.*[\]-]*?\.(author|` +
    String.raw`committer)\.(name|email)\b)`,
);

function checkInjection(file: SourceFile, out: AnalyzerOutput, script: string, textLine: number, jobId: string): void {
  for (const match of script.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
    const field = UNTRUSTED.exec(match[1]!);
    if (!field) continue;
    const line = textLine + script.slice(0, match.index).split("\n").length - 1;
    out.finding({
      path: file.path,
      line,
      severity: "error",
      rule: "ci/script-injection",
      message:
        `job ${jobId}: \`${match[0].trim()}\` is pasted into the script before it runs; whoever ` +
        `controls \`${field[0]}\` can run commands in this job`,
      remediation:
        "Pass the value through an environment variable and quote it in the shell: " +
        '`env: { TITLE: "${{ github.event.pull_request.title }}" }` then `echo "$TITLE"`.',
    });
  }
}

const PR_HEAD = /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs\/pull\//;

function checksOutPrHead(argv: string[]): boolean {
  if (argv[0] === "gh" && argv[1] === "pr" && argv[2] === "checkout") return true;
  return (
    argv[0] === "git" &&
    ["checkout", "fetch", "switch"].includes(argv[1] ?? "") &&
    argv.some((a) => PR_HEAD.test(a) || /^(\+?)pull\//.test(a))
  );
}

function prTargetFinding(file: SourceFile, out: AnalyzerOutput, line: number, jobId: string): void {
  out.finding({
    path: file.path,
    line,
    severity: "error",
    rule: "ci/pull-request-target-checkout",
    message:
      `job ${jobId}: a \`pull_request_target\` workflow checks out the pull request's code; it ` +
      `then runs with the base repository's secrets and write token`,
    remediation:
      "Use `on: pull_request` to build untrusted code, or split the work: build in " +
      "`pull_request`, then publish results from a `workflow_run` workflow that never executes " +
      "the PR's code.",
  });
}
