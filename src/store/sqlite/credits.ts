// Credits in SQLite: people, their credits, the regressions of repositories, and each repository's last
// credited state. A change is recorded in one transaction, only when the state is where the caller saw it.
import type Database from "better-sqlite3";
import type { Evidence, LevelId } from "../../engine/types.js";
import {
  type ChangeRecord,
  type CreditRecords,
  type CreditRow,
  checkRepoName,
  type PracticeRow,
  type RegressionRow,
} from "../store.js";

interface CreditSqlRow {
  full_name: string;
  private: number;
  key: string;
  name: string;
  login: string | null;
  email: string | null;
  kind: "milestone" | "signal";
  item: string;
  level: LevelId | null;
  task: string | null;
  commit_sha: string;
  earned_at: number;
  pr: number | null;
  evidence: string;
  backfilled: number;
}

interface RegressionSqlRow {
  full_name: string;
  private: number;
  kind: "milestone" | "signal";
  item: string;
  level: LevelId | null;
  task: string | null;
  commit_sha: string;
  lost_at: number;
  pr: number | null;
}

interface StateSqlRow {
  full_name: string;
  head_sha: string;
  state: string;
  backfilled_at: number | null;
  updated_at: number;
}

const CREDIT_COLUMNS = `c.full_name, c.private, p.key, p.name, p.login, p.email, c.kind, c.item, c.level, c.task,
  c.commit_sha, c.earned_at, c.pr, c.evidence, c.backfilled`;

export class SqliteCredits implements CreditRecords {
  private readonly sql;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.sql = {
      state: db.prepare<[string], StateSqlRow>(
        "SELECT full_name, head_sha, state, backfilled_at, updated_at FROM practice_states WHERE repo_key = ?",
      ),
      saveState: db.prepare(
        `INSERT INTO practice_states (repo_key, full_name, head_sha, state, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (repo_key) DO UPDATE SET full_name = excluded.full_name, head_sha = excluded.head_sha,
           state = excluded.state, updated_at = excluded.updated_at`,
      ),
      markBackfilled: db.prepare(
        `INSERT INTO practice_states (repo_key, full_name, head_sha, state, backfilled_at, updated_at)
         VALUES (?, ?, '', '{}', ?, ?)
         ON CONFLICT (repo_key) DO UPDATE SET backfilled_at = excluded.backfilled_at
         WHERE practice_states.backfilled_at IS NULL`,
      ),
      upsertPerson: db.prepare<[string, string, string | null, string | null, number], { id: number }>(
        `INSERT INTO people (key, name, login, email, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, login = coalesce(excluded.login, people.login),
           email = coalesce(excluded.email, people.email), updated_at = excluded.updated_at
         RETURNING id`,
      ),
      insertCredit: db.prepare(
        `INSERT INTO credits (person_id, repo_key, owner_key, full_name, private, kind, item, level, task, commit_sha,
           earned_at, pr, evidence, backfilled)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      insertRegression: db.prepare(
        `INSERT INTO regressions (repo_key, full_name, private, kind, item, level, task, commit_sha, lost_at, pr)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      ofRepo: db.prepare<[string], CreditSqlRow>(
        `SELECT ${CREDIT_COLUMNS} FROM credits c JOIN people p ON p.id = c.person_id
         WHERE c.repo_key = ? ORDER BY c.earned_at, c.id`,
      ),
      ofOwner: db.prepare<[string], CreditSqlRow>(
        `SELECT ${CREDIT_COLUMNS} FROM credits c JOIN people p ON p.id = c.person_id
         WHERE c.owner_key = ? ORDER BY c.earned_at, c.id`,
      ),
      ofPerson: db.prepare<[string, string], CreditSqlRow>(
        `SELECT ${CREDIT_COLUMNS} FROM credits c JOIN people p ON p.id = c.person_id
         WHERE c.owner_key = ? AND p.key = ? ORDER BY c.earned_at, c.id`,
      ),
      regressions: db.prepare<[string], RegressionSqlRow>(
        `SELECT full_name, private, kind, item, level, task, commit_sha, lost_at, pr FROM regressions
         WHERE repo_key = ? ORDER BY lost_at, id`,
      ),
      setPrivateCredits: db.prepare("UPDATE credits SET private = ? WHERE repo_key = ?"),
      setPrivateRegressions: db.prepare("UPDATE regressions SET private = ? WHERE repo_key = ?"),
      forgetCredits: db.prepare("DELETE FROM credits WHERE repo_key = ?"),
      forgetRegressions: db.prepare("DELETE FROM regressions WHERE repo_key = ?"),
      forgetState: db.prepare("DELETE FROM practice_states WHERE repo_key = ?"),
      forgetPerson: db.prepare("DELETE FROM credits WHERE person_id = (SELECT id FROM people WHERE key = ?)"),
      deletePerson: db.prepare("DELETE FROM people WHERE key = ?"),
      // a person with no credit left is not kept
      prunePeople: db.prepare("DELETE FROM people WHERE id NOT IN (SELECT DISTINCT person_id FROM credits)"),
      counts: db.prepare<[], { people: number; credits: number; regressions: number }>(
        `SELECT (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM credits) AS credits,
           (SELECT count(*) FROM regressions) AS regressions`,
      ),
    };
  }

