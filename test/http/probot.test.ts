// The routes through Probot's own plumbing: an app function given `addHandler`, served by createNodeMiddleware,
// next to Probot's webhook handler.
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { createNodeMiddleware, Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerHttpRoutes } from "../../src/http/routes.js";
import { createMetrics } from "../../src/metrics.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { scanInput, tempDir } from "../store/helpers.js";
import { get, listen, type Running } from "./server.js";

let temp: ReturnType<typeof tempDir>;
let store: SqliteStore;
let server: Running;

beforeAll(async () => {
  temp = tempDir();
  store = SqliteStore.open(join(temp.dir, "scans.db"));
  await store.scans.record(scanInput({ repo: "octo/app", score: 81, level: "lead" }));
  const metrics = createMetrics({ processMetrics: false });
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({ appId: 1, privateKey, secret: "webhook-secret", logLevel: "fatal" });
  const middleware = await createNodeMiddleware(
    (app, { addHandler }) => {
      app.on("push", async () => {});
      registerHttpRoutes(addHandler, { store, metrics, secret: "badge-secret" });
    },
    { probot },
  );
  server = await listen(async (req, res) => (await middleware(req, res)) === true);
});

afterAll(async () => {
  await server.close();
  store.close();
  temp.cleanup();
});

describe("routes registered through Probot's addHandler", () => {
  it("serves a badge, /healthz and /metrics", async () => {
    const badge = await get(server.port, "/badges/octo/app.svg");
    expect(badge.status).toBe(200);
    expect(badge.body).toContain("lead · 81");
    expect((await get(server.port, "/healthz")).status).toBe(200);
    const metrics = await get(server.port, "/metrics");
    expect(metrics.body).toContain('devops_ladder_http_requests_total{route="badge_svg",status="200"} 1');
  });

  it("leaves webhook deliveries to Probot", async () => {
    // an unsigned delivery: Probot's webhook middleware refuses it, our routes never see it
    const answer = await get(
      server.port,
      "/api/github/webhooks",
      { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "1" },
      "POST",
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/signature/i);
  });

  it("lets unknown paths fall through to the server's 404", async () => {
    expect((await get(server.port, "/somewhere-else")).status).toBe(418);
  });
});
