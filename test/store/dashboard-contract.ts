// The dashboard's part of the Store contract: metadata from webhooks, default-branch reports, the weekly trend
// kept on write, orgs with their settings and teams. Each backend's test file runs it on a fresh store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../../src/engine/report.js";
import { addToTrend, TREND_WEEKS, WEEK_MS, weekOf, weekStart } from "../../src/store/dashboard.js";
import type { Store } from "../../src/store/store.js";
import type { OpenStore } from "./contract.js";
import { scanInput } from "./helpers.js";

export const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 0, 6); // a Monday

export function report(score: number, milestones: Record<string, "pass" | "fail" | "na"> = {}): Report {
  return {
    schemaVersion: "1.0.0",
    tool: { name: "devops-ladder", version: "test" },
    target: { kind: "github", root: "acme/api" },
    score,
    level: "junior",
    tasks: [],
    milestones: Object.entries(milestones).map(([id, status]) => ({
      id,
      level: "senior",
      title: id,
      description: "",
      status,
      evidence: [],
      mode: "all",
      signals: [],
    })),
    next: null,
    findings: [],
    config: { valid: true },
    stats: { files: 0, candidates: 0, read: 0, skipped: 0, durationMs: 0 },
  };
}

export function describeDashboardContract(backend: string, openFresh: OpenStore): void {
  let store: Store;
  beforeEach(async () => {
    store = await openFresh();
  });
  afterEach(async () => {
    await store.close();
  });

  describe(`${backend}: weeks and trends`, () => {
    it("starts weeks on Mondays, UTC", () => {
      expect(new Date(weekStart(weekOf(T0 + 3 * DAY))).toISOString()).toBe("2025-01-06T00:00:00.000Z");
      expect(weekOf(T0 - 1)).toBe(weekOf(T0) - 1);
    });

    it("keeps the newest score of each week and a year of weeks", () => {
      let trend = addToTrend([], T0, 10);
      trend = addToTrend(trend, T0 + DAY, 20);
      expect(trend).toEqual([{ week: weekOf(T0), score: 20 }]);
      for (let w = 1; w <= 60; w++) trend = addToTrend(trend, T0 + w * WEEK_MS, w);
      expect(trend).toHaveLength(TREND_WEEKS);
      expect(trend[0]!.week).toBe(weekOf(T0) + 60 - TREND_WEEKS + 1);
      expect(trend.at(-1)).toEqual({ week: weekOf(T0) + 60, score: 60 });
    });
  });

  describe(`${backend}: reports and metadata`, () => {
    it("lists an org's repositories with their badge scan, milestones, teams, topics and trend", async () => {
      await store.scans.record(scanInput({ repo: "acme/api", score: 40, scannedAt: T0 }));
      await store.dashboard.saveReport({
        repo: "acme/api",
        headSha: "a".repeat(40),
        scannedAt: T0,
        report: report(40, { deploy_script: "pass", alerts: "fail" }),
        codeownerTeams: ["@acme/platform"],
        installationId: 7,
      });
      await store.dashboard.saveReport({
        repo: "acme/api",
        headSha: "b".repeat(40),
        scannedAt: T0 + WEEK_MS,
        report: report(55, { deploy_script: "pass", alerts: "pass" }),
        codeownerTeams: ["@acme/platform", "@acme/sre"],
      });
      await store.dashboard.saveMeta({
        repo: "acme/api",
        private: false,
        topics: ["payments"],
        description: "The API",
      });
      await store.dashboard.saveMeta({ repo: "acme/web", private: true, installationId: 7 });
      await store.dashboard.saveMeta({ repo: "acme-labs/x", private: false });

      const repos = await store.dashboard.orgRepos("ACME");
      expect(repos.map((r) => r.repo)).toEqual(["acme/api", "acme/web"]);
      const [api, web] = repos;
      expect(api).toMatchObject({
        private: false,
        topics: ["payments"],
        description: "The API",
        codeownerTeams: ["@acme/platform", "@acme/sre"],
        milestones: { deploy_script: "pass", alerts: "pass" },
        trend: [
          { week: weekOf(T0), score: 40 },
          { week: weekOf(T0) + 1, score: 55 },
        ],
        scan: { score: 40, level: "senior" },
      });
      // known from a webhook, never scanned: listed without a scan
      expect(web).toMatchObject({ private: true, milestones: {}, trend: [] });
      expect(web!.scan).toBeUndefined();
      expect(await store.dashboard.org("acme")).toMatchObject({ org: "acme", installationId: 7, teamsFetchedAt: 0 });
      expect((await store.dashboard.orgs()).map((o) => o.org)).toEqual(["acme", "acme-labs"]);
    });

    it("answers every read with the latest writes: visibility, reports, removals", async () => {
      await store.scans.record(scanInput({ repo: "acme/api", private: false, score: 10 }));
      expect((await store.dashboard.orgRepos("acme")).map((r) => [r.private, r.scan?.score])).toEqual([[false, 10]]);
      await store.scans.setPrivate("acme/api", true);
      await store.scans.record(scanInput({ repo: "acme/api", private: true, score: 20 }));
      await store.dashboard.saveReport({
        repo: "acme/api",
        headSha: "x",
        report: report(20, { iac: "pass" }),
        codeownerTeams: [],
      });
      const [api] = await store.dashboard.orgRepos("acme");
      expect(api).toMatchObject({ private: true, scan: { score: 20 }, milestones: { iac: "pass" } });
      await store.scans.forget("acme/api");
      expect(await store.dashboard.orgRepos("acme")).toEqual([]);
    });

    it("keeps the newer report when an older one arrives late", async () => {
      await store.dashboard.saveReport({
        repo: "acme/api",
        headSha: "new",
        scannedAt: T0 + DAY,
        report: report(70),
        codeownerTeams: [],
      });
      await store.dashboard.saveReport({
        repo: "acme/api",
        headSha: "old",
        scannedAt: T0,
        report: report(10),
        codeownerTeams: [],
      });
      const detail = await store.dashboard.repoReport("ACME/API");
      expect(detail).toMatchObject({ repo: "acme/api", headSha: "new", scannedAt: T0 + DAY });
      expect(detail!.report.score).toBe(70);
    });

    it("records a repository first seen in a report as private, and leaves a known one's visibility to the scans", async () => {
      await store.dashboard.saveReport({ repo: "acme/new", headSha: "x", report: report(1), codeownerTeams: [] });
      expect((await store.dashboard.repoReport("acme/new"))!.private).toBe(true);
      await store.scans.record(scanInput({ repo: "acme/pub", private: false }));
      await store.dashboard.saveReport({
        repo: "acme/pub",
        private: true,
        headSha: "x",
        report: report(1),
        codeownerTeams: [],
      });
      await store.dashboard.saveMeta({ repo: "acme/pub", private: true });
      expect((await store.dashboard.repoReport("acme/pub"))!.private).toBe(false);
      expect((await store.scans.badge("acme/pub"))!.private).toBe(false);
    });

    it("forgets a repository's report and metadata with the repository", async () => {
      await store.dashboard.saveReport({ repo: "acme/api", headSha: "x", report: report(1), codeownerTeams: [] });
      await store.scans.forget("acme/api");
      expect(await store.dashboard.repoReport("acme/api")).toBeUndefined();
      expect(await store.dashboard.orgRepos("acme")).toEqual([]);
    });

    it("saves many reports in one transaction: all or none", async () => {
      await expect(
        store.dashboard.saveReports([
          { repo: "acme/a", headSha: "x", report: report(1), codeownerTeams: [] },
          { repo: "not-a-name", headSha: "x", report: report(1), codeownerTeams: [] },
        ]),
      ).rejects.toThrow(/owner\/name/);
      expect(await store.dashboard.orgRepos("acme")).toEqual([]);
    });
  });

  describe(`${backend}: orgs`, () => {
    it("keeps the installation, the dashboard setting and the teams", async () => {
      await store.dashboard.setInstallation("Acme", 9);
      await store.dashboard.setDashboardPublic("acme", true, 1000);
      await store.dashboard.setTeams("acme", [{ slug: "sre", name: "SRE", secret: false, repos: ["acme/api"] }], 2000);
      expect(await store.dashboard.org("ACME")).toEqual({
        org: "Acme",
        installationId: 9,
        dashboardPublic: true,
        settingsCheckedAt: 1000,
        teams: [{ slug: "sre", name: "SRE", secret: false, repos: ["acme/api"] }],
        teamsFetchedAt: 2000,
      });
      // GitHub refused the teams: none stored, and the time it was asked
      await store.dashboard.setTeams("acme", undefined, 3000);
      await store.dashboard.setInstallation("Acme", null);
      const org = await store.dashboard.org("acme");
      expect(org!.teams).toBeUndefined();
      expect(org!.installationId).toBeUndefined();
      expect(org!.teamsFetchedAt).toBe(3000);
    });
  });
}
