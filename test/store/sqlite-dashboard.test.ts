// SQLite only: migration 2 builds each repository's trend from the scans a database already holds.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { weekOf } from "../../src/store/dashboard.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { DAY, T0 } from "./dashboard-contract.js";
import { tempDir } from "./helpers.js";

const WEEK_MS = 7 * DAY;
let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

it("builds each repository's trend from the default branch's stored scans", async () => {
  const path = join(dir, "old.db");
  // a database at version 1, with scans of two weeks and of a pull request
  const db = new Database(path);
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  db.exec(MIGRATIONS[0]!.sql);
  db.prepare("INSERT INTO schema_migrations VALUES (1, 'repos and scans', 'then')").run();
  db.prepare(
    "INSERT INTO repos (id, key, full_name, private, default_branch) VALUES (1, 'acme/api', 'acme/api', 0, 'main')",
  ).run();
  const scan = db.prepare(
    "INSERT INTO scans (repo_id, ref, head_sha, score, level, tasks, private, scanned_at) VALUES (1, ?, 'x', ?, 'junior', '{}', 0, ?)",
  );
  scan.run("main", 10, T0);
  scan.run("main", 20, T0 + DAY);
  scan.run("refs/pull/1/head", 99, T0 + 2 * DAY);
  scan.run("main", 30, T0 + WEEK_MS);
  db.close();

  const store = SqliteStore.open(path);
  try {
    const repos = await store.dashboard.orgRepos("acme");
    expect(repos[0]!.trend).toEqual([
      { week: weekOf(T0), score: 20 },
      { week: weekOf(T0) + 1, score: 30 },
    ]);
    expect(await store.dashboard.org("acme")).toMatchObject({ org: "acme" });
  } finally {
    await store.close();
  }
});
