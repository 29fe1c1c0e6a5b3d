// Badges, endpoint JSON, history, /healthz and /metrics over real HTTP, from a real SQLite store.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpHandler } from "../../src/http/routes.js";
import { badgeToken } from "../../src/http/token.js";
import { createMetrics, type Metrics } from "../../src/metrics.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { scanInput, tempDir } from "../store/helpers.js";
import { type Answer, get, listen, type Running } from "./server.js";

const SECRET = "test-badge-secret";
let temp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let metrics: Metrics;
let server: Running;
const errors: unknown[] = [];

const fetchPath = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  get(server.port, path, headers, method);

beforeAll(async () => {
  temp = tempDir();
  store = SqliteStore.open(join(temp.dir, "scans.db"));
  await store.scans.record(
    scanInput({ repo: "Octo/App", score: 60, level: "junior", scannedAt: Date.UTC(2025, 0, 1) }),
  );
  await store.scans.record(
    scanInput({ repo: "Octo/App", score: 72, level: "senior", scannedAt: Date.UTC(2025, 0, 2) }),
  );
  await store.scans.record(
    scanInput({ repo: "Octo/App", ref: "refs/pull/9/head", score: 99, level: "lead", scannedAt: Date.UTC(2025, 0, 3) }),
  );
  await store.scans.record(scanInput({ repo: "octo/secret", private: true, score: 91, level: "lead" }));
  metrics = createMetrics({ processMetrics: false });
  metrics.trackStore(store);
  server = await listen(createHttpHandler({ store, secret: SECRET, metrics, onError: (e) => errors.push(e) }));
});

afterAll(async () => {
  await server.close();
  store.close();
  temp.cleanup();
});

