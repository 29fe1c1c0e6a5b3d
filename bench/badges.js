// `npm run bench:badges`: badge requests against a real server (a separate process) backed by a SQLite store
// of 10,000 repos with 3 scans each; autocannon prints requests/s and latency percentiles per scenario.
// Targets (issue 5): ≥ 5,000 requests/s and p99 < 20 ms on a 2-core machine.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";

// BENCH_DIST: another build of the sources (default ../dist, what `npm run build` writes)
const DIST = process.env.BENCH_DIST
  ? pathToFileURL(`${resolve(process.env.BENCH_DIST)}/`)
  : new URL("../dist/", import.meta.url);
const { badgeToken } = await import(new URL("http/token.js", DIST).href);
const { ScanStore } = await import(new URL("store/store.js", DIST).href);

const REPOS = Number(process.env.BENCH_REPOS ?? 10_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
// autocannon's default; by Little's law latency grows with connections at a given throughput
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const MODES = (process.env.BENCH_SERVERS ?? "plain,probot").split(",");
const TASKS = ["deploy", "cicd", "monitoring", "docker", "architecture", "coordination", "backups"];
const LEVELS = ["junior", "senior", "lead"];

const dir = mkdtempSync(join(tmpdir(), "devops-ladder-bench-badges-"));
const dbPath = join(dir, "scans.db");
// every 10th repo is private: its URLs carry the repo's token, as the progression issue gives it
const repo = (i) => `owner-${i % 97}/repo-${i}`;
const tokens = Array.from({ length: REPOS }, (_, i) =>
  i % 10 === 0 ? `?token=${badgeToken("bench-secret", repo(i))}` : "",
);
const overall = (i) => `/badges/${repo(i)}.svg${tokens[i]}`;
const task = (i) => `/badges/${repo(i)}/${TASKS[i % 7]}.svg${tokens[i]}`;
const endpoint = (i) => `/badges/${repo(i)}.json${tokens[i]}`;
const scenarios = [
  { name: "overall badge, 10k repos", path: overall, variants: [overall] },
  {
    name: "mix: 70% overall, 20% task badge, 10% endpoint JSON",
    path: (i, r) => (r < 0.7 ? overall(i) : r < 0.9 ? task(i) : endpoint(i)),
    variants: [overall, task, endpoint],
  },
  { name: "unknown repos (404)", path: (i) => `/badges/nobody/missing-${i}.svg`, variants: [] },
];

seed(dbPath);
try {
  for (const mode of MODES) {
    const { child, port } = await startServer(mode);
    try {
      console.log(
        `\n== server: ${mode === "plain" ? "node:http + our handler" : "Probot Server (probot run), LOG_LEVEL=warn"} ==`,
      );
      for (const scenario of scenarios) {
        report(`${scenario.name}, cold cache`, await measure(child, port, scenario));
        // every variant rendered once, as after a while in production: the steady state
        await warmUp(port, scenario);
        report(`${scenario.name}, warm`, await measure(child, port, scenario));
      }
    } finally {
      child.kill("SIGTERM");
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function seed(path) {
  const started = performance.now();
  const store = ScanStore.open(path, { retentionDays: 0 });
  const day = 86_400_000;
  const now = Date.now();
  const scans = [];
  for (let i = 0; i < REPOS; i++) {
    for (let k = 2; k >= 0; k--) {
      const score = (i * 7 + k * 13) % 101;
      const tasks = Object.fromEntries(
        TASKS.map((t, j) => [t, j === 6 && i % 3 === 0 ? null : (score + j * 11) % 101]),
      );
      scans.push({
        repo: repo(i),
        ref: "main",
        headSha: `${i}-${k}`.padStart(40, "0"),
        private: i % 10 === 0,
        score,
        level: LEVELS[score % 3],
        tasks,
        defaultBranch: "main",
        scannedAt: now - k * day,
      });
    }
  }
  store.recordMany(scans);
  const counts = store.counts();
  console.log(
    `store: ${counts.repos} repos, ${counts.scans} scans, ${(store.sizeBytes() / 1e6).toFixed(1)} MB on disk, seeded in ${Math.round(performance.now() - started)} ms`,
  );
  store.close();
}

function startServer(mode) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL("./badge-server.js", import.meta.url), [dbPath, mode, DIST.href], {
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    child.once("message", ({ port }) => resolve({ child, port }));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function measure(child, port, scenario) {
  const before = await cpuOf(child);
  const result = await load(port, scenario, DURATION);
  const after = await cpuOf(child);
  const cpuMicros = after.user - before.user + after.system - before.system;
  return { ...result, cpuPerRequest: cpuMicros / result.requests.total };
}

function warmUp(port, scenario) {
  const paths = scenario.variants.flatMap((variant) => Array.from({ length: REPOS }, (_, i) => variant(i)));
  if (paths.length === 0) return undefined;
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: 10,
        amount: paths.length,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }],
      },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

function cpuOf(child) {
  return new Promise((resolve) => {
    child.once("message", ({ cpu }) => resolve(cpu));
    child.send("cpu");
  });
}

function load(port, scenario, duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            setupRequest: (req) => ({ ...req, path: scenario.path(Math.floor(Math.random() * REPOS), Math.random()) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function report(name, r) {
  const [load1] = loadavg();
  const statuses = `2xx ${r["2xx"]}, 4xx ${r["4xx"]}, 5xx ${r["5xx"]}, errors ${r.errors}, timeouts ${r.timeouts}`;
  console.log(
    `${name.padEnd(66)} ${Math.round(r.requests.average).toString().padStart(6)} req/s  ` +
      `latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms, ` +
      `server CPU ${Math.round(r.cpuPerRequest)} µs/request  ` +
      `(${statuses}; load average ${load1.toFixed(1)})`,
  );
}
