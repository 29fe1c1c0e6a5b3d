// What a webhook asks for, decided from its payload alone (no I/O): a scan of one commit, or scans of the
// default branches of repositories an installation brought. The app turns the answer into a job; the rules
// live here, tested with a table of payloads (test/app/requests.test.ts).
import { CHECK_NAME } from "../report/checkrun.js";
import type { RepoRef } from "../sources/github-api.js";
import type { CommitRef, ScanRequest } from "./scan.js";

export type WebhookRequest =
  | {
      type: "scan";
      installationId: number;
      /** what a newer head supersedes: `branch:main`, `pr:12` */
      slot: string;
      /** a person asked for a re-run: scan even if this commit was just scanned */
      force: boolean;
      /** the repository's visibility as the payload gives it */
      private?: boolean;
      /** a run of ours left `in_progress` that a person asked to re-run: the scan completes it */
      runId?: number;
      request: ScanRequest;
    }
  | { type: "repositories"; installationId: number; repos: string[] };

/** The events the app listens to (`name.action`, or `name` for every action). */
export const EVENTS = [
  "push",
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "check_suite.requested",
  "check_suite.rerequested",
  "check_run.rerequested",
  "installation.created",
  "installation_repositories.added",
] as const;

interface Repository {
  name: string;
  full_name?: string;
  archived?: boolean;
  private?: boolean;
  default_branch?: string;
  owner: { login?: string; name?: string | null } | null;
}

/** The request of one delivery (`name` without the action; the action is the payload's), or undefined. */
// biome-ignore lint/suspicious/noExplicitAny: payloads differ by event; each branch reads its own fields
export function requestFor(name: string, payload: any): WebhookRequest | undefined {
  const installationId = payload?.installation?.id;
  if (typeof installationId !== "number") return undefined;
  const action = payload.action as string | undefined;
  if (name === "installation" && action === "created") return repositories(installationId, payload.repositories ?? []);
  if (name === "installation_repositories" && action === "added")
    return repositories(installationId, payload.repositories_added ?? []);

  const repository = payload.repository as Repository | undefined;
  if (!repository || repository.archived) return undefined;
  const base = { type: "scan" as const, installationId, ...privacy(repository) };
  const defaultBranch = repository.default_branch ?? "main";
  const repo = repoOf(repository);

  if (name === "push") {
    if (payload.deleted || payload.ref !== `refs/heads/${defaultBranch}`) return undefined;
    return {
      ...base,
      slot: `branch:${defaultBranch}`,
      force: false,
      request: {
        repo,
        defaultBranch,
        head: { sha: payload.after, ref: defaultBranch },
        base: { sha: payload.before, ref: defaultBranch, onlyIfCached: true },
      },
    };
  }
  if (name === "pull_request" && ["opened", "synchronize", "reopened"].includes(action ?? "")) {
    const pr = payload.pull_request;
    return {
      ...base,
      slot: `pr:${pr.number}`,
      force: false,
      request: {
        repo,
        defaultBranch,
        head: headOf(pr.head.sha, pr.head.ref, pr.head.repo?.full_name === repository.full_name),
        base: { sha: pr.base.sha, ref: pr.base.ref },
      },
    };
  }
  if (name === "check_suite" && (action === "requested" || action === "rerequested")) {
    const suite = payload.check_suite;
    const pr = suite.pull_requests?.[0];
    return {
      ...base,
      slot: pr ? `pr:${pr.number}` : `branch:${suite.head_branch}`,
      force: action === "rerequested",
      request: {
        repo,
        defaultBranch,
        head: headOf(suite.head_sha, suite.head_branch ?? undefined, true),
        base: pr
          ? { sha: pr.base.sha, ref: pr.base.ref }
          : suite.before
            ? { sha: suite.before, ref: suite.head_branch ?? undefined, onlyIfCached: true }
            : undefined,
      },
    };
  }
  if (name === "check_run" && action === "rerequested") {
    const run = payload.check_run;
    if (run.name !== CHECK_NAME) return undefined;
    const pr = run.pull_requests?.[0];
    const branch = run.check_suite?.head_branch ?? undefined;
    return {
      ...base,
      slot: pr ? `pr:${pr.number}` : `branch:${branch}`,
      force: true,
      ...(run.status !== "completed" && typeof run.id === "number" ? { runId: run.id } : {}),
      request: {
        repo,
        defaultBranch,
        head: headOf(run.head_sha, branch, true),
        base: pr ? { sha: pr.base.sha, ref: pr.base.ref } : undefined,
      },
    };
  }
  return undefined;
}

function repositories(installationId: number, list: { full_name: string }[]): WebhookRequest {
  return { type: "repositories", installationId, repos: list.map((r) => r.full_name) };
}

function privacy(repository: Repository): { private?: boolean } {
  return typeof repository.private === "boolean" ? { private: repository.private } : {};
}

export function repoOf(repository: Pick<Repository, "name" | "owner">): RepoRef {
  return { owner: repository.owner?.login ?? repository.owner?.name ?? "", repo: repository.name };
}

/** A fork's branch name means nothing in this repository: only same-repo heads keep it. */
function headOf(sha: string, branch: string | undefined, sameRepo: boolean): CommitRef {
  return sameRepo && branch ? { sha, ref: branch } : { sha };
}

/**
 * Deliveries already handled, by id (GitHub re-sends a delivery it thinks was lost; a person can redeliver one).
 * Only the last `max` are remembered: the job keys de-duplicate the work itself, this only saves the store a write.
 */
export class Deliveries {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 1000) {}

  /** true the first time `id` is seen */
  first(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value!);
    return true;
  }

  /** forgets `id` (its handling failed: a redelivery must be handled) */
  forget(id: string): void {
    this.seen.delete(id);
  }
}

/**
 * A delivery whose job could not be recorded (the store or Redis refused the write); thrown to Probot so that
 * the delivery is answered 500. It carries no payload: @octokit/webhooks sets `event` (the whole delivery) on
 * every error a handler throws and Probot logs the error with it; here that assignment is dropped.
 */
export class NotRecorded extends Error {
  override name = "NotRecorded";
  constructor(event: string, delivery: string) {
    super(`the ${event} delivery ${delivery} was not recorded; it can be redelivered`);
  }
  get event(): undefined {
    return undefined;
  }
  set event(_payload: unknown) {}
}