describe("overall badge", () => {
  it("serves the default branch's level and score as an SVG, coloured by level, with a spoken title", async () => {
    const answer = await fetchPath("/badges/Octo/App.svg");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expect(answer.body).toMatch(/^<svg /);
    expect(answer.body).toContain(">senior · 72</text>");
    expect(answer.body).toContain('fill="#007ec6"'); // blue: senior
    expect(answer.body).toContain("<title>DevOps ladder: senior level, score 72 of 100</title>");
    expect(answer.body).toContain('aria-label="DevOps ladder: senior level, score 72 of 100"');
    expect(answer.headers["cache-control"]).toBe("public, max-age=300");
    expect(answer.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("answers a conditional request with 304 and no body, and HEAD with headers only", async () => {
    const first = await fetchPath("/badges/octo/app.svg");
    const again = await fetchPath("/badges/octo/app.svg", { "if-none-match": first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.etag).toBe(first.headers.etag);
    const stale = await fetchPath("/badges/octo/app.svg", { "if-none-match": '"something-else"' });
    expect(stale.status).toBe(200);
    const head = await fetchPath("/badges/octo/app.svg", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(Number(head.headers["content-length"])).toBe(Buffer.byteLength(first.body));
  });

  it("changes body and ETag when a new scan of the default branch lands", async () => {
    const before = await fetchPath("/badges/octo/moving.svg");
    expect(before.status).toBe(404);
    await store.scans.record(scanInput({ repo: "octo/moving", score: 30, level: "junior" }));
    const first = await fetchPath("/badges/octo/moving.svg");
    expect(first.body).toContain("junior · 30");
    expect(first.body).toContain('fill="#ea7233"'); // orange: junior
    await store.scans.record(scanInput({ repo: "octo/moving", score: 88, level: "lead" }));
    const second = await fetchPath("/badges/octo/moving.svg");
    expect(second.body).toContain("lead · 88");
    expect(second.body).toContain('fill="#4b0"'); // brightgreen: lead
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });

  it("serves the same bytes when the render cache is too small to keep anything", async () => {
    const tiny = await listen(createHttpHandler({ store, cacheBytes: 1 }));
    try {
      const first = await get(tiny.port, "/badges/octo/app.svg");
      await get(tiny.port, "/badges/octo/app/cicd.svg");
      const again = await get(tiny.port, "/badges/octo/app.svg");
      expect(again.body).toBe(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.body).toBe((await fetchPath("/badges/octo/app.svg")).body);
    } finally {
      await tiny.close();
    }
  });

  it("renders the styles badge-maker knows", async () => {
    const answer = await fetchPath("/badges/octo/app.svg?style=for-the-badge");
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("SENIOR · 72");
  });
});

describe("task badges and the shields.io endpoint", () => {
  it("serves one task's score, and n/a for a task with no applicable signal", async () => {
    const cicd = await fetchPath("/badges/octo/app/cicd.svg");
    expect(cicd.status).toBe(200);
    expect(cicd.body).toContain(">devops · cicd</text>");
    expect(cicd.body).toContain(">90</text>");
    expect(cicd.body).toContain("<title>DevOps ladder, cicd: score 90 of 100</title>");
    const backups = await fetchPath("/badges/octo/app/backups.svg");
    expect(backups.body).toContain(">n/a</text>");
    expect((await fetchPath("/badges/octo/app/testing.svg")).status).toBe(404);
  });

  it("serves shields.io endpoint JSON for the overall and the task badges", async () => {
    const overall = await fetchPath("/badges/octo/app.json");
    expect(overall.status).toBe(200);
    expect(overall.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(overall.body)).toEqual({
      schemaVersion: 1,
      label: "devops",
      message: "senior · 72",
      color: "blue",
      cacheSeconds: 300,
    });
    const task = JSON.parse((await fetchPath("/badges/octo/app/monitoring.json")).body);
    expect(task).toMatchObject({ schemaVersion: 1, label: "devops · monitoring", message: "60", color: "green" });
  });
});

describe("private repos", () => {
  const unknown = () => fetchPath("/badges/octo/no-such-repo.svg");

  it("answers a private repo without its token exactly as an unknown repo", async () => {
    const missing = await unknown();
    expect(missing.status).toBe(404);
    for (const path of [
      "/badges/octo/secret.svg",
      `/badges/octo/secret.svg?token=${"0".repeat(32)}`,
      `/badges/octo/secret.svg?token=${badgeToken(SECRET, "octo/app")}`,
    ]) {
      const answer = await fetchPath(path);
      expect(sameAnswer(answer, missing)).toBe(true);
    }
    expect(
      sameAnswer(await fetchPath("/badges/octo/secret.json"), await fetchPath("/badges/octo/no-such-repo.json")),
    ).toBe(true);
    expect(
      sameAnswer(
        await fetchPath("/badges/octo/secret/cicd.svg"),
        await fetchPath("/badges/octo/no-such-repo/cicd.svg"),
      ),
    ).toBe(true);
    expect(
      sameAnswer(
        await fetchPath("/api/repos/octo/secret/history"),
        await fetchPath("/api/repos/octo/no-such-repo/history"),
      ),
    ).toBe(true);
  });

  it("serves a private repo with its token (any case of the name), privately cached", async () => {
    const token = badgeToken(SECRET, "octo/secret");
    const answer = await fetchPath(`/badges/OCTO/Secret.svg?token=${token}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("lead · 91");
    expect(answer.headers["cache-control"]).toBe("private, max-age=300");
    const history = await fetchPath(`/api/repos/octo/secret/history?token=${token}`);
    expect(history.status).toBe(200);
    expect(JSON.parse(history.body).scans[0].score).toBe(91);
  });

  it("never serves a private repo when no secret is configured", async () => {
    const bare = await listen(createHttpHandler({ store }));
    try {
      const answer = await get(bare.port, `/badges/octo/secret.svg?token=${badgeToken("", "octo/secret")}`);
      expect(answer.status).toBe(404);
      expect((await get(bare.port, "/badges/octo/app.svg")).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe("history", () => {
  it("lists the default branch's scans oldest first, with a ref and a limit", async () => {
    const answer = await fetchPath("/api/repos/octo/app/history");
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.body);
    expect(body.repo).toBe("Octo/App");
    expect(body.ref).toBe("main");
    expect(body.scans.map((s: { score: number }) => s.score)).toEqual([60, 72]);
    expect(body.scans[1]).toEqual({
      at: "2025-01-02T00:00:00.000Z",
      ref: "main",
      sha: "a".repeat(40),
      score: 72,
      level: "senior",
      tasks: { deploy: 80, cicd: 90, monitoring: 60, docker: 70, architecture: 50, coordination: 82, backups: null },
    });
    const limited = JSON.parse((await fetchPath("/api/repos/octo/app/history?limit=1")).body);
    expect(limited.scans.map((s: { score: number }) => s.score)).toEqual([72]);
    const pr = JSON.parse((await fetchPath("/api/repos/octo/app/history?ref=refs/pull/9/head")).body);
    expect(pr.scans.map((s: { score: number }) => s.score)).toEqual([99]);
  });
});

describe("bad input", () => {
  const cases: [string, number][] = [
    ["/badges/octo/../app.svg", 400],
    ["/badges/../../etc/passwd.svg", 400],
    ["/badges/octo/%2e%2e/app.svg", 400],
    ["/badges/octo/app%2Esvg", 400],
    ["/badges/%6fcto/app.svg", 400],
    ["/badges/octo//app.svg", 400],
    ["/badges/octo/./app.svg", 400],
    ["/badges/octo\\..\\app.svg", 400],
    ["/badges/octo/app'--.svg", 400],
    ["/badges/octo/app;select.svg", 400],
    ["/badges/oct%C3%A9/app.svg", 400],
    ["/badges/-octo/app.svg", 400],
    [`/badges/${"o".repeat(40)}/app.svg`, 400],
    [`/badges/octo/${"r".repeat(101)}.svg`, 400],
    ["/badges/octo/...svg", 400],
    ["/badges/octo/app.svg?token=not-a-token", 400],
    ["/badges/octo/app.svg?style=<script>", 400],
    ["/api/repos/octo/app/history?limit=0", 400],
    ["/api/repos/octo/app/history?limit=100000", 400],
    ["/api/repos/octo/app/history?ref=../../etc", 400],
    [`/badges/octo/app.svg?pad=${"x".repeat(2000)}`, 400],
    ["/badges/octo/app.png", 404],
    ["/badges/octo/app", 404],
    ["/badges/octo/app/cicd/extra.svg", 404],
    ["/api/repos/octo/app/history/more", 404],
    ["/api/repos/octo/app", 404],
  ];
  for (const [path, status] of cases) {
    it(`${path.length > 80 ? `${path.slice(0, 60)}… (${path.length} characters)` : path} → ${status}`, async () => {
      const answer = await fetchPath(path);
      expect(answer.status).toBe(status);
      expect(answer.headers["cache-control"]).toBe("no-store");
      // errors never echo the request back
      expect(answer.body).not.toContain("etc");
      expect(answer.body.length).toBeLessThan(100);
    });
  }

  it("refuses other methods with 405 and an Allow header", async () => {
    const answer = await fetchPath("/badges/octo/app.svg", {}, "POST");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD");
  });

  it("ignores unknown query parameters such as cache busters", async () => {
    expect((await fetchPath("/badges/octo/app.svg?v=2&cachebust=123")).status).toBe(200);
  });

  it("leaves every other path to the next handler (Probot's webhooks, its 404)", async () => {
    for (const path of ["/", "/api/github/webhooks", "/badges", "/badge/octo/app.svg", "/healthz/x", "/metricsx"]) {
      expect((await fetchPath(path)).status).toBe(418);
    }
  });
});

describe("/healthz and /metrics", () => {
  it("reports healthy while the store answers", async () => {
    const answer = await fetchPath("/healthz");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: "ok", store: "ok" });
    expect(answer.headers["cache-control"]).toBe("no-store");
  });

  it("exposes the app's metrics in Prometheus format", async () => {
    metrics.webhookHandled("push", "success");
    metrics.webhookHandled("pull_request", "error");
    metrics.scanFinished(1.5, "success");
    metrics.githubRequest(200);
    metrics.rateLimitRemaining(4321, "graphql");
    metrics.queueDepth(() => 3);
    await fetchPath("/badges/octo/app.svg");
    await fetchPath("/badges/octo/../x.svg");

    const answer = await fetchPath("/metrics");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.body;
    expect(text).toContain('devops_ladder_webhooks_total{event="push",outcome="success"} 1');
    expect(text).toContain('devops_ladder_webhooks_total{event="pull_request",outcome="error"} 1');
    expect(text).toContain('devops_ladder_scan_duration_seconds_bucket{le="2",outcome="success"} 1');
    expect(text).toContain('devops_ladder_github_requests_total{status="200"} 1');
    expect(text).toContain('devops_ladder_github_rate_limit_remaining{resource="graphql"} 4321');
    expect(text).toContain("devops_ladder_queue_depth 3");
    expect(text).toMatch(/devops_ladder_http_requests_total\{route="badge_svg",status="200"\} \d+/);
    expect(text).toMatch(/devops_ladder_http_requests_total\{route="invalid",status="400"\} \d+/);
    const size = Number(/^devops_ladder_store_size_bytes (\d+)$/m.exec(text)?.[1]);
    expect(size).toBe(await store.sizeBytes());
    expect(size).toBeGreaterThan(0);
    expect(text).toMatch(/devops_ladder_store_rows\{table="scans"\} [1-9]/);
  });

  it("asks for a bearer token on /metrics when one is configured", async () => {
    const guarded = await listen(createHttpHandler({ store, metrics, metricsToken: "scrape-me" }));
    try {
      expect((await get(guarded.port, "/metrics")).status).toBe(401);
      expect((await get(guarded.port, "/metrics", { authorization: "Bearer wrong" })).status).toBe(401);
      expect((await get(guarded.port, "/metrics", { authorization: "Bearer scrape-me" })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("turns a failing store into 503s, not crashes", async () => {
    const other = SqliteStore.open(join(temp.dir, "closing.db"));
    await other.scans.record(scanInput());
    const failures: unknown[] = [];
    const running = await listen(createHttpHandler({ store: other, onError: (e) => failures.push(e) }));
    try {
      await other.close();
      const health = await get(running.port, "/healthz");
      expect(health.status).toBe(503);
      expect(JSON.parse(health.body)).toEqual({ status: "error", store: "unreachable" });
      expect((await get(running.port, "/badges/octo/app.svg")).status).toBe(503);
      expect(failures).toHaveLength(1);
    } finally {
      await running.close();
    }
  });

  it("logged no error while serving the main store", () => {
    expect(errors).toEqual([]);
  });
});

/** Same status, body and headers, but for the Date header. */
function sameAnswer(a: Answer, b: Answer): boolean {
  const { date: _a, ...ha } = a.headers;
  const { date: _b, ...hb } = b.headers;
  return a.status === b.status && a.body === b.body && JSON.stringify(ha) === JSON.stringify(hb);
}
