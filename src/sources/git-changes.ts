// The changes of a git history that can move a DevOps report: first-parent commits that touch a file some
// analyzer reads (the engine's own candidate test) or the repository config, each as a snapshot of its tree.
// The tree is kept up to date from the log's raw changes, so no commit is checked out or listed twice.
import { CONFIG_PATH } from "../config/config.js";
import { ignoreMatcher } from "../engine/ignore.js";
import type { Snapshot } from "../engine/snapshot.js";
import { type CommitInfo, pushPeople } from "../people/change.js";
import { isLeftOut, loginOfEmail, type PeoplePolicy, type Person, uniquePeople } from "../people/person.js";
import type { ReplayedChange } from "../people/replay.js";
import { coAuthors } from "../people/trailers.js";
import { GitObjects, type GitTreeEntry, gitSnapshot, gitTree, treeEntry } from "./git.js";
import {
  firstParentHistory,
  type HistoryCommit,
  historyRange,
  Mailmap,
  mergedCommits,
  resolveCommit,
} from "./git-history.js";

export interface GitChangesOptions {
  /** only changes after this date (`git log --since` syntax); the tree before them is the baseline */
  since?: string;
  /** the branch or commit to replay; default HEAD */
  head?: string;
  /** whether a path is read by the engine (candidateTest over the analyzers) */
  isCandidate: (path: string) => boolean;
  policy?: PeoplePolicy;
  /** after every commit walked: how many so far, of how many, and how many were scanned */
  onProgress?: (walked: number, total: number, scanned: number) => void;
}

export interface GitChanges {
  head: string;
  /** first-parent commits in the range */
  total: number;
  baseline: Snapshot;
  changes: AsyncIterable<ReplayedChange>;
  close(): void;
}

export async function gitChanges(dir: string, options: GitChangesOptions): Promise<GitChanges> {
  const head = await resolveCommit(dir, options.head ?? "HEAD");
  const range = await historyRange(dir, head, options.since);
  const objects = new GitObjects(dir);
  const mailmap = new Mailmap(dir);
  const tree = new Map<string, GitTreeEntry>();
  if (range.base) for (const e of await gitTree(dir, range.base)) tree.set(e.path, e);
  const ignored = ignoreMatcher();
  const relevant = (path: string) => path === CONFIG_PATH || (!ignored(path) && options.isCandidate(path));
  const target = (sha: string) => ({ kind: "local" as const, root: dir, sha });

  const baseline = gitSnapshot(tree, objects, target(range.base ?? "empty"));

  async function* changes(): AsyncGenerator<ReplayedChange> {
    let walked = 0;
    let scanned = 0;
    for await (const commit of firstParentHistory(dir, head, range.base)) {
      let touched = false;
      for (const c of commit.changes) {
        if (c.status === "D" || !c.blob || !c.mode) tree.delete(c.path);
        else if (c.mode === "160000")
          continue; // a submodule: no files of ours
        else tree.set(c.path, treeEntry(c.path, c.mode, c.blob));
        touched ||= relevant(c.path);
      }
      walked++;
      if (touched) {
        scanned++;
        yield {
          commit: commit.sha,
          at: commit.at,
          ...pullRequestOf(commit),
          // the live tree: the engine is done with this snapshot before the replay asks for the next change
          snapshot: gitSnapshot(tree, objects, target(commit.sha)),
          people: () => peopleOf(dir, commit, mailmap, options.policy),
        };
      }
      options.onProgress?.(walked, range.count, scanned);
    }
  }

  return {
    head,
    total: range.count,
    baseline,
    changes: changes(),
    close() {
      objects.close();
      mailmap.close();
    },
  };
}

/**
 * Who made a commit of the first-parent line: its author and co-authors; for a merge, the authors and
 * co-authors of the commits it brought in (not whoever merged). Identities go through `.mailmap`.
 */
async function peopleOf(
  dir: string,
  commit: HistoryCommit,
  mailmap: Mailmap,
  policy?: PeoplePolicy,
): Promise<Person[]> {
  const info = (c: HistoryCommit): CommitInfo => ({
    sha: c.sha,
    author: c.author,
    message: c.message,
    parents: c.parents.length,
  });
  let people: Person[];
  if (commit.parents.length > 1) {
    const merged = (await mergedCommits(dir, commit)).filter((c) => c.parents.length <= 1);
    people = [...pushPeople(merged.map(info), policy), ...coAuthors(commit.message)];
  } else {
    people = pushPeople([info(commit)], policy);
  }
  const mapped = await Promise.all(people.map((p) => mailmap.map(p)));
  return uniquePeople(
    mapped.map((p) => {
      const login = p.login ?? loginOfEmail(p.email);
      return login ? { ...p, login } : p;
    }),
  ).filter((p) => !isLeftOut(p, policy));
}

/** GitHub's own commit subjects name the pull request: `Merge pull request #12 from …`, a squash's `Title (#12)`. */
export function pullRequestOf(commit: Pick<HistoryCommit, "message" | "parents">): { pr?: number } {
  const subject = commit.message.split("\n", 1)[0]!.trim();
  const words = subject.split(" ");
  if (commit.parents.length > 1) {
    if (words[0] === "Merge" && words[1] === "pull" && words[2] === "request" && words[3]?.startsWith("#"))
      return numberOf(words[3].slice(1));
    return {};
  }
  const last = words[words.length - 1] ?? "";
  return last.startsWith("(#") && last.endsWith(")") ? numberOf(last.slice(2, -1)) : {};
}

function numberOf(text: string): { pr?: number } {
  const n = Number(text);
  return text.length > 0 && Number.isInteger(n) && n > 0 ? { pr: n } : {};
}
