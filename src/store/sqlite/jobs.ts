// The job table in SQLite. Every change is one IMMEDIATE transaction, so processes sharing the file
// (an app and a `devops-ladder worker`) take turns and never see half a claim.
import type Database from "better-sqlite3";
import type { EnqueueOutcome, JobEnd, JobRecord, JobState, JobTable, NewJob } from "../store.js";

interface JobRow {
  id: number;
  kind: string;
  key: string;
  grp: string;
  lane: string;
  slot: string | null;
  data: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  checkpoint: string | null;
  last_error: string | null;
  created_at: number;
  run_at: number;
  finished_at: number | null;
}

export class SqliteJobs implements JobTable {
  private readonly sql;

  constructor(private readonly db: Database.Database) {
    this.sql = {
      byKey: db.prepare<[string], JobRow>("SELECT * FROM jobs WHERE key = ?"),
      byId: db.prepare<[number], JobRow>("SELECT * FROM jobs WHERE id = ?"),
      insert: db.prepare(
        `INSERT INTO jobs (kind, key, grp, lane, slot, priority, data, state, max_attempts, created_at, run_at)
         VALUES (@kind, @key, @group, @lane, @slot, @priority, @data, 'queued', @maxAttempts, @now, @runAt)`,
      ),
      renew: db.prepare(
        `UPDATE jobs SET kind = @kind, grp = @group, lane = @lane, slot = @slot, priority = @priority, data = @data,
           state = 'queued', attempts = 0, max_attempts = @maxAttempts, checkpoint = NULL, last_error = NULL,
           lease_owner = NULL, lease_until = NULL, created_at = @now, run_at = @runAt, finished_at = NULL
         WHERE id = @id`,
      ),
      promote: db.prepare("UPDATE jobs SET run_at = ? WHERE id = ?"),
      supersede: db.prepare(
        `UPDATE jobs SET state = 'superseded', finished_at = ?
         WHERE grp = ? AND slot = ? AND state = 'queued' AND id <> ?`,
      ),
      next: db.prepare<{ lane: string; now: number }, JobRow>(
        `SELECT * FROM jobs j
         WHERE j.lane = @lane
           AND ((j.state = 'queued' AND j.run_at <= @now) OR (j.state = 'running' AND j.lease_until < @now))
           AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.grp = j.grp AND r.state = 'running'
                           AND r.lease_until >= @now AND r.id <> j.id)
         ORDER BY j.priority, j.run_at, j.id LIMIT 1`,
      ),
      take: db.prepare(
        `UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?`,
      ),
      heartbeat: db.prepare("UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = 'running'"),
      checkpoint: db.prepare("UPDATE jobs SET checkpoint = ? WHERE id = ? AND lease_owner = ? AND state = 'running'"),
      finish: db.prepare(
        `UPDATE jobs SET state = @state, last_error = coalesce(@error, last_error), run_at = coalesce(@runAt, run_at),
           attempts = attempts - @refund, finished_at = @finishedAt, lease_owner = NULL, lease_until = NULL
         WHERE id = @id AND lease_owner = @owner AND state = 'running'`,
      ),
      nextDue: db
        .prepare<[string], number | null>("SELECT min(run_at) FROM jobs WHERE lane = ? AND state = 'queued'")
        .pluck(),
      counts: db.prepare<[], { lane: string; state: JobState; count: number }>(
        "SELECT lane, state, count(*) AS count FROM jobs GROUP BY lane, state ORDER BY lane, state",
      ),
      prune: db.prepare("DELETE FROM jobs WHERE state IN ('done', 'failed', 'superseded') AND finished_at < ?"),
    };
  }

  async enqueue(job: NewJob, { now, recentMs }: { now: number; recentMs: number }) {
    const add = this.db.transaction((): { id: string; outcome: EnqueueOutcome } => {
      const row = this.sql.byKey.get(job.key);
      const params = {
        kind: job.kind,
        key: job.key,
        group: job.group,
        lane: job.lane,
        slot: job.slot ?? null,
        priority: job.priority,
        data: JSON.stringify(job.data ?? null),
        maxAttempts: job.maxAttempts,
        now,
        runAt: job.runAt ?? now,
      };
      let id: number;
      let outcome: EnqueueOutcome = "queued";
      if (!row) {
        id = Number(this.sql.insert.run(params).lastInsertRowid);
      } else if (row.state === "running" || (row.state === "done" && (row.finished_at ?? 0) > now - recentMs)) {
        return { id: String(row.id), outcome: "duplicate" };
      } else if (row.state === "queued") {
        // a retry waiting out its backoff: the event asks again, so it is due now
        if (row.run_at <= now) return { id: String(row.id), outcome: "duplicate" };
        this.sql.promote.run(now, row.id);
        id = row.id;
        outcome = "promoted";
      } else {
        // done long ago, failed, or superseded: the key may run again
        this.sql.renew.run({ ...params, id: row.id });
        id = row.id;
      }
      if (job.slot !== undefined) this.sql.supersede.run(now, job.group, job.slot, id);
      return { id: String(id), outcome };
    });
    return add.immediate();
  }

  async claim(lane: string, owner: string, now: number, leaseMs: number): Promise<JobRecord | undefined> {
    const take = this.db.transaction(() => {
      const row = this.sql.next.get({ lane, now });
      if (!row) return undefined;
      this.sql.take.run(owner, now + leaseMs, row.id);
      return toRecord({ ...row, state: "running", attempts: row.attempts + 1 });
    });
    return take.immediate();
  }

  async heartbeat(id: string, owner: string, until: number): Promise<boolean> {
    return this.sql.heartbeat.run(until, Number(id), owner).changes === 1;
  }

  async checkpoint(id: string, owner: string, checkpoint: unknown): Promise<void> {
    this.sql.checkpoint.run(JSON.stringify(checkpoint ?? null), Number(id), owner);
  }

  async finish(id: string, owner: string, end: JobEnd, now: number): Promise<void> {
    this.sql.finish.run({
      id: Number(id),
      owner,
      state: end.state,
      error: "error" in end ? (end.error ?? null) : null,
      runAt: end.state === "queued" ? end.runAt : null,
      refund: end.state === "queued" && !end.countAttempt ? 1 : 0,
      finishedAt: end.state === "queued" ? null : now,
    });
  }

  async nextDue(lane: string): Promise<number | undefined> {
    return this.sql.nextDue.get(lane) ?? undefined;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const row = this.sql.byId.get(Number(id));
    return row ? toRecord(row) : undefined;
  }

  async counts() {
    return this.sql.counts.all();
  }

  async prune(before: number): Promise<number> {
    return this.sql.prune.run(before).changes;
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
    data: JSON.parse(row.data),
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    checkpoint: row.checkpoint === null ? null : JSON.parse(row.checkpoint),
    lastError: row.last_error,
    createdAt: row.created_at,
    runAt: row.run_at,
  };
}
