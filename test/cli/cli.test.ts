import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { sarifErrors } from "../sarif-schema.js";

const CLI = join(process.cwd(), "dist", "cli.js");

// The CLI runs as users run it: compiled. Type errors are the typecheck's business; tsc still emits.
beforeAll(() => {
  const build = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    encoding: "utf8",
  });
  if (build.error) throw build.error;
  // tsc took 180 s at a load of 27 on the shared 2-core machine
  // then dist/rules.json, as `npm run build:dist` writes it (src/engine/prebuilt-rules.ts)
  const rules = spawnSync(process.execPath, ["scripts/build-rules.js"], { encoding: "utf8" });
  if (rules.status !== 0) throw new Error(`scripts/build-rules.js failed: ${rules.stderr}`);
}, 300_000);

function cli(args: string[], cwd = process.cwd()) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dl-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const reportSchema = JSON.parse(readFileSync("schema/report.schema.json", "utf8"));

describe("devops-ladder CLI", () => {
  it("prints usage and version", () => {
    expect(cli(["--help"])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("devops-ladder scan [DIR | OWNER/REPO]"),
    });
    expect(cli(["--version"]).stdout).toMatch(/^devops-ladder \d+\.\d+\.\d+\n$/);
  });

  it.each([
    [["scan", "--bogus"], /Unknown option '--bogus'/],
    [["scan", "--format", "xml"], /--format must be one of text, json, markdown, sarif/],
    [["scan", "--min-score", "101"], /--min-score must be a whole number from 0 to 100/],
    [["scan", "--min-level", "guru"], /--min-level must be one of junior, senior, lead/],
    [["scan", "/definitely/not/here"], /no such directory/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [["scan", "a", "b"], /scan takes one target/],
  ])("exits 2 with a message and no stack trace for %j", (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  });

  it("writes a JSON report that follows the published schema", () => {
    const dir = repo({
      Dockerfile: "FROM node:20\nUSER node\n",
      ".github/workflows/ci.yml":
        "on: [pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
    });
    const r = cli(["scan", dir, "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.target).toMatchObject({ kind: "local", root: dir });
  });

  it("writes SARIF 2.1.0 that validates against the SARIF schema", () => {
    const dir = repo({ ".github/devops-ladder.yml": "min_score: 500\n", "a.yml": "x: 1\n" });
    const r = cli(["scan", dir, "--format", "sarif"]);
    expect(r.code).toBe(0);
    const sarif = JSON.parse(r.stdout);
    expect(sarifErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results).toContainEqual(
      expect.objectContaining({
        ruleId: "config/invalid",
        level: "error",
        locations: [
          expect.objectContaining({ physicalLocation: expect.objectContaining({ region: { startLine: 1 } }) }),
        ],
      }),
    );
  });

  it("reports a bad config at its line and still scans", () => {
    const dir = repo({ ".github/devops-ladder.yml": "ignore: []\nweights: 3\n" });
    const r = cli(["scan", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(".github/devops-ladder.yml:2  error  config/invalid");
    // before anything else: the scan ran on the defaults
    expect(r.stdout.indexOf("✗ Config .github/devops-ladder.yml is invalid")).toBeLessThan(r.stdout.indexOf("Level:"));
  });

  it("is a gate with --min-score and --min-level (exit 1)", () => {
    const dir = repo({ "README.md": "# empty\n" });
    const r = cli(["scan", dir, "--min-score", "100"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gate failed: the score \d+ is under --min-score 100/);
    expect(cli(["scan", dir, "--min-score", "0"]).code).toBe(0);
  });

  it("prints the usage and exits 2 when run with no arguments", () => {
    const r = cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("devops-ladder scan [DIR | OWNER/REPO]");
  });

  it("exits 2 with the path when an explicit --config is missing, and with file:line when it is invalid", () => {
    const dir = repo({ "README.md": "# x\n", "bad.yml": "min_score: 40\nweights: 3\n" });
    const missing = cli(["scan", dir, "--config", join(dir, "nope.yml")]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain(`${join(dir, "nope.yml")}: no such file`);
    const invalid = cli(["scan", dir, "--config", join(dir, "bad.yml")]);
    expect(invalid).toMatchObject({ code: 2, stdout: "" });
    expect(invalid.stderr).toContain(`${join(dir, "bad.yml")}:2: unknown key "weights"`);
  });

  it("applies the config's gates (.yaml too) unless --ignore-config-gates", () => {
    const dir = repo({ "README.md": "# x\n", ".github/devops-ladder.yaml": "min_level: lead\nmin_score: 90\n" });
    const r = cli(["scan", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("gate failed: the score");
    expect(r.stderr).toMatch(/gate failed: the level junior is under min_level lead/);
    expect(cli(["scan", dir, "--ignore-config-gates"]).code).toBe(0);
    expect(cli(["scan", dir, "--ignore-config-gates", "--min-level", "senior"]).stderr).toMatch(
      /the level junior is under --min-level senior/,
    );
  });

  it("narrows the scan with --only to tasks or signals; the JSON report keeps to the schema", () => {
    const dir = repo({ Dockerfile: "FROM node:20\n", "README.md": "# x\n" });
    const r = cli(["scan", dir, "--only", "docker,cicd/ci-tests", "--format", "json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(reportSchema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.only).toEqual(["docker", "cicd/ci-tests"]);
    const text = cli(["scan", dir, "--only", "docker"]).stdout;
    expect(text).toContain("Containerisation");
    expect(text).not.toContain("Backups and rollbacks");
    const bad = cli(["scan", dir, "--only", "dokcer"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--only: "dokcer" is neither a task/);
  });

  it("writes the report to --output atomically", () => {
    const dir = repo({ "README.md": "# x\n" });
    const out = join(dir, "report.md");
    const r = cli(["scan", dir, "--format", "markdown", "--output", out]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    expect(readFileSync(out, "utf8")).toMatch(/^## DevOps Ladder: /);
    expect(cli(["scan", dir, "--output", join(dir, "no/such/dir/r.txt")]).code).toBe(2);
  });

  it("lists every signal with its remediation", () => {
    const r = cli(["rules", "--format", "json"]);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout);
    expect(rules.tasks.map((t: { id: string }) => t.id)).toEqual([
      "deploy",
      "cicd",
      "monitoring",
      "docker",
      "architecture",
      "coordination",
      "backups",
    ]);
    for (const task of rules.tasks) for (const s of task.signals) expect(s.remediation.length).toBeGreaterThan(10);
    const deployScript = rules.tasks[0].signals.find((s: { id: string }) => s.id === "deploy/deploy-script");
    expect(Object.keys(deployScript.reasons)).toEqual(["no-deploy-command"]);
    expect(cli(["rules"]).stdout).toContain("deploy_script");
  });
});

describe("devops-ladder scan --badge", () => {
  it("writes an accessible SVG badge with the level and score", () => {
    const dir = repo({ "README.md": "# x\n" });
    const out = join(dir, "badge.svg");
    const r = cli(["scan", dir, "--format", "json", "--badge", out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const svg = readFileSync(out, "utf8");
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain(`<title>DevOps ladder: ${report.level} level, score ${report.score} of 100</title>`);
  });
});

describe("docs links", () => {
  it("point at the project's docs from any repository, at the running version", async () => {
    const { docsUrl, TOOL } = await import("../../src/version.js");
    expect(docsUrl("docs/rules/backups.md#db-backups")).toBe(
      `https://github.com/devops-ladder/devops-ladder/blob/v${TOOL.version}/docs/rules/backups.md#db-backups`,
    );
    expect(docsUrl("https://example.com/x")).toBe("https://example.com/x");
  });
});

/**
 * The packages a CLI run imports, as a module resolve hook sees them (hooks run in their own thread: it appends each
 * specifier to a file).
 */
function packagesImportedBy(args: string[]): string[] {
  const log = join(mkdtempSync(join(tmpdir(), "dl-cli-imports-")), "imports.txt");
  const hooks = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  appendFileSync(process.env.DL_IMPORTS_LOG, specifier + "\\n");
  return next(specifier, context);
}`;
  const register = `import { register } from "node:module";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  const r = spawnSync(
    process.execPath,
    ["--import", `data:text/javascript,${encodeURIComponent(register)}`, CLI, ...args],
    {
      encoding: "utf8",
      env: { ...process.env, DL_IMPORTS_LOG: log },
    },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const specifiers = readFileSync(log, "utf8").split("\n");
  rmSync(join(log, ".."), { recursive: true, force: true });
  return [...new Set(specifiers.filter((s) => s !== "" && !/^(node:|\.|\/|file:|data:)/.test(s)))].sort();
}

describe("what the CLI loads", () => {
  it("scans a folder with a README without a parser or the JSON Schema library: the rules come prebuilt", () => {
    const dir = repo({ "README.md": "# A project\n\nNothing to deploy yet.\n" });
    const imported = packagesImportedBy(["scan", dir, "--format", "json"]);
    for (const name of ["ajv", "web-tree-sitter", "dockerfile-ast", "dockerfilelint", "@cdktf/hcl2json"])
      expect(imported).not.toContain(name);
  });

  it("loads the parsers and the config's validator when the files need them", () => {
    const dir = repo({
      Dockerfile: "FROM node:20\nRUN npm ci\n",
      ".github/devops-ladder.yml": "min_score: 0\n",
    });
    const imported = packagesImportedBy(["scan", dir, "--format", "json"]);
    for (const name of ["ajv", "dockerfile-ast", "dockerfilelint", "web-tree-sitter"]) expect(imported).toContain(name);
  });

  it("prints its version and its rules without the engine", () => {
    expect(packagesImportedBy(["--version"])).toEqual([]);
    expect(packagesImportedBy(["rules"])).toEqual([]);
  });
});
