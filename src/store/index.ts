// The store, configured from the environment as the app runs it.
import { PostgresStore, withoutPassword } from "./postgres/index.js";
import { SqliteStore } from "./sqlite/index.js";
import { type Store, StoreError } from "./store.js";

export const DEFAULT_DATABASE_PATH = "./data/devops-ladder.db";
export const DEFAULT_RETENTION_DAYS = 365;

/**
 * DATABASE_URL=postgres://… for PostgreSQL, else DATABASE_PATH (SQLite, default ./data/devops-ladder.db);
 * SCAN_RETENTION_DAYS (default 365; 0 keeps every scan); DATABASE_POOL_SIZE (PostgreSQL connections, default
 * 10). Throws a StoreError with a clear message for a bad setting or an unusable database.
 */
export async function openStore(env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const retention = env.SCAN_RETENTION_DAYS?.trim();
  const retentionDays = retention ? Number(retention) : DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays) || retentionDays < 0) {
    throw new StoreError(`SCAN_RETENTION_DAYS must be a whole number of days (0 keeps every scan), not "${retention}"`);
  }
  const url = env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new StoreError(
        `DATABASE_URL must be a postgres:// URL (${withoutPassword(url)}); for SQLite, set DATABASE_PATH instead`,
      );
    }
    const poolSize = Number(env.DATABASE_POOL_SIZE?.trim() || 10);
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new StoreError("DATABASE_POOL_SIZE must be a whole number ≥ 1");
    return PostgresStore.open(url, { retentionDays, poolSize });
  }
  return SqliteStore.open(env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH, { retentionDays });
}

export { PostgresStore } from "./postgres/index.js";
export { type CompletedScan, recordScan } from "./record.js";
export { SqliteStore, schemaVersion } from "./sqlite/index.js";
export type {
  BadgeEntry,
  History,
  ScanInput,
  ScanRecords,
  Store,
  StoredScan,
  StoreOptions,
  TaskScores,
} from "./store.js";
export { StoreError, shortRef } from "./store.js";
