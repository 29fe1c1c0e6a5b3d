// CI/CD signals, decided from the normalised `ci` facts (every CI system looks the same here).
// Only jobs that can run count: a job switched off (`if: false`, `when: never`) is never evidence.

import type { DetectContext, Detector } from "../engine/detector.js";
import { dedupeEvidence, fail, notApplicable, pass, passIfAny } from "../engine/detector.js";
import type { Evidence } from "../engine/types.js";
import type { CiAction, CiJob, CiPipelineFact } from "../facts/ci.js";

interface RunnableJob {
  pipeline: CiPipelineFact;
  job: CiJob;
}

/** CI pipelines with at least one job that can run. */
export const pipelines = (ctx: DetectContext) => ctx.facts.all("ci").filter((p) => p.jobs.some((j) => !j.disabled));

function runnableJobs(ctx: DetectContext): RunnableJob[] {
  return pipelines(ctx).flatMap((pipeline) =>
    pipeline.jobs.filter((j) => !j.disabled).map((job) => ({ pipeline, job })),
  );
}

/**
 * Jobs that deploy, or publish a release, with the line and what was recognised: in the step itself, or in the
 * repository's own script, Makefile target or npm script that a step runs (`scripts/deploy.sh prod`, `make deploy`).
 */
export function deliveryJobs(
  ctx: DetectContext,
  kinds: readonly ("deploy" | "publish")[] = ["deploy", "publish"],
): (RunnableJob & { actions: CiAction[] })[] {
  return ctx.derived.ciJobs
    .map(({ pipeline, job, deploys, publishes }) => ({
      pipeline,
      job,
      actions: [...(kinds.includes("deploy") ? deploys : []), ...(kinds.includes("publish") ? publishes : [])],
    }))
    .filter((r) => r.actions.length > 0);
}

const jobEvidence = ({ pipeline, job }: RunnableJob, note: string): Evidence => ({
  path: pipeline.path,
  line: job.line,
  note,
});

const SYSTEM_NAMES: Record<CiPipelineFact["system"], string> = {
  "github-actions": "GitHub Actions",
  gitlab: "GitLab CI",
  jenkins: "Jenkins",
  circleci: "CircleCI",
  "azure-pipelines": "Azure Pipelines",
  travis: "Travis CI",
  bitbucket: "Bitbucket Pipelines",
  drone: "Drone",
  buildkite: "Buildkite",
  woodpecker: "Woodpecker",
  "cloud-build": "Google Cloud Build",
  concourse: "Concourse",
};

/** A pipeline with at least one job that can run. */
const ciPipeline: Detector = (ctx) =>
  passIfAny(
    pipelines(ctx).map((p) => ({
      path: p.path,
      line: p.jobs.find((j) => !j.disabled)!.line,
      note: SYSTEM_NAMES[p.system],
    })),
    "no CI pipeline with a job that can run (GitHub Actions, GitLab CI, Jenkinsfile, CircleCI, " +
      "Azure, Travis, Bitbucket, Drone, Buildkite, Woodpecker, Cloud Build, Concourse …)",
    "no-ci-pipeline",
  );

const pullRequests: Detector = (ctx) => {
  const all = pipelines(ctx);
  const onPrs = all.filter((p) => p.triggers.pullRequest);
  if (onPrs.length > 0) {
    return pass(
      dedupeEvidence(
        onPrs.map((p) => ({
          path: p.path,
          line: p.triggers.line ?? p.jobs.find((j) => !j.disabled)!.line,
          note: `${SYSTEM_NAMES[p.system]} runs on pull requests`,
        })),
      ),
    );
  }
  if (all.length === 0) return fail("no CI pipeline", [], "no-ci-pipeline");
  return fail(
    "the pipelines run on pushes, tags or schedules, but not on pull requests",
    all.map((p) => ({ path: p.path, line: p.triggers.line ?? 1, note: "no pull request trigger" })),
    "no-pull-request-trigger",
  );
};

const tests: Detector = (ctx) =>
  passIfAny(
    ctx.derived.ciJobs.flatMap(({ pipeline, job, tests }) =>
      tests.map((t) => ({ path: pipeline.path, line: t.line, note: `${t.what} in job ${job.id}` })),
    ),
    "no CI job runs a test command (npm test, pytest, go test, mvn verify, cargo test, make test …)",
    "no-test-command",
  );

