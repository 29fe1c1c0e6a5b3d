// Every report (text, Markdown, check run, issue, job summary) leads with what matters: an invalid config first,
// then the smallest next step; findings come most important first and folded.
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/engine/report.js";
import { renderCheckRun, TEXT_LIMIT } from "../../src/report/checkrun.js";
import { renderIssueBody } from "../../src/report/issue.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderActionSummary } from "../../src/report/summary.js";
import { renderText } from "../../src/report/text.js";
import { scanFiles } from "../helpers.js";

const DOCKERFILE = "FROM node:latest\nRUN sudo apt-get install -y curl && sudo rm -rf /tmp/x\nCMD node server.js\n";
const BAD_CONFIG = "ignore: []\nweights: 3\n";

async function invalidConfigReport(): Promise<Report> {
  return scanFiles({ Dockerfile: DOCKERFILE, "README.md": "# app\n" }, BAD_CONFIG);
}

const renderers: [string, (r: Report) => string][] = [
  ["text", (r) => renderText(r)],
  ["markdown", (r) => renderMarkdown(r)],
  ["check run summary", (r) => renderCheckRun(r).summary],
  ["issue", (r) => renderIssueBody({ report: r, history: [], branch: "main" })],
  ["job summary", (r) => renderActionSummary(r)],
];

describe("every report", () => {
  it.each(renderers)("%s: an invalid config comes before the scores, at its line", async (_, render) => {
    const out = render(await invalidConfigReport());
    const config = out.search(/Config\**:? `?\.github\/devops-ladder\.yml`? is invalid, so the scan used the defaults/);
    expect(config).toBeGreaterThanOrEqual(0);
    expect(out).toMatch(/\.github\/devops-ladder\.yml:2`?:? +unknown key "weights"/);
    for (const later of [/Smallest next step/, /Containerisation/]) expect(out.search(later)).toBeGreaterThan(config);
  });

  it.each(renderers)("%s: no config section when the config is valid or absent", async (_, render) => {
    const out = render(await scanFiles({ "README.md": "# app\n" }, "min_score: 10\n"));
    expect(out).not.toMatch(/Config\**:? `?\.github\/devops-ladder/);
  });

  it.each(renderers)("%s: the smallest next step comes before the scores", async (_, render) => {
    const r = await scanFiles({ "README.md": "# app\n" });
    const out = render(r);
    const step = out.search(/Smallest next step\**: /);
    expect(step).toBeGreaterThanOrEqual(0);
    expect(out.indexOf("Deployment scripts")).toBeGreaterThan(step);
    expect(out).toMatch(/then 2 more changes to Senior/);
  });
});

describe("findings in the reports", () => {
  it("are folded: identical findings at one line read as one with a count", async () => {
    const r = await scanFiles({ Dockerfile: DOCKERFILE });
    const sudo = r.findings.filter((f) => f.rule === "dockerfile/sudo_usage");
    const twice = {
      ...r,
      findings: [...r.findings, ...sudo, ...sudo, ...sudo, ...sudo],
    };
    expect(sudo.length).toBeGreaterThanOrEqual(1);
    const n = sudo.length * 5;
    expect(renderText(twice)).toContain(`Dockerfile:2  warning  ${n} × dockerfile/sudo_usage`);
    expect(renderMarkdown(twice)).toContain(`- ${n} × **warning** \`dockerfile/sudo_usage\` at \`Dockerfile:2\``);
    const annotation = renderCheckRun(twice).annotations.find((a) => a.title.startsWith("dockerfile/sudo_usage"));
    expect(annotation?.title).toBe(`dockerfile/sudo_usage (${n} ×)`);
  });

  it("lead with errors, whatever their paths", async () => {
    const r = await scanFiles({ Dockerfile: DOCKERFILE, "a.sh": "#!/bin/sh\nif then fi (\n" });
    const findings = [
      ...Array.from({ length: 30 }, (_, i) => ({
        path: `.github/workflows/a${i}.yml`,
        line: 1,
        severity: "note" as const,
        rule: "ci/unpinned-action",
        message: "tag",
      })),
      { path: "zz/Dockerfile", line: 1, severity: "error" as const, rule: "dockerfile/parse-error", message: "bad" },
    ];
    const text = renderText({ ...r, findings }, { maxFindings: 3 });
    const list = text.slice(text.indexOf("Findings:"));
    expect(list.split("\n")[1]).toContain("zz/Dockerfile:1  error");
  });
});

describe("the check run's text", () => {
  it("lists every task's signals, pass, fail or n/a, with evidence, in collapsible sections", async () => {
    const r = await scanFiles({ Dockerfile: 'FROM node:20.11-alpine\nUSER node\nCMD ["node", "s.js"]\n' });
    const text = renderCheckRun(r).text!;
    expect(text.match(/<details><summary>/g)).toHaveLength(7);
    expect(text.match(/<\/details>/g)).toHaveLength(7);
    for (const s of r.tasks.flatMap((t) => t.signals)) expect(text).toContain(`\`${s.id}\``);
    expect(text).toMatch(/- ✓ Containers run as a non-root user `docker\/non-root-user`.*\n {2}- `Dockerfile:2`/);
    expect(text).toMatch(/- ✗ .*\n(?: {2}- .*\n)* {2}- Fix: /);
    expect(text).toContain("<b>Containerisation</b> · ");
  });

  it("keeps every signal within GitHub's limit, with less detail when it must", async () => {
    const r = await scanFiles({ Dockerfile: "FROM node:20\n" });
    const evidence = Array.from({ length: 2000 }, (_, i) => ({
      path: `svc${i}/Dockerfile`,
      line: i + 1,
      note: "x".repeat(80),
    }));
    const huge: Report = {
      ...r,
      tasks: r.tasks.map((t) => ({
        ...t,
        signals: t.signals.map((s) => ({ ...s, evidence, remediation: "r".repeat(2000) })),
      })),
      findings: Array.from({ length: 5000 }, (_, i) => ({
        path: `f${i}.yml`,
        line: 1,
        severity: "warning" as const,
        rule: "ci/unpinned-action",
        message: "m".repeat(100),
      })),
    };
    const text = renderCheckRun(huge).text!;
    expect(text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    for (const s of r.tasks.flatMap((t) => t.signals)) expect(text).toContain(`\`${s.id}\``);
    expect(text).toContain("…(cut to fit GitHub's size limit");
  });
});
