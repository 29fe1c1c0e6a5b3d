// SQLite only: migration 2 builds each repository's trend from the scans a database already holds; the org's
// rows kept in memory are read again, row by row, when anything changes, from this connection or another.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { weekOf } from "../../src/store/dashboard.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { MIGRATIONS } from "../../src/store/sqlite/migrations.js";
import { DAY, T0 } from "./dashboard-contract.js";
import { scanInput, tempDir } from "./helpers.js";

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

it("keeps an org's unchanged rows in memory and reads again only what changed, whoever changed it", async () => {
  const path = join(dir, "cache.db");
  const store = SqliteStore.open(path);
  const other = SqliteStore.open(path);
  try {
    await store.scans.record(scanInput({ repo: "acme/a", private: false }));
    await store.scans.record(scanInput({ repo: "acme/b", private: false }));
    const first = await store.dashboard.orgRepos("acme");
    expect(await store.dashboard.orgRepos("acme")).toBe(first);
    // this connection: a visibility change
    await store.scans.setPrivate("acme/b", true);
    const second = await store.dashboard.orgRepos("acme");
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toMatchObject({ repo: "acme/b", private: true });
    // another connection (another process on the same file): new metadata, a new repository, a removal
    await other.dashboard.saveMeta({ repo: "acme/a", private: false, topics: ["ops"] });
    await other.dashboard.saveMeta({ repo: "acme/c", private: true });
    await other.scans.forget("acme/b");
    const third = await store.dashboard.orgRepos("acme");
    expect(third.map((r) => [r.repo, r.private, r.topics])).toEqual([
      ["acme/a", false, ["ops"]],
      ["acme/c", true, []],
    ]);
  } finally {
    await store.close();
    await other.close();
  }
});
