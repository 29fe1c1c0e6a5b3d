import { describe, expect, it } from "vitest";
import { templateKind } from "../../src/vocabulary/templates.js";
import { analyzeRepo } from "./run.js";

describe("template locations", () => {
  it("knows GitHub's and GitLab's template paths, case-insensitively", () => {
    expect(templateKind(".github/pull_request_template.md")).toMatchObject({ kind: "pull-request", forge: "github" });
    expect(templateKind("pull_request_template.md")?.kind).toBe("pull-request");
    expect(templateKind("docs/pull_request_template/feature.md")?.kind).toBe("pull-request");
    expect(templateKind(".github/issue_template/bug.yml")).toMatchObject({ kind: "issue", chooser: true });
    expect(templateKind(".gitlab/merge_request_templates/default.md")).toMatchObject({
      kind: "pull-request",
      forge: "gitlab",
    });
    expect(templateKind(".gitlab/issue_templates/bug.md")).toMatchObject({ kind: "issue", forge: "gitlab" });
    expect(templateKind(".github/issue_template/config.yml")).toBeUndefined();
    expect(templateKind("src/pull_request_template.md")).toBeUndefined();
    expect(templateKind(".github/issue_template/nested/bug.md")).toBeUndefined();
  });
});

describe("templates analyzer", () => {
  const facts = async (files: Record<string, string>) => {
    const analysis = await analyzeRepo(files);
    return { templates: analysis.facts.all("template"), findings: analysis.findings };
  };

  it("counts a PR template with content, at its first line", async () => {
    const { templates } = await facts({ ".github/PULL_REQUEST_TEMPLATE.md": "\n\n## What changed\n\n- [ ] tested\n" });
    expect(templates).toEqual([
      { path: ".github/PULL_REQUEST_TEMPLATE.md", kind: "pull-request", forge: "github", line: 3 },
    ]);
  });
  it("an empty template, or one with a bare comment, does not count", async () => {
    const { templates, findings } = await facts({
      ".github/pull_request_template.md": "\n  \n",
      ".gitlab/merge_request_templates/x.md": "<!-- -->\n",
    });
    expect(templates).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(["templates/empty", "templates/empty"]);
  });
  it("a template that guides the author in an HTML comment counts", async () => {
    const { templates } = await facts({
      ".github/pull_request_template.md": "<!-- Describe the change and how you tested it -->\n",
    });
    expect(templates).toHaveLength(1);
  });
  it("Markdown issue templates need name and about in front matter to be listed", async () => {
    const ok = "---\nname: Bug report\nabout: Something is broken\n---\n## Steps to reproduce\n";
    const { templates, findings } = await facts({
      ".github/ISSUE_TEMPLATE/bug.md": ok,
      ".github/ISSUE_TEMPLATE/idea.md": "## Your idea, in a few words\n",
      ".github/ISSUE_TEMPLATE/empty.md": "---\nname: Empty\nabout: nothing\n---\n",
    });
    expect(templates).toEqual([{ path: ".github/ISSUE_TEMPLATE/bug.md", kind: "issue", forge: "github", line: 5 }]);
    expect(findings.map((f) => `${f.path}:${f.rule}`).sort()).toEqual([
      ".github/ISSUE_TEMPLATE/empty.md:templates/empty",
      ".github/ISSUE_TEMPLATE/idea.md:templates/missing-front-matter",
    ]);
  });
  it("issue forms need name, description and at least one field", async () => {
    const form =
      "name: Bug\ndescription: broken\nbody:\n  - type: markdown\n    attributes: {value: hi}\n" +
      "  - type: input\n    id: v\n    attributes: {label: Version}\n";
    const { templates, findings } = await facts({
      ".github/ISSUE_TEMPLATE/bug.yml": form,
      ".github/ISSUE_TEMPLATE/only-markdown.yaml":
        "name: X\ndescription: y\nbody:\n  - type: markdown\n    attributes: {value: hi}\n",
      ".github/ISSUE_TEMPLATE/no-description.yml": "name: X\nbody:\n  - type: input\n",
      ".github/ISSUE_TEMPLATE/typo.yml": "name: X\ndescription: y\nbody:\n  - type: input\n  - typ: textarea\n",
      ".github/ISSUE_TEMPLATE/list.yml": "- a\n- b\n",
      ".github/ISSUE_TEMPLATE/broken.yml": "name: [unclosed\n",
    });
    expect(templates).toEqual([
      { path: ".github/ISSUE_TEMPLATE/bug.yml", kind: "issue", forge: "github", form: true, line: 3 },
    ]);
    const byPath = Object.fromEntries(
      findings.map((f) => [f.path.replace(".github/ISSUE_TEMPLATE/", ""), `${f.line}:${f.rule}`]),
    );
    expect(byPath).toEqual({
      "only-markdown.yaml": "3:templates/invalid-issue-form",
      "no-description.yml": "1:templates/invalid-issue-form",
      "typo.yml": "5:templates/invalid-issue-form",
      "list.yml": "1:templates/invalid-issue-form",
      "broken.yml": `${findings.find((f) => f.path.endsWith("broken.yml"))!.line}:templates/parse-error`,
    });
  });
});
