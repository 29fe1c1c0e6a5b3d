// Every ops file of the project, read by the same analyzers the scanner uses: the scripts are strict and
// clean shell, every config parses and is recognised for what it is, and the monitoring speaks the app's
// real metric names.
import { describe, expect, it } from "vitest";
import { jobActionOfCommand as classifyCommand } from "../../src/analyzers/ci/job-actions.js";
import type { FactKind } from "../../src/facts/index.js";
import { createMetrics } from "../../src/metrics.js";
import { analyze } from "../helpers.js";
import { readProjectFiles } from "./root.js";

const SCRIPTS = ["scripts/deploy.sh", "scripts/rollback.sh", "scripts/backup.sh", "scripts/restore.sh"];

/** Each config, and the fact that proves the analyzers understood it. */
const CONFIGS: [string, FactKind][] = [
  ["Dockerfile", "dockerfile"],
  [".dockerignore", "dockerignore"],
  ["compose.yaml", "compose"],
  [".github/workflows/ci.yml", "ci"],
  [".github/workflows/release.yml", "ci"],
  [".github/workflows/deploy.yml", "ci"],
  [".github/workflows/backup.yml", "ci"],
  [".github/workflows/codeql.yml", "ci"],
  [".github/dependabot.yml", "dependencyUpdates"],
  [".github/CODEOWNERS", "codeowners"],
  [".github/pull_request_template.md", "template"],
  [".github/ISSUE_TEMPLATE/bug_report.yml", "template"],
  [".github/ISSUE_TEMPLATE/false_result.yml", "template"],
  ["monitoring/prometheus.yml", "scrape"],
  ["monitoring/alerts.yml", "alert"],
  ["monitoring/alertmanager.yml", "alertRouting"],
  ["monitoring/grafana/dashboards/devops-ladder.json", "dashboard"],
  ["monitoring/promtail.yml", "logShipping"],
  ["infra/terraform/main.tf", "terraform"],
  ["infra/terraform/backups.tf", "terraform"],
  ["infra/terraform/versions.tf", "terraform"],
  ["infra/terraform/environments/staging.tfvars", "terraform"],
  ["infra/terraform/environments/production.tfvars", "terraform"],
  ["SECURITY.md", "securityPolicy"],
  ["docs/operations.md", "doc"],
  ["docs/architecture.md", "doc"],
];
const OTHERS = [
  ".github/devops-ladder.yml",
  ".github/ISSUE_TEMPLATE/config.yml",
  "infra/terraform/variables.tf",
  "infra/terraform/outputs.tf",
  "monitoring/grafana/provisioning/dashboards/devops-ladder.yml",
  "monitoring/grafana/provisioning/datasources/devops-ladder.yml",
  "CONTRIBUTING.md",
  "CHANGELOG.md",
  "docs/adr/0001-sqlite-store.md",
  "docs/adr/0002-deploy-by-script-to-a-docker-host.md",
];

describe("the project's shell scripts", () => {
  it("pass the shell analyzer: strict mode, no finding", async () => {
    const analysis = await analyze(readProjectFiles(SCRIPTS));
    expect(analysis.findings.filter((f) => f.rule.startsWith("shell/"))).toEqual([]);
    const facts = analysis.facts.all("shell");
    expect(facts.map((s) => s.path).sort()).toEqual([...SCRIPTS].sort());
    for (const s of facts) {
      expect(s.parseError, s.path).toBeUndefined();
      expect(s.library, s.path).toBeFalsy();
      expect(s.strict, s.path).toMatchObject({ errexit: true, nounset: true, pipefail: true });
    }
  });

  it("deploy.sh takes its environment as its first argument, staging or production", async () => {
    const analysis = await analyze(readProjectFiles(["scripts/deploy.sh"]));
    const deploy = analysis.facts.all("shell")[0]!;
    expect(deploy.environments.sort()).toEqual(["production", "staging"]);
    expect(deploy.environmentInput?.source).toBe('environment="${1:-}"');
  });
});

