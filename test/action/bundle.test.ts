// The Action as the runner runs it: the bundle built into a temporary folder (no node_modules anywhere above it),
// started with `node index.js` in a workspace, with the runner's environment only (GITHUB_WORKSPACE, INPUT_*,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, RUNNER_TEMP). It checks the outputs, the job summary,
// the annotations, the SARIF, the PR delta and the gates' exit codes.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sarifErrors } from "../sarif-schema.js";
import { commit, initRepo, removeTempDirs, tempDir } from "./git.js";

afterAll(removeTempDirs);

let bundle: string;

beforeAll(() => {
  bundle = join(tempDir("dl-action-"), "action");
  const build = spawnSync(process.execPath, ["scripts/build-action.js", bundle], { encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
}, 60_000);

const UNPINNED = "FROM node:latest\nCMD node server.js\n";
const WORKFLOW =
  "on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n";
const DEPLOY = "#!/usr/bin/env bash\nset -euo pipefail\nkubectl apply -f k8s/\n";
const TERRAFORM = 'resource "aws_s3_bucket" "assets" {\n  bucket = "shop-assets"\n}\n';
const ALERTS =
  "groups:\n  - name: api\n    rules:\n      - alert: Down\n        expr: up == 0\n        for: 5m\n        labels: {severity: page}\n";

/** A repository whose pull request adds alerting and removes its Terraform; returns it and the base SHA. */
function pullRequestRepo(extra: Record<string, string> = {}): { workspace: string; base: string } {
  const workspace = initRepo();
  const dockerfiles = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`svc${i}/Dockerfile`, UNPINNED]));
  const base = commit(workspace, {
    "README.md": "# shop\n",
    ".github/workflows/ci.yml": WORKFLOW,
    "scripts/deploy.sh": DEPLOY,
    "infra/main.tf": TERRAFORM,
    ...dockerfiles,
    ...extra,
  });
  commit(workspace, { "monitoring/alerts.yml": ALERTS, "infra/main.tf": null });
  return { workspace, base };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: string[];
}

/** Runs the bundle as the runner does: action.yml's defaults, the given inputs, the runner's files. */
function runAction(workspace: string, inputs: Record<string, string>, eventBase?: string): Run {
  const runner = tempDir("dl-runner-");
  const action = parse(readFileSync("action.yml", "utf8")) as { inputs: Record<string, { default?: string }> };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: runner };
  for (const [name, spec] of Object.entries(action.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? (spec.default?.includes("${{") ? "" : (spec.default ?? ""));
  }
  const eventPath = join(runner, "event.json");
  writeFileSync(
    eventPath,
    JSON.stringify(eventBase ? { pull_request: { base: { sha: eventBase, ref: "main" } } } : {}),
  );
  Object.assign(env, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: eventBase ? "pull_request" : "push",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: join(runner, "output"),
    GITHUB_STEP_SUMMARY: join(runner, "summary.md"),
    GITHUB_ACTION: "ladder",
    GITHUB_REPOSITORY: "acme/shop",
    RUNNER_TEMP: join(runner, "temp"),
  });
  writeFileSync(env.GITHUB_OUTPUT!, "");
  writeFileSync(env.GITHUB_STEP_SUMMARY!, "");
  const r = spawnSync(process.execPath, [join(bundle, "index.js")], { cwd: workspace, env, encoding: "utf8" });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(readFileSync(env.GITHUB_OUTPUT!, "utf8")),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"),
    annotations: r.stdout.split("\n").filter((l) => /^::(error|warning|notice)/.test(l)),
  };
}

