// SARIF 2.1.0 for GitHub code scanning, as its users expect it (Scorecard's results are the usual reference):
// - one result per failing signal, at its first piece of evidence or at the file the fix goes in, besides one
//   result per finding;
// - rules[] with a short and a full description, help, a helpUri to the rule's docs and a default level;
//   security-related rules carry `security-severity` and the `security` tag, so code scanning ranks them;
// - partialFingerprints that do not move with line numbers, so a dismissed alert stays dismissed;
// - an automationDetails.id that depends on nothing the user typed (only on the scanned folder, for the Action).
import { createHash } from "node:crypto";
import { CONFIG_PATH } from "../config/defaults.js";
import { taskOfFinding } from "../engine/finding-task.js";
import type { Report, SignalReport } from "../engine/report.js";
import type { Rules, SignalRule } from "../engine/rules.js";
import type { Finding, Severity } from "../engine/types.js";
import { docsUrl, HOMEPAGE } from "../version.js";
import { orderFindings } from "./findings.js";

type Level = "error" | "warning" | "note";

const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", note: "note" };

/** Finding rules about security, with a CVSS-like score (code scanning: ≥9 critical, ≥7 high, ≥4 medium). */
const FINDING_SECURITY_SEVERITY: Readonly<Record<string, number>> = {
  "ci/script-injection": 9.0, // untrusted input run as shell with the workflow's token
  "ci/pull-request-target-checkout": 8.0, // a fork's code run with write access
  "k8s/privileged": 8.0,
  "ci/write-all-permissions": 7.0,
  "ci/unpinned-action": 5.0,
  "docker/root-user": 5.0,
  "docker/unpinned-base-image": 4.0,
  "docker/add-remote-url": 4.0,
  "k8s/latest-image": 3.0,
};

const AREA_NAMES: Readonly<Record<string, string>> = {
  ci: "CI",
  k8s: "Kubernetes",
  iac: "IaC",
  cron: "Cron",
  systemd: "systemd",
  codeowners: "CODEOWNERS",
};

export interface SarifOptions {
  /** the scanned folder inside the repository (the Action's `path`), so locations are relative to the repository */
  pathPrefix?: string;
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: Level };
  properties: { tags: string[]; precision: "high"; "security-severity"?: string };
}

export function renderSarif(report: Report, rules: Rules, options: SarifOptions = {}): string {
  return `${JSON.stringify(sarifLog(report, rules, options), null, 2)}\n`;
}

export function sarifLog(report: Report, rules: Rules, options: SarifOptions = {}) {
  const prefix = normalisePrefix(options.pathPrefix);
  const inMilestone = new Set(rules.levels.flatMap((l) => l.milestones.flatMap((m) => m.signals)));
  const signalRules = rules.tasks.flatMap((t) => t.signals.map((s) => signalRule(s, t.title, inMilestone.has(s.id))));
  const findings = orderFindings(report.findings);
  const signalIds = new Set(signalRules.map((r) => r.id));
  const findingRules = findingRulesOf(findings.filter((f) => !signalIds.has(f.rule)));
  const allRules = [...signalRules, ...findingRules];
  const index = new Map(allRules.map((r, i) => [r.id, i]));

  const signalResults = report.tasks
    .flatMap((t) => t.signals)
    .filter((s) => s.status === "fail")
    .map((s) => {
      const rule = allRules[index.get(s.id)!]!;
      return signalResult(s, rules.signal(s.id), rule, index.get(s.id)!, prefix);
    });
  const occurrences = new Map<string, number>();
  const findingResults = findings.map((f) => {
    const key = hash(`${f.rule}\0${f.path}\0${f.message}`);
    const n = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, n);
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: LEVEL[f.severity],
      message: { text: f.remediation ? `${f.message}. ${f.remediation}` : f.message },
      locations: [location(prefix + f.path, f.line)],
      partialFingerprints: { "devopsLadderFinding/v1": `${key}:${n}` },
    };
  });

  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: HOMEPAGE,
            rules: allRules,
          },
        },
        automationDetails: { id: prefix ? `devops-ladder/${prefix}` : "devops-ladder/" },
        results: [...signalResults, ...findingResults],
        properties: { level: report.level, score: report.score },
      },
    ],
  };
}

