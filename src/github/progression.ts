// The progression issue: one per repository, labelled `devops-ladder` and found again by a hidden marker,
// kept up to date after every default-branch scan. Created below Lead, closed with a congratulation at Lead,
// reopened on a regression; a person's close (or reopen) is respected until the level changes.
//
// Idempotent by construction: every sync lists the labelled issues first (state all) and creates one only
// when none carries the marker; when a past crash or a second instance left two, the oldest is kept and the
// others are closed as duplicates. The body is written only when its content hash changed, so a rescan that
// changes nothing costs one read and no write. Syncs of one repository also run one at a time here.
import type { Config } from "../config/config.js";
import type { MilestoneReport, Report } from "../engine/report.js";
import type { Snapshot } from "../engine/snapshot.js";
import { badgeToken } from "../http/token.js";
import { badgeMarkdown } from "../report/badge.js";
import {
  type LevelChange,
  type PullRequestRef,
  renderDuplicateComment,
  renderIssueBody,
  renderIssueTitle,
  renderLeadReached,
  renderLevelComment,
} from "../report/issue.js";
import { type RepoRef, repoParams, statusOf } from "../sources/github-api.js";
import {
  chooseAssignees,
  isTeam,
  type Ownership,
  ownershipFromReport,
  type RestApi,
  readCodeowners,
} from "./assignees.js";
import { composeBody, contentHash, hasMarker, LABEL, type ProgressionState, parseState } from "./progression-state.js";

/** The fields of the app's CompletedScan (src/app.ts) a sync reads. */
export interface ProgressionScan {
  repo: RepoRef;
  headSha: string;
  branch?: string;
  defaultBranch: string;
  report: Report;
  config?: Config;
  /** the scanned commit's files, through the scanner's caches (CODEOWNERS) */
  files?: () => Promise<Snapshot>;
  octokit: unknown;
}

export type SyncOutcome =
  | "not-default-branch"
  | "disabled"
  | "unavailable"
  | "none-needed"
  | "created"
  | "updated"
  | "unchanged";

interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

export interface ProgressionOptions {
  /** the README badge snippet for a repository, when badges are served (see `badgeSnippets`) */
  badge?: (repo: RepoRef, api: RestApi) => Promise<string | undefined>;
  /** who earned each met milestone (people's credits, src/github/credits.ts), named in the checklist */
  earners?: (repo: RepoRef) => Promise<ReadonlyMap<string, { people: readonly string[]; pr?: number }>>;
  /** how long a repository without issues (410) or permission (403) is left alone; default 1 hour */
  retryAfterMs?: number;
  now?: () => Date;
  log?: Logger;
}

interface Issue {
  number: number;
  state: "open" | "closed";
  title: string;
  body?: string | null;
  assignees?: { login: string }[];
  pull_request?: unknown;
}

/** What one sync works with: the scan, its owners, and the body it would write for a given history. */
interface Sync {
  api: RestApi;
  scan: ProgressionScan;
  ownership: Ownership;
  met: string[];
  today: string;
  render(history: LevelChange[]): { title: string; visible: string; hash: string };
}

/** Pages of 100 labelled issues read at most. */
const PAGES = 5;

export class ProgressionIssues {
  log: Logger | undefined;
  private readonly locks = new Map<string, Promise<unknown>>();
  /** issues this process created or kept: found even if a listing lags behind */
  private readonly known = new Map<string, number>();
  private readonly unavailable = new Map<string, number>();
  private readonly now: () => Date;

  constructor(private readonly options: ProgressionOptions = {}) {
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
  }

  /** The scan hook: give it to createApp({ onScanComplete }). */
  readonly hook = async (scan: ProgressionScan): Promise<void> => {
    await this.sync(scan);
  };

  async sync(scan: ProgressionScan): Promise<SyncOutcome> {
    if (scan.branch === undefined || scan.branch !== scan.defaultBranch) return "not-default-branch";
    if (scan.config?.progression_issue === false) return "disabled";
    const key = `${scan.repo.owner}/${scan.repo.repo}`.toLowerCase();
    const until = this.unavailable.get(key);
    if (until !== undefined && until > this.now().getTime()) return "unavailable";
    return this.serial(key, async () => {
      try {
        return await this.run(key, scan);
      } catch (err) {
        const status = statusOf(err);
        const rateLimited = /rate limit/i.test((err as Error).message ?? "");
        if ((status !== 403 && status !== 404 && status !== 410) || rateLimited) throw err;
        // issues turned off (410), the issues permission not granted (403), the repository gone (404)
        this.unavailable.set(key, this.now().getTime() + (this.options.retryAfterMs ?? 60 * 60_000));
        this.log?.info({ repo: key, status, reason: (err as Error).message }, "progression issue skipped");
        return "unavailable";
      }
    });
  }

