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
  {
    version: 2,
    name: "dashboard: repository metadata, latest reports, trends, orgs",
    // a trend for every repository from its stored default-branch scans, and an org row per owner
    sql: `
      CREATE TABLE dashboard_repos (
        repo_id         INTEGER PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
        installation_id INTEGER,
        topics          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(topics)),
        archived        INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
        description     TEXT,
        codeowner_teams TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(codeowner_teams)),
        -- the latest default-branch report: its commit and time, and its milestones as {"iac": "pass", …}
        head_sha        TEXT,
        scanned_at      INTEGER,
        milestones      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(milestones)),
        -- [[week, score], …], oldest first: the score at the end of each week (weeks since 1970-01-05)
        trend           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(trend))
      );
      -- the report itself, apart: the org page never reads it
      CREATE TABLE dashboard_reports (
        repo_id INTEGER PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
        report  TEXT NOT NULL CHECK (json_valid(report))
      );
      CREATE TABLE dashboard_orgs (
        key                 TEXT PRIMARY KEY,
        login               TEXT NOT NULL,
        installation_id     INTEGER,
        dashboard_public    INTEGER CHECK (dashboard_public IN (0, 1)),
        settings_checked_at INTEGER NOT NULL DEFAULT 0,
        teams               TEXT CHECK (teams IS NULL OR json_valid(teams)),
        teams_fetched_at    INTEGER NOT NULL DEFAULT 0
      );
      INSERT INTO dashboard_repos (repo_id, trend)
      SELECT r.id, coalesce((
        SELECT json_group_array(json_array(week, score)) FROM (
          SELECT week, score FROM (
            SELECT (s.scanned_at - 345600000) / 604800000 AS week, s.score,
                   row_number() OVER (PARTITION BY (s.scanned_at - 345600000) / 604800000 ORDER BY s.id DESC) AS newest
            FROM scans s
            WHERE s.repo_id = r.id AND (r.default_branch IS NULL OR s.ref = r.default_branch)
              AND s.scanned_at >= 345600000
          ) WHERE newest = 1 ORDER BY week DESC LIMIT 53
        )
      ), '[]')
      FROM repos r;
      INSERT OR IGNORE INTO dashboard_orgs (key, login)
      SELECT lower(substr(full_name, 1, instr(full_name, '/') - 1)), substr(full_name, 1, instr(full_name, '/') - 1)
      FROM repos;
    `,
  },
];
