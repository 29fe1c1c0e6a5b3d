// Where each installation's org sweep is, one row per installation (as src/store/sqlite/sweeps.ts).
import type pg from "pg";
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

export class PostgresSweeps implements SweepLedger {
  constructor(private readonly pool: pg.Pool) {}

  async get(installationId: number): Promise<SweepState | undefined> {
    const { rows } = await this.pool.query<SweepRow>("SELECT * FROM sweeps WHERE installation_id = $1", [
      installationId,
    ]);
    return rows[0] ? toState(rows[0]) : undefined;
  }

  async save(state: SweepState): Promise<void> {
    await this.pool.query(
      `INSERT INTO sweeps (installation_id, account, started_at, finished_at, next_page, repos_total, repos_queued)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (installation_id) DO UPDATE SET account = excluded.account, started_at = excluded.started_at,
         finished_at = excluded.finished_at, next_page = excluded.next_page, repos_total = excluded.repos_total,
         repos_queued = excluded.repos_queued`,
      [
        state.installationId,
        state.account,
        state.startedAt,
        state.finishedAt ?? null,
        state.nextPage,
        state.reposTotal,
        state.reposQueued,
      ],
    );
  }

  async all(): Promise<SweepState[]> {
    const { rows } = await this.pool.query<SweepRow>("SELECT * FROM sweeps ORDER BY installation_id");
    return rows.map(toState);
  }

  async forget(installationId: number): Promise<void> {
    await this.pool.query("DELETE FROM sweeps WHERE installation_id = $1", [installationId]);
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
