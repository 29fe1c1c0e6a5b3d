import { describe, expect, it } from "vitest";
import { isDockerfileName } from "../../src/analyzers/container/dockerfile.js";
import { analyze } from "../helpers.js";
import { loadFixture } from "./load.js";

const rules = (findings: { rule: string }[]) => findings.map((f) => f.rule);

describe("Dockerfile names", () => {
  it.each([
    "Dockerfile",
    "dockerfile",
    "Containerfile",
    "Dockerfile.prod",
    "Dockerfile-dev",
    "api.Dockerfile",
    "web.containerfile",
  ])("reads %s", (name) => expect(isDockerfileName(name.toLowerCase())).toBe(true));
  it.each([
    "Dockerfile.md",
    ".dockerignore",
    "Dockerfile.dockerignore",
    "Dockerfile.j2",
    "dockerfile.go",
    "Dockerfiles",
    "README",
    "docker-compose.yml",
  ])("skips %s", (name) => expect(isDockerfileName(name.toLowerCase())).toBe(false));
});

describe("Dockerfile analyzer", () => {
  it("reads stages, digests, ARG-substituted images, the final user, health check, ports and build steps", async () => {
    const { facts } = await analyze(loadFixture("good"));
    const main = facts.all("dockerfile").find((d) => d.path === "Dockerfile")!;
    expect(main.stages.map((s) => [s.line, s.pin, s.name])).toEqual([
      [4, "digest", "build"],
      [13, "digest", undefined],
    ]);
    expect(main.stages[0]!.image).toBe(
      "node:20.11-alpine@sha256:2f46fd49c767554c089a5eb219115313b72748d8f62f5eccb58ef52bc36db4ad",
    );
    expect(main.stages[0]!.tag).toBe("20.11-alpine");
    expect(main.stages[0]!.buildSteps).toEqual([{ line: 10, command: "npm run build" }]);
    expect(main.stages[1]!.copiesFrom).toEqual([
      { stage: "build", line: 15 },
      { stage: "build", line: 16 },
    ]);
    expect(main.user).toEqual({ name: "node", line: 19, root: false, from: "USER" });
    expect(main.healthcheck).toEqual({ line: 18, disabled: false });
    expect(main.exposes).toEqual([8080]);
    expect(main.lintErrors).toEqual([]);
    expect(facts.all("healthcheck")).toContainEqual({ path: "Dockerfile", line: 18, kind: "dockerfile" });

    const api = facts.all("dockerfile").find((d) => d.path === "services/api/api.Dockerfile")!;
    expect(api.stages.map((s) => s.pin)).toEqual(["tag", "tag"]);
    expect(api.user).toMatchObject({ root: false, from: "base-image", line: 6 });
  });

  it("emits RUN commands with file lines: flags, continuations with comment lines, exec form", async () => {
    const { facts } = await analyze(loadFixture("good"));
    const commands = facts.all("command").filter((c) => c.path === "Dockerfile");
    expect(commands.map((c) => [c.line, c.argv.join(" "), c.origin, c.unit])).toEqual([
      [7, "npm ci", "dockerfile", "build"],
      [10, "npm run build", "dockerfile", "build"],
      [11, "npm prune --omit=dev", "dockerfile", "build"],
    ]);
    const exec = await analyze({ Dockerfile: 'FROM alpine:3.19\nRUN ["pg_dump", "-Fc", "db"]\n' });
    expect(exec.facts.all("command")).toEqual([
      { path: "Dockerfile", line: 2, argv: ["pg_dump", "-Fc", "db"], origin: "dockerfile", unit: "stage 0" },
    ]);
  });

  it("runs a heredoc body as a script, and does not lint it as instructions", async () => {
    const { facts, findings } = await analyze(loadFixture("heredoc"));
    expect(facts.all("command").map((c) => [c.line, c.argv[0]])).toEqual([
      [3, "set"],
      [4, "apt-get"],
      [5, "apt-get"],
    ]);
    // dockerfilelint alone reports invalid_command for `set -eu` and `apt-get update` (lines 3, 4)
    expect(findings.filter((f) => f.rule === "dockerfile/invalid_command")).toEqual([]);
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: "docker/apt-install-recommends", line: 5, severity: "note" }),
    );
  });

  it("maps dockerfilelint results to findings with lines, severities and remediation", async () => {
    const { findings, facts } = await analyze(loadFixture("lint-errors"));
    const lint = findings.filter((f) => f.rule.startsWith("dockerfile/"));
    expect(lint.map((f) => [f.line, f.rule, f.severity])).toEqual(
      expect.arrayContaining([
        [2, "dockerfile/uppercase_commands", "note"],
        [2, "dockerfile/apt-get_missing_param", "error"],
        [2, "dockerfile/apt-get_recommends", "note"],
        [3, "dockerfile/expose_host_port", "warning"],
        [4, "dockerfile/invalid_command", "error"],
      ]),
    );
    expect(lint.every((f) => f.remediation && f.message)).toBe(true);
    // no duplicate of dockerfilelint's own apt-get_recommends
    expect(rules(findings)).not.toContain("docker/apt-install-recommends");
    expect(facts.all("dockerfile")[0]!.lintErrors).toEqual([
      { line: 2, rule: "dockerfile/apt-get_missing_param" },
      { line: 4, rule: "dockerfile/invalid_command" },
    ]);
  });

  it("does not count an error that is suppressed in place", async () => {
    const { facts } = await analyze({
      Dockerfile: "FROM debian:12\n# devops-ladder-ignore dockerfile/invalid_command\nFROBNICATE now\nUSER 1\n",
    });
    expect(facts.all("dockerfile")[0]!.lintErrors).toEqual([]);
  });

  it("survives dockerfilelint crashing on a HEALTHCHECK without options, keeping the other results", async () => {
    const { findings, facts } = await analyze({
      Dockerfile: "FROM debian:12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nrun true\n",
    });
    expect(rules(findings)).toContain("dockerfile/uppercase_commands");
    expect(rules(findings)).not.toContain("dockerfile/linter-failed");
    expect(facts.all("dockerfile")[0]!.healthcheck).toEqual({ line: 2, disabled: false });
  });

  it("accepts every HEALTHCHECK option Docker knows (--start-period, --start-interval), across continuation lines", async () => {
    const text =
      "FROM debian:12\nUSER 1\nHEALTHCHECK --start-period=20s --start-interval=2s \\\n" +
      "  --interval=1m30s --timeout=500ms --retries=3 CMD true\n";
    const { findings, facts } = await analyze({ Dockerfile: text });
    expect(rules(findings)).not.toContain("dockerfile/invalid_format");
    expect(facts.all("dockerfile")[0]!.lintErrors).toEqual([]);
  });

  it("takes any MAINTAINER text as Docker does, and still says MAINTAINER is deprecated", async () => {
    const { findings } = await analyze({ Dockerfile: "FROM node:20\nMAINTAINER MEAN.JS\nUSER node\n" });
    expect(rules(findings)).not.toContain("dockerfile/missing_args");
    expect(rules(findings)).toContain("dockerfile/deprecated_in_1.13");
    const empty = await analyze({ Dockerfile: "FROM node:20\nMAINTAINER\nUSER node\n" });
    expect(rules(empty.findings)).toContain("dockerfile/required_params");
  });

  it("accepts EXPOSE of build variables and port ranges, and still flags ports Docker refuses", async () => {
    const ok = await analyze({
      Dockerfile: "FROM node:20\nARG PORT=3000\nEXPOSE $PORT 9229 ${METRICS_PORT:-9100}/tcp 8000-8010/udp\nUSER node\n",
    });
    expect(rules(ok.findings)).not.toContain("dockerfile/invalid_port");
    const bad = await analyze({ Dockerfile: "FROM node:20\nEXPOSE 70000\nEXPOSE http\nUSER node\n" });
    expect(bad.findings.filter((f) => f.rule === "dockerfile/invalid_port").map((f) => f.line)).toEqual([2, 3]);
  });

  it.each([
    ["an unknown option", "HEALTHCHECK --bogus=1 CMD true"],
    ["an option without a value", "HEALTHCHECK --start-period CMD true"],
    ["a malformed duration", "HEALTHCHECK --start-period=soon CMD true"],
    ["a non-numeric retry count", "HEALTHCHECK --start-period=20s --retries=many CMD true"],
  ])("still reports a HEALTHCHECK with %s as an invalid format", async (_label, line) => {
    const { facts } = await analyze({ Dockerfile: `FROM debian:12\nUSER 1\n${line}\n` });
    expect(facts.all("dockerfile")[0]!.lintErrors).toContainEqual(
      expect.objectContaining({ rule: "dockerfile/invalid_format", line: 3 }),
    );
  });

  it("replaces dockerfilelint's tag checks: stages, --platform and scratch are not untagged images", async () => {
    const text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM scratch AS empty\nFROM build\nUSER 1000\n";
    const { findings, facts } = await analyze({ Dockerfile: text });
    expect(rules(findings).filter((r) => /tag|unpinned/.test(r))).toEqual([]);
    expect(facts.all("dockerfile")[0]!.stages.map((s) => s.pin)).toEqual(["tag", "scratch", "stage"]);
  });

  it("flags latest and untagged base images, not tags or digests", async () => {
    const { findings, facts } = await analyze(loadFixture("unpinned"));
    expect(facts.all("dockerfile")[0]!.stages.map((s) => s.pin)).toEqual(["untagged", "latest"]);
    expect(findings.filter((f) => f.rule === "docker/unpinned-base-image").map((f) => f.line)).toEqual([1, 4]);
  });

  it("resolves ARG defaults in FROM and USER; a FROM argument without a default is unresolved", async () => {
    const { facts, findings } = await analyze(loadFixture("arg-from"));
    const fact = facts.all("dockerfile")[0]!;
    expect(fact.stages.map((s) => [s.image, s.pin])).toEqual([
      ["docker.io/library/python:3.12-slim", "tag"],
      ["${RUNTIME_IMAGE}", "unresolved"],
    ]);
    expect(fact.stages[0]!.buildSteps).toHaveLength(1);
    expect(fact.user).toEqual({ name: "10001", line: 10, root: false, from: "USER" });
    expect(rules(findings)).not.toContain("docker/unpinned-base-image");
  });

  it("takes the user of the final stage only: a USER in a build stage does not carry over", async () => {
    const { facts, findings } = await analyze(loadFixture("root-final-stage"));
    expect(facts.all("dockerfile")[0]!.user).toBeUndefined();
    expect(findings).toContainEqual(expect.objectContaining({ rule: "docker/root-user", line: 7 }));
  });

  it("inherits USER through FROM <stage>", async () => {
    const { facts } = await analyze(loadFixture("inherited-user"));
    expect(facts.all("dockerfile")[0]!.user).toEqual({ name: "10001", line: 3, root: false, from: "USER" });
  });

  it.each([
    ["USER 0", true],
    ["USER root", true],
    ["USER ContainerAdministrator", true],
    ["USER 0:0", true],
    ["USER root:app", true],
    ["USER app:0", false],
    ["USER 10001:10001", false],
  ])("%s runs as root: %s", async (line, root) => {
    const { facts } = await analyze({ Dockerfile: `FROM debian:12\n${line}\n` });
    expect(facts.all("dockerfile")[0]!.user?.root).toBe(root);
  });

  it("reads no shell commands where RUN is not sh: SHELL powershell, escape=` files, Windows images", async () => {
    const cases = [
      'FROM debian:12\nSHELL ["pwsh", "-Command"]\nRUN Get-ChildItem -Path \'C:\\\'\nSHELL ["/bin/bash", "-c"]\nRUN echo ok\n',
      "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Get-ChildItem\n",
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir C:\\ & echo "x\n',
    ];
    const results = await Promise.all(cases.map((text) => analyze({ Dockerfile: text })));
    expect(results.map((r) => r.facts.all("command").map((c) => c.argv.join(" ")))).toEqual([["echo ok"], [], []]);
    expect(results.flatMap((r) => r.findings).filter((f) => f.rule === "dockerfile/shell-syntax")).toEqual([]);
  });

  it("the last USER wins (fixture user-zero ends with USER 0)", async () => {
    const { facts, findings } = await analyze(loadFixture("user-zero"));
    expect(facts.all("dockerfile")[0]!.user).toMatchObject({ name: "0", line: 5, root: true });
    expect(findings).toContainEqual(expect.objectContaining({ rule: "docker/root-user", line: 5 }));
  });

  it("HEALTHCHECK NONE in the final stage switches an inherited health check off", async () => {
    const { facts } = await analyze(loadFixture("healthcheck-disabled"));
    expect(facts.all("dockerfile")[0]!.healthcheck).toEqual({ line: 5, disabled: true });
    expect(facts.all("healthcheck").filter((h) => h.kind === "dockerfile")).toEqual([]);
  });

  it("ADD of a remote URL is a finding unless BuildKit checks its checksum", async () => {
    const text =
      "FROM debian:12\nADD https://example.com/a.tgz /tmp/\n" +
      "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d " +
      "https://example.com/b.tgz /tmp/\nADD ./local /x\nUSER 1\n";
    const { findings } = await analyze({ Dockerfile: text });
    expect(findings.filter((f) => f.rule === "docker/add-remote-url").map((f) => f.line)).toEqual([2]);
  });

  it("reads a Dockerfile with a BOM and CRLF line endings", async () => {
    const { facts, findings } = await analyze(loadFixture("crlf-bom"));
    const fact = facts.all("dockerfile")[0]!;
    expect(fact.stages[0]).toMatchObject({ image: "alpine:3.19", line: 1, pin: "tag" });
    expect(fact.user).toMatchObject({ name: "65534", line: 5, root: false });
    expect(fact.healthcheck).toEqual({ line: 4, disabled: false });
    expect(facts.all("command").map((c) => [c.line, c.argv.join(" ")])).toEqual([
      [2, "apk add --no-cache curl ca-certificates"],
    ]);
    expect(findings.filter((f) => f.severity !== "note")).toEqual([]);
  });

  it("a .devcontainer Dockerfile is marked and not held to the shipping rules", async () => {
    const { facts, findings } = await analyze(loadFixture("devcontainer-only"));
    expect(facts.all("dockerfile")[0]!.devcontainer).toBe(true);
    expect(rules(findings)).not.toContain("docker/root-user");
    expect(rules(findings)).not.toContain("docker/unpinned-base-image");
  });

  describe("malformed input becomes findings, never a crash", () => {
    it.each([
      ["an empty file", ""],
      ["only comments", "# nothing here\n\n"],
      ["no FROM", "RUN echo hi\nUSER 1\n"],
      ["text that is not a Dockerfile", '{"json": true}\n'],
      ["control characters", "\u0001\u0002\u0003 garbage\n\u0007"],
      ["FROM without an image", "FROM\n"],
    ])("%s", async (_label, text) => {
      const { facts, findings } = await analyze({ Dockerfile: text });
      const [fact] = facts.all("dockerfile");
      expect(fact!.stages).toEqual([]);
      expect(fact!.lintErrors).toContainEqual(expect.objectContaining({ rule: "dockerfile/parse-error" }));
      expect(findings).toContainEqual(
        expect.objectContaining({ path: "Dockerfile", rule: "dockerfile/parse-error", severity: "error" }),
      );
    });

    it("a binary file with a Dockerfile name is skipped by the engine", async () => {
      const { findings, facts } = await analyze({ Dockerfile: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]) });
      expect(rules(findings)).toEqual(["scan/binary-file"]);
      expect(facts.all("dockerfile")).toEqual([]);
    });

    it("a RUN that is not valid shell is a warning with its line; the rest is still read", async () => {
      const { findings, facts } = await analyze({ Dockerfile: "FROM debian:12\nRUN echo 'unclosed\nUSER 1\n" });
      expect(findings).toContainEqual(
        expect.objectContaining({ rule: "dockerfile/shell-syntax", line: 2, severity: "warning" }),
      );
      expect(facts.all("dockerfile")[0]!.user?.name).toBe("1");
    });

    it("a broken RUN between good ones: the error is placed, the other RUNs are still read", async () => {
      const text = 'FROM debian:12\nRUN apt-get update\nRUN echo "unclosed\nRUN \\\n  useradd app\nUSER app\n';
      const { findings, facts } = await analyze({ Dockerfile: text });
      expect(findings.filter((f) => f.rule === "dockerfile/shell-syntax").map((f) => f.line)).toEqual([3]);
      expect(facts.all("command").map((c) => [c.line, c.argv[0]])).toEqual([
        [2, "apt-get"],
        [5, "useradd"],
      ]);
    });

    it("FROM without an image, and an unterminated heredoc", async () => {
      const { findings } = await analyze({ Dockerfile: "FROM\nFROM debian:12\nRUN <<EOF\necho never closed\n" });
      expect(findings).toContainEqual(expect.objectContaining({ rule: "dockerfile/parse-error", line: 1 }));
    });
  });
});
