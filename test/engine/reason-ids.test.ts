// Every signal's reason carries a stable id in the report: the engine's own (config, conditions, suppression)
// and the detector's. Tests and tools compare the id; the prose may change.
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION } from "../../src/engine/report.js";
import { scanFiles } from "../helpers.js";

const signal = (report: Awaited<ReturnType<typeof scanFiles>>, id: string) =>
  report.tasks.flatMap((t) => t.signals).find((s) => s.id === id)!;

describe("reason ids", () => {
  it("the engine's: disabled and not applicable in the config, a condition that does not hold", async () => {
    const report = await scanFiles(
      { "README.md": "# app\n" },
      "signals:\n  deploy/deploy-script: { enabled: false }\n  deploy/deploy-docs: { not_applicable: a library }\n",
    );
    expect(signal(report, "deploy/deploy-script")).toMatchObject({ status: "na", reasonId: "disabled" });
    expect(signal(report, "deploy/deploy-docs")).toMatchObject({ status: "na", reasonId: "not-applicable-by-config" });
    expect(signal(report, "backups/db-backups")).toMatchObject({ status: "na", reasonId: "not-has-datastore" });
    expect(report.schemaVersion).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe("1.2.0");
  });

  it("the detector's, next to its prose; a pass has none", async () => {
    const report = await scanFiles({ Dockerfile: "FROM node:20\nUSER node\n" });
    expect(signal(report, "docker/dockerignore")).toMatchObject({ status: "fail", reasonId: "no-dockerignore" });
    expect(signal(report, "docker/non-root-user").reasonId).toBeUndefined();
  });
});
