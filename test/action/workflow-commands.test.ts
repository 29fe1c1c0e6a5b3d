// Workflow commands: escaping, GitHub's per-step annotation limits (errors first), GITHUB_OUTPUT entries.
import { describe, expect, it } from "vitest";
import {
  annotationCommands,
  escapeData,
  escapeProperty,
  outputEntry,
  workflowCommand,
} from "../../src/action/workflow-commands.js";
import type { Finding } from "../../src/engine/types.js";

const finding = (severity: Finding["severity"], i: number, rule = "ci/unpinned-action"): Finding => ({
  path: `f${String(i).padStart(2, "0")}.yml`,
  line: i + 1,
  severity,
  rule,
  message: `m${i}`,
});

describe("workflow commands", () => {
  it("escape what would end the message or a property", () => {
    expect(escapeData("50%\r\nnext")).toBe("50%25%0D%0Anext");
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
    expect(workflowCommand("warning", { file: "a,b.yml", line: 3, title: undefined }, "x\ny")).toBe(
      "::warning file=a%2Cb.yml,line=3::x%0Ay",
    );
    expect(workflowCommand("notice", {}, "plain")).toBe("::notice::plain");
  });

  it("annotate at most 10 of each kind, errors first, and count what is left out", () => {
    const findings = [
      ...Array.from({ length: 15 }, (_, i) => finding("note", i)),
      ...Array.from({ length: 12 }, (_, i) => finding("warning", i, "docker/root-user")),
      ...Array.from({ length: 3 }, (_, i) => finding("error", i, "shell/parse-error")),
    ];
    const plan = annotationCommands(findings, {
      first: [{ kind: "error", title: "devops-ladder gate", message: "the score 3 is under min-score 50" }],
    });
    const kinds = plan.commands.map((c) => /^::(\w+)/.exec(c)![1]);
    expect(kinds).toEqual([...Array(4).fill("error"), ...Array(10).fill("warning"), ...Array(10).fill("notice")]);
    expect(plan.commands[0]).toBe("::error title=devops-ladder gate::the score 3 is under min-score 50");
    expect(plan.commands[1]).toBe("::error file=f00.yml,line=1,title=shell/parse-error::m0");
    expect(plan.omitted).toEqual({ error: 0, warning: 2, notice: 5 });
  });

  it("fold identical findings into one annotation, and prefix paths with the scanned folder", () => {
    const same: Finding = {
      path: "Dockerfile",
      line: 4,
      severity: "warning",
      rule: "dockerfile/sudo_usage",
      message: "sudo",
      remediation: "drop sudo",
    };
    const plan = annotationCommands([same, same, same], { pathPrefix: "services/api/" });
    expect(plan.commands).toEqual([
      "::warning file=services/api/Dockerfile,line=4,title=dockerfile/sudo_usage (3 ×)::sudo%0A%0AFix: drop sudo",
    ]);
  });

  it("write GITHUB_OUTPUT entries with a delimiter, multi-line values included", () => {
    expect(outputEntry("report", "/tmp/r.json", "EOF_1")).toBe("report<<EOF_1\n/tmp/r.json\nEOF_1\n");
    expect(outputEntry("x", "a\nb", "D")).toBe("x<<D\na\nb\nD\n");
    expect(() => outputEntry("x", "a\nD\nb", "D")).toThrow(/delimiter/);
    expect(outputEntry("level", "lead")).toMatch(
      /^level<<ghadelimiter_[0-9a-f-]{36}\nlead\nghadelimiter_[0-9a-f-]{36}\n$/,
    );
  });
});
