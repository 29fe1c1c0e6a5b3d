// The Store contract: what every backend must do the same way. Each backend's test file runs it with an
// `open` that gives a fresh, empty store (test/store/sqlite.test.ts, test/store/postgres.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import { recordScan } from "../../src/store/record.js";
import { LockTimeout, type NewJob, type Store, type StoreOptions } from "../../src/store/store.js";
import { scanFiles } from "../helpers.js";
import { scanInput } from "./helpers.js";

export type OpenStore = (options?: StoreOptions) => Promise<Store>;

export function describeScanContract(backend: string, openFresh: OpenStore): void {
  const opened: Store[] = [];
  const open = async (options?: StoreOptions) => {
    const store = await openFresh(options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe(`${backend}: recording scans`, () => {
    it("stores every field of a scan and reads it back", async () => {
      const { scans } = await open();
      const stored = await scans.record(scanInput({ scannedAt: Date.UTC(2025, 0, 2) }));
      const entry = (await scans.badge("octo/app"))!;
      expect(entry).toEqual({ repo: "octo/app", private: false, defaultBranch: "main", scan: stored });
      expect(entry.scan).toMatchObject({
        ref: "main",
        headSha: "a".repeat(40),
        score: 72,
        level: "senior",
        scannedAt: Date.UTC(2025, 0, 2),
      });
      expect(entry.scan.tasks).toEqual({
        deploy: 80,
        cicd: 90,
        monitoring: 60,
        docker: 70,
        architecture: 50,
        coordination: 82,
        backups: null,
      });
    });

    it("records a real Report through recordScan", async () => {
      const report = await scanFiles({
        "README.md": "# app\n",
        "scripts/deploy.sh": "#!/bin/sh\nset -eu\nkubectl apply -f k8s/\n",
      });
      const store = await open();
      await recordScan(store, {
        repo: "octo/app",
        ref: "refs/heads/main",
        headSha: "c".repeat(40),
        private: false,
        report,
        defaultBranch: "main",
      });
      const entry = (await store.scans.badge("octo/app"))!;
      expect(entry.scan.score).toBe(report.score);
      expect(entry.scan.level).toBe(report.level);
      expect(Object.keys(entry.scan.tasks).sort()).toEqual(report.tasks.map((t) => t.id).sort());
      for (const task of report.tasks) expect(entry.scan.tasks[task.id]).toBe(task.score);
    });

    it("looks repos up case-insensitively, as GitHub does, and keeps GitHub's spelling", async () => {
      const { scans } = await open();
      await scans.record(scanInput({ repo: "Octo/App" }));
      expect((await scans.badge("octo/app"))?.repo).toBe("Octo/App");
      expect((await scans.badge("OCTO/APP"))?.scan.score).toBe(72);
    });

    it("moves the badge only with scans of the default branch (refs/heads/main is main)", async () => {
      const { scans } = await open();
      await scans.record(scanInput({ ref: "refs/heads/main", score: 50, level: "junior" }));
      await scans.record(scanInput({ ref: "refs/pull/7/head", score: 95, level: "lead" }));
      await scans.record(scanInput({ ref: "feature/x", score: 10, level: "junior" }));
      expect((await scans.badge("octo/app"))?.scan).toMatchObject({ ref: "main", score: 50 });
      await scans.record(scanInput({ ref: "main", score: 61 }));
      expect((await scans.badge("octo/app"))?.scan.score).toBe(61);
    });

    it("follows a renamed default branch, and takes any ref while the default branch is unknown", async () => {
      const { scans } = await open();
      await scans.record(
        scanInput({ repo: "octo/nodefault", defaultBranch: undefined, ref: "dev", score: 40, level: "junior" }),
      );
      expect((await scans.badge("octo/nodefault"))?.scan.ref).toBe("dev");
      await scans.record(scanInput({ ref: "main", score: 50 }));
      await scans.record(scanInput({ ref: "trunk", defaultBranch: "trunk", score: 70 }));
      expect((await scans.badge("octo/app"))?.scan).toMatchObject({ ref: "trunk", score: 70 });
      expect((await scans.badge("octo/app"))?.defaultBranch).toBe("trunk");
    });

    it("writes nothing when part of a scan is invalid: the repo row and the scan row go together", async () => {
      const { scans } = await open();
      await expect(scans.record(scanInput({ level: "guru" as never }))).rejects.toThrow();
      expect(await scans.counts()).toEqual({ repos: 0, scans: 0 });
      await expect(scans.record(scanInput({ score: 101 }))).rejects.toThrow(RangeError);
      await expect(scans.record(scanInput({ repo: "no-slash" }))).rejects.toThrow(RangeError);
      await expect(scans.record(scanInput({ repo: "a/b/c" }))).rejects.toThrow(RangeError);
      expect(await scans.counts()).toEqual({ repos: 0, scans: 0 });
    });

    it("stores hostile strings as plain data (parameterised SQL)", async () => {
      const { scans } = await open();
      const repo = "octo/x'); DROP TABLE scans; --";
      await scans.record(
        scanInput({ repo, ref: "'; DELETE FROM repos; --", defaultBranch: "'; DELETE FROM repos; --" }),
      );
      expect((await scans.badge(repo))?.repo).toBe(repo);
      expect(await scans.counts()).toEqual({ repos: 1, scans: 1 });
    });

    it("keeps the latest visibility of a repo and forgets a repo with all its scans", async () => {
      const { scans } = await open();
      await scans.record(scanInput({ private: true }));
      expect((await scans.badge("octo/app"))?.private).toBe(true);
      await scans.record(scanInput({ private: false }));
      expect((await scans.badge("octo/app"))?.private).toBe(false);
      await scans.setPrivate("octo/app", true);
      expect((await scans.badge("octo/app"))?.private).toBe(true);
      await scans.record(scanInput({ repo: "octo/other" }));
      await scans.forget("OCTO/app");
      expect(await scans.badge("octo/app")).toBeUndefined();
      expect(await scans.counts()).toEqual({ repos: 1, scans: 1 });
    });

    it("writes a batch in one transaction: all of it, or none when one scan is invalid", async () => {
      const { scans } = await open();
      const stored = await scans.recordMany([
        scanInput({ repo: "octo/a" }),
        scanInput({ repo: "octo/b", score: 10, level: "junior" }),
      ]);
      expect(stored.map((s) => s.repo)).toEqual(["octo/a", "octo/b"]);
      expect((await scans.badge("octo/b"))?.scan.score).toBe(10);
      await expect(
        scans.recordMany([scanInput({ repo: "octo/c" }), scanInput({ repo: "octo/d", score: -1 })]),
      ).rejects.toThrow(RangeError);
      expect(await scans.badge("octo/c")).toBeUndefined();
      expect(await scans.counts()).toEqual({ repos: 2, scans: 2 });
    });
  });

  describe(`${backend}: history`, () => {
    it("lists the default branch's scans oldest first, the newest `limit` of them", async () => {
      const { scans } = await open();
      for (let i = 1; i <= 5; i++)
        await scans.record(scanInput({ score: i * 10, headSha: `${i}`.repeat(40), scannedAt: i * 1000 }));
      await scans.record(scanInput({ ref: "refs/pull/3/head", score: 99 }));
      const history = (await scans.history("octo/app"))!;
      expect(history.ref).toBe("main");
      expect(history.scans.map((s) => s.score)).toEqual([10, 20, 30, 40, 50]);
      expect((await scans.history("octo/app", { limit: 2 }))!.scans.map((s) => s.score)).toEqual([40, 50]);
      expect((await scans.history("octo/app", { ref: "refs/pull/3/head" }))!.scans.map((s) => s.score)).toEqual([99]);
      expect(await scans.history("octo/unknown")).toBeUndefined();
    });
  });

  describe(`${backend}: retention`, () => {
    it("prunes scans older than the retention period but never a repo's badge scan", async () => {
      let now = Date.UTC(2025, 0, 1);
      const day = 86_400_000;
      const { scans } = await open({ retentionDays: 30, now: () => now });
      await scans.record(scanInput({ score: 10, scannedAt: now - 100 * day }));
      await scans.record(scanInput({ score: 20, scannedAt: now - 40 * day }));
      await scans.record(scanInput({ score: 30, scannedAt: now - 10 * day }));
      await scans.record(scanInput({ ref: "refs/pull/1/head", score: 40, scannedAt: now - 50 * day }));
      await scans.record(scanInput({ repo: "octo/stale", score: 5, scannedAt: now - 400 * day }));
      expect(await scans.prune()).toBe(3);
      expect((await scans.history("octo/app"))!.scans.map((s) => s.score)).toEqual([30]);
      expect((await scans.history("octo/app", { ref: "refs/pull/1/head" }))!.scans).toEqual([]);
      // a repo not scanned for a long time keeps its badge
      expect((await scans.badge("octo/stale"))?.scan.score).toBe(5);

      // once a newer scan takes the badge, the old one ages out like any other
      await scans.record(scanInput({ score: 35, scannedAt: now - 5 * day }));
      now += 25 * day;
      expect(await scans.prune()).toBe(1);
      expect((await scans.history("octo/app"))!.scans.map((s) => s.score)).toEqual([35]);
    });

    it("keeps everything with retention 0", async () => {
      const { scans } = await open({ retentionDays: 0 });
      await scans.record(scanInput({ scannedAt: 0 }));
      await scans.record(scanInput({ scannedAt: 1 }));
      expect(await scans.prune()).toBe(0);
      expect((await scans.counts()).scans).toBe(2);
    });
  });

  describe(`${backend}: health and size`, () => {
    it("answers ping while open, throws once closed, and reports its size on disk", async () => {
      const store = await open();
      await store.scans.record(scanInput());
      await expect(store.ping()).resolves.toBeUndefined();
      expect(await store.sizeBytes()).toBeGreaterThan(4096);
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });
  });
}

/** The job table, locks and sweep ledger: the parts the queue and the workers stand on. */
export function describeJobStoreContract(backend: string, openFresh: OpenStore): void {
  const opened: Store[] = [];
  const open = async () => {
    const store = await openFresh();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  const job = (key: string, extra: Partial<NewJob> = {}): NewJob => ({
    kind: "scan",
    key,
    group: "octo/app",
    lane: "checks",
    priority: 0,
    data: { key },
    maxAttempts: 3,
    ...extra,
  });
  const at = { now: 1_000_000, recentMs: 60_000 };

  describe(`${backend}: jobs`, () => {
    it("adds a key once while it is queued, running or just done; again once failed or done long ago", async () => {
      const { jobs } = await open();
      expect((await jobs.enqueue(job("a"), at)).outcome).toBe("queued");
      expect((await jobs.enqueue(job("a"), at)).outcome).toBe("duplicate");
      const claimed = (await jobs.claim("checks", "w1", at.now, 1000))!;
      expect(claimed).toMatchObject({ key: "a", state: "running", attempts: 1, data: { key: "a" } });
      expect((await jobs.enqueue(job("a"), at)).outcome).toBe("duplicate");
      await jobs.finish(claimed.id, "w1", { state: "done" }, at.now);
      expect((await jobs.enqueue(job("a"), { ...at, now: at.now + 59_000 })).outcome).toBe("duplicate");
      expect((await jobs.enqueue(job("a"), { ...at, now: at.now + 61_000 })).outcome).toBe("queued");
      const again = (await jobs.claim("checks", "w1", at.now + 61_000, 1000))!;
      expect(again.attempts).toBe(1);
      await jobs.finish(again.id, "w1", { state: "failed", error: "boom" }, at.now + 61_000);
      expect((await jobs.get(again.id))?.lastError).toBe("boom");
      expect((await jobs.enqueue(job("a"), { ...at, now: at.now + 62_000 })).outcome).toBe("queued");
    });

    it("promotes a retry waiting out its backoff when its key is asked for again", async () => {
      const { jobs } = await open();
      await jobs.enqueue(job("a"), at);
      const claimed = (await jobs.claim("checks", "w1", at.now, 1000))!;
      await jobs.finish(claimed.id, "w1", { state: "queued", runAt: at.now + 600_000, countAttempt: true }, at.now);
      expect(await jobs.claim("checks", "w1", at.now + 1, 1000)).toBeUndefined();
      expect((await jobs.enqueue(job("a"), { ...at, now: at.now + 2 })).outcome).toBe("promoted");
      expect((await jobs.claim("checks", "w1", at.now + 2, 1000))?.attempts).toBe(2);
    });

    it("runs one job of a group at a time, and takes a job again once its worker's lease ran out", async () => {
      const { jobs } = await open();
      await jobs.enqueue(job("a"), at);
      await jobs.enqueue(job("b"), at);
      await jobs.enqueue(job("c", { group: "octo/other" }), at);
      const first = (await jobs.claim("checks", "w1", at.now, 1000))!;
      const second = (await jobs.claim("checks", "w2", at.now, 10_000))!;
      expect([first.key, second.key]).toEqual(["a", "c"]);
      expect(await jobs.claim("checks", "w2", at.now + 500, 1000)).toBeUndefined(); // b waits for a
      expect(await jobs.heartbeat(first.id, "w1", at.now + 2000)).toBe(true);
      expect(await jobs.claim("checks", "w2", at.now + 1500, 1000)).toBeUndefined();
      // w1 died: its lease ran out, w2 takes its job (a new attempt) before the next of the group
      const taken = (await jobs.claim("checks", "w2", at.now + 2001, 1000))!;
      expect(taken).toMatchObject({ key: "a", attempts: 2 });
      expect(await jobs.heartbeat(first.id, "w1", at.now + 5000)).toBe(false);
      await jobs.finish(first.id, "w1", { state: "done" }, at.now + 2002); // too late: ignored
      expect((await jobs.get(first.id))?.state).toBe("running");
      await jobs.checkpoint(taken.id, "w2", { checkRunId: 7 });
      await jobs.finish(taken.id, "w2", { state: "queued", runAt: at.now, countAttempt: false }, at.now + 2003);
      const resumed = (await jobs.claim("checks", "w3", at.now + 2004, 1000))!;
      expect(resumed).toMatchObject({ key: "a", attempts: 2, checkpoint: { checkRunId: 7 } });
    });

    it("supersedes a queued job of the same group and slot, and takes lanes and priorities apart", async () => {
      const { jobs } = await open();
      await jobs.enqueue(job("head-1", { slot: "branch:main" }), at);
      await jobs.enqueue(job("pr", { slot: "pr:1", priority: 5 }), at);
      await jobs.enqueue(job("head-2", { slot: "branch:main" }), at);
      await jobs.enqueue(job("issue", { lane: "followups", group: "octo/app#issue" }), at);
      const counts = await jobs.counts();
      expect(counts).toContainEqual({ lane: "checks", state: "superseded", count: 1 });
      expect((await jobs.claim("checks", "w", at.now, 1000))?.key).toBe("head-2");
      expect((await jobs.claim("followups", "w", at.now, 1000))?.key).toBe("issue");
      expect(await jobs.nextDue("checks")).toBe(at.now);
      expect(await jobs.prune(at.now + 1)).toBe(1);
    });
  });

  describe(`${backend}: locks and sweeps`, () => {
    it("lets one holder in at a time, and times out a waiter", async () => {
      const store = await open();
      const order: string[] = [];
      let release!: () => void;
      const held = store.locks.withLock("progression:octo/app", async () => {
        order.push("first in");
        await new Promise<void>((resolve) => (release = resolve));
        order.push("first out");
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const waiter = store.locks.withLock("progression:octo/app", async () => void order.push("second"));
      await expect(store.locks.withLock("progression:octo/app", async () => 1, { waitMs: 100 })).rejects.toThrow(
        LockTimeout,
      );
      expect(await store.locks.withLock("progression:octo/other", async () => "free")).toBe("free");
      release();
      await Promise.all([held, waiter]);
      expect(order).toEqual(["first in", "first out", "second"]);
    });

    it("keeps each installation's sweep", async () => {
      const { sweeps } = await open();
      const state = {
        installationId: 7,
        account: "octo",
        startedAt: 5,
        nextPage: 3,
        reposTotal: 250,
        reposQueued: 200,
      };
      await sweeps.save(state);
      expect(await sweeps.get(7)).toEqual(state);
      await sweeps.save({ ...state, finishedAt: 9, nextPage: 4, reposQueued: 250 });
      expect(await sweeps.all()).toEqual([{ ...state, finishedAt: 9, nextPage: 4, reposQueued: 250 }]);
      await sweeps.forget(7);
      expect(await sweeps.get(7)).toBeUndefined();
    });
  });
}