  async state(repo: string): Promise<PracticeRow | undefined> {
    const row = this.sql.state.get(repo.toLowerCase());
    if (!row || row.head_sha === "") return undefined;
    return {
      repo: row.full_name,
      headSha: row.head_sha,
      state: JSON.parse(row.state),
      ...(row.backfilled_at !== null ? { backfilledAt: row.backfilled_at } : {}),
      updatedAt: row.updated_at,
    };
  }

  async recordChange(change: ChangeRecord): Promise<boolean> {
    const repo = checkRepoName(change.repo);
    const key = repo.toLowerCase();
    const now = change.now ?? this.now();
    const write = this.db.transaction((): boolean => {
      const current = this.sql.state.get(key);
      const head = current && current.head_sha !== "" ? current.head_sha : undefined;
      if (head !== change.previousHead) return false;
      for (const credit of change.credits) this.insertCredit(repo, credit, now);
      for (const r of change.regressions) {
        this.sql.insertRegression.run(
          key,
          repo,
          change.private ? 1 : 0,
          r.kind,
          r.item,
          r.level ?? null,
          r.task ?? null,
          r.commit,
          Date.parse(r.at),
          r.pr ?? null,
        );
      }
      this.sql.saveState.run(key, repo, change.headSha, JSON.stringify(change.state), now);
      return true;
    });
    return write.immediate();
  }

  async recordBackfill(repo: string, credits: readonly CreditRow[], now = this.now()): Promise<boolean> {
    const name = checkRepoName(repo);
    const write = this.db.transaction((): boolean => {
      const marked = this.sql.markBackfilled.run(name.toLowerCase(), name, now, now).changes > 0;
      if (!marked) return false;
      for (const credit of credits) this.insertCredit(name, { ...credit, backfilled: true }, now);
      return true;
    });
    return write.immediate();
  }

  private insertCredit(repo: string, credit: CreditRow, now: number): void {
    const person = this.sql.upsertPerson.get(
      credit.personKey,
      credit.name,
      credit.login ?? null,
      credit.email ?? null,
      now,
    )!;
    const key = repo.toLowerCase();
    this.sql.insertCredit.run(
      person.id,
      key,
      key.slice(0, key.indexOf("/")),
      repo,
      credit.private ? 1 : 0,
      credit.kind,
      credit.item,
      credit.level ?? null,
      credit.task ?? null,
      credit.commit,
      Date.parse(credit.at),
      credit.pr ?? null,
      JSON.stringify(credit.evidence),
      credit.backfilled ? 1 : 0,
    );
  }

  async ofRepo(repo: string): Promise<CreditRow[]> {
    return this.sql.ofRepo.all(repo.toLowerCase()).map(toCredit);
  }

  async ofPeople(owner: string, personKeys: readonly string[]): Promise<CreditRow[]> {
    const rows = [...new Set(personKeys)].flatMap((k) => this.sql.ofPerson.all(owner.toLowerCase(), k));
    return rows.map(toCredit).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  async ofOwner(owner: string): Promise<CreditRow[]> {
    return this.sql.ofOwner.all(owner.toLowerCase()).map(toCredit);
  }

  async regressions(repo: string): Promise<RegressionRow[]> {
    return this.sql.regressions.all(repo.toLowerCase()).map((r) => ({
      repo: r.full_name,
      private: r.private === 1,
      kind: r.kind,
      item: r.item,
      ...(r.level ? { level: r.level } : {}),
      ...(r.task ? { task: r.task } : {}),
      commit: r.commit_sha,
      at: new Date(r.lost_at).toISOString(),
      ...(r.pr !== null ? { pr: r.pr } : {}),
    }));
  }

  async setPrivate(repo: string, isPrivate: boolean): Promise<void> {
    const key = repo.toLowerCase();
    this.db.transaction(() => {
      this.sql.setPrivateCredits.run(isPrivate ? 1 : 0, key);
      this.sql.setPrivateRegressions.run(isPrivate ? 1 : 0, key);
    })();
  }

  async forget(repo: string): Promise<void> {
    const key = repo.toLowerCase();
    this.db.transaction(() => {
      this.sql.forgetCredits.run(key);
      this.sql.forgetRegressions.run(key);
      this.sql.forgetState.run(key);
      this.sql.prunePeople.run();
    })();
  }

  async forgetPerson(personKey: string): Promise<number> {
    return this.db.transaction(() => {
      const removed = this.sql.forgetPerson.run(personKey).changes;
      this.sql.deletePerson.run(personKey);
      return removed;
    })();
  }

  async counts(): Promise<{ people: number; credits: number; regressions: number }> {
    return this.sql.counts.get()!;
  }
}

function toCredit(row: CreditSqlRow): CreditRow {
  return {
    repo: row.full_name,
    private: row.private === 1,
    personKey: row.key,
    name: row.name,
    ...(row.login !== null ? { login: row.login } : {}),
    ...(row.email !== null ? { email: row.email } : {}),
    kind: row.kind,
    item: row.item,
    ...(row.level ? { level: row.level } : {}),
    ...(row.task ? { task: row.task } : {}),
    commit: row.commit_sha,
    at: new Date(row.earned_at).toISOString(),
    ...(row.pr !== null ? { pr: row.pr } : {}),
    evidence: JSON.parse(row.evidence) as Evidence[],
    backfilled: row.backfilled === 1,
  };
}
