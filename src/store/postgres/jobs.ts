// The job table in PostgreSQL, shared by every instance. An enqueue locks its key and a claim locks its lane
// (transaction-scoped advisory locks), so that two instances never add one key twice nor run two jobs of one
// group at once; claims are short, so serialising them per lane costs little.
import type pg from "pg";
import type { EnqueueOutcome, JobEnd, JobRecord, JobState, JobTable, NewJob } from "../store.js";
import { transaction } from "./transaction.js";

interface JobRow {
  id: number;
  kind: string;
  key: string;
  grp: string;
  lane: string;
  slot: string | null;
  data: unknown;
  state: JobState;
  attempts: number;
  max_attempts: number;
  checkpoint: unknown;
  last_error: string | null;
  created_at: number;
  run_at: number;
  finished_at: number | null;
}

export class PostgresJobs implements JobTable {
  constructor(private readonly pool: pg.Pool) {}

  async enqueue(job: NewJob, { now, recentMs }: { now: number; recentMs: number }) {
    return transaction(this.pool, async (client): Promise<{ id: string; outcome: EnqueueOutcome }> => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`job:${job.key}`]);
      const { rows } = await client.query<JobRow>("SELECT * FROM jobs WHERE key = $1", [job.key]);
      const row = rows[0];
      const values = [
        job.kind,
        job.key,
        job.group,
        job.lane,
        job.slot ?? null,
        job.priority,
        JSON.stringify(job.data ?? null),
        job.maxAttempts,
        now,
        job.runAt ?? now,
      ];
      let id: number;
      let outcome: EnqueueOutcome = "queued";
      if (!row) {
        const inserted = await client.query<{ id: number }>(
          `INSERT INTO jobs (kind, key, grp, lane, slot, priority, data, state, max_attempts, created_at, run_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10) RETURNING id`,
          values,
        );
        id = inserted.rows[0]!.id;
      } else if (row.state === "running" || (row.state === "done" && (row.finished_at ?? 0) > now - recentMs)) {
        return { id: String(row.id), outcome: "duplicate" };
      } else if (row.state === "queued") {
        // a retry waiting out its backoff: the event asks again, so it is due now
        if (row.run_at <= now) return { id: String(row.id), outcome: "duplicate" };
        await client.query("UPDATE jobs SET run_at = $1 WHERE id = $2", [now, row.id]);
        id = row.id;
        outcome = "promoted";
      } else {
        // done long ago, failed, or superseded: the key may run again
        await client.query(
          `UPDATE jobs SET kind = $1, grp = $3, lane = $4, slot = $5, priority = $6, data = $7, state = 'queued',
             attempts = 0, max_attempts = $8, checkpoint = NULL, last_error = NULL, lease_owner = NULL,
             lease_until = NULL, created_at = $9, run_at = $10, finished_at = NULL
           WHERE key = $2`,
          values,
        );
        id = row.id;
      }
      if (job.slot !== undefined) {
        await client.query(
          `UPDATE jobs SET state = 'superseded', finished_at = $1
           WHERE grp = $2 AND slot = $3 AND state = 'queued' AND id <> $4`,
          [now, job.group, job.slot, id],
        );
      }
      return { id: String(id), outcome };
    });
  }

  async claim(lane: string, owner: string, now: number, leaseMs: number): Promise<JobRecord | undefined> {
    return transaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`claim:${lane}`]);
      const { rows } = await client.query<JobRow>(
        `UPDATE jobs SET state = 'running', lease_owner = $2, lease_until = $4, attempts = attempts + 1
         WHERE id = (
           SELECT j.id FROM jobs j
           WHERE j.lane = $1
             AND ((j.state = 'queued' AND j.run_at <= $3) OR (j.state = 'running' AND j.lease_until < $3))
             AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.grp = j.grp AND r.state = 'running'
                             AND r.lease_until >= $3 AND r.id <> j.id)
           ORDER BY j.priority, j.run_at, j.id LIMIT 1)
         RETURNING *`,
        [lane, owner, now, now + leaseMs],
      );
      return rows[0] ? toRecord(rows[0]) : undefined;
    });
  }

  async heartbeat(id: string, owner: string, until: number): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'",
      [until, Number(id), owner],
    );
    return result.rowCount === 1;
  }

  async checkpoint(id: string, owner: string, checkpoint: unknown): Promise<void> {
    await this.pool.query("UPDATE jobs SET checkpoint = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'", [
      JSON.stringify(checkpoint ?? null),
      Number(id),
      owner,
    ]);
  }

  async finish(id: string, owner: string, end: JobEnd, now: number): Promise<void> {
    await this.pool.query(
      `UPDATE jobs SET state = $3, last_error = coalesce($4, last_error), run_at = coalesce($5, run_at),
         attempts = attempts - $6, finished_at = $7, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2 AND state = 'running'`,
      [
        Number(id),
        owner,
        end.state,
        "error" in end ? (end.error ?? null) : null,
        end.state === "queued" ? end.runAt : null,
        end.state === "queued" && !end.countAttempt ? 1 : 0,
        end.state === "queued" ? null : now,
      ],
    );
  }

  async nextDue(lane: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ due: number | null }>(
      "SELECT min(run_at) AS due FROM jobs WHERE lane = $1 AND state = 'queued'",
      [lane],
    );
    return rows[0]?.due ?? undefined;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const { rows } = await this.pool.query<JobRow>("SELECT * FROM jobs WHERE id = $1", [Number(id)]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async counts() {
    const { rows } = await this.pool.query<{ lane: string; state: JobState; count: number }>(
      "SELECT lane, state, count(*) AS count FROM jobs GROUP BY lane, state ORDER BY lane, state",
    );
    return rows;
  }

  async prune(before: number): Promise<number> {
    const result = await this.pool.query(
      "DELETE FROM jobs WHERE state IN ('done', 'failed', 'superseded') AND finished_at < $1",
      [before],
    );
    return result.rowCount ?? 0;
  }
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: String(row.id),
    kind: row.kind,
    key: row.key,
    group: row.grp,
    lane: row.lane,
    slot: row.slot,
    data: row.data,
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    checkpoint: row.checkpoint,
    lastError: row.last_error,
    createdAt: row.created_at,
    runAt: row.run_at,
  };
}
