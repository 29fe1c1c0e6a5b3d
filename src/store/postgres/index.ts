// The PostgreSQL store (DATABASE_URL=postgres://…): the same parts as SQLite's over a connection pool, for
// several app and worker instances on one database. Migrations run under an advisory lock, so instances that
// start together apply each one once.
import pg from "pg";
import { messageOf, newerSchemaError, type Store, StoreError, type StoreOptions } from "../store.js";
import { PostgresCredits } from "./credits.js";
import { PostgresDashboard } from "./dashboard.js";
import { PostgresJobs } from "./jobs.js";
import { PostgresLocks } from "./locks.js";
import { MIGRATIONS } from "./migrations.js";
import { PostgresScans } from "./scans.js";
import { PostgresSweeps } from "./sweeps.js";
import { transaction } from "./transaction.js";

/** BIGINT columns (ids, times in ms) as numbers: every value we store is far below 2^53. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** An arbitrary constant: the advisory lock every instance takes to migrate. */
const MIGRATION_LOCK = 0x64657670;

export interface PostgresOptions extends StoreOptions {
  /** connections in the pool; default 10 */
  poolSize?: number;
}

export class PostgresStore implements Store {
  readonly kind = "postgres";
  readonly scans: PostgresScans;
  readonly dashboard: PostgresDashboard;
  readonly jobs: PostgresJobs;
  readonly locks: PostgresLocks;
  readonly sweeps: PostgresSweeps;
  readonly credits: PostgresCredits;

  private constructor(
    readonly location: string,
    /** the pool, for the backend's own parts and for tests */
    readonly pool: pg.Pool,
    options: StoreOptions,
  ) {
    const now = options.now ?? Date.now;
    this.scans = new PostgresScans(pool, options.retentionDays ?? 0, now);
    this.dashboard = new PostgresDashboard(pool, now);
    this.jobs = new PostgresJobs(pool);
    this.locks = new PostgresLocks(pool, now);
    this.sweeps = new PostgresSweeps(pool);
    this.credits = new PostgresCredits(pool, now);
  }

  /** Connects, migrates and checks that the database takes writes, or throws a StoreError naming it. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const location = withoutPassword(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types,
      connectionTimeoutMillis: 10_000,
    });
    // an idle connection that the server drops must not take the process down
    pool.on("error", () => undefined);
    try {
      await migrate(pool, location);
      await pool.query(
        "INSERT INTO store_meta (key, value) VALUES ('opened_at', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [new Date().toISOString()],
      );
    } catch (error) {
      await pool.end().catch(() => undefined);
      if (error instanceof StoreError) throw error;
      throw new StoreError(`cannot use the database ${location}: ${messageOf(error)}; check DATABASE_URL`);
    }
    const store = new PostgresStore(location, pool, options);
    await store.scans.prune();
    return store;
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async sizeBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ size: number }>("SELECT pg_database_size(current_database()) AS size");
    return rows[0]!.size;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

async function migrate(pool: pg.Pool, location: string): Promise<void> {
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    const { rows } = await client.query<{ v: number }>("SELECT coalesce(max(version), 0) AS v FROM schema_migrations");
    const current = rows[0]!.v;
    if (current > latest) throw newerSchemaError(location, current, latest, "DATABASE_URL");
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
  });
}

/** The URL as it may be logged. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}
