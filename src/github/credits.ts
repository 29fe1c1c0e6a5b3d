// Credits in the app: after each scan of the default branch, the change since the last credited state is
// credited to its people (src/people), stored with the repository's visibility, and, with `credit: comment`,
// announced on the merged pull request. The first scan of a repository sets its baseline and runs the
// installation backfill. `people: false` or `credit: off` record the state but no credit.
import { type Config, DEFAULT_CONFIG, peopleSettings } from "../config/config.js";
import type { Report } from "../engine/report.js";
import type { LevelRule } from "../engine/rules.js";
import {
  backfillCredits,
  type Change,
  type Credit,
  creditChange,
  earnedItems,
  type PracticeState,
  practiceOf,
} from "../people/credit.js";
import { personLadder } from "../people/ladder.js";
import { personKey } from "../people/person.js";
import { creditToRow, regressionToRow, rowToCredit } from "../people/rows.js";
import { renderCreditComment } from "../report/credit-comment.js";
import { type RepoRef, repoParams } from "../sources/github-api.js";
import type { Store } from "../store/store.js";
import { type BackfillOptions, findFirstCommits } from "./backfill.js";
import { type CreditApi, changePeople } from "./change-people.js";

/** What a credit sync reads of a completed scan (a job carries it: the statuses, not the whole report). */
export interface CreditScan {
  repo: RepoRef;
  headSha: string;
  branch?: string;
  defaultBranch: string;
  practice: PracticeState;
  config?: Pick<Config, "people" | "credit">;
  octokit: unknown;
}

/** The fields of the app's CompletedScan the hook reads. */
export interface CompletedScanLike extends Omit<CreditScan, "practice"> {
  report: Report;
}

export type CreditOutcome = "not-default-branch" | "baseline" | "unchanged" | "recorded" | "commented" | "moved-on";

interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

export interface CreditOptions {
  store: Store;
  levels: readonly LevelRule[];
  /** false: no backfill at installation */
  backfill?: BackfillOptions | false;
  now?: () => Date;
  log?: Logger;
}

