// GitHub API metrics read from a real Octokit's request hooks (responses served by a stub fetch).
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { createMetrics, instrumentOctokit } from "../../src/metrics.js";

function octokitAnswering(status: number, headers: Record<string, string>) {
  return new Octokit({
    log: quiet,
    request: {
      fetch: async () =>
        new Response(status === 204 ? null : JSON.stringify({ message: "x" }), {
          status,
          headers: { "content-type": "application/json", ...headers },
        }),
      retries: 0,
    },
  });
}

/** Octokit logs failed requests on stderr by default; the tests assert them, so the log stays quiet. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function metricValue(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe("instrumentOctokit", () => {
  it("counts responses by status and keeps the rate limit left, per resource", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const ok = octokitAnswering(200, { "x-ratelimit-remaining": "4999", "x-ratelimit-resource": "core" });
    instrumentOctokit(ok, metrics);
    instrumentOctokit(ok, metrics); // hooking twice must not count twice
    await ok.request("GET /repos/{owner}/{repo}", { owner: "octo", repo: "app" });
    await ok.request("GET /repos/{owner}/{repo}", { owner: "octo", repo: "app" });
    expect(await metricValue(metrics, "devops_ladder_github_requests_total", { status: "200" })).toBe(2);
    expect(await metricValue(metrics, "devops_ladder_github_rate_limit_remaining", { resource: "core" })).toBe(4999);

    const missing = octokitAnswering(404, { "x-ratelimit-remaining": "17", "x-ratelimit-resource": "graphql" });
    instrumentOctokit(missing, metrics);
    await expect(missing.request("GET /repos/{owner}/{repo}", { owner: "octo", repo: "gone" })).rejects.toThrow();
    expect(await metricValue(metrics, "devops_ladder_github_requests_total", { status: "404" })).toBe(1);
    expect(await metricValue(metrics, "devops_ladder_github_rate_limit_remaining", { resource: "graphql" })).toBe(17);
  });

  it("counts a request that got no response as an error", async () => {
    const metrics = createMetrics({ processMetrics: false });
    const broken = new Octokit({
      log: quiet,
      request: {
        fetch: async () => {
          throw new Error("ECONNRESET");
        },
        retries: 0,
      },
    });
    instrumentOctokit(broken, metrics);
    await expect(broken.request("GET /rate_limit")).rejects.toThrow();
    expect(await metricValue(metrics, "devops_ladder_github_requests_total", { status: "error" })).toBe(1);
  });
});

describe("createMetrics", () => {
  it("keeps each registry separate and times scans with startScan", async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.webhookHandled("push", "ignored");
    const end = a.startScan();
    end("error");
    expect(await a.registry.metrics()).toContain('devops_ladder_webhooks_total{event="push",outcome="ignored"} 1');
    expect(await a.registry.metrics()).toContain('devops_ladder_scan_duration_seconds_count{outcome="error"} 1');
    expect(await b.registry.metrics()).not.toContain('event="push"');
  });

  it("exports Node's process metrics by default", async () => {
    const metrics = createMetrics();
    expect(await metrics.registry.metrics()).toContain("devops_ladder_process_resident_memory_bytes");
  });
});
