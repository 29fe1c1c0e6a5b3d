// scripts/backup.sh and restore.sh on the real store: an online copy of a database the app holds open,
// the database destroyed, restored, and every row found again; retention; the refusals that keep data safe.
import { execFile } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ScanInput, SqliteStore } from "../../src/store/index.js";
import { ROOT } from "./root.js";

let dir: string;
let db: string;
let backups: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "devops-ladder-backup-"));
  db = join(dir, "data", "devops-ladder.db");
  backups = join(dir, "backups");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, script),
      args,
      { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", DATABASE_PATH: db, BACKUP_DIR: backups, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function scans(n: number): ScanInput[] {
  return Array.from({ length: n }, (_, i) => ({
    repo: `octo/repo-${i % 5}`,
    ref: i % 3 === 0 ? "feature/x" : "main",
    headSha: `${i}`.padStart(40, "a"),
    private: i % 2 === 0,
    score: (i * 7) % 101,
    level: (["junior", "senior", "lead"] as const)[i % 3]!,
    tasks: { deploy: i % 100, backups: null },
    defaultBranch: "main",
    scannedAt: 1_700_000_000_000 + i * 60_000,
  }));
}

/** Every scan of every repo, as the store gives them back. */
async function everything(store: SqliteStore): Promise<unknown[]> {
  const all: unknown[] = [];
  for (let r = 0; r < 5; r++) {
    all.push([
      await store.scans.history(`octo/repo-${r}`, { limit: 1000, ref: "main" }),
      await store.scans.history(`octo/repo-${r}`, { limit: 1000, ref: "feature/x" }),
      await store.scans.badge(`octo/repo-${r}`),
    ]);
  }
  return all;
}

describe("backup, destroy, restore", () => {
  it("copies the live store online and restores every row", async () => {
    const store = SqliteStore.open(db);
    await store.scans.recordMany(scans(60));
    const before = await everything(store);
    expect(await store.scans.counts()).toEqual({ repos: 5, scans: 60 });
    // the app holds the database open: recent commits are still in the write-ahead log, so a copy of the
    // database file alone would miss them
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0);
    const fileOnly = join(dir, "file-copy.db");
    copyFileSync(db, fileOnly);
    const copied = SqliteStore.open(fileOnly);
    expect((await copied.scans.counts()).scans).toBeLessThan(60);
    copied.close();

    const backup = await run("scripts/backup.sh", []);
    expect(backup.code, backup.stderr).toBe(0);
    const file = backup.stdout.trim();
    expect(basename(file)).toMatch(/^devops-ladder-\d{8}T\d{6}(\.\d{3})?Z\.db$/);
    expect(readdirSync(backups)).toEqual([basename(file)]); // no partial file left behind

    store.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
    expect(existsSync(db)).toBe(false);

    const restore = await run("scripts/restore.sh", [file]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain("60 scans");
    const restored = SqliteStore.open(db);
    expect(await restored.scans.counts()).toEqual({ repos: 5, scans: 60 });
    expect(await everything(restored)).toEqual(before);
    restored.close();
  });

  it("keeps the store it replaces aside", async () => {
    const store = SqliteStore.open(db);
    await store.scans.recordMany(scans(3));
    const file = (await run("scripts/backup.sh", [])).stdout.trim();
    await store.scans.recordMany(scans(4));
    store.close(); // closing checkpoints and removes the log
    const restore = await run("scripts/restore.sh", [file]);
    expect(restore.code, restore.stderr).toBe(0);
    const aside = readdirSync(join(dir, "data")).filter((f) => f.includes(".before-restore-"));
    expect(aside).toHaveLength(1);
    const kept = SqliteStore.open(join(dir, "data", aside[0]!));
    expect((await kept.scans.counts()).scans).toBe(7);
    kept.close();
    const restored = SqliteStore.open(db);
    expect((await restored.scans.counts()).scans).toBe(3);
    restored.close();
  });
});