export class CreditRecorder {
  log: Logger | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: CreditOptions) {
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
  }

  /** The scan hook: give it to createApp({ onScanComplete }), before the progression issue's. */
  readonly hook = async (scan: CompletedScanLike): Promise<void> => {
    await this.sync({ ...scan, practice: practiceOf(scan.report) });
  };

  async sync(scan: CreditScan): Promise<CreditOutcome> {
    if (scan.branch === undefined || scan.branch !== scan.defaultBranch) return "not-default-branch";
    const { store } = this.options;
    const api = scan.octokit as CreditApi;
    const repo = `${scan.repo.owner}/${scan.repo.repo}`;
    const settings = peopleOf(scan.config);
    const practice = scan.practice;
    const stored = await store.credits.state(repo);

    if (!stored) {
      const isPrivate = await this.visibility(api, scan.repo, repo);
      const saved = await store.credits.recordChange({
        repo,
        private: isPrivate,
        previousHead: undefined,
        headSha: scan.headSha,
        state: practice,
        credits: [],
        regressions: [],
      });
      if (saved && settings && this.options.backfill !== false) await this.backfill(api, scan, practice, isPrivate);
      return saved ? "baseline" : "moved-on";
    }
    if (stored.headSha === scan.headSha) return "unchanged";

    const before = stored.state as PracticeState;
    const earned = settings ? earnedItems(before, practice) : [];
    const found =
      earned.length > 0 ? await changePeople(api, scan.repo, stored.headSha, scan.headSha, settings) : undefined;
    const isPrivate = await this.visibility(api, scan.repo, repo);
    const change: Change = {
      commit: scan.headSha,
      at: found?.pr?.mergedAt ? new Date(found.pr.mergedAt).toISOString() : this.now().toISOString(),
      repo,
      private: isPrivate,
      ...(found?.pr ? { pr: found.pr.number } : {}),
      people: found?.people ?? [],
    };
    const outcome = creditChange(before, practice, change, settings);
    const saved = await store.credits.recordChange({
      repo,
      private: isPrivate,
      previousHead: stored.headSha,
      headSha: scan.headSha,
      state: practice,
      credits: outcome.credits.map(creditToRow),
      regressions: outcome.regressions.map(regressionToRow),
    });
    if (!saved) return "moved-on"; // another worker credited a newer head: this one's change is part of it
    if (outcome.credits.length > 0)
      this.log?.info({ repo, sha: scan.headSha, credits: outcome.credits.length, pr: change.pr }, "credits recorded");
    // written after the credits: a crash in between loses a comment rather than posting it twice
    if (scan.config?.credit === "comment" && change.pr !== undefined && outcome.credits.length > 0) {
      await this.comment(api, scan.repo, change.pr, outcome.credits);
      return "commented";
    }
    return "recorded";
  }

  /** Each milestone that already passes, credited to whoever first added its main evidence file. */
  private async backfill(api: CreditApi, scan: CreditScan, practice: PracticeState, isPrivate: boolean): Promise<void> {
    const repo = `${scan.repo.owner}/${scan.repo.repo}`;
    const settings = peopleOf(scan.config);
    if (!settings) return;
    try {
      const found = await findFirstCommits(api, scan.repo, scan.defaultBranch, practice, this.options.backfill || {});
      if (!found.complete) {
        this.log?.info({ repo, requests: found.requests }, "backfill stopped by its budget; tried again later");
        return;
      }
      const changes = new Map([...found.changes].map(([id, c]) => [id, { ...c, repo, private: isPrivate }]));
      const credits = backfillCredits(practice, changes, settings);
      await this.options.store.credits.recordBackfill(repo, credits.map(creditToRow));
    } catch (err) {
      this.log?.warn({ err, repo }, "backfill failed; tried again later");
    }
  }

  private async comment(api: CreditApi, repo: RepoRef, pr: number, credits: readonly Credit[]): Promise<void> {
    const keys = [...new Set(credits.map((c) => personKey(c.person)))];
    const rows = await this.options.store.credits.ofPeople(repo.owner, keys);
    const ladders = keys.map((key) => {
      const own = rows.filter((r) => r.personKey === key).map(rowToCredit);
      const person = credits.find((c) => personKey(c.person) === key)!.person;
      return personLadder(person, own, this.options.levels);
    });
    const body = renderCreditComment({ credits, ladders, levels: this.options.levels });
    if (!body) return;
    await api.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repoParams(repo),
      issue_number: pr,
      body,
    });
  }

  /** Private unless known public: the store's record of the repository first, then GitHub. */
  private async visibility(api: CreditApi, ref: RepoRef, repo: string): Promise<boolean> {
    const known = await this.options.store.scans.badge(repo);
    if (known) return known.private;
    try {
      const { data } = await api.request("GET /repos/{owner}/{repo}", { ...repoParams(ref) });
      return (data as { private?: unknown }).private !== false;
    } catch {
      return true;
    }
  }
}

function peopleOf(config: CreditScan["config"]) {
  return peopleSettings({ ...DEFAULT_CONFIG, ...config });
}

/** Who earned each milestone of a repository, as the progression issue names them: the latest earning's people. */
export interface MilestoneEarners {
  /** `@login` or the name */
  people: string[];
  pr?: number;
  commit: string;
  at: string;
  backfilled: boolean;
}

export async function milestoneEarners(store: Store, repo: RepoRef): Promise<Map<string, MilestoneEarners>> {
  const rows = await store.credits.ofRepo(`${repo.owner}/${repo.repo}`);
  const out = new Map<string, MilestoneEarners>();
  for (const row of rows) {
    if (row.kind !== "milestone") continue;
    const who = row.login ? `@${row.login}` : row.name;
    const known = out.get(row.item);
    // oldest first: a later earning (after a loss) replaces the earlier one
    if (known && known.commit === row.commit) known.people.push(who);
    else
      out.set(row.item, {
        people: [who],
        ...(row.pr !== undefined ? { pr: row.pr } : {}),
        commit: row.commit,
        at: row.at,
        backfilled: row.backfilled,
      });
  }
  return out;
}