const cdDeploy: Detector = (ctx) =>
  passIfAny(
    deliveryJobs(ctx).flatMap(({ pipeline, job, actions }) =>
      actions.map((a) => ({ path: pipeline.path, line: a.line, note: `${a.what} in job ${job.id}` })),
    ),
    "no CI job deploys or publishes a release (kubectl apply, helm upgrade, terraform apply, a deploy action, npm publish …)",
    "no-delivery-job",
  );

/** Every delivering job waits for an environment (its protection rules) or a person. */
const deployGuarded: Detector = (ctx) => {
  const jobs = deliveryJobs(ctx);
  if (jobs.length === 0) return notApplicable("no CI job deploys", "no-deploy-job");
  const guarded = jobs.filter(({ job }) => job.environment || job.manualApproval);
  const unguarded = jobs.filter((r) => !guarded.includes(r));
  if (unguarded.length > 0) {
    return fail(
      `${unguarded.length} deploying job(s) run without an environment or a manual approval: ${unguarded.map((r) => r.job.id).join(", ")}`,
      unguarded.map((r) => jobEvidence(r, `job ${r.job.id} deploys unguarded`)),
      "unguarded-deploy",
    );
  }
  return pass(
    dedupeEvidence(
      guarded.map(({ pipeline, job }) => ({
        path: pipeline.path,
        line: job.environment?.line ?? job.approvalLine ?? job.line,
        note: job.environment
          ? `job ${job.id} deploys to environment ${job.environment.name}`
          : `job ${job.id} waits for an approval`,
      })),
    ),
  );
};

/** Every third-party action and reusable workflow is pinned to a commit SHA (GitHub-owned actions may use a version tag). */
const pinnedActions: Detector = (ctx) => {
  const refs = runnableJobs(ctx)
    .filter(({ pipeline }) => pipeline.system === "github-actions")
    .flatMap(({ pipeline, job }) => [
      ...(job.callPin ? [{ path: pipeline.path, line: job.line, pin: job.callPin, uses: job.calls! }] : []),
      ...job.steps.filter((s) => s.pin).map((s) => ({ path: pipeline.path, line: s.line, pin: s.pin!, uses: s.uses! })),
    ]);
  if (refs.length === 0) return notApplicable("the workflows use no remote actions", "no-remote-actions");
  const mutable = refs.filter((r) => r.pin === "mutable");
  if (mutable.length > 0) {
    return fail(
      `${mutable.length} of ${refs.length} action references can be moved by their owner (a tag or branch instead of a commit SHA)`,
      dedupeEvidence(mutable.map((r) => ({ path: r.path, line: r.line, note: r.uses }))),
      "mutable-action-ref",
    );
  }
  const shas = refs.filter((r) => r.pin === "sha");
  return pass(
    dedupeEvidence((shas.length > 0 ? shas : refs).map((r) => ({ path: r.path, line: r.line, note: r.uses }))),
    `${shas.length} of ${refs.length} action references are commit SHAs; the rest are GitHub-owned actions by version tag`,
  );
};

const WRITE_ALL = "permissions: write-all";

/** Every workflow sets the GITHUB_TOKEN permissions (top level, or on every job), and none grants write-all. */
const leastPrivilege: Detector = (ctx) => {
  const workflows = pipelines(ctx).filter((p) => p.system === "github-actions");
  if (workflows.length === 0) return notApplicable("no GitHub Actions workflow", "no-github-actions");
  const good: Evidence[] = [];
  const bad: Evidence[] = [];
  for (const wf of workflows) {
    const jobs = wf.jobs.filter((j) => !j.disabled);
    const writeAll = wf.permissions?.writeAll || jobs.some((j) => j.writeAll);
    const explicit = wf.permissions !== undefined || jobs.every((j) => j.permissions);
    if (writeAll)
      bad.push({
        path: wf.path,
        line: wf.permissions?.writeAll ? wf.permissions.line : jobs.find((j) => j.writeAll)!.permissionsLine,
        note: WRITE_ALL,
      });
    else if (!explicit)
      bad.push({
        path: wf.path,
        line: wf.triggers.line ?? 1,
        note: "no permissions: the token gets the repository default",
      });
    else
      good.push({
        path: wf.path,
        line: wf.permissions?.line ?? jobs[0]!.permissionsLine,
        note: "explicit permissions",
      });
  }
  return bad.length > 0
    ? fail(
        `${bad.length} of ${workflows.length} workflow(s) leave the GITHUB_TOKEN with default or write-all permissions`,
        bad,
        bad.some((e) => e.note === WRITE_ALL) ? "write-all-permissions" : "default-permissions",
      )
    : pass(dedupeEvidence(good));
};

