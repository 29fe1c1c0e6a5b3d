// Named locks in SQLite: a row per held lock, with an expiry so that a holder that died frees it. The holder
// renews the row while it works; others poll until it is gone or stale.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { type Locks, LockTimeout } from "../store.js";

const POLL_MS = 50;

export class SqliteLocks implements Locks {
  private readonly sql;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.sql = {
      acquire: db.prepare(
        `INSERT INTO locks (name, owner, until) VALUES (@name, @owner, @until)
         ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
         WHERE locks.until < @now`,
      ),
      renew: db.prepare("UPDATE locks SET until = ? WHERE name = ? AND owner = ?"),
      release: db.prepare("DELETE FROM locks WHERE name = ? AND owner = ?"),
    };
  }

  async withLock<T>(name: string, fn: () => Promise<T>, options: { waitMs?: number; ttlMs?: number } = {}) {
    const owner = randomUUID();
    const ttl = options.ttlMs ?? 60_000;
    const deadline = this.now() + (options.waitMs ?? 30_000);
    while (this.sql.acquire.run({ name, owner, until: this.now() + ttl, now: this.now() }).changes === 0) {
      if (this.now() >= deadline) throw new LockTimeout(`the lock ${name} is held elsewhere`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const renew = setInterval(() => this.sql.renew.run(this.now() + ttl, name, owner), ttl / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      this.sql.release.run(name, owner);
    }
  }
}
