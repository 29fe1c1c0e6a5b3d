// What each CI job does, once per scan: the deploys, publishes and tests its steps recorded (the CI analyzers
// classify steps and actions), plus those reached through the repository's own code that a step runs — a script
// (`scripts/deploy.sh prod`, a Buildkite `release.sh` on the agent's PATH), a Makefile target, an npm script.
// A step that runs a repository script named for tests (`./test.sh`, `scripts/unit-test.sh`) runs the tests.
import { jobActionOfCommand } from "../analyzers/ci/job-actions.js";
import type { FactStore } from "../engine/facts.js";
import type { CiAction, CiJob } from "../facts/ci.js";
import type { CiJobActions, ClassifiedCommand } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";
import { type CommandGraph, isLocal } from "./command-graph.js";

const TEST_SCRIPT =
  /^(unit[-_]?|integration[-_]?|e2e[-_]?|run[-_]?)?tests?([-_.][\w-]*)?(\.(sh|bash))?$|^[\w-]+[-_]tests?(\.(sh|bash))?$/i;

export function ciJobs(facts: FactStore, graph: CommandGraph, deploys: readonly ClassifiedCommand[]): CiJobActions[] {
  const deploying = new Map<CommandFact, string>();
  for (const { command, cls } of deploys)
    if (!deploying.has(command)) deploying.set(command, cls.detail ? `${cls.summary} ${cls.detail}` : cls.summary);
  const delegated = new Map<string, { deploys: CiAction[]; publishes: CiAction[]; tests: CiAction[] }>();
  for (const c of facts.all("command")) {
    if (c.origin !== "ci" || !c.unit) continue;
    const found = delegatedActions(c, graph, deploying);
    if (found.length === 0) continue;
    const key = `${c.path}\0${c.unit}`;
    const entry = delegated.get(key) ?? { deploys: [], publishes: [], tests: [] };
    delegated.set(key, entry);
    const via = c.argv.slice(0, 2).join(" ");
    for (const { kind, what } of found) {
      const list = kind === "deploy" ? entry.deploys : kind === "publish" ? entry.publishes : entry.tests;
      list.push({ line: c.line, what: `${via} (${what})` });
    }
  }
  const jobs: CiJobActions[] = [];
  for (const pipeline of facts.all("ci")) {
    for (const job of pipeline.jobs) {
      if (job.disabled) continue;
      const more = delegated.get(`${pipeline.path}\0${job.id}`);
      jobs.push({
        pipeline,
        job,
        deploys: [...(job.deploys ?? []), ...copyThenRestart(job), ...(more?.deploys ?? [])],
        publishes: [...(job.publishes ?? []), ...(more?.publishes ?? [])],
        tests: [...(job.tests ?? []), ...(more?.tests ?? [])],
      });
    }
  }
  return jobs;
}

/** The job's first copy to a host and first remote restart, together: a deploy at the copy's line. */
function copyThenRestart(job: CiJob): CiAction[] {
  const transfer = job.transfers?.[0];
  const restart = job.remoteRestarts?.[0];
  return transfer && restart ? [{ line: transfer.line, what: `${transfer.what}, then ${restart.what}` }] : [];
}

/** The first deploy, publish and test that the repository code a CI command runs reaches. */
function delegatedActions(
  c: CommandFact,
  graph: CommandGraph,
  deploying: Map<CommandFact, string>,
): { kind: "deploy" | "publish" | "test"; what: string }[] {
  const found = new Map<"deploy" | "publish" | "test", string>();
  for (const reached of graph.reach(c).slice(1)) {
    if (!isLocal(reached)) continue;
    const deploy = deploying.get(reached);
    if (deploy) found.set("deploy", found.get("deploy") ?? deploy);
    const action = jobActionOfCommand(reached.argv);
    if (action && action.kind !== "deploy" && !found.has(action.kind)) found.set(action.kind, action.what);
  }
  const script = graph.scriptOf(c);
  if (script && !found.has("test") && TEST_SCRIPT.test(script.slice(script.lastIndexOf("/") + 1)))
    found.set("test", script);
  return [...found].map(([kind, what]) => ({ kind, what }));
}
