import { describe, expect, test } from "vitest";
import { scanOfCommand } from "../../src/analyzers/observability/security/ci-scans.js";
import { monitoringDetectors } from "../../src/detectors/monitoring.js";
import { FactStore } from "../../src/engine/facts.js";
import { detectContext } from "../../src/engine/scan.js";
import { detect } from "../helpers.js";
import { analyzed, fixture } from "./fixture.js";

describe("Dependabot", () => {
  test("version 2 with ecosystems passes with the first entry's line", async () => {
    const files = { ".github/dependabot.yml": fixture("security/dependabot.yml") };
    const result = await detect("monitoring/dependency-updates", files);
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([
      { path: ".github/dependabot.yml", line: 3, note: "dependabot: npm, github-actions" },
    ]);
  });

  test("open-pull-requests-limit: 0 switches updates off", async () => {
    const files = { ".github/dependabot.yml": fixture("security/dependabot-limit-0.yml") };
    expect(await detect("monitoring/dependency-updates", files)).toMatchObject({
      status: "fail",
      reasonId: "no-dependency-updates",
    });
    expect((await analyzed(files)).findings).toMatchObject([
      { rule: "monitoring/dependency-updates-disabled", line: 7 },
    ]);
  });

  test("an `allow:` list of a few named dependencies is not dependency updating", async () => {
    const narrow =
      "version: 2\nupdates:\n  - package-ecosystem: bundler\n    directory: /\n    schedule:\n      interval: daily\n" +
      '    allow:\n      - dependency-name: "brakeman"\n';
    const files = { ".github/dependabot.yml": narrow };
    const result = await detect("monitoring/dependency-updates", files);
    expect(result).toMatchObject({ status: "fail", reasonId: "narrow-allow-list" });
    expect(result.reason).toContain("Dependabot updates only brakeman (bundler)");
    expect(result.evidence).toEqual([
      { path: ".github/dependabot.yml", line: 3, note: "dependabot: only brakeman (bundler)" },
    ]);
    expect((await analyzed(files)).findings).toMatchObject([{ rule: "monitoring/dependency-updates-narrow", line: 7 }]);
    // a full entry next to it passes, and says what the narrow one leaves out
    const withActions = `${narrow}  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n`;
    const both = await detect("monitoring/dependency-updates", { ".github/dependabot.yml": withActions });
    expect(both.status).toBe("pass");
    expect(both.evidence).toEqual([
      { path: ".github/dependabot.yml", line: 9, note: "dependabot: github-actions; only brakeman (bundler)" },
    ]);
  });

  test("an `allow:` of a dependency type or of every name keeps the ecosystem up to date", async () => {
    for (const allow of ["- dependency-type: direct", "- dependency-type: all", '- dependency-name: "*"']) {
      const text =
        "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n" +
        `    allow:\n      ${allow}\n      - dependency-name: "left-pad"\n`;
      const files = { ".github/dependabot.yml": text };
      expect((await detect("monitoring/dependency-updates", files)).status).toBe("pass");
      expect((await analyzed(files)).findings).toEqual([]);
    }
  });

  test("a version 1 file is ignored by GitHub: an error, no updates", async () => {
    const files = { ".github/dependabot.yml": fixture("security/dependabot-v1.yml") };
    expect(await detect("monitoring/dependency-updates", files)).toMatchObject({
      status: "fail",
      reasonId: "no-dependency-updates",
    });
    expect((await analyzed(files)).rules).toEqual(["monitoring/invalid-dependabot"]);
  });

  test("an incomplete entry and a broken file are findings", async () => {
    const { rules } = await analyzed({
      ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n  - 3\n",
    });
    expect(rules).toEqual(["monitoring/invalid-dependabot", "monitoring/invalid-dependabot"]);
    expect((await analyzed({ ".github/dependabot.yml": "version: 2\nupdates: [\n" })).rules).toEqual([
      "monitoring/parse-error",
    ]);
  });
});

