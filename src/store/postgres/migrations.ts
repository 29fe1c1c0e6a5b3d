// The PostgreSQL store's schema, as an ordered list of migrations: the same versions, tables and meaning as
// SQLite's (src/store/sqlite/migrations.ts), in PostgreSQL's own types. Append only.
import type { Migration } from "../store.js";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "repos and scans",
    sql: `
      CREATE TABLE repos (
        id             BIGSERIAL PRIMARY KEY,
        -- GitHub names are case-insensitive: lookups go through the lower-cased key
        key            TEXT NOT NULL UNIQUE,
        full_name      TEXT NOT NULL,
        private        BOOLEAN NOT NULL,
        default_branch TEXT,
        -- the scan the badge shows: the newest one of the default branch
        badge_scan_id  BIGINT
      );
      CREATE TABLE scans (
        id         BIGSERIAL PRIMARY KEY,
        repo_id    BIGINT NOT NULL REFERENCES repos (id) ON DELETE CASCADE,
        ref        TEXT NOT NULL,
        head_sha   TEXT NOT NULL,
        score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
        level      TEXT NOT NULL CHECK (level IN ('junior', 'senior', 'lead')),
        -- per-task scores: {"deploy": 80, "backups": null, ...}
        tasks      JSONB NOT NULL,
        private    BOOLEAN NOT NULL,
        scanned_at BIGINT NOT NULL
      );
      ALTER TABLE repos ADD FOREIGN KEY (badge_scan_id) REFERENCES scans (id);
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
    // JSON kept as text, as in SQLite, so that both backends read it with the same parsers. No backfill from
    // scans: no PostgreSQL store predates this version.
    sql: `
      CREATE TABLE dashboard_repos (
        repo_id         BIGINT PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
        installation_id BIGINT,
        topics          TEXT NOT NULL DEFAULT '[]',
        archived        BOOLEAN NOT NULL DEFAULT false,
        description     TEXT,
        codeowner_teams TEXT NOT NULL DEFAULT '[]',
        head_sha        TEXT,
        scanned_at      BIGINT,
        milestones      TEXT NOT NULL DEFAULT '{}',
        trend           TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE dashboard_reports (
        repo_id BIGINT PRIMARY KEY REFERENCES repos (id) ON DELETE CASCADE,
        report  TEXT NOT NULL
      );
      CREATE TABLE dashboard_orgs (
        key                 TEXT PRIMARY KEY,
        login               TEXT NOT NULL,
        installation_id     BIGINT,
        dashboard_public    BOOLEAN,
        settings_checked_at BIGINT NOT NULL DEFAULT 0,
        teams               TEXT,
        teams_fetched_at    BIGINT NOT NULL DEFAULT 0
      );
      -- the org page reads one org's keys as a range, compared byte by byte as SQLite does
      CREATE INDEX repos_by_key_c ON repos (key COLLATE "C");
    `,
  },
  {
    version: 3,
    name: "jobs, locks, sweeps; the app version of each scan",
    sql: `
      ALTER TABLE scans ADD COLUMN version TEXT;
      CREATE TABLE jobs (
        id           BIGSERIAL PRIMARY KEY,
        kind         TEXT NOT NULL,
        key          TEXT NOT NULL UNIQUE,
        grp          TEXT NOT NULL,
        lane         TEXT NOT NULL,
        slot         TEXT,
        priority     INTEGER NOT NULL,
        data         JSONB NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'superseded')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        checkpoint   JSONB,
        last_error   TEXT,
        lease_owner  TEXT,
        lease_until  BIGINT,
        created_at   BIGINT NOT NULL,
        run_at       BIGINT NOT NULL,
        finished_at  BIGINT
      );
      CREATE INDEX jobs_due ON jobs (lane, state, priority, run_at, id);
      CREATE INDEX jobs_by_group ON jobs (grp, state);
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
      -- named locks are PostgreSQL advisory locks: no table
      CREATE TABLE sweeps (
        installation_id BIGINT PRIMARY KEY,
        account         TEXT NOT NULL,
        started_at      BIGINT NOT NULL,
        finished_at     BIGINT,
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
        id         BIGSERIAL PRIMARY KEY,
        key        TEXT NOT NULL UNIQUE,
        name       TEXT NOT NULL,
        login      TEXT,
        email      TEXT,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE credits (
        id         BIGSERIAL PRIMARY KEY,
        person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        -- lower-cased owner/name and owner, for lookups; full_name as GitHub spells it
        repo_key   TEXT NOT NULL,
        owner_key  TEXT NOT NULL,
        full_name  TEXT NOT NULL,
        private    BOOLEAN NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('milestone', 'signal')),
        item       TEXT NOT NULL,
        level      TEXT CHECK (level IN ('junior', 'senior', 'lead')),
        task       TEXT,
        commit_sha TEXT NOT NULL,
        earned_at  BIGINT NOT NULL,
        pr         INTEGER,
        evidence   JSONB NOT NULL,
        backfilled BOOLEAN NOT NULL,
        UNIQUE (repo_key, person_id, kind, item, commit_sha)
      );
      CREATE INDEX credits_by_owner ON credits (owner_key, person_id);
      CREATE INDEX credits_by_repo ON credits (repo_key, earned_at);
      CREATE TABLE regressions (
        id         BIGSERIAL PRIMARY KEY,
        repo_key   TEXT NOT NULL,
        full_name  TEXT NOT NULL,
        private    BOOLEAN NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('milestone', 'signal')),
        item       TEXT NOT NULL,
        level      TEXT CHECK (level IN ('junior', 'senior', 'lead')),
        task       TEXT,
        commit_sha TEXT NOT NULL,
        lost_at    BIGINT NOT NULL,
        pr         INTEGER,
        UNIQUE (repo_key, kind, item, commit_sha)
      );
      CREATE INDEX regressions_by_repo ON regressions (repo_key, lost_at);
      -- each repository's default branch as last credited: the next change is compared with it
      CREATE TABLE practice_states (
        repo_key      TEXT PRIMARY KEY,
        full_name     TEXT NOT NULL,
        head_sha      TEXT NOT NULL,
        state         JSONB NOT NULL,
        backfilled_at BIGINT,
        updated_at    BIGINT NOT NULL
      );
    `,
  },
];
