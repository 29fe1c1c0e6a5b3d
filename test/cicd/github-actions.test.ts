import { describe, expect, it } from "vitest";
import { githubActionsAnalyzer } from "../../src/analyzers/ci/github-actions.js";
import { analyze } from "../helpers.js";
import { fixture, lineOf } from "./support.js";

const WF = ".github/workflows/ci.yml";

describe("GitHub Actions analyzer", () => {
  it("matches workflow files only at the top of .github/workflows", () => {
    const m = (p: string) => githubActionsAnalyzer.match(p, p.slice(p.lastIndexOf("/") + 1), p.toLowerCase());
    expect(m(".github/workflows/ci.yml")).toBe(true);
    expect(m(".github/workflows/Deploy.YAML")).toBe(true);
    expect(m(".github/workflows/templates/ci.yml")).toBe(false);
    expect(m("docs/.github/workflows/ci.yml")).toBe(false);
    expect(m(".github/workflows/README.md")).toBe(false);
  });

  it("reads triggers, jobs, environment, permissions, concurrency, timeouts and caching", async () => {
    const text = fixture("github/deploy.yml");
    const { facts } = await analyze({ [WF]: text });
    const [wf] = facts.all("ci");
    expect(wf).toMatchObject({
      system: "github-actions",
      name: "Deploy",
      triggers: { pullRequest: true, push: true, tags: false, line: lineOf(text, "on:") },
      permissions: { line: lineOf(text, "permissions:"), writeAll: false },
      concurrency: { line: lineOf(text, "concurrency:") },
    });
    const deploy = wf!.jobs.find((j) => j.id === "deploy")!;
    expect(deploy).toMatchObject({
      needs: ["test"],
      environment: { name: "production", line: lineOf(text, "environment:") },
      timeoutMinutes: 20,
      permissions: true,
      writeAll: false,
      deploys: [{ line: lineOf(text, "kubectl apply"), what: "kubectl apply" }],
    });
    const test = wf!.jobs.find((j) => j.id === "test")!;
    expect(test.cache).toBe(true);
    expect(test.tests).toEqual([{ line: lineOf(text, "npm test"), what: "npm test" }]);
    expect(test.steps[0]!.pin).toBe("sha");
    expect(test.steps[1]!.pin).toBe("first-party-tag");
  });

  it("emits one command fact per simple command at its file line, never for comments", async () => {
    const text = fixture("github/deploy.yml");
    const { facts } = await analyze({ [WF]: text });
    const deploy = facts.all("command").filter((c) => c.unit === "deploy");
    expect(deploy.map((c) => [c.line, c.argv.slice(0, 2)])).toEqual([
      [lineOf(text, "set -euo"), ["set", "-euo"]],
      [lineOf(text, "kubectl apply"), ["kubectl", "apply"]],
      [lineOf(text, "kubectl rollout"), ["kubectl", "rollout"]],
    ]);
    expect(deploy.every((c) => c.origin === "ci" && c.path === WF && c.schedule === undefined)).toBe(true);
  });

  it("keeps ${{ }} expressions as words and gives scheduled commands their cron", async () => {
    const { facts } = await analyze({
      [WF]:
        'on:\n  schedule:\n    - cron: "0 3 * * *"\njobs:\n  backup:\n    runs-on: ubuntu-latest\n' +
        '    steps:\n      - run: pg_dump "${{ secrets.DB_URL }}" -f db.sql\n',
    });
    expect(facts.all("command")).toEqual([
      {
        path: WF,
        line: 8,
        argv: ["pg_dump", '"${{ secrets.DB_URL }}"', "-f", "db.sql"],
        origin: "ci",
        unit: "backup",
        schedule: "0 3 * * *",
      },
    ]);
  });

  it("accepts `on` as a string, a list or a map", async () => {
    const on = async (value: string) =>
      (await analyze({ [WF]: `on: ${value}\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: make }]\n` })).facts.all(
        "ci",
      )[0]!.triggers;
    expect(await on("pull_request")).toMatchObject({ pullRequest: true, push: false });
    expect(await on("[push, workflow_dispatch]")).toMatchObject({ pullRequest: false, push: true, manual: true });
    expect(await on("{ push: { tags: ['v*'] }, release: { types: [published] }, workflow_call: {} }")).toMatchObject({
      tags: true,
      release: true,
      reusable: true,
    });
  });

  it("does not count echoes, comments, dry runs or disabled jobs as deploys", async () => {
    const { facts } = await analyze({ [WF]: fixture("github/fake-deploy.yml") });
    const jobs = facts.all("ci")[0]!.jobs;
    expect(jobs.every((j) => j.deploys === undefined)).toBe(true);
    expect(jobs.find((j) => j.id === "disabled")!.disabled).toBe(true);
    expect(facts.all("command").some((c) => c.unit === "disabled")).toBe(false);
  });

  it("reports write-all, pull_request_target checkouts, injection and unpinned actions at their lines", async () => {
    const text = fixture("github/risky.yml");
    const { findings } = await analyze({ [WF]: text });
    const got = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => [f.line, f.severity]);
    expect(got("ci/write-all-permissions")).toEqual([[lineOf(text, "write-all"), "warning"]]);
    expect(got("ci/pull-request-target-checkout")).toEqual([[lineOf(text, "ref:"), "error"]]);
    expect(got("ci/script-injection")).toEqual([
      [lineOf(text, "pull_request.title"), "error"],
      [lineOf(text, "issue.body"), "error"],
    ]);
    expect(got("ci/unpinned-action")).toEqual([
      [lineOf(text, "actions/checkout@v4"), "note"],
      [lineOf(text, "tj-actions"), "warning"],
      [lineOf(text, "someone/tool@main"), "warning"],
    ]);
    expect(findings.every((f) => f.remediation)).toBe(true);
  });

  it("flags `gh pr checkout` in a pull_request_target workflow, but not in a pull_request one", async () => {
    const wf = (event: string) =>
      `on: ${event}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n` +
      `          gh pr checkout \${{ github.event.number }}\n          make\n`;
    const target = await analyze({ [WF]: wf("pull_request_target") });
    expect(target.findings.filter((f) => f.rule === "ci/pull-request-target-checkout").map((f) => f.line)).toEqual([7]);
    const plain = await analyze({ [WF]: wf("pull_request") });
    expect(plain.findings.some((f) => f.rule === "ci/pull-request-target-checkout")).toBe(false);
  });

  it("does not flag an expression passed through env", async () => {
    const { findings } = await analyze({
      [WF]:
        "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - env:\n" +
        '          TITLE: ${{ github.event.pull_request.title }}\n        run: echo "$TITLE"\n',
    });
    expect(findings.filter((f) => f.rule === "ci/script-injection")).toEqual([]);
  });

  it("knows which setup actions cache", async () => {
    const cache = async (step: string) =>
      (await analyze({ [WF]: `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - ${step}\n` })).facts.all(
        "ci",
      )[0]!.jobs[0]!.cache ?? false;
    expect(await cache("uses: actions/setup-go@v5")).toBe(true); // on by default since v4
    expect(await cache("{ uses: actions/setup-go@v5, with: { cache: false } }")).toBe(false);
    expect(await cache("uses: actions/setup-node@v4")).toBe(false);
    expect(await cache("{ uses: actions/setup-python@v5, with: { cache: pip } }")).toBe(true);
    expect(await cache("uses: actions/cache@v4")).toBe(true);
  });

  it("does not parse PowerShell steps as POSIX shell", async () => {
    const { facts, findings } = await analyze({
      [WF]:
        "on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - shell: pwsh\n" +
        "        run: if ($x) { Write-Host 'kubectl apply' }\n",
    });
    expect(facts.all("command")).toEqual([]);
    expect(findings).toEqual([]);
  });

  it("turns malformed YAML, bad shell and wrong types into findings, never a crash", async () => {
    const broken = await analyze({ [WF]: "on: push\njobs:\n  a:\n    steps:\n      - run: [unclosed\n" });
    expect(broken.findings.map((f) => [f.rule, f.severity])).toContainEqual(["ci/parse-error", "error"]);
    expect(broken.findings.find((f) => f.rule === "ci/parse-error")!.line).toBeGreaterThanOrEqual(5);
    expect(broken.facts.all("ci")).toEqual([]);

    const shell = await analyze({
      [WF]: "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          echo ok\n          if true; then\n",
    });
    expect(shell.findings.map((f) => [f.rule, f.line])).toEqual([["ci/shell-syntax-error", 8]]);

    const odd = await analyze({
      [WF]:
        "on: 42\njobs:\n  a: 3\n  b:\n    steps: 7\n  c:\n" +
        "    steps: [run, 5, { run: 9 }, { uses: 1 }]\n    environment: [1]\n    needs: { x: 1 }\n",
    });
    expect(odd.findings.filter((f) => f.rule === "scan/analyzer-error")).toEqual([]);
    expect(odd.facts.all("ci")[0]!.jobs.map((j) => j.id)).toEqual(["b", "c"]);

    const empty = await analyze({ [WF]: "" });
    expect(empty.findings.map((f) => f.rule)).toEqual(["ci/invalid-config"]);
  });
});