/** GITHUB_OUTPUT's `name<<delimiter` entries, as the runner reads them. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}

describe("the Action's bundle", () => {
  it("is a folder that holds everything it reads: no node_modules, no native module", () => {
    const files = readdirSync(bundle, { recursive: true }).map(String);
    expect(files).toEqual(
      expect.arrayContaining([
        "index.js",
        "package.json",
        "tree-sitter-bash.wasm",
        "web-tree-sitter.wasm",
        "licenses.txt",
      ]),
    );
    expect(files).toContain(join("hcl2json", "main.wasm.gz"));
    expect(files.some((f) => f.includes("node_modules") || f.endsWith(".node"))).toBe(false);
    let dir = bundle;
    while (dirname(dir) !== dir) {
      dir = dirname(dir);
      expect(existsSync(join(dir, "node_modules")), dir).toBe(false);
    }
    // esbuild names each bundled module in a comment: neither the store's native SQLite nor Probot is there
    expect(readFileSync(join(bundle, "index.js"), "utf8")).not.toMatch(
      /node_modules\/(better-sqlite3|probot|bindings)\//,
    );
  });

  it("scans a pull request and its base: outputs, job summary, annotations at GitHub's limits, SARIF", () => {
    const { workspace, base } = pullRequestRepo();
    const r = runAction(workspace, { "sarif-file": "out/ladder.sarif" }, base);
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const report = JSON.parse(readFileSync(r.outputs.report!, "utf8"));
    const schema = JSON.parse(readFileSync("schema/report.schema.json", "utf8"));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(r.outputs).toMatchObject({ level: report.level, score: String(report.score) });
    // both WASM parsers ran from the bundle: the shell script and the Terraform were read
    const signal = (id: string) =>
      report.tasks.flatMap((t: { signals: { id: string }[] }) => t.signals).find((s: { id: string }) => s.id === id);
    expect(signal("deploy/deploy-script").status).toBe("pass");
    expect(signal("monitoring/alert-rules").status).toBe("pass");

    expect(r.summary).toMatch(/^## DevOps Ladder: Junior · \d+\/100 \([+−±]\d+\)/);
    expect(r.summary).toContain("**Smallest next step**: ");
    expect(r.summary).toContain("| Task | Score | | Change |");
    expect(r.summary).toContain("### What this change does");
    expect(r.summary).toMatch(/Added:\n- ✓ \*\*Alerting rules are in effect\*\*/);
    expect(r.summary).toMatch(/Broke:\n- ✗ \*\*Infrastructure is described as code\*\*/);
    expect(r.summary).toContain("### Next: Senior");
    expect(r.summary.match(/<details><summary>/g)).toHaveLength(7);
    expect(r.summary).toContain("### Findings (");

    const kinds = r.annotations.map((a) => /^::(\w+)/.exec(a)![1]);
    expect(kinds).toEqual(
      [...kinds].sort(
        (a, b) => ["error", "warning", "notice"].indexOf(a!) - ["error", "warning", "notice"].indexOf(b!),
      ),
    );
    for (const kind of ["error", "warning", "notice"])
      expect(kinds.filter((k) => k === kind).length).toBeLessThanOrEqual(10);
    expect(kinds.filter((k) => k === "warning")).toHaveLength(10); // 22 warnings found
    expect(r.stdout).toMatch(/12 warnings not annotated \(GitHub shows 10 of each kind per step\)/);
    expect(r.annotations).toContainEqual(expect.stringMatching(/^::notice title=Smallest next step::/));
    for (const a of r.annotations) {
      const file = /file=([^,]+),/.exec(a)?.[1];
      if (file) expect(existsSync(join(workspace, file)), file).toBe(true);
    }

    const sarif = JSON.parse(readFileSync(join(workspace, "out/ladder.sarif"), "utf8"));
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].automationDetails.id).toBe("devops-ladder/");
  });

  it("fails the step (exit 1) on a gate, the gate's error first", () => {
    const { workspace, base } = pullRequestRepo();
    const r = runAction(workspace, { "min-score": "100" }, base);
    expect(r.code).toBe(1);
    expect(r.annotations[0]).toMatch(/^::error title=devops-ladder gate::the score \d+ is under min-score 100$/);
    expect(r.summary).toMatch(/\*\*Gate failed\*\*: the score \d+ is under min-score 100\./);
    expect(r.outputs.level).toBe("junior");
  });

  it("fails on regression against the base when asked (input or config), unless the config's gates are ignored", () => {
    const { workspace, base } = pullRequestRepo();
    const asInput = runAction(workspace, { "fail-on-regression": "true" }, base);
    expect(asInput.code).toBe(1);
    expect(asInput.stdout).toContain('the milestone "Infrastructure as code" is no longer met (fail-on-regression)');

    const configured = pullRequestRepo({ ".github/devops-ladder.yaml": "fail_on_regression: true\n" });
    const byConfig = runAction(configured.workspace, {}, configured.base);
    expect(byConfig.code).toBe(1);
    expect(byConfig.stdout).toContain("is no longer met (fail_on_regression)");
    expect(runAction(configured.workspace, { "ignore-config-gates": "true" }, configured.base).code).toBe(0);
  });

  it("scans a folder of the repository: locations, annotations and SARIF are relative to the repository", () => {
    const workspace = initRepo();
    commit(workspace, { "README.md": "# mono\n", "services/api/Dockerfile": UNPINNED });
    const r = runAction(workspace, { path: "services/api", "sarif-file": "api.sarif" });
    expect(r.code).toBe(0);
    expect(r.annotations).toContainEqual(expect.stringMatching(/^::warning file=services\/api\/Dockerfile,line=1,/));
    const sarif = JSON.parse(readFileSync(join(workspace, "api.sarif"), "utf8"));
    expect(sarif.runs[0].automationDetails.id).toBe("devops-ladder/services/api/");
    expect(r.summary).toMatch(/^## DevOps Ladder: Junior · \d+\/100 · `services\/api`/);
  });

  it("stops (exit 2) on a named config that is missing or invalid, or a bad input, with the reason", () => {
    const workspace = initRepo();
    commit(workspace, { "README.md": "# x\n", "ladder.yml": "min_score: 10\nweights: 2\n" });
    const missing = runAction(workspace, { config: "nope.yml" });
    expect(missing.code).toBe(2);
    expect(missing.annotations).toEqual([`::error title=devops-ladder::${join(workspace, "nope.yml")}: no such file`]);
    const invalid = runAction(workspace, { config: "ladder.yml" });
    expect(invalid.code).toBe(2);
    expect(invalid.annotations[0]).toContain(`${join(workspace, "ladder.yml")}:2: unknown key "weights"`);
    const input = runAction(workspace, { "min-level": "guru" });
    expect(input.code).toBe(2);
    expect(input.annotations[0]).toMatch(/min-level must be one of junior, senior, lead/);
  });

  it("says why the base was not scanned, and still reports the head", () => {
    const workspace = initRepo();
    commit(workspace, { "README.md": "# x\n" });
    const r = runAction(workspace, {}, "0123456789abcdef0123456789abcdef01234567");
    expect(r.code).toBe(0);
    expect(r.annotations).toContainEqual(
      expect.stringMatching(/^::warning title=devops-ladder::git cannot fetch the base commit 0123456/),
    );
    expect(r.summary).toContain("The base commit was not scanned: git cannot fetch the base commit 0123456");
  });
});