function signalRule(s: SignalRule, taskTitle: string, milestone: boolean): SarifRule {
  const example = s.example ? `\n\nExample:\n\n\`\`\`\n${s.example}\n\`\`\`` : "";
  return {
    id: s.id,
    shortDescription: { text: s.title },
    fullDescription: { text: `${taskTitle}: ${s.title}. ${s.remediation}` },
    help: {
      text: `${s.remediation}${s.example ? `\n\nExample:\n${s.example}` : ""}`,
      markdown: `${s.remediation}${example}`,
    },
    helpUri: docsUrl(s.docs),
    // a signal that a level needs is worth a warning; the others are advice
    defaultConfiguration: { level: milestone ? "warning" : "note" },
    properties: withSecurity({ tags: ["devops-ladder", s.task], precision: "high" }, s.securitySeverity),
  };
}

function signalResult(
  s: SignalReport,
  rule: SignalRule | undefined,
  sarifRule: SarifRule,
  ruleIndex: number,
  prefix: string,
) {
  const evidence = s.evidence[0];
  // no evidence and no usual file: the config, where a signal that does not apply is marked so
  const path = evidence?.path ?? rule?.fixFile ?? CONFIG_PATH;
  const where = evidence
    ? ""
    : rule?.fixFile
      ? ` Add it in ${rule.fixFile}.`
      : ` If it does not apply, say so in ${CONFIG_PATH} (signals: ${s.id}: not_applicable).`;
  return {
    ruleId: s.id,
    ruleIndex,
    level: sarifRule.defaultConfiguration.level,
    message: { text: `${s.title}: ${s.reason ?? "not met"}.${where} ${s.remediation}` },
    locations: [location(prefix + path, evidence?.line ?? 1)],
    // one result per signal and repository: the fingerprint is the signal, wherever its evidence moves
    partialFingerprints: { "devopsLadderSignal/v1": hash(`signal\0${s.id}`) },
  };
}

function findingRulesOf(findings: readonly Finding[]): SarifRule[] {
  const first = new Map<string, Finding>();
  for (const f of findings) if (!first.has(f.rule)) first.set(f.rule, f);
  return [...first.values()]
    .sort((a, b) => (a.rule < b.rule ? -1 : 1))
    .map((f) => {
      const task = taskOfFinding(f.rule);
      const help = f.remediation ?? f.message;
      const tags = ["devops-ladder", task ?? f.rule.slice(0, f.rule.indexOf("/"))];
      return {
        id: f.rule,
        shortDescription: { text: describeRule(f.rule) },
        fullDescription: { text: f.remediation ? `${describeRule(f.rule)}. ${f.remediation}` : describeRule(f.rule) },
        help: { text: help, markdown: help },
        helpUri: docsUrl(
          task ? `docs/rules/${task}.md` : f.rule.startsWith("config/") ? "README.md#configuration" : "README.md",
        ),
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: withSecurity({ tags, precision: "high" as const }, FINDING_SECURITY_SEVERITY[f.rule]),
      };
    });
}

/** `ci/unpinned-action` → "CI: unpinned action"; `dockerfile/sudo_usage` → "Dockerfile: sudo usage". */
export function describeRule(rule: string): string {
  const slash = rule.indexOf("/");
  const area = rule.slice(0, slash);
  const name = rule.slice(slash + 1).replace(/[-_]+/g, " ");
  return `${AREA_NAMES[area] ?? area.charAt(0).toUpperCase() + area.slice(1)}: ${name}`;
}

function withSecurity(properties: SarifRule["properties"], severity: number | undefined): SarifRule["properties"] {
  if (severity === undefined) return properties;
  return { ...properties, tags: [...properties.tags, "security"], "security-severity": severity.toFixed(1) };
}

function location(path: string, line: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(path), uriBaseId: "%SRCROOT%" },
      region: { startLine: Math.max(1, line) },
    },
  };
}

function normalisePrefix(path: string | undefined): string {
  const parts = (path ?? "").split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  return parts.length === 0 ? "" : `${parts.join("/")}/`;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}
