// End to end through the real engine: rules/docker.yml, analyzers, detectors, ignores and scoring.
import { describe, expect, it } from "vitest";
import { scanFiles, signalOf } from "../helpers.js";
import { loadFixture } from "./load.js";

describe("docker task, end to end", () => {
  it("docker/non-root-user passes with the USER line as evidence", async () => {
    const report = await scanFiles(loadFixture("good"));
    const signal = signalOf(report, "docker/non-root-user");
    expect(signal.status).toBe("pass");
    expect(signal.evidence).toContainEqual(expect.objectContaining({ path: "Dockerfile", line: 19 }));
  });

  it("docker/non-root-user fails when the USER line is missing, with a finding at the final FROM", async () => {
    const files = loadFixture("good");
    const text = new TextDecoder().decode(files.Dockerfile as Uint8Array);
    files.Dockerfile = text.replace("USER node\n", "");
    const report = await scanFiles(files);
    const signal = signalOf(report, "docker/non-root-user");
    expect(signal.status).toBe("fail");
    expect(signal.evidence).toEqual([{ path: "Dockerfile", line: 13, note: "no USER in the final stage" }]);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ path: "Dockerfile", line: 13, rule: "docker/root-user" }),
    );
  });

  it("every Dockerfile-only signal is not applicable for a repository without Dockerfiles", async () => {
    const report = await scanFiles({ "README.md": "# a library\n", "src/index.ts": "export {};\n" });
    const docker = report.tasks.find((t) => t.id === "docker")!;
    const byStatus = Object.fromEntries(docker.signals.map((s) => [s.id, s.status]));
    expect(byStatus).toEqual({
      "docker/dockerfile": "fail",
      "docker/dockerignore": "na",
      "docker/pinned-base-images": "na",
      "docker/multi-stage": "na",
      "docker/non-root-user": "na",
      "docker/healthcheck": "na",
      "docker/lint-clean": "na",
      "docker/compose-file": "fail",
    });
    expect(signalOf(report, "docker/non-root-user").reasonId).toBe("not-builds-containers");
  });

  it("Dockerfiles under node_modules/ and vendor/ are not evidence", async () => {
    const root = new TextEncoder().encode("FROM node:latest\n");
    const report = await scanFiles({
      "node_modules/pkg/Dockerfile": root,
      "vendor/lib/Dockerfile": root,
      "README.md": "# app\n",
    });
    expect(signalOf(report, "docker/dockerfile").status).toBe("fail");
    expect(signalOf(report, "docker/non-root-user").status).toBe("na");
    expect(report.findings.filter((f) => f.path.includes("Dockerfile"))).toEqual([]);
  });

  it("the good fixture passes every docker signal and scores 100", async () => {
    const report = await scanFiles(loadFixture("good"));
    const docker = report.tasks.find((t) => t.id === "docker")!;
    expect(docker.signals.filter((s) => s.status !== "pass").map((s) => [s.id, s.reason])).toEqual([]);
    expect(docker.score).toBe(100);
    for (const signal of docker.signals) {
      expect(signal.evidence.length).toBeGreaterThan(0);
      expect(signal.evidence.every((e) => e.path && typeof e.line === "number")).toBe(true);
    }
  });

  it("docker/healthcheck accepts the Kubernetes liveness probe of the app's Deployment, not a startup probe", async () => {
    const deployment = (probe: string) =>
      [
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata:",
        "  name: app",
        "spec:",
        "  template:",
        "    spec:",
        "      containers:",
        "        - name: app",
        "          image: ghcr.io/acme/app:1.4.2",
        `          ${probe}:`,
        "            httpGet: {path: /healthz, port: 8080}",
        "",
      ].join("\n");
    const files = { Dockerfile: "FROM node:20-alpine\nUSER node\n" };
    const live = await scanFiles({ ...files, "k8s/deployment.yaml": deployment("livenessProbe") });
    expect(signalOf(live, "docker/healthcheck")).toMatchObject({
      status: "pass",
      evidence: [expect.objectContaining({ path: "k8s/deployment.yaml", line: 11 })],
    });
    const startup = await scanFiles({ ...files, "k8s/deployment.yaml": deployment("startupProbe") });
    expect(signalOf(startup, "docker/healthcheck").status).toBe("fail");
  });

  it("a repository config can mark non-root-user not applicable", async () => {
    const config = "signals:\n  docker/non-root-user:\n    not_applicable: the image is a build tool run by CI only\n";
    const report = await scanFiles(loadFixture("root-final-stage"), config);
    expect(signalOf(report, "docker/non-root-user").status).toBe("na");
  });
});
