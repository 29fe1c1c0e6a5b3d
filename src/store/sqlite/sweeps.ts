// Where each installation's org sweep is, one row per installation.
import type Database from "better-sqlite3";
import type { SweepLedger, SweepState } from "../store.js";

interface SweepRow {
  installation_id: number;
  account: string;
  started_at: number;
  finished_at: number | null;
  next_page: number;
  repos_total: number;
  repos_queued: number;
}

export class SqliteSweeps implements SweepLedger {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      get: db.prepare<[number], SweepRow>("SELECT * FROM sweeps WHERE installation_id = ?"),
      all: db.prepare<[], SweepRow>("SELECT * FROM sweeps ORDER BY installation_id"),
      save: db.prepare(
        `INSERT INTO sweeps (installation_id, account, started_at, finished_at, next_page, repos_total, repos_queued)
         VALUES (@installationId, @account, @startedAt, @finishedAt, @nextPage, @reposTotal, @reposQueued)
         ON CONFLICT (installation_id) DO UPDATE SET account = excluded.account, started_at = excluded.started_at,
           finished_at = excluded.finished_at, next_page = excluded.next_page, repos_total = excluded.repos_total,
           repos_queued = excluded.repos_queued`,
      ),
      forget: db.prepare("DELETE FROM sweeps WHERE installation_id = ?"),
    };
  }

  async get(installationId: number): Promise<SweepState | undefined> {
    const row = this.sql.get.get(installationId);
    return row ? toState(row) : undefined;
  }

  async save(state: SweepState): Promise<void> {
    this.sql.save.run({ ...state, finishedAt: state.finishedAt ?? null });
  }

  async all(): Promise<SweepState[]> {
    return this.sql.all.all().map(toState);
  }

  async forget(installationId: number): Promise<void> {
    this.sql.forget.run(installationId);
  }
}

function toState(row: SweepRow): SweepState {
  return {
    installationId: row.installation_id,
    account: row.account,
    startedAt: row.started_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    nextPage: row.next_page,
    reposTotal: row.repos_total,
    reposQueued: row.repos_queued,
  };
}
