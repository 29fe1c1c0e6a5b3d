// Whose change it is: the people a change to the default branch credits.
// A merged pull request: its author and the `Co-authored-by:` trailers of its commits (and of the commit that
// landed it, which GitHub's squash merge writes them into). A direct push: the commits' authors and co-authors.
// Whoever pressed "merge" did not write the change, and a commit that only reverts another earns nothing.
import { isLeftOut, loginOfEmail, type PeoplePolicy, type Person, uniquePeople } from "./person.js";
import { coAuthors } from "./trailers.js";

export interface CommitInfo {
  sha: string;
  author: Person;
  message: string;
  /** more than one for a merge commit */
  parents?: number;
}

export interface PullRequestInfo {
  number: number;
  /** the author, by login */
  author?: Person;
}

/** `Revert "…"` with git's `This reverts commit <sha>.` line: the message `git revert` (and GitHub) write. */
export function isRevertOnly(message: string): boolean {
  const lines = message.replace(/\r\n?/g, "\n").split("\n");
  const subject = lines[0]!.trim();
  if (!subject.startsWith('Revert "') && !subject.startsWith('Reapply "')) return false;
  return lines.some((line) => {
    const words = line.trim().split(/\s+/);
    return (
      words[0] === "This" && words[1] === "reverts" && words[2] === "commit" && isSha(words[3]?.replace(/[.,]$/, ""))
    );
  });
}

function isSha(word: string | undefined): boolean {
  return !!word && word.length >= 7 && word.length <= 64 && /^[0-9a-f]+$/.test(word);
}

/**
 * The people of a merged pull request. `landed` are the commits the merge put on the default branch
 * (a squash commit, a merge commit, the rebased commits); `commits` are the pull request's own.
 * E-mails of the pull request's commit authors are matched to their logins, so a co-author who is also a
 * commit author is one person.
 */
export function pullRequestPeople(
  pr: PullRequestInfo,
  commits: readonly CommitInfo[],
  landed: readonly CommitInfo[] = [],
  policy: PeoplePolicy = {},
): Person[] {
  const all = [...commits, ...landed];
  const own = all.filter((c) => (c.parents ?? 1) <= 1); // a merge commit only joins the others
  if (own.length > 0 && own.every((c) => isRevertOnly(c.message))) return [];
  const logins = new Map<string, string>();
  for (const c of all) {
    const login = c.author.login ?? loginOfEmail(c.author.email);
    if (login && c.author.email) logins.set(c.author.email.toLowerCase(), login);
  }
  const people: Person[] = pr.author ? [pr.author] : [];
  for (const c of all) {
    if (isRevertOnly(c.message)) continue;
    for (const p of coAuthors(c.message)) {
      const login = p.email ? logins.get(p.email.toLowerCase()) : undefined;
      people.push(login ? { ...p, login } : p);
    }
  }
  return credited(people, policy);
}

/** The people of a direct push (or of one commit replayed from history): authors and co-authors. */
export function pushPeople(commits: readonly CommitInfo[], policy: PeoplePolicy = {}): Person[] {
  const people: Person[] = [];
  for (const c of commits) {
    if (isRevertOnly(c.message)) continue;
    people.push(c.author, ...coAuthors(c.message));
  }
  return credited(people, policy);
}

function credited(people: Person[], policy: PeoplePolicy): Person[] {
  return uniquePeople(people).filter((p) => !isLeftOut(p, policy));
}
