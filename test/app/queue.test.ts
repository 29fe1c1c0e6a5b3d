// The scan queue: serial per repository, bounded across repositories, newest head wins, errors contained.
import { describe, expect, it } from "vitest";
import { type Job, ScanQueue } from "../../src/queue.js";

/** A job that waits until released, recording when it starts. */
function gate() {
  const started: string[] = [];
  const releases = new Map<string, () => void>();
  const job = (repo: string, slot: string, sha: string, extra: Partial<Job> = {}): Job => ({
    repo,
    slot,
    sha,
    ...extra,
    run: () => {
      started.push(`${repo}@${sha}`);
      return new Promise<void>((resolve) => releases.set(`${repo}@${sha}`, resolve));
    },
  });
  const release = async (key: string) => {
    releases.get(key)!();
    await new Promise((r) => setImmediate(r));
  };
  return { started, job, release };
}

describe("ScanQueue", () => {
  it("runs one job per repository at a time, and a newer head replaces the queued one", async () => {
    const q = new ScanQueue();
    const { started, job, release } = gate();
    expect(q.enqueue(job("a/r", "branch:main", "1"))).toBe("queued");
    expect(q.enqueue(job("a/r", "branch:main", "2"))).toBe("queued");
    expect(q.enqueue(job("a/r", "branch:main", "3"))).toBe("replaced");
    expect(q.enqueue(job("a/r", "pr:4", "4"))).toBe("queued");
    expect(started).toEqual(["a/r@1"]);
    expect(q.depth).toBe(2);
    await release("a/r@1");
    expect(started).toEqual(["a/r@1", "a/r@3"]); // 2 was superseded and never ran
    await release("a/r@3");
    await release("a/r@4");
    await q.idle();
    expect(started).toEqual(["a/r@1", "a/r@3", "a/r@4"]);
    expect(q.depth).toBe(0);
  });

  it("bounds the repositories scanned at once", async () => {
    const q = new ScanQueue({ concurrency: 2 });
    const { started, job, release } = gate();
    for (const r of ["a/1", "a/2", "a/3"]) q.enqueue(job(r, "branch:main", "x"));
    expect(started).toEqual(["a/1@x", "a/2@x"]);
    expect(q.running).toBe(2);
    await release("a/2@x");
    expect(started).toEqual(["a/1@x", "a/2@x", "a/3@x"]);
  });

  it("skips a commit that is queued, running or just scanned, unless forced", async () => {
    let now = 0;
    const q = new ScanQueue({ recentMs: 1000, now: () => now });
    const { started, job, release } = gate();
    q.enqueue(job("a/r", "branch:main", "1"));
    expect(q.enqueue(job("a/r", "pr:1", "1"))).toBe("duplicate"); // running
    await release("a/r@1");
    expect(q.enqueue(job("a/r", "branch:main", "1"))).toBe("duplicate"); // just scanned
    expect(q.enqueue(job("a/r", "branch:main", "1", { force: true }))).toBe("queued");
    await release("a/r@1");
    now = 2000;
    expect(q.enqueue(job("a/r", "branch:main", "1"))).toBe("queued"); // no longer recent
    expect(started).toEqual(["a/r@1", "a/r@1", "a/r@1"]);
  });

  it("a failing job is reported and the queue goes on", async () => {
    const errors: unknown[] = [];
    const q = new ScanQueue({ onError: (err) => errors.push(err) });
    const ran: string[] = [];
    q.enqueue({
      repo: "a/r",
      slot: "s1",
      sha: "1",
      run: async () => {
        throw new Error("boom");
      },
    });
    q.enqueue({ repo: "a/r", slot: "s2", sha: "2", run: async () => void ran.push("2") });
    await q.idle();
    expect(errors).toEqual([new Error("boom")]);
    expect(ran).toEqual(["2"]);
  });
});
