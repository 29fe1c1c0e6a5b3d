// Credits in PostgreSQL: the same behaviour as src/store/sqlite/credits.ts (the contract suite holds both to it).
// The state row is locked (SELECT … FOR UPDATE) while a change is recorded, so two instances cannot both move it.
import type pg from "pg";
import type { Evidence, LevelId } from "../../engine/types.js";
import {
  type ChangeRecord,
  type CreditRecords,
  type CreditRow,
  checkRepoName,
  type PracticeRow,
  type RegressionRow,
} from "../store.js";
import { transaction } from "./transaction.js";

interface CreditSqlRow {
  full_name: string;
  private: boolean;
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
  evidence: Evidence[];
  backfilled: boolean;
}

const CREDIT_COLUMNS = `c.full_name, c.private, p.key, p.name, p.login, p.email, c.kind, c.item, c.level, c.task,
  c.commit_sha, c.earned_at, c.pr, c.evidence, c.backfilled`;

export class PostgresCredits implements CreditRecords {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  async state(repo: string): Promise<PracticeRow | undefined> {
    const { rows } = await this.pool.query<{
      full_name: string;
      head_sha: string;
      state: unknown;
      backfilled_at: number | null;
      updated_at: number;
    }>("SELECT full_name, head_sha, state, backfilled_at, updated_at FROM practice_states WHERE repo_key = $1", [
      repo.toLowerCase(),
    ]);
    const row = rows[0];
    if (!row || row.head_sha === "") return undefined;
    return {
      repo: row.full_name,
      headSha: row.head_sha,
      state: row.state,
      ...(row.backfilled_at !== null ? { backfilledAt: row.backfilled_at } : {}),
      updatedAt: row.updated_at,
    };
  }