describe("Renovate", () => {
  test("renovate.json5 with comments and trailing commas", async () => {
    const result = await detect("monitoring/dependency-updates", {
      "renovate.json5": fixture("security/renovate.json5"),
    });
    expect(result).toMatchObject({
      status: "pass",
      evidence: [{ path: "renovate.json5", line: 1, note: "renovate: all" }],
    });
  });

  test("renovate.json5 with single-quoted strings, escaped quotes and a block comment keeps its lines", async () => {
    const text = [
      "{",
      "  /* the team's",
      "     schedule */",
      "  extends: ['config:recommended'],",
      "  prHeader: 'Don\\'t merge on \"Fridays\"',",
      '  schedule: ["before 6am on monday"],',
      "  packageRules: [{ matchDepTypes: ['devDependencies'], automerge: true, },],",
      "}",
    ].join("\n");
    const files = { ".github/renovate.json5": text };
    expect((await analyzed(files)).findings).toEqual([]);
    expect(await detect("monitoring/dependency-updates", files)).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/renovate.json5", line: 1 }],
    });
    const broken = { ".github/renovate.json5": "{\n  extends: ['config:recommended',\n  prHeader: 'x'\n" };
    expect((await analyzed(broken)).findings).toMatchObject([{ rule: "monitoring/parse-error" }]);
  });

  test("`enabled: false` switches it off", async () => {
    const files = { ".github/renovate.json": fixture("security/renovate-disabled.json") };
    expect(await detect("monitoring/dependency-updates", files)).toMatchObject({
      status: "fail",
      reasonId: "no-dependency-updates",
    });
    expect((await analyzed(files)).findings).toMatchObject([
      { rule: "monitoring/dependency-updates-disabled", line: 4 },
    ]);
  });

  test("the :disableRenovate preset and a rule disabling every package switch it off", async () => {
    for (const text of [
      '{"extends": [":disableRenovate"]}',
      '{"packageRules": [{"matchPackagePatterns": ["*"], "enabled": false}]}',
    ]) {
      expect(await detect("monitoring/dependency-updates", { "renovate.json": text })).toMatchObject({
        status: "fail",
        reasonId: "no-dependency-updates",
      });
    }
    const partly =
      '{"packageRules": [{"matchPackagePatterns": ["*"], "enabled": false}, {"matchPackageNames": ["react"], "enabled": true}]}';
    expect((await detect("monitoring/dependency-updates", { "renovate.json": partly })).status).toBe("pass");
  });

  test("the `renovate` key of the root package.json, with its line", async () => {
    const pkg = JSON.stringify(
      { name: "x", renovate: { extends: ["config:recommended"], enabledManagers: ["npm"] } },
      null,
      2,
    );
    const { facts } = await analyzed({ "package.json": pkg });
    expect(facts.all("dependencyUpdates")).toEqual([
      { path: "package.json", line: 3, tool: "renovate", ecosystems: ["npm"] },
    ]);
    const nested = await analyzed({ "packages/a/package.json": pkg });
    expect(nested.facts.all("dependencyUpdates")).toEqual([]);
  });

  test("broken JSON5 is a parse error", async () => {
    expect((await analyzed({ "renovate.json": '{"extends": ["config:recommended"' })).rules).toContain(
      "monitoring/parse-error",
    );
  });
});