/** Every deploying job runs one at a time (concurrency group, resource_group, lock …). */
const deployConcurrency: Detector = (ctx) => {
  const jobs = deliveryJobs(ctx, ["deploy"]);
  if (jobs.length === 0) return notApplicable("no CI job deploys", "no-deploy-job");
  const bounded = (r: RunnableJob) => r.job.concurrency ?? r.pipeline.concurrency;
  const open = jobs.filter((r) => !bounded(r));
  if (open.length > 0) {
    return fail(
      `deploying job(s) can run twice at once: ${open.map((r) => r.job.id).join(", ")}`,
      open.map((r) => jobEvidence(r, `job ${r.job.id} has no concurrency limit`)),
      "concurrent-deploys",
    );
  }
  return pass(
    dedupeEvidence(
      jobs.map((r) => ({ path: r.pipeline.path, line: bounded(r)!.line, note: `job ${r.job.id} runs one at a time` })),
    ),
  );
};

const caching: Detector = (ctx) => {
  const evidence: Evidence[] = [];
  for (const p of pipelines(ctx)) {
    if (p.cache) evidence.push({ path: p.path, line: p.cache.line, note: "cache for every job" });
    for (const job of p.jobs)
      if (!job.disabled && job.cache)
        evidence.push({ path: p.path, line: job.cacheLine ?? job.line, note: `job ${job.id} caches` });
  }
  return passIfAny(evidence, "no CI job caches its dependencies between runs", "no-cache");
};

/**
 * Every job of the systems whose default limit is long or absent (params.systems: GitHub 6 h, Jenkins none,
 * Buildkite none) sets a timeout. Jobs that call a reusable workflow cannot set one and are skipped.
 */
const timeouts: Detector = (ctx, params) => {
  const systems = new Set(Array.isArray(params.systems) ? params.systems : ["github-actions", "jenkins", "buildkite"]);
  const jobs = runnableJobs(ctx).filter((r) => systems.has(r.pipeline.system) && !r.job.calls);
  if (jobs.length === 0)
    return notApplicable("no pipeline of a CI system without a short default timeout", "no-long-default-timeout");
  const missing = jobs.filter((r) => r.job.timeoutLine === undefined && !r.pipeline.timeout);
  if (missing.length > 0) {
    return fail(
      `${missing.length} of ${jobs.length} job(s) can run for hours: ${missing
        .slice(0, 5)
        .map((r) => r.job.id)
        .join(", ")}`,
      dedupeEvidence(missing.map((r) => jobEvidence(r, `job ${r.job.id} has no timeout`))),
      "job-without-timeout",
    );
  }
  return pass(
    dedupeEvidence(
      jobs.map((r) => ({
        path: r.pipeline.path,
        line: r.job.timeoutLine ?? r.pipeline.timeout!.line,
        note: `job ${r.job.id} has a timeout`,
      })),
    ),
  );
};

export const cicdDetectors: Record<string, Detector> = {
  "cicd/ci-pipeline": ciPipeline,
  "cicd/pull-request-checks": pullRequests,
  "cicd/ci-tests": tests,
  "cicd/cd-deploy": cdDeploy,
  "cicd/deploy-approval": deployGuarded,
  "cicd/pinned-actions": pinnedActions,
  "cicd/token-permissions": leastPrivilege,
  "cicd/deploy-concurrency": deployConcurrency,
  "cicd/ci-caching": caching,
  "cicd/job-timeouts": timeouts,
};
