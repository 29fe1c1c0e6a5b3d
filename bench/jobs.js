// npm run bench:jobs — the app as processes against the loopback fake GitHub (bench/fake-github.js).
//   burst: PUSHES pushes across REPOS repositories sent at once; the time until every head has a completed
//          check run, and webhook → completed check run latency (p50, p99). INSTANCES app processes share the
//          work (with REDIS_URL and DATABASE_URL, else one process on SQLite and the embedded queue).
//   sweep: SWEEP_REPOS repositories in one installation, rate-limited (RATE_LIMIT requests an hour); the org
//          sweep's requests per repository and the time until every repository has a check run.
// Settings (env): BENCH=burst|sweep|both, PUSHES (1000), REPOS (200), INSTANCES (1), SWEEP_REPOS (10000),
// RATE_LIMIT (15000), REDIS_URL, DATABASE_URL.
import { spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { FakeGitHubServer } from "./fake-github.js";

const env = process.env;
const SECRET = "bench-secret";
const OUT = resolve(".proc-bench");
const dir = mkdtempSync(join(tmpdir(), "dl-bench-"));
const key = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" });
const FILES = {
  "README.md": "# app\n",
  Dockerfile: 'FROM node:20-alpine\nUSER node\nCMD ["node", "server.js"]\n',
  ".github/workflows/ci.yml":
    "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
};
const children = [];
// one prefix for every instance of this run: they share the queue, the locks and the rate budget
const PREFIX = `bench-${randomUUID().slice(0, 6)}`;

const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startApp(gh, extra) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(OUT, "main.js")], {
    env: {
      PATH: env.PATH,
      NODE_ENV: "production",
      APP_ID: "1",
      PRIVATE_KEY: key,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "error",
      DATABASE_PATH: join(dir, "bench.db"),
      SWEEP_INTERVAL: "off",
      ...(env.REDIS_URL ? { REDIS_URL: env.REDIS_URL, REDIS_PREFIX: PREFIX } : {}),
      ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}),
      ...gh.env(),
      ...extra,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push(child);
  for (;;) {
    const ok = await new Promise((done) => {
      const req = request({ host: "127.0.0.1", port, path: "/healthz" }, (res) => {
        res.resume();
        done(res.statusCode === 200);
      });
      req.on("error", () => done(false));
      req.end();
    });
    if (ok) return { child, port };
    if (child.exitCode !== null) throw new Error("the app exited at start");
    await sleep(100);
  }
}

function deliver(port, name, payload) {
  const body = JSON.stringify(payload);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/github/webhooks",
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
      },
      (res) => {
        res.resume();
        done(res.statusCode);
      },
    );
    req.on("error", fail);
    req.end(body);
  });
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function burst() {
  const pushes = Number(env.PUSHES ?? 1000);
  const repos = Number(env.REPOS ?? 200);
  const instances = env.REDIS_URL && env.DATABASE_URL ? Number(env.INSTANCES ?? 1) : 1;
  const gh = await new FakeGitHubServer().start();
  const apps = await Promise.all(Array.from({ length: instances }, () => startApp(gh, {})));
  const sent = new Map();
  const heads = [];
  const started = performance.now();
  const deliveries = [];
  for (let i = 0; i < pushes; i++) {
    const name = `acme/burst-${i % repos}`;
    const head = gh.commit(name, { ...FILES, "src/index.js": `// ${i}\n` });
    heads.push({ name, head });
    sent.set(head, performance.now());
    const [owner, repo] = name.split("/");
    const payload = {
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: head,
      installation: { id: 1 },
      repository: { name: repo, full_name: name, owner: { login: owner }, default_branch: "main", private: false },
    };
    deliveries.push(deliver(apps[i % instances].port, "push", payload));
  }
  await Promise.all(deliveries);
  const answered = performance.now() - started;
  // a newer head of the same branch replaces a queued one: the heads that must get a run are the last of each
  // repository, and every head that was taken before its successor arrived
  const latest = new Map(heads.map((h) => [h.name, h.head]));
  const completedAt = new Map();
  for (;;) {
    for (const run of gh.checkRuns)
      if (run.status === "completed" && !completedAt.has(run.head_sha))
        completedAt.set(run.head_sha, performance.now());
    if ([...latest.values()].every((h) => completedAt.has(h))) break;
    await sleep(20);
  }
  const total = performance.now() - started;
  const latencies = [...completedAt].map(([head, at]) => at - sent.get(head));
  const perHead = new Map();
  for (const r of gh.checkRuns)
    perHead.set(`${r.repo}@${r.head_sha}`, (perHead.get(`${r.repo}@${r.head_sha}`) ?? 0) + 1);
  console.log(
    JSON.stringify({
      bench: "burst",
      backend: env.REDIS_URL && env.DATABASE_URL ? "redis+postgres" : "embedded+sqlite",
      instances,
      pushes,
      repos,
      webhooksAnsweredMs: Math.round(answered),
      allLatestHeadsCompletedMs: Math.round(total),
      headsWithRun: completedAt.size,
      duplicateRuns: [...perHead.values()].filter((n) => n > 1).length,
      latencyMs: { p50: Math.round(pct(latencies, 50)), p99: Math.round(pct(latencies, 99)) },
    }),
  );
  for (const { child } of apps) child.kill("SIGTERM");
  await gh.stop();
}

async function sweep() {
  const count = Number(env.SWEEP_REPOS ?? 10000);
  const limit = Number(env.RATE_LIMIT ?? 15000);
  const gh = await new FakeGitHubServer({ rateLimit: limit, resetMs: Number(env.RESET_MS ?? 3_600_000) }).start();
  for (let i = 0; i < count; i++) gh.commit(`acme/sweep-${i}`, { ...FILES, "README.md": `# ${i}\n` });
  const started = performance.now();
  const app = await startApp(gh, { SWEEP_INTERVAL: "7d", SWEEP_FIRST_MS: "100", WORKERS_CHECKS: "8" });
  const deadline = Date.now() + Number(env.SWEEP_TIMEOUT_MS ?? 30 * 60_000);
  let done = 0;
  while (Date.now() < deadline) {
    done = new Set(gh.checkRuns.filter((r) => r.status === "completed").map((r) => r.repo)).size;
    if (done >= count) break;
    await sleep(200);
  }
  const ms = performance.now() - started;
  const requests = gh.log.filter((l) => !l.includes("access_tokens")).length;
  const budget = gh.budgets.get(1);
  console.log(
    JSON.stringify({
      bench: "sweep",
      repos: count,
      scanned: done,
      ms: Math.round(ms),
      requests,
      requestsPerRepo: +(requests / Math.max(1, done)).toFixed(2),
      rateLimit: limit,
      remainingAtEnd: budget?.remaining,
    }),
  );
  app.child.kill("SIGTERM");
  await gh.stop();
}

try {
  await build({
    entryPoints: { main: "src/main.ts" },
    outdir: OUT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
  const which = env.BENCH ?? "both";
  if (which === "burst" || which === "both") await burst();
  if (which === "sweep" || which === "both") await sweep();
} finally {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
}
