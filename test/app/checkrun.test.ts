// The check-run renderer: title, table, delta, gates, annotations, and GitHub's size limits.
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/engine/report.js";
import { annotationsOf, fitSections, renderCheckRun, renderFailure, SUMMARY_LIMIT } from "../../src/report/checkrun.js";
import { scanFiles } from "../helpers.js";

const DOCKERFILE = 'FROM node:20.11-alpine\nUSER node\nCMD ["node", "server.js"]\n';

describe("renderCheckRun", () => {
  it("titles the level and score, with the change against a base", async () => {
    const base = await scanFiles({ "README.md": "# x\n" });
    const head = await scanFiles({ "README.md": "# x\n", Dockerfile: DOCKERFILE });
    expect(head.score).toBeGreaterThan(base.score);
    expect(renderCheckRun(head).title).toBe(`Junior · ${head.score}/100`);
    const text = renderCheckRun(head, { base });
    expect(text.title).toBe(`Junior · ${head.score}/100 (+${head.score - base.score})`);
    const docker = head.tasks.find((t) => t.id === "docker")!;
    const before = base.tasks.find((t) => t.id === "docker")!;
    expect(text.summary).toContain(`| ${docker.title} | ${docker.score} |`);
    if (before.score !== null)
      expect(text.summary).toMatch(
        new RegExp(`\\| ${docker.title} \\| ${docker.score} \\| \`[█░]+\` \\| \\+${docker.score! - before.score}`),
      );
    expect(text.summary).toContain("Added:\n- ✓ **");
    expect(renderCheckRun(head, { base: head }).summary).toContain("No signal changed against the base branch.");
  });

  it("puts gate failures first", async () => {
    const report = await scanFiles({ Dockerfile: DOCKERFILE });
    const text = renderCheckRun(report, { gateFailures: ["the score 10 is under min_score 50"] });
    expect(text.summary.startsWith("**Gate failed**: the score 10 is under min_score 50.")).toBe(true);
  });

  it("annotates only files of the scanned tree, most severe first, with the remediation", async () => {
    const report = await scanFiles({ Dockerfile: DOCKERFILE }, "min_score: high\n");
    const findings = [
      { path: "a.yml", line: 3, severity: "note" as const, rule: "x/note", message: "n" },
      { path: "b.yml", line: 0, severity: "error" as const, rule: "x/err", message: "e", remediation: "do this" },
      {
        path: "elsewhere:.github/devops-ladder.yml",
        line: 1,
        severity: "error" as const,
        rule: "config/invalid",
        message: "bad",
      },
    ];
    const text = renderCheckRun({ ...report, findings }, { paths: new Set(["a.yml", "b.yml"]) });
    expect(text.annotations).toEqual([
      {
        path: "b.yml",
        start_line: 1,
        end_line: 1,
        annotation_level: "failure",
        title: "x/err",
        message: "e\n\nFix: do this",
      },
      { path: "a.yml", start_line: 3, end_line: 3, annotation_level: "notice", title: "x/note", message: "n" },
    ]);
    expect(text.summary).toContain("`elsewhere:.github/devops-ladder.yml line 1`: bad");
    expect(annotationsOf(findings, 1)).toHaveLength(1);
    expect(annotationsOf(findings, 0)).toEqual([]);
  });

  it("stays under GitHub's 65,535-character limit however many findings and signals there are", async () => {
    const report = await scanFiles({ Dockerfile: DOCKERFILE });
    const huge: Report = {
      ...report,
      findings: Array.from({ length: 50_000 }, (_, i) => ({
        path: `f${i}.yml`,
        line: i + 1,
        severity: "error" as const,
        rule: "config/invalid",
        message: "x".repeat(500),
      })),
      tasks: report.tasks.map((t) => ({
        ...t,
        signals: t.signals.map((s) => ({ ...s, title: s.title + "y".repeat(5000), remediation: "z".repeat(20_000) })),
      })),
    };
    const base: Report = {
      ...huge,
      tasks: huge.tasks.map((t) => ({
        ...t,
        signals: t.signals.map((s) => ({ ...s, status: s.status === "pass" ? ("fail" as const) : ("pass" as const) })),
      })),
    };
    const text = renderCheckRun(huge, { base, maxAnnotations: 1000 });
    expect(text.summary.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(text.summary).toContain("…(cut to fit GitHub's size limit");
    expect(text.annotations).toHaveLength(1000);
    expect(Math.max(...text.annotations.map((a) => a.message.length))).toBeLessThanOrEqual(4000);
  });

  it("fitSections keeps whole lines and cuts a single giant line", () => {
    expect(fitSections([["a", "b"], ["c"]], 1000)).toBe("a\nb\nc");
    const cut = fitSections([["a".repeat(50), "b".repeat(50)]], 150);
    expect(cut.startsWith(`${"a".repeat(50)}\n\n…(cut`)).toBe(true);
    expect(cut).not.toContain("bbb");
    expect(fitSections([["x".repeat(500)]], 120).length).toBeLessThanOrEqual(120);
  });

  it("says 'could not scan' with the reason", () => {
    const text = renderFailure("acme/shop was not found");
    expect(text.title).toBe("Could not scan: acme/shop was not found");
    expect(text.summary.startsWith("could not scan: acme/shop was not found.")).toBe(true);
    expect(text.annotations).toEqual([]);
  });
});
