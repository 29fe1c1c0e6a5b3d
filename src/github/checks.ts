// The check run's life on GitHub. A scan that finishes within `graceMs` is posted in ONE request, already
// completed (a full scan then costs tree + contents + this write). A slower one shows `in_progress` first and
// is completed when it ends — whatever happens: a failed scan completes with "could not scan: …", and a failed
// completion is retried once without annotations, so a check run is never left in progress.
import type { Octokit } from "@octokit/rest";
import { type Annotation, CHECK_NAME, type CheckRunText, renderFailure } from "../report/checkrun.js";
import { type RepoRef, repoParams } from "../sources/github-api.js";

export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckOutcome {
  text: CheckRunText;
  conclusion: "neutral" | "failure";
}

export interface CheckRunApi {
  request: Octokit["request"];
}

export interface PublishOptions {
  /** wait this long for the scan before showing `in_progress`; 0 always shows it */
  graceMs: number;
  log?: { warn(obj: unknown, msg?: string): void };
  /** a run an earlier attempt of the same job created: it is completed rather than a new one created */
  runId?: number;
  /** names the run as this job's (GitHub's external_id), so a later attempt can find it */
  externalId?: string;
  /** called once the run exists, before the scan ends (the job saves the id for its next attempt) */
  created?: (id: number) => Promise<void>;
  /** true: a failed scan is thrown (the job tries again later) instead of completing the run with "could not scan" */
  retry?: (err: unknown) => boolean;
}

/** The run published, and whether the scan itself succeeded (a "could not scan" run is not a success). */
export interface Published {
  id: number;
  scanned: boolean;
}

type Settled = { outcome: CheckOutcome } | { error: unknown };

/**
 * Runs `scan` and reports it as the check run of `headSha`. `scan` failures become a "could not scan"
 * check run with the reason from `describe`. Throws only when GitHub refuses the check run itself.
 */
export async function publishCheckRun(
  api: CheckRunApi,
  repo: RepoRef,
  headSha: string,
  scan: () => Promise<CheckOutcome>,
  describe: (err: unknown) => string,
  options: PublishOptions,
): Promise<Published> {
  const settled: Promise<Settled> = scan().then(
    (outcome) => ({ outcome }),
    (error: unknown) => ({ error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), options.graceMs);
  });
  const early = options.graceMs > 0 && options.runId === undefined ? await Promise.race([settled, grace]) : undefined;
  clearTimeout(timer);
  const external = options.externalId ? { external_id: options.externalId } : {};

  if (early) {
    if ("error" in early && options.retry?.(early.error)) throw early.error;
    const { text, conclusion } = outcomeOf(early, describe);
    const created = await api.request("POST /repos/{owner}/{repo}/check-runs", {
      ...repoParams(repo),
      name: CHECK_NAME,
      head_sha: headSha,
      ...external,
      status: "completed",
      conclusion,
      output: output(text, text.annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
    });
    const id = Number(created.data.id);
    await options.created?.(id);
    await addAnnotations(api, repo, id, text, ANNOTATIONS_PER_REQUEST, options);
    return { id, scanned: "outcome" in early };
  }

  let id = options.runId;
  if (id === undefined) {
    const created = await api.request("POST /repos/{owner}/{repo}/check-runs", {
      ...repoParams(repo),
      name: CHECK_NAME,
      head_sha: headSha,
      ...external,
      status: "in_progress",
      output: { title: "Scanning…", summary: "Reading the repository's DevOps files." },
    });
    id = Number(created.data.id);
    await options.created?.(id);
  }
  const result = await settled;
  if ("error" in result && options.retry?.(result.error)) throw result.error;
  const { text, conclusion } = outcomeOf(result, describe);
  try {
    await api.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...repoParams(repo),
      check_run_id: id,
      status: "completed",
      conclusion,
      output: output(text, text.annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
    });
  } catch (err) {
    // e.g. GitHub rejected an annotation: complete without them rather than stay in progress
    options.log?.warn({ err }, "completing the check run failed; completing it without annotations");
    await api.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      ...repoParams(repo),
      check_run_id: id,
      status: "completed",
      conclusion,
      output: output(text, []),
    });
    return { id, scanned: "outcome" in result };
  }
  await addAnnotations(api, repo, id, text, ANNOTATIONS_PER_REQUEST, options);
  return { id, scanned: "outcome" in result };
}

/**
 * The run an earlier attempt of a job created (found by its external_id), when that attempt died before
 * saving its id: completing it leaves one run per head, never a second one or one stuck `in_progress`.
 */
export async function findRun(api: CheckRunApi, repo: RepoRef, headSha: string, externalId: string) {
  const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repoParams(repo),
    ref: headSha,
    check_name: CHECK_NAME,
    filter: "all",
    per_page: 100,
  });
  const runs = (data as { check_runs?: { id: number; external_id?: string | null; status: string }[] }).check_runs;
  return runs?.find((r) => r.external_id === externalId);
}

/** Runs of ours still `in_progress` on a head (a stuck run a person asks to re-run). */
export async function runsInProgress(api: CheckRunApi, repo: RepoRef, headSha: string): Promise<number[]> {
  const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    ...repoParams(repo),
    ref: headSha,
    check_name: CHECK_NAME,
    status: "in_progress",
    per_page: 100,
  });
  const runs = (data as { check_runs?: { id: number }[] }).check_runs ?? [];
  return runs.map((r) => r.id);
}

function outcomeOf(settled: Settled, describe: (err: unknown) => string): CheckOutcome {
  if ("outcome" in settled) return settled.outcome;
  return { text: renderFailure(describe(settled.error)), conclusion: "neutral" };
}

function output(text: CheckRunText, annotations: Annotation[]) {
  return {
    title: text.title,
    summary: text.summary,
    ...(text.text ? { text: text.text } : {}),
    ...(annotations.length > 0 ? { annotations } : {}),
  };
}

/** GitHub takes 50 annotations a request; later requests append to the completed run. */
async function addAnnotations(
  api: CheckRunApi,
  repo: RepoRef,
  id: number,
  text: CheckRunText,
  from: number,
  options: PublishOptions,
) {
  for (let i = from; i < text.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    try {
      await api.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
        ...repoParams(repo),
        check_run_id: id,
        output: output(text, text.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST)),
      });
    } catch (err) {
      options.log?.warn({ err }, "adding annotations failed; the check run is complete without the rest");
      return;
    }
  }
}
