// The GitHub Action's entry point (action.yml runs its bundle, action/index.js): wiring only.
// inputs → config → scan (and, on pull requests, the base commit) → job summary, annotations, outputs, SARIF →
// gates. Exit codes: 0 ok, 1 a gate failed, 2 the inputs or the named config are wrong, or the scan failed.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { type ActionInputs, InputError, readInputs } from "./action/inputs.js";
import { checkoutBase, type PullRequestBase, pullRequestBase } from "./action/pull-request.js";
import { annotationCommands, type LooseAnnotation, outputEntry, workflowCommand } from "./action/workflow-commands.js";
import type { LoadedConfig } from "./config/config.js";
import { type GateNames, gateFailures } from "./config/gates.js";
import { ConfigFileError, loadLocalConfig } from "./config/local.js";
import { defaultRules, type Report, scan } from "./engine/index.js";
import { smallestNextStep } from "./engine/next-step.js";
import { renderJson } from "./report/json.js";
import { renderSarif } from "./report/sarif.js";
import { stepOutcome } from "./report/sections.js";
import { renderActionSummary } from "./report/summary.js";
import { localSnapshot } from "./sources/local.js";
import { setV8Flags } from "./v8-flags.js";

const INPUT_NAMES: GateNames = {
  min_score: "min-score",
  min_level: "min-level",
  fail_on_regression: "fail-on-regression",
};

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const inputs = readInputs(env);
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const dir = resolve(workspace, inputs.path);
  const prefix = pathPrefix(workspace, dir);
  const config = loadLocalConfig(dir, inputs.config === undefined ? undefined : resolve(workspace, inputs.config));
  const report = await scanFolder(dir, config);

  const pr = pullRequestBase(env.GITHUB_EVENT_NAME, env.GITHUB_EVENT_PATH);
  const { base, problem } = pr ? await scanBase(pr, workspace, prefix, config, inputs, env) : {};

  const failures = [
    ...(inputs.ignoreConfigGates || !config ? [] : gateFailures(report, base, config.config)),
    ...gateFailures(
      report,
      base,
      { min_score: inputs.minScore, min_level: inputs.minLevel, fail_on_regression: inputs.failOnRegression },
      INPUT_NAMES,
    ),
  ];

  const summary = renderActionSummary(report, {
    base,
    baseProblem: problem,
    gateFailures: failures,
    path: prefix.slice(0, -1),
  });
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  annotate(report, failures, prefix, problem);

  const reportPath = join(env.RUNNER_TEMP || tmpdir(), "devops-ladder", `${safeName(env.GITHUB_ACTION)}.json`);
  write(reportPath, renderJson(report));
  if (inputs.sarifFile)
    write(resolve(workspace, inputs.sarifFile), renderSarif(report, defaultRules(), { pathPrefix: prefix }));
  if (env.GITHUB_OUTPUT) {
    const outputs = { level: report.level, score: String(report.score), report: reportPath };
    appendFileSync(
      env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => outputEntry(k, v))
        .join(""),
    );
  }

  log(`devops-ladder: ${report.level} · ${report.score}/100 (${prefix || "."})`);
  for (const failure of failures) log(`devops-ladder: gate failed: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

function scanFolder(dir: string, config: LoadedConfig | undefined): Promise<Report> {
  return scan(localSnapshot(dir), {
    config: config?.config,
    configFindings: config?.findings,
    configSource: config?.source,
  });
}

/** The base commit's report, with the head's config so that the delta is the code's; or why there is none. */
async function scanBase(
  pr: PullRequestBase,
  workspace: string,
  prefix: string,
  config: LoadedConfig | undefined,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): Promise<{ base?: Report; problem?: string }> {
  const options = { config: config?.config };
  try {
    const checkout = await checkoutBase(workspace, pr.sha, env.RUNNER_TEMP || tmpdir());
    try {
      return { base: await scan(localSnapshot(join(checkout.dir, prefix)), options) };
    } finally {
      await checkout.remove();
    }
  } catch (gitError) {
    const repo = env.GITHUB_REPOSITORY;
    if (!inputs.token || !repo || prefix) return { problem: (gitError as Error).message };
    try {
      const { openGithubRepo } = await import("./sources/github-cli.js");
      const apiEnv = { GITHUB_TOKEN: inputs.token, GITHUB_API_URL: env.GITHUB_API_URL };
      const { snapshot } = await openGithubRepo(repo, pr.sha, apiEnv);
      return { base: await scan(snapshot, options) };
    } catch (apiError) {
      return { problem: `${(gitError as Error).message}; the API: ${(apiError as Error).message}` };
    }
  }
}

/**
 * Gate failures, a base that could not be scanned and the smallest next step lead; then the findings.
 * At GitHub's per-step limits, errors first.
 */
function annotate(report: Report, failures: string[], prefix: string, baseProblem?: string): void {
  const first: LooseAnnotation[] = failures.map((f) => ({ kind: "error", title: "devops-ladder gate", message: f }));
  if (baseProblem) {
    first.push({ kind: "warning", title: "devops-ladder", message: `${baseProblem}; the change is not shown` });
  }
  const step = smallestNextStep(report);
  if (step) {
    const message = `${step.signal.title} (${step.signal.id}): ${stepOutcome(report, step)}\n\n${step.signal.remediation}`;
    first.push({ kind: "notice", title: "Smallest next step", message });
  }
  const plan = annotationCommands(report.findings, { first, pathPrefix: prefix });
  for (const command of plan.commands) log(command);
  const left = Object.entries(plan.omitted).filter(([, n]) => n > 0);
  if (left.length > 0) {
    const counts = left.map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "s"}`).join(", ");
    log(`devops-ladder: ${counts} not annotated (GitHub shows 10 of each kind per step); the job summary lists all`);
  }
}

/** `services/api/` for a scanned subfolder, "" for the workspace itself. */
function pathPrefix(workspace: string, dir: string): string {
  const rel = relative(workspace, dir).split("\\").join("/");
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? "" : `${rel}/`;
}

function safeName(name: string | undefined): string {
  return (name || "report").replace(/[^A-Za-z0-9._-]/g, "_");
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

setV8Flags();
main(process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known = err instanceof InputError || err instanceof ConfigFileError;
    const message = err instanceof Error ? (known ? err.message : (err.stack ?? err.message)) : String(err);
    log(workflowCommand("error", { title: "devops-ladder" }, message));
    process.exitCode = 2;
  },
);