  /** One sync at a time per repository (the app's queue does it too; this holds for any caller). */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }

  private async run(key: string, scan: ProgressionScan): Promise<SyncOutcome> {
    const api = scan.octokit as RestApi;
    const [issue, ...duplicates] = await this.find(api, scan.repo, key);
    for (const dup of duplicates.filter((d) => d.state === "open"))
      await this.closeDuplicate(api, scan.repo, dup.number, issue!.number);

    const ownership = ownershipFromReport(scan.report, scan.files ? await readCodeowners(await scan.files()) : []);
    const badge = await this.options.badge?.(scan.repo, api).catch((err: unknown) => {
      this.log?.warn({ err, repo: key }, "no badge snippet: the repository's visibility is unknown");
      return undefined;
    });
    const earners = await this.options.earners?.(scan.repo).catch((err: unknown) => {
      this.log?.warn({ err, repo: key }, "the checklist names no one: credits could not be read");
      return undefined;
    });
    const sync: Sync = {
      api,
      scan,
      ownership,
      met: scan.report.milestones.filter((m) => m.status === "pass").map((m) => m.id),
      today: this.now().toISOString().slice(0, 10),
      render: (history) => {
        const title = renderIssueTitle(scan.report);
        const visible = renderIssueBody({
          report: scan.report,
          history,
          branch: scan.defaultBranch,
          badge,
          milestoneOwners: ownership.byMilestone,
          milestoneEarners: earners,
          teams: ownership.owners.filter(isTeam),
        });
        return { title, visible, hash: contentHash(title, visible) };
      },
    };
    if (issue) {
      this.known.set(key, issue.number);
      return this.update(sync, issue);
    }
    if (scan.report.level === "lead") return "none-needed";
    this.known.set(key, await this.create(sync));
    return "created";
  }

  private async create({ api, scan, ownership, met, today, render }: Sync): Promise<number> {
    const { repo, report } = scan;
    const history: LevelChange[] = [{ at: today, to: report.level, score: report.score }];
    const { title, visible, hash } = render(history);
    const { assignees } = await chooseAssignees(api, {
      repo,
      configured: scan.config?.assignees,
      owners: ownership.owners,
    });
    const state: ProgressionState = { hash, level: report.level, score: report.score, met, open: true, history };
    const created = await api.request("POST /repos/{owner}/{repo}/issues", {
      ...repoParams(repo),
      title,
      body: composeBody(visible, state),
      labels: [LABEL],
      ...(assignees.length > 0 ? { assignees } : {}),
    });
    return Number(created.data.number);
  }

  private async update({ api, scan, ownership, met, today, render }: Sync, issue: Issue): Promise<SyncOutcome> {
    const { repo, report } = scan;
    const prev = parseState(issue.body);
    const isOpen = issue.state === "open";
    const from = prev && prev.level !== report.level ? prev.level : undefined;
    const pr = from ? await this.pullRequestOf(api, repo, scan.headSha) : undefined;
    const history = [...(prev?.history ?? [])];
    if (from)
      history.push({
        at: today,
        from,
        to: report.level,
        score: report.score,
        ...(pr ? { pr: pr.number, by: pr.author ? `@${pr.author}` : undefined } : {}),
      });
    else if (!prev) history.push({ at: today, to: report.level, score: report.score });

    // the state the app set last; a different one was set by a person, and stands until the level changes
    const personChose = isOpen !== (prev?.open ?? true);
    const open = personChose && !from ? isOpen : report.level !== "lead";

    const { title, visible, hash } = render(history);
    if (prev && prev.hash === hash && prev.open === open && isOpen === open && sameList(prev.met, met))
      return "unchanged";

    const reopening = open && !isOpen;
    const assignees =
      reopening && (issue.assignees ?? []).length === 0
        ? (await chooseAssignees(api, { repo, configured: scan.config?.assignees, owners: ownership.owners })).assignees
        : [];
    const state: ProgressionState = { hash, level: report.level, score: report.score, met, open, history };
    await api.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...repoParams(repo),
      issue_number: issue.number,
      body: composeBody(visible, state),
      // the title follows the content, unless the content is the same (then a person renamed it: keep theirs)
      ...(prev?.hash !== hash ? { title } : {}),
      ...(open !== isOpen ? { state: open ? "open" : "closed", state_reason: open ? "reopened" : "completed" } : {}),
      ...(assignees.length > 0 ? { assignees } : {}),
    });
    // written after the edit: a crash in between loses a comment rather than posting it twice
    const comment = from
      ? renderLevelComment({ from, report, lost: lostMilestones(report, prev!.met), pr })
      : !open && isOpen && report.level === "lead"
        ? renderLeadReached(report)
        : undefined;
    if (comment) {
      await api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        ...repoParams(repo),
        issue_number: issue.number,
        body: comment,
      });
    }
    return "updated";
  }

  /** Our issues, oldest first: labelled, carrying the marker, not pull requests. */
  private async find(api: RestApi, repo: RepoRef, key: string): Promise<Issue[]> {
    const found: Issue[] = [];
    for (let page = 1; page <= PAGES; page++) {
      const { data } = await api.request("GET /repos/{owner}/{repo}/issues", {
        ...repoParams(repo),
        labels: LABEL,
        state: "all",
        sort: "created",
        direction: "asc",
        per_page: 100,
        page,
      });
      const items = Array.isArray(data) ? (data as Issue[]) : [];
      found.push(...items.filter((i) => !i.pull_request && hasMarker(i.body)));
      if (items.length < 100) break;
    }
    const known = this.known.get(key);
    if (known !== undefined && !found.some((i) => i.number === known)) {
      // a listing can lag behind a creation: ask for the issue itself
      try {
        const { data } = await api.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
          ...repoParams(repo),
          issue_number: known,
        });
        if (hasMarker((data as Issue).body)) found.push(data as Issue);
      } catch (err) {
        if (statusOf(err) !== 404 && statusOf(err) !== 410) throw err;
        this.known.delete(key);
      }
    }
    return found.sort((a, b) => a.number - b.number);
  }

  private async closeDuplicate(api: RestApi, repo: RepoRef, number: number, kept: number): Promise<void> {
    await api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repoParams(repo),
      issue_number: number,
      body: renderDuplicateComment(kept),
    });
    await api.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      ...repoParams(repo),
      issue_number: number,
      state: "closed",
      state_reason: "not_planned",
    });
  }

  /** The merged pull request that brought this commit to the default branch, if any (one request, only on a level change). */
  private async pullRequestOf(api: RestApi, repo: RepoRef, sha: string): Promise<PullRequestRef | undefined> {
    try {
      const { data } = await api.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
        ...repoParams(repo),
        commit_sha: sha,
      });
      const prs = (Array.isArray(data) ? data : []) as {
        number: number;
        title: string;
        merged_at?: string | null;
        merge_commit_sha?: string | null;
        user?: { login?: string } | null;
      }[];
      const pr = prs.find((p) => p.merged_at && p.merge_commit_sha === sha) ?? prs.find((p) => p.merged_at);
      return pr ? { number: pr.number, title: pr.title, author: pr.user?.login } : undefined;
    } catch (err) {
      this.log?.warn({ err, repo, sha }, "could not find the pull request of a level change");
      return undefined;
    }
  }
}