describe("security scanning in CI", () => {
  test("CodeQL steps pass with the step line", async () => {
    const result = await detect("monitoring/security-scanning", {
      ".github/workflows/codeql.yml": fixture("security/codeql.yml"),
    });
    expect(result.status).toBe("pass");
    expect(result.evidence).toEqual([
      { path: ".github/workflows/codeql.yml", line: 13, note: "codeql (code)" },
      { path: ".github/workflows/codeql.yml", line: 16, note: "codeql (code)" },
    ]);
  });

  test("CodeQL steps with `if: false` do not count", async () => {
    const result = await detect("monitoring/security-scanning", {
      ".github/workflows/codeql.yml": fixture("security/codeql-if-false.yml"),
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-security-scanner" });
  });

  test("a job with `if: false` runs none of its scans", async () => {
    const text = fixture("security/codeql.yml").replace(
      "    runs-on: ubuntu-latest",
      "    if: false\n    runs-on: ubuntu-latest",
    );
    expect(await detect("monitoring/security-scanning", { ".github/workflows/codeql.yml": text })).toMatchObject({
      status: "fail",
      reasonId: "no-security-scanner",
    });
  });

  test("run commands: trivy image scans images, gitleaks scans secrets", async () => {
    const files = { ".github/workflows/scans.yml": fixture("security/scans-run.yml") };
    const scanning = await detect("monitoring/security-scanning", files);
    expect(scanning).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/workflows/scans.yml", line: 10, note: "trivy (image)" }],
    });
    const secrets = await detect("monitoring/secret-scanning", files);
    expect(secrets).toMatchObject({
      status: "pass",
      evidence: [{ path: ".github/workflows/scans.yml", line: 16, note: "gitleaks (secrets)" }],
    });
    const imagesOnly = {
      ".github/workflows/scans.yml": fixture("security/scans-run.yml").replace(/gitleaks/g, "echo"),
    };
    expect(await detect("monitoring/secret-scanning", imagesOnly)).toMatchObject({
      status: "fail",
      reasonId: "no-secret-scanner",
    });
  });

  test("npm audit alone is weak; a commented-out step and an echoed command are not scans", async () => {
    const files = { ".github/workflows/audit.yml": fixture("security/npm-audit-only.yml") };
    const result = await detect("monitoring/security-scanning", files);
    expect(result).toMatchObject({ status: "fail", reasonId: "only-secret-or-weak-scanners" });
    expect(result.reason).toContain("npm-audit");
    expect(result.evidence).toEqual([
      { path: ".github/workflows/audit.yml", line: 8, note: "npm-audit (dependencies), weak on its own" },
    ]);
    expect((await detect("monitoring/security-scanning", files, { accept_weak: true })).status).toBe("pass");
  });

  test("GitLab templates count unless a *_DISABLED variable switches them off", async () => {
    const files = { ".gitlab-ci.yml": fixture("security/gitlab-ci.yml") };
    const { facts } = await analyzed(files);
    expect(facts.all("securityScan").map((s) => [s.tool, s.scope, s.line])).toEqual([
      ["gitlab-sast", "code", 2],
      ["gitlab-secret-detection", "secrets", 3],
    ]);
    expect((await detect("monitoring/security-scanning", files)).status).toBe("pass");
    expect((await detect("monitoring/secret-scanning", files)).status).toBe("pass");
  });

  test("scanner commands are recognised by program and subcommand", () => {
    expect(scanOfCommand(["trivy", "fs", "."])).toEqual({ tool: "trivy", scope: "dependencies" });
    expect(scanOfCommand(["snyk", "container", "test", "app"])).toEqual({ tool: "snyk", scope: "image" });
    expect(scanOfCommand(["semgrep", "ci"])).toEqual({ tool: "semgrep", scope: "code" });
    expect(scanOfCommand(["/usr/local/bin/grype", "app:1"])).toEqual({ tool: "grype", scope: "image" });
    expect(scanOfCommand(["trivy", "--version"])).toBeUndefined();
    expect(scanOfCommand(["semgrep", "--version"])).toBeUndefined();
    expect(scanOfCommand(["snyk", "auth"])).toBeUndefined();
    expect(scanOfCommand(["npm", "audit", "fix"])).toBeUndefined();
  });

  test("the detector reads hand-built CI facts the same way", () => {
    const facts = new FactStore();
    facts.add("ci", {
      path: "Jenkinsfile",
      system: "jenkins",
      triggers: {
        pullRequest: true,
        push: true,
        tags: false,
        release: false,
        manual: false,
        schedule: [],
        reusable: false,
      },
      jobs: [
        {
          id: "scan",
          line: 3,
          steps: [{ line: 5, uses: "aquasecurity/trivy-action@0.28.0", with: { "scan-type": "config" } }],
          needs: [],
        },
        {
          id: "off",
          line: 9,
          disabled: true,
          steps: [{ line: 10, uses: "github/codeql-action/analyze@v3" }],
          needs: [],
        },
      ],
    });
    const ctx = detectContext({ paths: ["Jenkinsfile"], facts });
    expect(monitoringDetectors["monitoring/security-scanning"]!(ctx, {})).toMatchObject({
      status: "pass",
      evidence: [{ path: "Jenkinsfile", line: 5, note: "trivy (iac)" }],
    });
  });
});

describe("SECURITY.md", () => {
  test("a private reporting channel passes, at its line", async () => {
    const result = await detect("monitoring/security-policy", { "SECURITY.md": fixture("security/SECURITY.md") });
    expect(result.status).toBe("pass");
    expect(result.evidence).toMatchObject([{ path: "SECURITY.md", line: 10 }]);
    const { facts } = await analyzed({ ".github/SECURITY.md": fixture("security/SECURITY.md") });
    expect(facts.all("securityPolicy")[0]!.channels.map((c) => c.kind)).toEqual(["advisory", "email"]);
  });

  test("GitHub's template, comments, code blocks and example.com addresses are not channels", async () => {
    const result = await detect("monitoring/security-policy", {
      "SECURITY.md": fixture("security/SECURITY-template.md"),
    });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-reporting-channel" });
    expect(result.evidence).toMatchObject([{ path: "SECURITY.md" }]);
  });

  test('GitHub\'s "Report a vulnerability" button is a channel; an example.com address is not', async () => {
    const text = '## Reporting\n\nUse GitHub\'s "Report a vulnerability" button, or write to security@example.com.\n';
    const { facts } = await analyzed({ "SECURITY.md": text });
    expect(facts.all("securityPolicy")[0]!.channels).toEqual([
      { kind: "advisory", value: 'Report a vulnerability" button', line: 3 },
    ]);
  });

  test("a SECURITY.md deep in the tree is not the repository's policy", async () => {
    expect(
      await detect("monitoring/security-policy", { "lib/x/SECURITY.md": fixture("security/SECURITY.md") }),
    ).toMatchObject({ status: "fail", reasonId: "no-security-policy" });
  });
});