  async recordChange(change: ChangeRecord): Promise<boolean> {
    const repo = checkRepoName(change.repo);
    const key = repo.toLowerCase();
    const now = change.now ?? this.now();
    return transaction(this.pool, async (client) => {
      // a placeholder row to lock when the repository has none yet; the insert waits for a concurrent one
      await client.query(
        `INSERT INTO practice_states (repo_key, full_name, head_sha, state, updated_at) VALUES ($1, $2, '', '{}', $3)
         ON CONFLICT (repo_key) DO NOTHING`,
        [key, repo, now],
      );
      const { rows } = await client.query<{ head_sha: string }>(
        "SELECT head_sha FROM practice_states WHERE repo_key = $1 FOR UPDATE",
        [key],
      );
      const head = rows[0]!.head_sha === "" ? undefined : rows[0]!.head_sha;
      if (head !== change.previousHead) return false;
      for (const credit of change.credits) await insertCredit(client, repo, credit, now);
      for (const r of change.regressions) {
        await client.query(
          `INSERT INTO regressions (repo_key, full_name, private, kind, item, level, task, commit_sha, lost_at, pr)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
          [
            key,
            repo,
            change.private,
            r.kind,
            r.item,
            r.level ?? null,
            r.task ?? null,
            r.commit,
            Date.parse(r.at),
            r.pr ?? null,
          ],
        );
      }
      await client.query(
        "UPDATE practice_states SET full_name = $2, head_sha = $3, state = $4, updated_at = $5 WHERE repo_key = $1",
        [key, repo, change.headSha, JSON.stringify(change.state), now],
      );
      return true;
    });
  }

  async recordBackfill(repo: string, credits: readonly CreditRow[], now = this.now()): Promise<boolean> {
    const name = checkRepoName(repo);
    const key = name.toLowerCase();
    return transaction(this.pool, async (client) => {
      const marked = await client.query(
        `INSERT INTO practice_states (repo_key, full_name, head_sha, state, backfilled_at, updated_at)
         VALUES ($1, $2, '', '{}', $3, $3)
         ON CONFLICT (repo_key) DO UPDATE SET backfilled_at = excluded.backfilled_at
         WHERE practice_states.backfilled_at IS NULL`,
        [key, name, now],
      );
      if ((marked.rowCount ?? 0) === 0) return false;
      for (const credit of credits) await insertCredit(client, name, { ...credit, backfilled: true }, now);
      return true;
    });
  }

  async ofRepo(repo: string): Promise<CreditRow[]> {
    const { rows } = await this.pool.query<CreditSqlRow>(
      `SELECT ${CREDIT_COLUMNS} FROM credits c JOIN people p ON p.id = c.person_id
       WHERE c.repo_key = $1 ORDER BY c.earned_at, c.id`,
      [repo.toLowerCase()],
    );
    return rows.map(toCredit);
  }

  async ofPeople(owner: string, personKeys: readonly string[]): Promise<CreditRow[]> {
    const { rows } = await this.pool.query<CreditSqlRow>(
      `SELECT ${CREDIT_COLUMNS} FROM credits c JOIN people p ON p.id = c.person_id
       WHERE c.owner_key = $1 AND p.key = ANY($2) ORDER BY c.earned_at, c.id`,
      [owner.toLowerCase(), [...new Set(personKeys)]],
    );
    return rows.map(toCredit);
  }

  async ofOwner(owner: string): Promise<CreditRow[]> {
    const { rows } = await this.pool.query<CreditSqlRow>(
      `SELECT ${CREDIT_COLUMNS} FROM credits c JOIN people p ON p.id = c.person_id
       WHERE c.owner_key = $1 ORDER BY c.earned_at, c.id`,
      [owner.toLowerCase()],
    );
    return rows.map(toCredit);
  }

  async regressions(repo: string): Promise<RegressionRow[]> {
    const { rows } = await this.pool.query<{
      full_name: string;
      private: boolean;
      kind: "milestone" | "signal";
      item: string;
      level: LevelId | null;
      task: string | null;
      commit_sha: string;
      lost_at: number;
      pr: number | null;
    }>(
      `SELECT full_name, private, kind, item, level, task, commit_sha, lost_at, pr FROM regressions
       WHERE repo_key = $1 ORDER BY lost_at, id`,
      [repo.toLowerCase()],
    );
    return rows.map((r) => ({
      repo: r.full_name,
      private: r.private,
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
    await transaction(this.pool, async (client) => {
      await client.query("UPDATE credits SET private = $1 WHERE repo_key = $2", [isPrivate, key]);
      await client.query("UPDATE regressions SET private = $1 WHERE repo_key = $2", [isPrivate, key]);
    });
  }

  async forget(repo: string): Promise<void> {
    const key = repo.toLowerCase();
    await transaction(this.pool, async (client) => {
      await client.query("DELETE FROM credits WHERE repo_key = $1", [key]);
      await client.query("DELETE FROM regressions WHERE repo_key = $1", [key]);
      await client.query("DELETE FROM practice_states WHERE repo_key = $1", [key]);
      await client.query("DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.person_id = people.id)");
    });
  }

  async forgetPerson(personKey: string): Promise<number> {
    return transaction(this.pool, async (client) => {
      const removed = await client.query(
        "DELETE FROM credits WHERE person_id = (SELECT id FROM people WHERE key = $1)",
        [personKey],
      );
      await client.query("DELETE FROM people WHERE key = $1", [personKey]);
      return removed.rowCount ?? 0;
    });
  }

  async counts(): Promise<{ people: number; credits: number; regressions: number }> {
    const { rows } = await this.pool.query<{ people: number; credits: number; regressions: number }>(
      `SELECT (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM credits) AS credits,
         (SELECT count(*) FROM regressions) AS regressions`,
    );
    return rows[0]!;
  }
}

async function insertCredit(client: pg.PoolClient, repo: string, credit: CreditRow, now: number): Promise<void> {
  const person = await client.query<{ id: number }>(
    `INSERT INTO people (key, name, login, email, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (key) DO UPDATE SET name = excluded.name, login = coalesce(excluded.login, people.login),
       email = coalesce(excluded.email, people.email), updated_at = excluded.updated_at
     RETURNING id`,
    [credit.personKey, credit.name, credit.login ?? null, credit.email ?? null, now],
  );
  const key = repo.toLowerCase();
  await client.query(
    `INSERT INTO credits (person_id, repo_key, owner_key, full_name, private, kind, item, level, task, commit_sha,
       earned_at, pr, evidence, backfilled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
    [
      person.rows[0]!.id,
      key,
      key.slice(0, key.indexOf("/")),
      repo,
      credit.private,
      credit.kind,
      credit.item,
      credit.level ?? null,
      credit.task ?? null,
      credit.commit,
      Date.parse(credit.at),
      credit.pr ?? null,
      JSON.stringify(credit.evidence),
      credit.backfilled,
    ],
  );
}

function toCredit(row: CreditSqlRow): CreditRow {
  return {
    repo: row.full_name,
    private: row.private,
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
    evidence: row.evidence,
    backfilled: row.backfilled,
  };
}
