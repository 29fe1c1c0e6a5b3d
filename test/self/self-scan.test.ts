// The scanner on this repository's own checkout, with its own config: devops-ladder practises what it grades.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CONFIG_PATH, parseConfig } from "../../src/config/config.js";
import { type Report, scan } from "../../src/engine/index.js";
import { localSnapshot } from "../../src/sources/local.js";
import { ROOT } from "./root.js";

let report: Report;

beforeAll(async () => {
  const configFile = join(ROOT, CONFIG_PATH);
  const loaded = existsSync(configFile) ? parseConfig(readFileSync(configFile, "utf8"), CONFIG_PATH) : undefined;
  report = await scan(localSnapshot(ROOT), {
    config: loaded?.config,
    configFindings: loaded?.findings,
    configSource: loaded?.source,
  });
});

/** What is missing, readable in a failure message. */
function missing(r: Report): string {
  const milestones = r.milestones.filter((m) => m.status === "fail").map((m) => `${m.id}: ${m.signals.join(", ")}`);
  const signals = r.tasks
    .flatMap((t) => t.signals)
    .filter((s) => s.status === "fail")
    .map((s) => `${s.id}: ${s.reason}`);
  return [...milestones, ...signals].join("\n");
}

describe("devops-ladder on its own checkout", () => {
  it("reads its own config without complaint", () => {
    expect(report.config).toEqual({ source: CONFIG_PATH, valid: true });
  });

  it("reaches Lead: every milestone of every level passes", () => {
    expect(report.level, missing(report)).toBe("lead");
    expect(report.next).toBeNull();
    const notPassing = report.milestones.filter((m) => m.status !== "pass").map((m) => `${m.id} ${m.status}`);
    expect(notPassing, missing(report)).toEqual([]);
  });

  it("has no finding of severity error", () => {
    const errors = report.findings
      .filter((f) => f.severity === "error")
      .map((f) => `${f.path}:${f.line} ${f.rule} ${f.message}`);
    expect(errors).toEqual([]);
  });

  it("meets each Lead milestone with the project's own files, not fixtures or the rubric's docs", () => {
    const evidence = Object.fromEntries(report.milestones.map((m) => [m.id, m.evidence.map((e) => e.path)]));
    expect(evidence.deploy_script).toContain("scripts/deploy.sh");
    expect(evidence.auto_rollback).toContain("scripts/deploy.sh");
    expect(evidence.db_backups).toContain(".github/workflows/backup.yml");
    expect(evidence.log_aggregation).toContain("monitoring/promtail.yml");
    expect(evidence.alerts).toContain("monitoring/alerts.yml");
    expect(evidence.iac!.every((p) => p.startsWith("infra/terraform/"))).toBe(true);
    for (const paths of Object.values(evidence)) {
      for (const p of paths) expect(p).not.toMatch(/^(fixtures|docs\/rules|test)\//);
    }
  });

  it("passes the hygiene signals of the tasks it can meet (pinned actions, least privilege, non-root, lint-clean image)", () => {
    const status = Object.fromEntries(report.tasks.flatMap((t) => t.signals).map((s) => [s.id, s.status]));
    for (const id of [
      "cicd/pinned-actions",
      "cicd/token-permissions",
      "cicd/deploy-approval",
      "cicd/deploy-concurrency",
      "cicd/job-timeouts",
      "docker/pinned-base-images",
      "docker/non-root-user",
      "docker/healthcheck",
      "docker/lint-clean",
      "docker/multi-stage",
      "deploy/strict-shell",
      "deploy/per-environment",
      "backups/backup-offsite",
      "backups/restore-docs",
      "backups/dr-runbook",
      "monitoring/security-scanning",
      "monitoring/dependency-updates",
      "coordination/codeowners-devops",
    ]) {
      expect(`${id} ${status[id]}`).toBe(`${id} pass`);
    }
  });
});
