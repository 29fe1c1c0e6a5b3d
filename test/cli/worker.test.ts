// `devops-ladder worker` as a process (src/cli.ts bundled, as the image runs dist/cli.js): argument and
// environment errors exit 2 with a clear message and touch nothing; with a valid environment it runs the jobs
// of the store it shares with the web instances (here: a scan queued by this test) against a loopback fake
// GitHub, never listens on a port, and exits 0 on SIGTERM.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bundleApp, freePort } from "../../bench/app-process.js";
import { FakeGitHubServer } from "../../bench/fake-github.js";
import { scanJob } from "../../src/github/scan-job.js";
import { EmbeddedQueue } from "../../src/jobs/embedded.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { privateKey } from "../app/fake-github.js";

const OUT = resolve(".worker-test");
const CLI = join(OUT, "cli.js");
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await bundleApp(OUT, { cli: "src/cli.ts" });
  dir = mkdtempSync(join(tmpdir(), "dl-worker-"));
}, 120_000);

afterEach(() => {
  if (child?.exitCode === null) child.kill("SIGKILL");
  child = undefined;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

function runSync(args: string[], env: Record<string, string>, cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("devops-ladder worker", () => {
  it("exits 2 with a clear message on an argument or a bad environment, and opens no store", () => {
    const cwd = mkdtempSync(join(dir, "cwd-"));
    const creds = { APP_ID: "1", PRIVATE_KEY: privateKey() };
    expect(runSync(["worker", "--port", "3000"], creds, cwd)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('worker takes no argument (got "--port"); it reads the environment'),
    });
    expect(runSync(["worker"], {}, cwd)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("worker needs APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) in the environment"),
    });
    expect(runSync(["worker"], { APP_ID: "1" }, cwd).stderr).toContain("worker needs APP_ID and PRIVATE_KEY");
    expect(existsSync(join(cwd, "data"))).toBe(false); // no ./data/devops-ladder.db left behind
    expect(runSync(["worker"], { ...creds, DATABASE_URL: "mysql://x" }, cwd)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("DATABASE_URL must be a postgres:// URL"),
    });
    const lease = runSync(["worker"], { ...creds, DATABASE_PATH: join(cwd, "a.db"), JOB_LEASE_MS: "soon" }, cwd);
    expect(lease).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('JOB_LEASE_MS must be a number ≥ 0, not "soon"'),
    });
  }, 120_000);

  it("runs the shared store's jobs without a web server, and exits 0 on SIGTERM", async () => {
    const gh = await new FakeGitHubServer().start();
    const head = gh.commit("acme/shop", { "README.md": "# shop\n", Dockerfile: "FROM node:20-alpine\nUSER node\n" });
    const database = join(dir, "shared.db");
    const port = await freePort();
    let output = "";
    child = spawn(process.execPath, [CLI, "worker"], {
      env: {
        PATH: process.env.PATH,
        APP_ID: "1",
        PRIVATE_KEY: privateKey(),
        DATABASE_PATH: database,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        SWEEP_INTERVAL: "off",
        SCAN_GRACE_MS: "0",
        SHUTDOWN_GRACE_MS: "500",
        ...gh.env(),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (chunk) => (output += String(chunk)));
    child.stderr!.on("data", (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((done) => child!.once("exit", (code) => done(code)));
    await until(
      () => output.includes("devops-ladder worker: embedded queue, sqlite store"),
      60_000,
      () => output,
    );
    expect(output).not.toContain("listening");

    // a web instance records the job in the shared store; the worker takes it
    const store = await SqliteStore.open(database);
    await new EmbeddedQueue(store).add(scanJob, {
      installationId: 1,
      slot: "branch:main",
      request: { repo: { owner: "acme", repo: "shop" }, head: { sha: head, ref: "main" }, defaultBranch: "main" },
    });
    await until(
      () => gh.runsOf("acme/shop", head).some((r) => r.status === "completed"),
      60_000,
      () => output,
    );
    expect(gh.runsOf("acme/shop", head)).toHaveLength(1);
    expect(await refused(port)).toBe(true); // nothing listens on PORT

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await store.close();
    await gh.stop();
  }, 120_000);
});

describe("compose.scale.yaml", () => {
  it("runs 2 web instances (no jobs), 4 `devops-ladder worker` services, Redis and PostgreSQL", () => {
    const compose = parse(readFileSync("compose.scale.yaml", "utf8"), { merge: true });
    const services = compose.services as Record<string, any>;
    const bin = JSON.parse(readFileSync("package.json", "utf8")).bin["devops-ladder"]; // dist/cli.js
    const web = Object.keys(services).filter((name) => services[name].environment?.PORT);
    expect(web).toEqual(["web-a", "web-b"]);
    for (const name of web) {
      expect(services[name].command).toBeUndefined(); // the image's CMD: node dist/main.js (npm start)
      expect(services[name].environment).toMatchObject({ WORKERS_CHECKS: "0", WORKERS_FOLLOWUPS: "0" });
    }
    const workers = Object.keys(services).filter((name) => services[name].command?.at(-1) === "worker");
    expect(workers).toEqual(["worker"]);
    expect(services.worker.command).toEqual(["node", bin, "worker"]);
    expect(services.worker.deploy.replicas).toBe(4);
    expect(services.worker.ports).toBeUndefined();
    for (const name of [...web, ...workers]) {
      expect(services[name].environment.REDIS_URL).toBe("redis://redis:6379");
      expect(services[name].environment.DATABASE_URL).toMatch(/^postgres:\/\/devops_ladder:.*@postgres:5432\//);
      expect(Object.keys(services[name].depends_on).sort()).toEqual(["postgres", "redis"]);
    }
    expect(services.redis.command).toContain("noeviction");
    expect(services.postgres.image).toMatch(/^postgres:/);
    expect(services.lb.command).toContain("--to web-a:3000 --to web-b:3000");
  });
});

async function until(check: () => boolean, ms: number, about: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; the worker said:\n${about()}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(true));
  });
}
