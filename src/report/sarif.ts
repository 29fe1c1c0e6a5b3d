// SARIF 2.1.0 for GitHub code scanning: one result per finding, rules described once.

import type { Report } from "../engine/report.js";
import type { Severity } from "../engine/types.js";
import { HOMEPAGE } from "../version.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", note: "note" };

export function renderSarif(report: Report): string {
  const rules = new Map<string, { id: string; shortDescription: { text: string }; help?: { text: string } }>();
  for (const f of report.findings) {
    if (!rules.has(f.rule)) {
      rules.set(f.rule, {
        id: f.rule,
        shortDescription: { text: f.rule },
        ...(f.remediation ? { help: { text: f.remediation } } : {}),
      });
    }
  }
  const ruleIndex = [...rules.keys()];
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            informationUri: HOMEPAGE,
            rules: [...rules.values()],
          },
        },
        automationDetails: { id: `devops-ladder/${report.target.root}` },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.indexOf(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.remediation ? `${f.message}. ${f.remediation}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.path), uriBaseId: "%SRCROOT%" },
                region: { startLine: Math.max(1, f.line) },
              },
            },
          ],
        })),
        properties: { level: report.level, score: report.score },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
