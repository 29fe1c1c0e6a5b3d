// The bundled fixture repositories land on the ladder where they should, for the right reasons.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/config.js";
import { type Report, scan } from "../src/engine/index.js";
import { localSnapshot } from "../src/sources/local.js";

async function scanFixture(name: string): Promise<Report> {
  const dir = `fixtures/repos/${name}`;
  let loaded;
  try {
    loaded = parseConfig(readFileSync(`${dir}/.github/devops-ladder.yml`, "utf8"));
  } catch {
    loaded = undefined;
  }
  return scan(localSnapshot(dir), {
    config: loaded?.config,
    configFindings: loaded?.findings,
    configSource: loaded?.source,
  });
}

const milestone = (r: Report, id: string) => r.milestones.find((m) => m.id === id)!;
const signal = (r: Report, id: string) => r.tasks.flatMap((t) => t.signals).find((s) => s.id === id)!;

describe("level fixtures", () => {
  it("junior: no automated deploy, no deploy docs, no alerts", async () => {
    const r = await scanFixture("junior");
    expect(r.level).toBe("junior");
    expect(milestone(r, "deploy_script").status).toBe("fail");
    expect(milestone(r, "deploy_docs").status).toBe("fail");
    expect(milestone(r, "alerts").status).toBe("fail");
    expect(r.next?.level).toBe("senior");
    expect(r.next?.missing.map((m) => m.id)).toEqual(["deploy_script", "deploy_docs", "alerts"]);
    // the root-running, unpinned Dockerfile is flagged, at its lines
    expect(signal(r, "docker/non-root-user").status).toBe("fail");
    expect(r.findings.some((f) => f.path === "Dockerfile" && f.line === 1)).toBe(true);
  });

  it("senior: deploy script, deploy docs and an alert rule; nothing of Lead", async () => {
    const r = await scanFixture("senior");
    expect(r.level).toBe("senior");
    expect(milestone(r, "deploy_script")).toMatchObject({ status: "pass" });
    expect(milestone(r, "deploy_script").evidence).toContainEqual(
      expect.objectContaining({ path: "scripts/deploy.sh" }),
    );
    expect(milestone(r, "deploy_docs").evidence).toContainEqual(expect.objectContaining({ path: "docs/deploy.md" }));
    expect(milestone(r, "alerts").evidence).toContainEqual({
      path: "monitoring/alerts.yml",
      line: 6,
      note: expect.any(String),
    });
    for (const id of ["iac", "log_aggregation", "security_hardening", "auto_rollback", "db_backups"]) {
      expect(milestone(r, id).status, id).toBe("fail");
    }
    expect(r.next?.level).toBe("lead");
  });

  it("lead: every milestone met, with evidence", async () => {
    const r = await scanFixture("lead");
    const failing = r.milestones.filter((m) => m.status !== "pass").map((m) => `${m.id}: ${m.status}`);
    expect(failing).toEqual([]);
    expect(r.level).toBe("lead");
    expect(r.next).toBeNull();
    for (const m of r.milestones) expect(m.evidence.length, m.id).toBeGreaterThan(0);
    expect(milestone(r, "db_backups").evidence.map((e) => e.path)).toEqual(
      expect.arrayContaining(["deploy/k8s/base/backup-cronjob.yaml"]),
    );
    expect(milestone(r, "auto_rollback").evidence.map((e) => e.path)).toContain("scripts/deploy.sh");
    expect(r.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(r.score).toBeGreaterThanOrEqual(85);
  });

  it("broken: every malformed file becomes a finding and the scan finishes", async () => {
    const r = await scanFixture("broken");
    const rules = r.findings.map((f) => `${f.path}:${f.line}:${f.rule}`);
    expect(rules).toContain(".github/devops-ladder.yml:4:config/invalid");
    expect(rules).toContain("Dockerfile:1:scan/binary-file");
    expect(rules).toContain(".github/dependabot.yml:1:scan/symlink-outside-root");
    expect(rules).toContain("docs/deploy-fr.md:1:scan/encoding");
    const paths = new Set(r.findings.map((f) => f.path));
    for (const path of [
      ".github/workflows/ci.yml",
      "infra/main.tf",
      "deploy/k8s/bomb.yaml",
      "scripts/deploy.sh",
      "package.json",
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(r.findings.find((f) => f.path === ".github/workflows/ci.yml")!.line).toBeGreaterThan(1);
    expect(r.findings.find((f) => f.path === "scripts/deploy.sh")!.line).toBe(3);
    // the BOM + CRLF alert rule file still counts
    expect(signal(r, "monitoring/alert-rules").status).toBe("pass");
  });
});
