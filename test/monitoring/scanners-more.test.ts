// Security scanners beyond a step's own action or command: remote reusable workflows of a scanner, tools started
// by a runner (uvx, pipx run, go run …@latest), and scanners a step reaches through the repository's own code.
import { describe, expect, it } from "vitest";
import { scanOfCommand, scanOfReusableWorkflow } from "../../src/analyzers/observability/security/ci-scans.js";
import { detect } from "../helpers.js";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const notes = (r: { evidence?: { path: string; line?: number; note?: string }[] }) =>
  (r.evidence ?? []).map((e) => `${e.path}:${e.line} ${e.note}`);
const workflow = (...jobs: string[]) =>
  lines("on:", "  pull_request:", "  push:", "    branches: [main]", "jobs:", ...jobs);

describe("scanner commands through tool runners", () => {
  it("uvx, pipx run, uv tool run, go run …@latest and go tool start the scanner", () => {
    const tool = (...argv: string[]) => scanOfCommand(argv)?.tool;
    expect(tool("uvx", "zizmor", "--min-severity", "medium", ".github/workflows/ci.yml")).toBe("zizmor");
    expect(tool("uvx", "--from", "zizmor==1.9.0", "zizmor", ".")).toBe("zizmor");
    expect(tool("pipx", "run", "zizmor", ".")).toBe("zizmor");
    expect(tool("uv", "tool", "run", "pip-audit")).toBe("pip-audit");
    expect(tool("go", "run", "golang.org/x/vuln/cmd/govulncheck@latest", "./...")).toBe("govulncheck");
    expect(tool("go", "tool", "govulncheck", "./...")).toBe("govulncheck");
    expect(tool("npx", "-y", "snyk", "test")).toBe("snyk");
  });

  it("a runner starting anything else, or a scanner asked only for its version, is no scan", () => {
    expect(scanOfCommand(["uvx", "ruff", "check"])).toBeUndefined();
    expect(scanOfCommand(["go", "run", "./cmd/server"])).toBeUndefined();
    expect(scanOfCommand(["uvx", "zizmor", "--version"])).toBeUndefined();
    expect(scanOfCommand(["pipx", "install", "zizmor"])).toBeUndefined();
  });
});

describe("remote reusable workflows", () => {
  it("a scanner's reusable workflow by action or by file name; a local or unrelated one is not", () => {
    expect(
      scanOfReusableWorkflow("google/osv-scanner-action/.github/workflows/osv-scanner-reusable.yml@v2")?.tool,
    ).toBe("osv-scanner");
    expect(scanOfReusableWorkflow("acme/.github/.github/workflows/scorecard.yml@main")?.tool).toBe("scorecard");
    expect(scanOfReusableWorkflow("acme/.github/.github/workflows/ossf-scorecard.yaml@v1")?.tool).toBe("scorecard");
    expect(scanOfReusableWorkflow("./.github/workflows/scorecard.yml")).toBeUndefined();
    expect(scanOfReusableWorkflow("acme/.github/.github/workflows/release.yml@main")).toBeUndefined();
  });

  it("passes security-scanning; a job switched off with if: false does not", async () => {
    const on = {
      ".github/workflows/security.yml": workflow(
        "  scorecard:",
        "    uses: acme/.github/.github/workflows/scorecard.yml@2f1c4e6a0b5d3e7f8a9b0c1d2e3f4a5b6c7d8e9f",
      ),
    };
    expect(notes(await detect("monitoring/security-scanning", on))).toEqual([
      ".github/workflows/security.yml:6 scorecard (supply-chain)",
    ]);
    const off = {
      ".github/workflows/security.yml": workflow(
        "  scorecard:",
        "    if: false",
        "    uses: acme/.github/.github/workflows/scorecard.yml@main",
      ),
    };
    expect(await detect("monitoring/security-scanning", off)).toMatchObject({
      status: "fail",
      reasonId: "no-security-scanner",
    });
  });
});

