// The service as main.ts runs it: a completed scan recorded by the hook, served through Probot's addHandler,
// visibility from the payload or looked up (failing closed), and repository events reaching the store.
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { createNodeMiddleware, Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/engine/report.js";
import { type BadgeService, createBadgeService, type ScanDone } from "../../src/http/service.js";
import { badgeToken } from "../../src/http/token.js";
import { SqliteStore } from "../../src/store/sqlite/index.js";
import { scanFiles } from "../helpers.js";
import { tempDir } from "../store/helpers.js";
import { get, listen, type Running } from "./server.js";

let temp: ReturnType<typeof tempDir>;
let service: BadgeService;
let probot: Probot;
let server: Running;
let report: Report;
const lookups: string[] = [];

const octokit = (visibility: boolean | Error): ScanDone["octokit"] => ({
  async request(route, params) {
    lookups.push(`${route} ${params.owner}/${params.repo}`);
    if (visibility instanceof Error) throw visibility;
    return { data: { private: visibility } };
  },
});

function done(repo: string, extra: Partial<ScanDone> = {}): ScanDone {
  const [owner, name] = repo.split("/");
  return {
    repo: { owner, repo: name },
    headSha: "d".repeat(40),
    branch: "main",
    defaultBranch: "main",
    report,
    octokit: octokit(false),
    ...extra,
  };
}

beforeAll(async () => {
  temp = tempDir();
  report = await scanFiles({ "README.md": "# svc\n", Dockerfile: "FROM node:20.11-alpine\nUSER node\n" });
  service = createBadgeService(SqliteStore.open(join(temp.dir, "data", "scans.db")), { BADGE_SECRET: "svc-secret" });
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  probot = new Probot({ appId: 1, privateKey, secret: "webhook-secret", logLevel: "fatal" });
  const middleware = await createNodeMiddleware((app, options) => service.app(app, options), { probot });
  server = await listen(async (req, res) => (await middleware(req, res)) === true);
});

afterAll(async () => {
  await server.close();
  await service.close();
  temp.cleanup();
});

describe("createBadgeService", () => {
  it("records a completed scan and serves its badge", async () => {
    await service.onScanComplete(done("octo/public", { private: false }));
    const answer = await get(server.port, "/badges/octo/public.svg");
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`${report.level} · ${report.score}`);
    expect(lookups).toEqual([]); // the payload said public: no request
  });

  it("looks visibility up when the payload did not give it, once per repo", async () => {
    await service.onScanComplete(done("octo/looked-up", { octokit: octokit(true) }));
    await service.onScanComplete(done("octo/looked-up", { octokit: octokit(true) }));
    expect(lookups).toEqual(["GET /repos/{owner}/{repo} octo/looked-up"]);
    expect((await get(server.port, "/badges/octo/looked-up.svg")).status).toBe(404);
    expect(
      (await get(server.port, `/badges/octo/looked-up.svg?token=${badgeToken("svc-secret", "octo/looked-up")}`)).status,
    ).toBe(200);
  });

  it("records a scan as private when its visibility cannot be read", async () => {
    await service.onScanComplete(done("octo/unknown-visibility", { octokit: octokit(new Error("boom")) }));
    expect((await service.store.scans.badge("octo/unknown-visibility"))?.private).toBe(true);
  });

  it("records a fork's pull request under its commit, leaving the badge alone", async () => {
    await service.onScanComplete(done("octo/public", { branch: undefined, headSha: "e".repeat(40), private: false }));
    expect((await service.store.scans.badge("octo/public"))?.scan.headSha).toBe("d".repeat(40));
    expect((await service.store.scans.history("octo/public", { ref: "e".repeat(40) }))?.scans).toHaveLength(1);
  });

  it("applies visibility changes and removals from webhooks", async () => {
    const repository = { id: 1, name: "public", full_name: "octo/public", private: true, owner: { login: "octo" } };
    await probot.receive({ id: "1", name: "repository", payload: { action: "privatized", repository } } as never);
    expect((await service.store.scans.badge("octo/public"))?.private).toBe(true);
    expect((await get(server.port, "/badges/octo/public.svg")).status).toBe(404);
    await probot.receive({
      id: "2",
      name: "repository",
      payload: { action: "publicized", repository: { ...repository, private: false } },
    } as never);
    expect((await get(server.port, "/badges/octo/public.svg")).status).toBe(200);
    await probot.receive({
      id: "3",
      name: "installation_repositories",
      payload: {
        action: "removed",
        repositories_removed: [{ full_name: "octo/public" }],
        repositories_added: [],
        installation: { id: 5 },
      },
    } as never);
    expect(await service.store.scans.badge("octo/public")).toBeUndefined();
  });

  it("serves /metrics with the store's size", async () => {
    const metrics = await get(server.port, "/metrics");
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^devops_ladder_store_size_bytes [1-9]\d*$/m);
  });

  it("gives the README snippet, with the token for a private repo", async () => {
    const withUrl = createBadgeService(SqliteStore.open(join(temp.dir, "snippet.db")), {
      BADGE_SECRET: "svc-secret",
      BADGE_BASE_URL: "https://ladder.example.com/",
    });
    try {
      expect(withUrl.badgeSnippet("octo/app", false)).toBe(
        "![DevOps ladder](https://ladder.example.com/badges/octo/app.svg)",
      );
      expect(withUrl.badgeSnippet("octo/secret", true)).toBe(
        `![DevOps ladder](https://ladder.example.com/badges/octo/secret.svg?token=${badgeToken("svc-secret", "octo/secret")})`,
      );
      expect(service.badgeSnippet("octo/app", false)).toBeUndefined(); // no BADGE_BASE_URL
    } finally {
      await withUrl.close();
    }
  });
});