describe("the project's configs", () => {
  it("parse with the scanner's analyzers: no parse error, no error finding", async () => {
    const analysis = await analyze(readProjectFiles([...CONFIGS.map(([p]) => p), ...OTHERS]));
    expect(analysis.findings.filter((f) => /parse-error$/.test(f.rule) || f.severity === "error")).toEqual([]);
  });

  it.each(CONFIGS)("%s is recognised (%s fact)", async (path, kind) => {
    const analysis = await analyze(readProjectFiles([path]));
    const facts = analysis.facts.all(kind) as readonly { path?: string }[];
    expect(facts.some((f) => f.path === path)).toBe(true);
  });

  it("the Dockerfile lints clean, runs as a non-root user and is multi-stage", async () => {
    const analysis = await analyze(readProjectFiles(["Dockerfile"]));
    const [dockerfile] = analysis.facts.all("dockerfile");
    expect(analysis.findings).toEqual([]);
    expect(dockerfile!.stages.length).toBe(2);
    expect(dockerfile!.user).toMatchObject({ root: false });
  });
});

describe("the monitoring speaks the app's metrics", () => {
  const registered = new Set(
    createMetrics()
      .registry.getMetricsAsArray()
      .map((m) => m.name),
  );
  /** `devops_ladder_scan_duration_seconds_bucket` is a series of the histogram `devops_ladder_scan_duration_seconds` */
  const known = (series: string) =>
    registered.has(series) || registered.has(series.replace(/_(bucket|count|sum)$/, ""));
  const seriesIn = (text: string) => [...new Set(text.match(/\bdevops_ladder_[a-z_]+/g) ?? [])];

  it("every alert is a real rule on a metric the app exports", async () => {
    const analysis = await analyze(readProjectFiles(["monitoring/alerts.yml"]));
    const alerts = analysis.facts.all("alert");
    expect(alerts.map((a) => a.name).sort()).toEqual([
      "DevopsLadderDown",
      "DevopsLadderQueueBacklog",
      "DevopsLadderRateLimitLow",
      "DevopsLadderScansFailing",
      "DevopsLadderScansSlow",
      "DevopsLadderStoreUnhealthy",
      "DevopsLadderWebhookErrors",
    ]);
    for (const a of alerts) for (const s of seriesIn(a.expr ?? "")) expect(known(s), `${a.name}: ${s}`).toBe(true);
  });

  it("every dashboard query names a metric the app exports", () => {
    const series = seriesIn(
      readProjectFiles(["monitoring/grafana/dashboards/devops-ladder.json"])[
        "monitoring/grafana/dashboards/devops-ladder.json"
      ]!,
    );
    expect(series.length).toBeGreaterThan(5);
    for (const s of series) expect(known(s), s).toBe(true);
  });
});

describe("the CI classifier and a Docker engine on another machine", () => {
  it("counts `docker --context <env> run` and `docker -H ssh://… compose up` as deploys", () => {
    expect(classifyCommand(["docker", "--context", '"$context"', "run", "--detach", '"$image"'])?.kind).toBe("deploy");
    expect(classifyCommand(["docker", "--context=prod", "run", "app:1"])?.kind).toBe("deploy");
    expect(classifyCommand(["docker", "-H", "ssh://deploy@host", "compose", "up", "-d"])?.kind).toBe("deploy");
  });

  it("does not count the local engine, the default context or other subcommands", () => {
    expect(classifyCommand(["docker", "run", "app:1"])).toBeUndefined();
    expect(classifyCommand(["docker", "--context", "default", "run", "app:1"])).toBeUndefined();
    expect(classifyCommand(["docker", "-H", "unix:///var/run/docker.sock", "run", "app:1"])).toBeUndefined();
    expect(classifyCommand(["docker", "--context", "prod", "inspect", "devops-ladder"])).toBeUndefined();
    expect(classifyCommand(["docker", "--context", "prod", "pull", "app:1"])).toBeUndefined();
  });
});
