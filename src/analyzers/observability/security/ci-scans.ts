// Security scans that run in CI, read from the CI analyzer's facts: actions (`uses:`) of enabled steps, remote
// reusable workflows of a scanner (`jobs.x.uses: ossf/scorecard…`, `…/workflows/scorecard.yml@v1`), scanner
// commands of run steps (command facts only exist for steps that run), also started through a tool runner
// (`uvx zizmor`, `pipx run`, `npx`, `go run …/govulncheck@latest`) or reached through the repository's own code
// a step runs (`make lint-gosec`, a Buildkite step script that runs grype).
import type { CommandGraph } from "../../../derived/command-graph.js";
import type { FactStore } from "../../../engine/facts.js";
import type { CiStep } from "../../../facts/ci.js";
import type { CommandFact } from "../../../facts/commands.js";
import type { SecurityScanFact, SecurityScanScope } from "../../../facts/repo.js";

type Scan = Omit<SecurityScanFact, "path" | "line" | "via">;

/** Actions by `owner/repo[/path]` prefix (before `@`). */
const ACTIONS: [prefix: string, scan: Scan | ((w: Record<string, string>) => Scan)][] = [
  ["github/codeql-action/analyze", { tool: "codeql", scope: "code" }],
  ["github/codeql-action/init", { tool: "codeql", scope: "code" }],
  ["aquasecurity/trivy-action", (w) => ({ tool: "trivy", scope: trivyScope(w["scan-type"] ?? "image") })],
  ["aquasecurity/tfsec-action", { tool: "tfsec", scope: "iac" }],
  ["aquasecurity/tfsec-pr-commenter-action", { tool: "tfsec", scope: "iac" }],
  ["snyk/actions/docker", { tool: "snyk", scope: "image" }],
  ["snyk/actions/iac", { tool: "snyk", scope: "iac" }],
  ["snyk/actions", { tool: "snyk", scope: "dependencies" }],
  ["gitleaks/gitleaks-action", { tool: "gitleaks", scope: "secrets" }],
  ["zricethezav/gitleaks-action", { tool: "gitleaks", scope: "secrets" }],
  ["trufflesecurity/trufflehog", { tool: "trufflehog", scope: "secrets" }],
  ["gitguardian/ggshield-action", { tool: "ggshield", scope: "secrets" }],
  ["returntocorp/semgrep-action", { tool: "semgrep", scope: "code" }],
  ["semgrep/semgrep-action", { tool: "semgrep", scope: "code" }],
  ["anchore/scan-action", { tool: "grype", scope: "image" }],
  ["ossf/scorecard-action", { tool: "scorecard", scope: "supply-chain" }],
  ["actions/dependency-review-action", { tool: "dependency-review", scope: "dependencies" }],
  ["google/osv-scanner-action", { tool: "osv-scanner", scope: "dependencies" }],
  ["google/osv-scanner", { tool: "osv-scanner", scope: "dependencies" }],
  ["bridgecrewio/checkov-action", { tool: "checkov", scope: "iac" }],
  ["securego/gosec", { tool: "gosec", scope: "code" }],
  ["docker/scout-action", { tool: "docker-scout", scope: "image" }],
  ["microsoft/security-devops-action", { tool: "microsoft-security-devops", scope: "code" }],
  ["sonarsource/sonarcloud-github-action", { tool: "sonarcloud", scope: "code" }],
  ["sonarsource/sonarqube-scan-action", { tool: "sonarqube", scope: "code" }],
  ["zaproxy/action-", { tool: "zap", scope: "dast" }],
  ["checkmarx/kics-github-action", { tool: "kics", scope: "iac" }],
  ["zizmorcore/zizmor-action", { tool: "zizmor", scope: "supply-chain" }],
  ["golang/govulncheck-action", { tool: "govulncheck", scope: "dependencies" }],
];

