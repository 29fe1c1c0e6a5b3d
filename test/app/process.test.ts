// The app as real processes (npm start's runtime, bundled from src/) against a fake GitHub on loopback
// (bench/fake-github.js): killed mid-scan with SIGKILL or SIGTERM and restarted, every head ends with exactly one
// completed check run; two instances on Redis + PostgreSQL make one check run per head and one progression issue
// per repository; a forged 50 MB body is refused at once without growing the process.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type AppProcess as App,
  bundleApp,
  deliver as post,
  pushOf,
  startApp as spawnApp,
} from "../../bench/app-process.js";
import { FakeGitHubServer } from "../../bench/fake-github.js";
import { postgresForTests, redisForTests } from "../support/engines.js";
import { privateKey } from "./fake-github.js";

const SECRET = "process-test-secret";
const OUT = resolve(".proc-test");
const FILES = {
  "README.md": "# app\n",
  Dockerfile: 'FROM node:20-alpine\nUSER node\nCMD ["node", "server.js"]\n',
  "deploy.sh": "#!/bin/sh\nset -e\nkubectl apply -f k8s/\n",
};

let dir: string;
const children: App["child"][] = [];

beforeAll(async () => {
  await bundleApp(OUT);
  dir = mkdtempSync(join(tmpdir(), "dl-proc-"));
}, 120_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

async function startApp(gh: FakeGitHubServer, env: Record<string, string>): Promise<App> {
  const app = await spawnApp({
    outdir: OUT,
    gh,
    privateKey: privateKey(),
    secret: SECRET,
    env: {
      LOG_LEVEL: "warn",
      DATABASE_PATH: join(dir, "app.db"),
      JOB_LEASE_MS: "2000",
      SCAN_GRACE_MS: "0",
      SHUTDOWN_GRACE_MS: "300",
      ...env,
    },
  });
  children.push(app.child);
  return app;
}

const deliver = (port: number, name: string, payload: unknown) => post(port, SECRET, name, payload);

function suiteOf(fullName: string, head: string) {
  const push = pushOf(fullName, head);
  return {
    action: "requested",
    installation: push.installation,
    repository: push.repository,
    check_suite: { head_sha: head, head_branch: "main", before: null, pull_requests: [] },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, timeoutMs: number, app?: App): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${app ? `\n${app.output()}` : ""}`);
    await sleep(50);
  }
}

function repos(gh: FakeGitHubServer, n: number, prefix: string): { name: string; head: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `acme/${prefix}-${i}`;
    return { name, head: gh.commit(name, { ...FILES, "README.md": `# ${name}\n` }) };
  });
}

/** Every head has exactly one run of ours, completed. */
function oneCompletedEach(gh: FakeGitHubServer, heads: { name: string; head: string }[]): boolean {
  return heads.every(({ name, head }) => {
    const runs = gh.runsOf(name, head);
    return runs.length === 1 && runs[0].status === "completed";
  });
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

describe("the app as a process", () => {
  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    it(`${signal} mid-scan, then a restart: every head gets exactly one completed check run`, async () => {
      const gh = await new FakeGitHubServer({ treeDelayMs: 800 }).start();
      try {
        const env = { DATABASE_PATH: join(dir, `${signal}.db`) };
        const first = await startApp(gh, env);
        const heads = repos(gh, 8, signal.toLowerCase());
        for (const { name, head } of heads) expect(await deliver(first.port, "push", pushOf(name, head))).toBe(200);
        await until("scans in progress", () => gh.checkRuns.some((r) => r.status === "in_progress"), 60_000, first);
        first.child.kill(signal);
        const code = await first.exited;
        if (signal === "SIGTERM") expect(code).toBe(0);
        expect(oneCompletedEach(gh, heads)).toBe(false); // the kill left work behind

        const second = await startApp(gh, env);
        await until("one completed run per head", () => oneCompletedEach(gh, heads), 180_000, second);
        await sleep(500);
        expect(oneCompletedEach(gh, heads)).toBe(true);
        expect(gh.checkRuns.filter((r) => r.status !== "completed")).toEqual([]);
      } finally {
        await gh.stop();
      }
    }, 420_000);
  }

  it("a forged 50 MB body is refused with 413 at once, and the process does not grow", async () => {
    const gh = await new FakeGitHubServer().start();
    try {
      const app = await startApp(gh, { DATABASE_PATH: join(dir, "forged.db") });
      // warmed up first: the first requests load code and fill caches, which is not the body's doing
      await timed(app.port, "POST", "/api/github/webhooks", FORGED, 50);
      // on a busy machine every answer is slow: the refusal is compared with /healthz's time as well
      const health: number[] = [];
      for (let i = 0; i < 3; i++) health.push((await timed(app.port, "GET", "/healthz", {}, 0)).ms);
      await sleep(300);
      const before = rssKb(app.child.pid!);
      const forged = await timed(app.port, "POST", "/api/github/webhooks", FORGED, 50);
      await sleep(300);
      const after = rssKb(app.child.pid!);
      expect(forged.status).toBe(413);
      expect(forged.ms).toBeLessThan(100 + Math.max(...health));
      expect(after - before).toBeLessThan(10 * 1024);
      console.info(`forged 50 MB body: 413 in ${forged.ms.toFixed(0)} ms, RSS ${after - before} kB`);
      expect(app.output()).not.toContain("aaaaaaaa");
    } finally {
      await gh.stop();
    }
  }, 120_000);
});

const FORGED = {
  "content-type": "application/json",
  "content-length": String(50 * 1024 * 1024),
  "x-github-event": "push",
  "x-github-delivery": "forged",
  "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
};

/** One request with `megabytes` of body; its status and the time until the answer's headers. */
function timed(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  megabytes: number,
): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      res.resume();
      done({ status: res.statusCode!, ms: performance.now() - started });
    });
    req.on("error", fail);
    const chunk = Buffer.alloc(1024 * 1024, 97);
    let sent = 0;
    const more = () => {
      while (sent < megabytes) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", more);
      }
      req.end();
    };
    more();
  });
}

describe("two instances on Redis and PostgreSQL", async () => {
  const redis = await redisForTests();
  const postgres = redis ? await postgresForTests() : undefined;
  afterAll(async () => {
    await postgres?.close();
    await redis?.close();
  });

  it.skipIf(!redis || !postgres)(
    "pushes and check suites split between them: one check run per head, one progression issue per repository",
    async () => {
      const gh = await new FakeGitHubServer({ treeDelayMs: 50 }).start();
      try {
        const env = {
          REDIS_URL: redis!.url,
          REDIS_PREFIX: `dl-proc-${randomUUID().slice(0, 8)}`,
          DATABASE_URL: postgres!.url,
        };
        const [a, b] = await Promise.all([startApp(gh, env), startApp(gh, env)]);
        const heads = repos(gh, 8, "pair");
        await Promise.all(
          heads.flatMap(({ name, head }, i) => [
            deliver((i % 2 ? a : b).port, "push", pushOf(name, head)),
            deliver((i % 2 ? b : a).port, "check_suite", suiteOf(name, head)),
          ]),
        );
        await until("one completed run per head", () => oneCompletedEach(gh, heads), 180_000, a);
        await until(
          "a progression issue per repository",
          () => heads.every(({ name }) => (gh.issues.get(name.toLowerCase()) ?? []).length >= 1),
          180_000,
          a,
        );
        await sleep(1500);
        expect(oneCompletedEach(gh, heads)).toBe(true);
        for (const { name } of heads) expect(gh.issues.get(name.toLowerCase())).toHaveLength(1);
      } finally {
        await gh.stop();
      }
    },
    420_000,
  );
});