function lostMilestones(report: Report, metBefore: readonly string[]): MilestoneReport[] {
  const before = new Set(metBefore);
  return report.milestones.filter((m) => before.has(m.id) && m.status === "fail");
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ─── badge ─────────────────────────────────────────────────────────────────────────────────────────

const VISIBILITY_TTL_MS = 10 * 60_000;

/**
 * The badge snippet as the badge service serves it (docs/badges.md): `baseUrl` is the app's public address;
 * a private repository's snippet carries its token, and only when `secret` (BADGE_SECRET) is set is it given.
 */
export function badgeSnippets(
  baseUrl: string,
  secret?: string,
  now: () => number = Date.now,
): NonNullable<ProgressionOptions["badge"]> {
  const visibility = new Map<string, { private: boolean; until: number }>();
  return async (repo, api) => {
    const name = `${repo.owner}/${repo.repo}`;
    const key = name.toLowerCase();
    let known = visibility.get(key);
    if (!known || known.until <= now()) {
      try {
        const { data } = await api.request("GET /repos/{owner}/{repo}", { ...repoParams(repo) });
        known = { private: (data as { private?: unknown }).private !== false, until: now() + VISIBILITY_TTL_MS };
        visibility.set(key, known);
      } catch (err) {
        if (!known) throw err; // never known: no snippet this time
        // known before: keep it rather than flip the body back and forth
      }
    }
    if (!known.private) return badgeMarkdown(baseUrl, name);
    return secret ? badgeMarkdown(baseUrl, name, badgeToken(secret, name)) : undefined;
  };
}

/**
 * The progression issues as `npm start` runs them: BADGE_BASE_URL (the app's public address) adds the badge
 * snippet; `earners` (people's credits) names who earned each met milestone.
 */
export function progressionFromEnv(env: NodeJS.ProcessEnv, earners?: ProgressionOptions["earners"]): ProgressionIssues {
  const baseUrl = env.BADGE_BASE_URL?.trim();
  return new ProgressionIssues({
    badge: baseUrl ? badgeSnippets(baseUrl, env.BADGE_SECRET?.trim() || undefined) : undefined,
    earners,
  });
}