/** Remote reusable workflows named for a scanner: `org/.github/.github/workflows/scorecard.yml@main`. */
const WORKFLOW_NAMES: [RegExp, Scan][] = [
  [/^(ossf[-_])?scorecards?\b/, { tool: "scorecard", scope: "supply-chain" }],
  [/^codeql\b/, { tool: "codeql", scope: "code" }],
  [/^zizmor\b/, { tool: "zizmor", scope: "supply-chain" }],
  [/^trivy\b/, { tool: "trivy", scope: "image" }],
  [/^grype\b/, { tool: "grype", scope: "image" }],
  [/^gitleaks\b/, { tool: "gitleaks", scope: "secrets" }],
  [/^semgrep\b/, { tool: "semgrep", scope: "code" }],
  [/^osv[-_]scanner\b/, { tool: "osv-scanner", scope: "dependencies" }],
  [/^govulncheck\b/, { tool: "govulncheck", scope: "dependencies" }],
  [/^dependency[-_]review\b/, { tool: "dependency-review", scope: "dependencies" }],
];

/** The scan of a job that calls a remote reusable workflow (a local one is read as a pipeline of its own). */
export function scanOfReusableWorkflow(calls: string): Scan | undefined {
  if (calls.startsWith("./")) return undefined;
  const byAction = scanOfAction(calls);
  if (byAction) return byAction;
  const path = calls.split("@")[0]!;
  if (!/\/\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return undefined;
  const file = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return WORKFLOW_NAMES.find(([name]) => name.test(file))?.[1];
}

function trivyScope(kind: string): SecurityScanScope {
  if (kind === "fs" || kind === "filesystem" || kind === "repo" || kind === "rootfs" || kind === "sbom")
    return "dependencies";
  if (kind === "config") return "iac";
  return "image";
}

export function scanOfAction(uses: string, inputs: Record<string, string> = {}): Scan | undefined {
  const action = uses.split("@")[0]!.toLowerCase();
  const found = ACTIONS.find(
    ([prefix]) => action === prefix || action.startsWith(prefix.endsWith("-") ? prefix : `${prefix}/`),
  );
  if (!found) return undefined;
  return typeof found[1] === "function" ? found[1](inputs) : found[1];
}

const program = (word: string | undefined) => (word ?? "").split("/").pop()!.toLowerCase();

/** Flags of tool runners that take a value (`uvx --from zizmor==1.0 zizmor`, `npx -p snyk snyk test`). */
const RUNNER_VALUE_FLAGS = new Set(["--from", "--with", "--python", "-p", "--spec", "--package", "--index-url"]);

/**
 * The tool a runner starts, with its arguments: `uvx zizmor .`, `uv tool run`, `pipx run`, `npx`, `pnpm dlx`,
 * `bunx`, `go run golang.org/x/vuln/cmd/govulncheck@latest ./...`, `go tool govulncheck`.
 */
export function unwrapToolRunner(argv: readonly string[]): string[] | undefined {
  const cmd = program(argv[0]);
  let rest: readonly string[] | undefined;
  if (cmd === "uvx" || cmd === "bunx" || cmd === "npx") rest = argv.slice(1);
  else if ((cmd === "uv" && argv[1] === "tool" && argv[2] === "run") || (cmd === "pipx" && argv[1] === "run"))
    rest = argv.slice(cmd === "uv" ? 3 : 2);
  else if ((cmd === "pnpm" || cmd === "yarn") && argv[1] === "dlx") rest = argv.slice(2);
  else if (cmd === "go" && (argv[1] === "run" || argv[1] === "tool")) rest = argv.slice(2);
  if (!rest) return undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (RUNNER_VALUE_FLAGS.has(a)) i++;
    else if (!a.startsWith("-")) {
      // a package path and version: golang.org/x/vuln/cmd/govulncheck@latest, zizmor==1.5.0, snyk@1
      const tool = a.replace(/@[^/]*$|[=<>~]=.*$/, "");
      return [tool.slice(tool.lastIndexOf("/") + 1), ...rest.slice(i + 1)];
    }
  }
  return undefined;
}