describe("retention", () => {
  it("keeps only the BACKUP_KEEP newest copies", async () => {
    const store = SqliteStore.open(db);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      await store.scans.recordMany(scans(1));
      const r = await run("scripts/backup.sh", [], { BACKUP_KEEP: "3" });
      expect(r.code, r.stderr).toBe(0);
      made.push(basename(r.stdout.trim()));
    }
    store.close();
    expect(new Set(made).size).toBe(5);
    expect(readdirSync(backups).sort()).toEqual(made.slice(2).sort());
  });

  it("refuses a retention that would delete every copy", async () => {
    SqliteStore.open(db).close();
    const r = await run("scripts/backup.sh", [], { BACKUP_KEEP: "0" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("BACKUP_KEEP");
    expect(existsSync(backups)).toBe(false);
  });
});

describe("refusals", () => {
  it("does not restore over a store that is open", async () => {
    const store = SqliteStore.open(db);
    await store.scans.recordMany(scans(2));
    const file = (await run("scripts/backup.sh", [])).stdout.trim();
    await store.scans.recordMany(scans(3));
    const r = await run("scripts/restore.sh", [file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("stop the app first");
    expect((await store.scans.counts()).scans).toBe(5);
    store.close();
  });

  it("does not restore a file that is not a sound devops-ladder store", async () => {
    const store = SqliteStore.open(db);
    await store.scans.recordMany(scans(2));
    store.close();
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "SQLite format 3\0 but not really".padEnd(8192, "x"));
    const r = await run("scripts/restore.sh", [garbage]);
    expect(r.code).not.toBe(0);
    const other = join(dir, "other.db");
    await new Promise<void>((resolve) => execFile("sqlite3", [other, "CREATE TABLE t (x)"], () => resolve()));
    const r2 = await run("scripts/restore.sh", [other]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("not a devops-ladder store");
    const untouched = SqliteStore.open(db);
    expect((await untouched.scans.counts()).scans).toBe(2);
    untouched.close();
    expect(readdirSync(join(dir, "data")).filter((f) => f.includes("restore"))).toEqual([]);
  });

  it("fails on a missing database rather than backing up nothing", async () => {
    const r = await run("scripts/backup.sh", []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no database at");
  });
});

describe("off the machine", () => {
  /** A stub command on PATH that records its arguments and, for docker, runs `exec`/`cp` locally. */
  function stubs(): string {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "aws"), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${dir}/aws-calls"\n`);
    writeFileSync(
      join(bin, "docker"),
      [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        `printf '%s\\n' "$*" >> "${dir}/docker-calls"`,
        'case "$1" in',
        '  exec) shift 2; exec "$@" ;;',
        '  cp) cp "${2#*:}" "$3" ;;',
        "esac",
      ].join("\n"),
    );
    chmodSync(join(bin, "aws"), 0o755);
    chmodSync(join(bin, "docker"), 0o755);
    return `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`;
  }

  it("uploads the copy to S3 when BACKUP_S3_BUCKET is set", async () => {
    const store = SqliteStore.open(db);
    await store.scans.recordMany(scans(2));
    const r = await run("scripts/backup.sh", [], {
      PATH: stubs(),
      BACKUP_S3_BUCKET: "ladder-backups",
      BACKUP_S3_PREFIX: "devops-ladder/production",
    });
    store.close();
    expect(r.code, r.stderr).toBe(0);
    const file = r.stdout.trim();
    expect(readFileSync(join(dir, "aws-calls"), "utf8").trim()).toBe(
      `s3 cp --only-show-errors ${file} s3://ladder-backups/devops-ladder/production/${basename(file)}`,
    );
  });

  it("takes the copy inside the app's container and brings it here (BACKUP_CONTAINER)", async () => {
    const store = SqliteStore.open(db);
    await store.scans.recordMany(scans(4));
    const r = await run("scripts/backup.sh", [], { PATH: stubs(), BACKUP_CONTAINER: "devops-ladder" });
    expect(r.code, r.stderr).toBe(0);
    store.close();
    const calls = readFileSync(join(dir, "docker-calls"), "utf8").trim().split("\n");
    expect(calls[0]).toMatch(
      /^exec devops-ladder sqlite3 \S+devops-ladder\.db \.backup '\/tmp\/devops-ladder-backup-\S+\.db'$/,
    );
    expect(calls[1]).toMatch(/^cp devops-ladder:\/tmp\/devops-ladder-backup-\S+\.db \S+\.partial-\w+$/);
    expect(calls[2]).toMatch(/^exec devops-ladder rm -f \/tmp\/devops-ladder-backup-/);
    const copy = SqliteStore.open(r.stdout.trim());
    expect((await copy.scans.counts()).scans).toBe(4);
    copy.close();
  });
});
