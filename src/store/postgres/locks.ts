// Named locks as PostgreSQL session advisory locks: held on one pooled connection while `fn` runs, released
// by PostgreSQL itself if this process dies (its session ends), so there is no expiry to tune.
import type pg from "pg";
import { type Locks, LockTimeout } from "../store.js";

const POLL_MS = 50;

export class PostgresLocks implements Locks {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  async withLock<T>(name: string, fn: () => Promise<T>, options: { waitMs?: number } = {}): Promise<T> {
    const deadline = this.now() + (options.waitMs ?? 30_000);
    const client = await this.pool.connect();
    try {
      for (;;) {
        const { rows } = await client.query<{ held: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held",
          [`lock:${name}`],
        );
        if (rows[0]!.held) break;
        if (this.now() >= deadline) throw new LockTimeout(`the lock ${name} is held elsewhere`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      try {
        return await fn();
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [`lock:${name}`]);
      }
    } finally {
      client.release();
    }
  }
}