/** A scanner command line, e.g. `trivy image app:1`, `snyk test`, `gitleaks detect`, `npm audit`, `uvx zizmor .`. */
export function scanOfCommand(argv: readonly string[]): Scan | undefined {
  const runner = unwrapToolRunner(argv);
  if (runner) return scanOfCommand(runner);
  const [cmd, sub, third] = [program(argv[0]), argv[1] ?? "", argv[2] ?? ""];
  const has = (...flags: string[]) => argv.some((a) => flags.includes(a) || flags.some((f) => a.startsWith(`${f}=`)));
  switch (cmd) {
    case "trivy":
      return ["image", "i", "fs", "filesystem", "repo", "repository", "config", "rootfs", "k8s", "sbom"].includes(sub)
        ? {
            tool: "trivy",
            scope: sub === "k8s" ? "iac" : trivyScope(sub === "i" ? "image" : sub === "repository" ? "repo" : sub),
          }
        : undefined;
    case "grype":
      return sub && !sub.startsWith("-") && sub !== "version" && sub !== "db"
        ? { tool: "grype", scope: sub.startsWith("dir:") || sub === "." ? "dependencies" : "image" }
        : undefined;
    case "snyk":
      if (sub === "test" || sub === "monitor") return { tool: "snyk", scope: "dependencies" };
      if (sub === "container" && (third === "test" || third === "monitor")) return { tool: "snyk", scope: "image" };
      if (sub === "iac" && third === "test") return { tool: "snyk", scope: "iac" };
      if (sub === "code" && third === "test") return { tool: "snyk", scope: "code" };
      return undefined;
    case "gitleaks":
      return ["detect", "protect", "git", "dir", "stdin"].includes(sub)
        ? { tool: "gitleaks", scope: "secrets" }
        : undefined;
    case "trufflehog":
      return ["git", "github", "gitlab", "filesystem", "docker"].includes(sub)
        ? { tool: "trufflehog", scope: "secrets" }
        : undefined;
    case "ggshield":
      return sub === "secret" ? { tool: "ggshield", scope: "secrets" } : undefined;
    case "detect-secrets":
      return sub === "scan" || sub === "audit" ? { tool: "detect-secrets", scope: "secrets" } : undefined;
    case "semgrep":
      return sub === "ci" || sub === "scan" || has("--config", "-c") ? { tool: "semgrep", scope: "code" } : undefined;
    case "osv-scanner":
      return sub !== "--version" ? { tool: "osv-scanner", scope: "dependencies" } : undefined;
    case "checkov":
      return has("-d", "--directory", "-f", "--file") ? { tool: "checkov", scope: "iac" } : undefined;
    case "tfsec":
      return { tool: "tfsec", scope: "iac" };
    case "kics":
      return sub === "scan" ? { tool: "kics", scope: "iac" } : undefined;
    case "bandit":
      return has("-r") ? { tool: "bandit", scope: "code" } : undefined;
    case "gosec":
      return { tool: "gosec", scope: "code" };
    case "govulncheck":
      return sub === "-version" || sub === "--version" ? undefined : { tool: "govulncheck", scope: "dependencies" };
    case "zizmor":
      // audits the GitHub Actions workflows themselves (injections, unpinned actions, leaked credentials)
      return ["--version", "-V", "--help", "-h"].includes(sub) ? undefined : { tool: "zizmor", scope: "supply-chain" };
    case "pip-audit":
      return { tool: "pip-audit", scope: "dependencies" };
    case "safety":
      return sub === "check" || sub === "scan" ? { tool: "safety", scope: "dependencies" } : undefined;
    case "cargo":
      return sub === "audit" || sub === "deny" ? { tool: `cargo-${sub}`, scope: "dependencies" } : undefined;
    case "bundle":
    case "bundler-audit":
      return cmd === "bundler-audit" || sub === "audit" ? { tool: "bundler-audit", scope: "dependencies" } : undefined;
    case "brakeman":
      return { tool: "brakeman", scope: "code" };
    case "docker":
      return sub === "scout" && (third === "cves" || third === "quickview")
        ? { tool: "docker-scout", scope: "image" }
        : undefined;
    case "npm":
    case "pnpm":
    case "yarn":
      // one package manager's advisories, often run with `|| true`: weak on its own
      return sub === "audit" && third !== "fix"
        ? { tool: `${cmd}-audit`, scope: "dependencies", weak: true }
        : undefined;
    case "composer":
      return sub === "audit" ? { tool: "composer-audit", scope: "dependencies", weak: true } : undefined;
    default:
      return undefined;
  }
}

