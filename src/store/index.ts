// The store, configured from the environment as the app runs it.
import { SqliteStore } from "./sqlite/index.js";
import { type Store, StoreError } from "./store.js";

export const DEFAULT_DATABASE_PATH = "./data/devops-ladder.db";
export const DEFAULT_RETENTION_DAYS = 365;

/**
 * DATABASE_PATH (SQLite, default ./data/devops-ladder.db) and SCAN_RETENTION_DAYS (default 365; 0 keeps every
 * scan). Throws a StoreError with a clear message for a bad setting or an unusable database.
 */
export async function openStore(env: NodeJS.ProcessEnv = process.env): Promise<Store> {
  const retention = env.SCAN_RETENTION_DAYS?.trim();
  const retentionDays = retention ? Number(retention) : DEFAULT_RETENTION_DAYS;
  if (!Number.isInteger(retentionDays) || retentionDays < 0) {
    throw new StoreError(`SCAN_RETENTION_DAYS must be a whole number of days (0 keeps every scan), not "${retention}"`);
  }
  return SqliteStore.open(env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH, { retentionDays });
}

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
