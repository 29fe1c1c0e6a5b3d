// The SQLite store's schema, as an ordered list of migrations. Append only: a released migration never changes,
// because databases in the field have already applied it (the version is recorded in schema_migrations).
// PostgreSQL has its own list (src/store/postgres/migrations.ts) with the same versions and meaning.
import type { Migration } from "../store.js";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "repos and scans",
    sql: `
      CREATE TABLE repos (
        id             INTEGER PRIMARY KEY,
        -- GitHub names are case-insensitive: lookups go through the lower-cased key
        key            TEXT NOT NULL UNIQUE,
        full_name      TEXT NOT NULL,
        private        INTEGER NOT NULL CHECK (private IN (0, 1)),
        default_branch TEXT,
        -- the scan the badge shows: the newest one of the default branch
        badge_scan_id  INTEGER REFERENCES scans (id)
      );
      CREATE TABLE scans (
        id         INTEGER PRIMARY KEY,
        repo_id    INTEGER NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
        ref        TEXT NOT NULL,
        head_sha   TEXT NOT NULL,
        score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
        level      TEXT NOT NULL CHECK (level IN ('junior', 'senior', 'lead')),
        -- per-task scores: {"deploy": 80, "backups": null, ...}
        tasks      TEXT NOT NULL CHECK (json_valid(tasks)),
        private    INTEGER NOT NULL CHECK (private IN (0, 1)),
        scanned_at INTEGER NOT NULL
      );
      CREATE INDEX scans_by_repo_ref ON scans (repo_id, ref, id);
      CREATE INDEX scans_by_time ON scans (scanned_at);
      CREATE TABLE store_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];