const isFalse = (condition: string | undefined) =>
  condition !== undefined && /^\s*(\$\{\{\s*)?false(\s*\}\})?\s*$/.test(condition);

function enabled(step: CiStep): boolean {
  return !isFalse(step.condition);
}

/** Every security scan that runs in the repository's CI. */
export function ciScans(facts: FactStore, graph?: CommandGraph): SecurityScanFact[] {
  const scans: SecurityScanFact[] = [];
  for (const pipeline of facts.all("ci")) {
    for (const job of pipeline.jobs) {
      if (job.disabled || isFalse(job.condition)) continue;
      const called = job.calls ? scanOfReusableWorkflow(job.calls) : undefined;
      if (called) scans.push({ path: pipeline.path, line: job.line, ...called, via: `uses: ${job.calls}` });
      for (const step of job.steps) {
        const scan = step.uses && enabled(step) ? scanOfAction(step.uses, step.with) : undefined;
        if (scan) scans.push({ path: pipeline.path, line: step.line, ...scan, via: `uses: ${step.uses}` });
      }
    }
  }
  for (const command of facts.all("command")) {
    if (command.origin !== "ci") continue;
    const scan = scanOfCommand(command.argv);
    if (scan) {
      scans.push({ path: command.path, line: command.line, ...scan, via: `run: ${words(command)}` });
      continue;
    }
    // the repository's own code the step runs: `make lint-gosec`, `./ci/scan.sh`, `just audit`
    for (const reached of graph?.reach(command).slice(1) ?? []) {
      if (reached.origin === "ci") continue;
      const inner = scanOfCommand(reached.argv);
      if (inner)
        scans.push({
          path: reached.path,
          line: reached.line,
          ...inner,
          via: `run: ${words(command)} → ${words(reached)}`,
        });
    }
  }
  return [...scans, ...linterScans(facts, graph), ...facts.all("securityScan")];
}

/** golangci-lint run by CI (its action, or `golangci-lint run` in a step or in what a step runs) */
function golangciInCi(facts: FactStore, graph?: CommandGraph): string | undefined {
  for (const pipeline of facts.all("ci"))
    for (const job of pipeline.jobs) {
      if (job.disabled || isFalse(job.condition)) continue;
      const step = job.steps.find((s) => s.uses && enabled(s) && /^golangci\/golangci-lint-action@/i.test(s.uses));
      if (step) return `uses: ${step.uses}`;
    }
  const runs = (c: CommandFact) => {
    const [program, sub] = c.argv.map((w) => w.replace(/^.*\//, ""));
    return program === "golangci-lint" && sub === "run";
  };
  for (const command of facts.all("command")) {
    if (command.origin !== "ci") continue;
    const found = runs(command) ? command : graph?.reach(command).find(runs);
    if (found) return `run: ${words(command)}`;
  }
  return undefined;
}

/** Security linters a runner's config turns on, when CI runs that runner: gosec in .golangci.yml. */
function linterScans(facts: FactStore, graph?: CommandGraph): SecurityScanFact[] {
  const linters = facts.all("linterSecurity");
  if (linters.length === 0) return [];
  const ci = golangciInCi(facts, graph);
  if (!ci) return [];
  return linters.map((l) => ({
    path: l.path,
    line: l.line,
    tool: l.linter,
    scope: "code" as const,
    via: `golangci-lint with ${l.linter} enabled (${ci})`,
  }));
}

const words = (c: CommandFact) => c.argv.slice(0, 3).join(" ");
