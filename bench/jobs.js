// npm run bench:jobs — the app as processes against the loopback fake GitHub (bench/fake-github.js).
//   burst: PUSHES pushes across REPOS repositories, each repository's in order and all repositories at once;
//          the time until every repository's last head has a completed check run, and webhook → completed
//          check run latency (p50, p99) of every head that got one. INSTANCES app processes share the work
//          (with REDIS_URL and DATABASE_URL, else one process on SQLite and the embedded queue).
//   sweep: SWEEP_REPOS repositories in one installation, rate-limited (RATE_LIMIT requests per RESET_MS window);
//          the org sweep's requests per repository and the time until every repository has a check run.
// Settings (env): BENCH=burst|sweep|both, PUSHES (1000), REPOS (200), INSTANCES (1), BURST_TIMEOUT_MS (30 min),
// SWEEP_REPOS (10000), RATE_LIMIT (15000), RESET_MS (1 h), SWEEP_TIMEOUT_MS (30 min), REDIS_URL, DATABASE_URL.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleApp, deliver, pushOf, startApp as spawnApp } from "./app-process.js";
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startApp(gh, extra) {
  const app = await spawnApp({
    outdir: OUT,
    gh,
    privateKey: key,
    secret: SECRET,
    echo: true,
    env: {
      LOG_LEVEL: "error",
      DATABASE_PATH: join(dir, "bench.db"),
      ...(env.REDIS_URL ? { REDIS_URL: env.REDIS_URL, REDIS_PREFIX: PREFIX } : {}),
      ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}),
      ...extra,
    },
  });
  children.push(app.child);
  return app;
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
  // every repository's pushes in order, as GitHub sends them (the app supersedes a queued head by the one that
  // arrives after it); the repositories all at once
  const chains = new Map();
  for (let i = 0; i < pushes; i++) {
    const name = `acme/burst-${i % repos}`;
    const head = gh.commit(name, { ...FILES, "src/index.js": `// ${i}\n` });
    heads.push({ name, head });
    const port = apps[i % instances].port;
    const previous = chains.get(name) ?? Promise.resolve();
    chains.set(
      name,
      previous.then(() => {
        sent.set(head, performance.now());
        return deliver(port, SECRET, "push", pushOf(name, head));
      }),
    );
  }
  const statuses = await Promise.all(chains.values());
  const answered = performance.now() - started;
  // a newer head of the same branch replaces a queued one: the heads that must get a run are the last of each
  // repository (and every head that was taken before its successor arrived)
  const latest = new Map(heads.map((h) => [h.name, h.head]));
  const deadline = Date.now() + Number(env.BURST_TIMEOUT_MS ?? 30 * 60_000);
  const done = () => [...latest.values()].filter((h) => gh.completedAt(h) !== undefined).length;
  while (done() < latest.size && Date.now() < deadline) await sleep(20);
  const total = performance.now() - started;
  const completedAt = new Map(heads.map(({ head }) => [head, gh.completedAt(head)]).filter(([, at]) => at));
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
      webhookStatuses: [...new Set(statuses)],
      latestHeadsCompleted: `${done()}/${latest.size}`,
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
  const byKind = {};
  for (const line of gh.log) {
    const kind = line.includes("access_tokens")
      ? "token"
      : /installation(s)?\/repositories|\/app\/installations$/.test(line)
        ? "listing"
        : line.includes("graphql")
          ? "graphql"
          : line.includes("/git/trees/")
            ? "tree"
            : line.includes("/check-runs")
              ? "check-run"
              : "follow-ups (issues, commits…)";
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const budget = gh.budgets.get(1);
  console.log(
    JSON.stringify({
      bench: "sweep",
      repos: count,
      scanned: done,
      ms: Math.round(ms),
      requests,
      requestsPerRepo: +(requests / Math.max(1, done)).toFixed(2),
      requestsByKind: byKind,
      rateLimit: limit,
      remainingAtEnd: budget?.remaining,
    }),
  );
  app.child.kill("SIGTERM");
  await gh.stop();
}

try {
  await bundleApp(OUT);
  const which = env.BENCH ?? "both";
  if (which === "burst" || which === "both") await burst();
  if (which === "sweep" || which === "both") await sweep();
} finally {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
}
