// Pull/merge request and issue templates → `template` facts. A template counts when GitHub or GitLab
// would offer it and it says something: an empty file, a Markdown issue template without the front
// matter GitHub needs to list it, or an issue form without fields is reported, not counted.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asArray, asString, isRecord, parseYaml } from "../../engine/yaml.js";
import { type TemplateKind, templateKind } from "../../vocabulary/templates.js";
import { blankFrontMatter } from "./doc-blocks.js";

const MIN_WORDS = 3;

export const templatesAnalyzer: Analyzer = {
  id: "templates",
  match: (_path, _name, lowerPath) => templateKind(lowerPath) !== undefined,
  analyze(file: SourceFile, out: AnalyzerOutput) {
    const kind = templateKind(file.path.toLowerCase());
    if (!kind) return;
    const fact = /\.ya?ml$/i.test(file.name) ? issueForm(file, out) : markdownTemplate(file, kind, out);
    if (fact) out.fact("template", { path: file.path, kind: kind.kind, forge: kind.forge, ...fact });
  },
};

function markdownTemplate(file: SourceFile, kind: TemplateKind, out: AnalyzerOutput): { line: number } | undefined {
  const { text, frontMatter } = blankFrontMatter(file.text);
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  const words = text
    .replace(/<!--|-->/g, " ")
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  if (first < 0 || words < MIN_WORDS) {
    out.finding({
      path: file.path,
      line: 1,
      severity: "note",
      rule: "templates/empty",
      message: "this template is empty: it gives the author nothing to fill in",
      remediation:
        "Add the sections you want in every description, e.g. `## What changed`, `## How was it tested`, and a checklist.",
    });
    return undefined;
  }
  if (kind.kind === "issue" && redirectsAway(text, frontMatter)) {
    out.finding({
      path: file.path,
      line: first + 1,
      severity: "note",
      rule: "templates/redirect",
      message:
        'this issue template only sends people elsewhere ("please do not submit issues here"): it is no template',
      remediation:
        "To send questions elsewhere, use `contact_links` in .github/ISSUE_TEMPLATE/config.yml " +
        "(with `blank_issues_enabled: false`); keep templates for the issues you do accept.",
    });
    return undefined;
  }
  if (kind.chooser) {
    const meta = frontMatter === undefined ? undefined : parseYaml(frontMatter).docs[0]?.value;
    if (!isRecord(meta) || !asString(meta.name) || !asString(meta.about)) {
      out.finding({
        path: file.path,
        line: 1,
        severity: "warning",
        rule: "templates/missing-front-matter",
        message: "GitHub lists an issue template only when its front matter has `name` and `about`",
        remediation:
          "Start the file with front matter, e.g. `---\\nname: Bug report\\nabout: Something does not work\\nlabels: bug\\n---`.",
      });
      return undefined;
    }
  }
  return { line: first + 1 };
}

/** "Please do not submit issues here", "don't open an issue here", "issues are not accepted in this repository" */
const NOT_HERE = new RegExp(
  String.raw`\b(do not|don't|please don't|never) (open|submit|file|create|post|` +
    String.raw`report)\b[^.!\n]{0,40}\b(here|in this repo(sitory)?)\b|\bissues? (are|is) not (accepted|` +
    String.raw`tracked|monitored) (here|in this repo(sitory)?)\b`,
  "i",
);

/** A template whose words say to go elsewhere, with little else (a redirect, not a form to fill in). */
function redirectsAway(text: string, frontMatter: string | undefined): boolean {
  const body = text.replace(/<!--[\s\S]*?-->/g, " ");
  if (!NOT_HERE.test(body) && !NOT_HERE.test(frontMatter ?? "")) return false;
  // a real template with a line asking not to file security issues here keeps its sections
  return !/^#{1,6}\s/m.test(body) && body.split(/\s+/).filter(Boolean).length < 120;
}

const FIELD_TYPES = new Set(["textarea", "input", "dropdown", "checkboxes"]);

/** GitHub issue forms: `name`, `description` and a `body` with at least one field that is not markdown. */
function issueForm(file: SourceFile, out: AnalyzerOutput): { line: number; form: true } | undefined {
  const invalid = (line: number, message: string): undefined => {
    out.finding({
      path: file.path,
      line,
      severity: "error",
      rule: "templates/invalid-issue-form",
      message,
      remediation:
        "An issue form needs `name`, `description` and a `body` list with at least one field, e.g. " +
        "`body:\\n  - type: textarea\\n    id: what\\n    attributes:\\n      label: What " +
        "happened?`.",
    });
    return undefined;
  };
  const parsed = parseYaml(file.text);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    out.finding({
      path: file.path,
      line: e.line,
      severity: "error",
      rule: "templates/parse-error",
      message: `invalid YAML: ${e.message}`,
    });
    return undefined;
  }
  const doc = parsed.docs[0];
  const form = doc?.value;
  if (!doc || !isRecord(form)) return invalid(1, "an issue form must be a YAML mapping");
  if (!asString(form.name)) return invalid(1, "the issue form has no `name`");
  if (!asString(form.description)) return invalid(doc.lineAt(["name"]), "the issue form has no `description`");
  const body = Array.isArray(form.body) ? form.body : [];
  const fields = body.filter((el) => isRecord(el) && FIELD_TYPES.has(asString(el.type) ?? ""));
  if (fields.length === 0) {
    return invalid(
      doc.lineAt(["body"]),
      "the issue form's `body` has no field (textarea, input, dropdown or checkboxes)",
    );
  }
  const unknown = asArray(form.body).findIndex(
    (el) => !isRecord(el) || !(FIELD_TYPES.has(asString(el.type) ?? "") || el.type === "markdown"),
  );
  if (unknown >= 0)
    return invalid(
      doc.lineAt(["body", unknown]),
      "every `body` element needs a `type`: markdown, textarea, input, dropdown or checkboxes",
    );
  return { line: doc.lineAt(["body"]), form: true };
}