describe("scanners reached through the repository's code", () => {
  it("`make lint-gosec` in a CI job runs gosec; a target no job runs does not count", async () => {
    const files = {
      Makefile: lines("lint-gosec:", "\tgosec -exclude-generated ./...", "", "vuln:", "\tgovulncheck ./..."),
      ".github/workflows/ci.yml": workflow(
        "  lint:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "      - run: go install github.com/securego/gosec/v2/cmd/gosec@latest",
        "      - run: make lint-gosec",
      ),
    };
    expect(notes(await detect("monitoring/security-scanning", files))).toEqual(["Makefile:2 gosec (code)"]);
  });

  it("a Buildkite step script that runs grype; zizmor through uvx in a workflow step", async () => {
    const files = {
      ".buildkite/pipeline.yml": lines(
        "steps:",
        '  - label: ":mag: grype"',
        "    command: .buildkite/steps/grypescans.sh",
      ),
      ".buildkite/steps/grypescans.sh": lines("#!/usr/bin/env bash", "set -eu", "grype dir:. --fail-on high"),
      ".github/workflows/lint-yaml.yml": workflow(
        "  zizmor:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: uvx zizmor --min-severity medium .github/workflows/*.yml",
      ),
    };
    expect(notes(await detect("monitoring/security-scanning", files))).toEqual([
      ".buildkite/steps/grypescans.sh:3 grype (dependencies)",
      ".github/workflows/lint-yaml.yml:9 zizmor (supply-chain)",
    ]);
  });

  it("a script that only echoes a scanner's name scans nothing", async () => {
    const files = {
      "ci/scan.sh": lines("#!/bin/sh", 'echo "run grype dir:. before a release"'),
      ".github/workflows/ci.yml": workflow(
        "  scan:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: ./ci/scan.sh",
      ),
    };
    expect(await detect("monitoring/security-scanning", files)).toMatchObject({
      status: "fail",
      reasonId: "no-security-scanner",
    });
  });
});

describe("security linters turned on in golangci-lint's config", () => {
  const config = (...enable: string[]) =>
    lines('version: "2"', "linters:", "  enable:", ...enable.map((l) => `    ${l}`), "  disable:", "    - lll");
  const action = workflow(
    "  lint:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - uses: golangci/golangci-lint-action@v8",
  );

  it("gosec in linters.enable, with golangci-lint run by CI (its action, or `make lint` → golangci-lint run)", async () => {
    const files = {
      ".golangci.yml": config("- errcheck", "- gosec", "#- bodyclose"),
      ".github/workflows/ci.yml": action,
    };
    expect(notes(await detect("monitoring/security-scanning", files))).toEqual([".golangci.yml:5 gosec (code)"]);
    const viaMake = {
      ".golangci.yaml": lines("linters:", "  enable-all: true", "  disable:", "    - lll"),
      Makefile: lines("lint:", "\tgolangci-lint run ./..."),
      ".github/workflows/ci.yml": workflow(
        "  lint:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: make lint",
      ),
    };
    expect(notes(await detect("monitoring/security-scanning", viaMake))).toEqual([".golangci.yaml:2 gosec (code)"]);
  });

  it("not a scan: gosec commented out or disabled, or golangci-lint that no CI job runs", async () => {
    const cases: Record<string, string>[] = [
      { ".golangci.yml": config("- errcheck", "#- gosec"), ".github/workflows/ci.yml": action },
      {
        ".golangci.yml": lines("linters:", "  default: all", "  disable:", "    - gosec"),
        ".github/workflows/ci.yml": action,
      },
      { ".golangci.yml": config("- gosec"), Makefile: lines("lint:", "\tgolangci-lint run") },
    ];
    for (const files of cases)
      expect((await detect("monitoring/security-scanning", files)).status, JSON.stringify(files)).toBe("fail");
  });
});
