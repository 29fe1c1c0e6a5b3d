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
  {
    version: 3,
    name: "jobs, locks, sweeps; the app version of each scan",
    sql: `
      -- a weekly sweep skips a repository whose head this very version already scanned
      ALTER TABLE scans ADD COLUMN version TEXT;
      CREATE TABLE jobs (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL,
        key          TEXT NOT NULL UNIQUE,
        grp          TEXT NOT NULL,
        lane         TEXT NOT NULL,
        slot         TEXT,
        priority     INTEGER NOT NULL,
        data         TEXT NOT NULL CHECK (json_valid(data)),
        state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'superseded')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        checkpoint   TEXT CHECK (checkpoint IS NULL OR json_valid(checkpoint)),
        last_error   TEXT,
        lease_owner  TEXT,
        lease_until  INTEGER,
        created_at   INTEGER NOT NULL,
        run_at       INTEGER NOT NULL,
        finished_at  INTEGER
      );
      CREATE INDEX jobs_due ON jobs (lane, state, priority, run_at, id);
      CREATE INDEX jobs_by_group ON jobs (grp, state);
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
      CREATE TABLE locks (
        name  TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        until INTEGER NOT NULL
      );
      CREATE TABLE sweeps (
        installation_id INTEGER PRIMARY KEY,
        account         TEXT NOT NULL,
        started_at      INTEGER NOT NULL,
        finished_at     INTEGER,
        next_page       INTEGER NOT NULL,
        repos_total     INTEGER NOT NULL,
        repos_queued    INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: "dashboard: a version per repository row, for the org page's cache",
    sql: "ALTER TABLE dashboard_repos ADD COLUMN version INTEGER NOT NULL DEFAULT 0;",
  },
  {
    version: 5,
    name: "people, credits, regressions, practice states",
    sql: `
      -- a person as credits name them; the key is login:<login> or email:<address>, lower-cased
      CREATE TABLE people (
        id         INTEGER PRIMARY KEY,
        key        TEXT NOT NULL UNIQUE,
        name       TEXT NOT NULL,
        login      TEXT,
        email      TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE credits (
        id         INTEGER PRIMARY KEY,
        person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        -- lower-cased owner/name and owner, for lookups; full_name as GitHub spells it
        repo_key   TEXT NOT NULL,
        owner_key  TEXT NOT NULL,
        full_name  TEXT NOT NULL,
        private    INTEGER NOT NULL CHECK (private IN (0, 1)),
        kind       TEXT NOT NULL CHECK (kind IN ('milestone', 'signal')),
        item       TEXT NOT NULL,
        level      TEXT CHECK (level IN ('junior', 'senior', 'lead')),
        task       TEXT,
        commit_sha TEXT NOT NULL,
        earned_at  INTEGER NOT NULL,
        pr         INTEGER,
        evidence   TEXT NOT NULL CHECK (json_valid(evidence)),
        backfilled INTEGER NOT NULL CHECK (backfilled IN (0, 1)),
        UNIQUE (repo_key, person_id, kind, item, commit_sha)
      );
      CREATE INDEX credits_by_owner ON credits (owner_key, person_id);
      CREATE INDEX credits_by_repo ON credits (repo_key, earned_at);
      CREATE TABLE regressions (
        id         INTEGER PRIMARY KEY,
        repo_key   TEXT NOT NULL,
        full_name  TEXT NOT NULL,
        private    INTEGER NOT NULL CHECK (private IN (0, 1)),
        kind       TEXT NOT NULL CHECK (kind IN ('milestone', 'signal')),
        item       TEXT NOT NULL,
        level      TEXT CHECK (level IN ('junior', 'senior', 'lead')),
        task       TEXT,
        commit_sha TEXT NOT NULL,
        lost_at    INTEGER NOT NULL,
        pr         INTEGER,
        UNIQUE (repo_key, kind, item, commit_sha)
      );
      CREATE INDEX regressions_by_repo ON regressions (repo_key, lost_at);
      -- each repository's default branch as last credited: the next change is compared with it
      CREATE TABLE practice_states (
        repo_key      TEXT PRIMARY KEY,
        full_name     TEXT NOT NULL,
        head_sha      TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (json_valid(state)),
        backfilled_at INTEGER,
        updated_at    INTEGER NOT NULL
      );
    `,
  },
];
