// Documentation → `doc` facts: headings, code blocks and the topics a document really covers.
// Which files: the usual top-level documents, and docs under ops-minded folders or with ops-minded names.
// A docs site with thousands of pages must not eat the ~300-file budget, so generic doc folders only
// contribute pages whose path says deploy/release/backup/runbook/architecture … .
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { DocFact } from "../../facts/repo.js";
import { loadShellParser } from "../shell-parse.js";
import { readAsciidoc } from "./asciidoc.js";
import { blankFrontMatter, type ReadDoc } from "./doc-blocks.js";
import { judge } from "./doc-topics.js";
import { readMarkdown } from "./markdown.js";
import { readRst } from "./rst.js";

const MAX_DEPTH = 5;
const MAX_CODE_BLOCKS = 300;

/** extensions of documents (README, CONTRIBUTING … may have none) */
const DOC_EXTENSIONS = [".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc", ".txt"];
/** their last characters: most source files (.ts, .js, .json, .py …) are rejected on one character code */
const DOC_LAST_CHARS = new Set([..."dnxtc"].map((c) => c.charCodeAt(0)));
/** names that are documents wherever GitHub shows them (root, .github/, docs/) */
const COMMUNITY = new Set([
  "contributing",
  "security",
  "changelog",
  "changes",
  "history",
  "releases",
  "news",
  "support",
  "governance",
  "maintainers",
]);
/** a one-file decision log: DECISIONS.md, decision-log.md, ADR.md, architecture-decisions.md */
const DECISION_LOG = /^(decisions|decision[-_]?log|decision[-_]records?|adrs?|architecture[-_]decisions?)$/;
/** names that say "operations" wherever they are (the stem's first word) */
const OPS_NAME = new RegExp(
  String.raw`^(runbooks?|deploy|deploying|deployments?|releasing|rollbacks?|restore|restoring|` +
    String.raw`backups?|disaster[-_]recovery|dr|architecture|operations|operating|ops|oncall|` +
    String.raw`on[-_]call|incident[-_]response)([-_.]|$)`,
);
/** folders whose every document is about operations */
const OPS_DIRS = new Set([
  "runbook",
  "runbooks",
  "playbook",
  "playbooks",
  "adr",
  "adrs",
  "decisions",
  "decision-records",
  "architecture",
  "ops",
  "operations",
  "deploy",
  "deployment",
  "deployments",
  "disaster-recovery",
  "oncall",
  "on-call",
  "installation",
  "self-hosting",
]);
/** folders of infrastructure code whose READMEs say how to apply it (terraform/eks/default/README.md) */
const INFRA_ROOTS = new Set(["terraform", "infra", "infrastructure", "deploy", "deployment", "ansible", "k8s", "helm"]);
/** names of pages that tell how to install or run the product */
const INSTALL_WORDS = new RegExp(
  String.raw`install|setup|set-up|upgrad|quick-?start|getting-started|how-?to|self-host|hosting|` +
    String.raw`production|podman|docker|compose|kubernetes|helm|systemd`,
);
/** generic documentation folders: only pages whose path is about operations */
const DOC_ROOTS = new Set(["docs", "doc", "documentation", ".github"]);
const OPS_WORDS = new RegExp(
  String.raw`deploy|releas|rollback|roll-back|restor|backup|recover|disaster|runbook|playbook|` +
    String.raw`incident|on-?call|operat|architect|decision|adr|infra|environment|hosting|self-host|` +
    String.raw`production|getting-started|install|setup|contribut|security|quick-?start|how-?to|upgrad|` +
    String.raw`podman|docker|compose|kubernetes|helm|systemd`,
);

/**
 * The pre-filter run on every path of the tree, without allocating: the name ends in a character a
 * document extension ends in, or has no extension (README, CONTRIBUTING …; the longest is 12 characters).
 */
function mayBeDoc(lowerPath: string): boolean {
  if (
    DOC_LAST_CHARS.has(lowerPath.charCodeAt(lowerPath.length - 1)) &&
    DOC_EXTENSIONS.some((e) => lowerPath.endsWith(e))
  )
    return true;
  for (let i = lowerPath.length - 1, n = 0; i >= 0 && n <= 12; i--, n++) {
    const c = lowerPath.charCodeAt(i);
    if (c === 46 /* . */) return false;
    if (c === 47 /* / */) return true;
  }
  return lowerPath.length <= 12;
}

export function isDocCandidate(lowerPath: string, lowerName: string): boolean {
  // cheap tests first: this runs on every path of the tree (no allocation for the 99% that are not docs)
  const dot = lowerName.lastIndexOf(".");
  if (dot >= 0 && !DOC_EXTENSIONS.some((e) => lowerName.endsWith(e))) return false;
  const ext = dot < 0 ? "" : lowerName.slice(dot + 1);
  let depth = 0;
  let first = "";
  let inOpsDir = false;
  let inDocRoot = false;
  for (
    let start = 0, slash = lowerPath.indexOf("/");
    slash >= 0;
    start = slash + 1, slash = lowerPath.indexOf("/", start)
  ) {
    if (++depth > MAX_DEPTH + 2) return false;
    const dir = lowerPath.slice(start, slash);
    if (depth === 1) first = dir;
    if (OPS_DIRS.has(dir)) inOpsDir = true;
    if (DOC_ROOTS.has(dir)) inDocRoot = true;
  }
  if (depth > MAX_DEPTH && !(inOpsDir && inDocRoot && depth <= MAX_DEPTH + 2)) return false;
  if (lowerPath.includes("_template")) return false;
  // tool folders (.agents/, .claude/, .vscode/, .devcontainer/): instructions for tools, not for people
  if (first.startsWith(".") && first !== ".github" && first !== ".gitlab") return false;
  const stem = dot < 0 ? lowerName : lowerName.slice(0, dot);
  if (stem === "readme") return depth <= 2 || inOpsDir || (depth === 3 && INFRA_ROOTS.has(first));
  // CONTRIBUTING, CHANGELOG … at the root, in .github/, or anywhere in a documentation folder (docs/reference/contributing.md)
  if (COMMUNITY.has(stem)) return depth === 0 || (depth === 1 && first === ".github") || DOC_ROOTS.has(first);
  if (DECISION_LOG.test(stem) && ext !== "") return depth === 0 || DOC_ROOTS.has(first);
  if (ext === "") return false;
  if (inOpsDir || OPS_NAME.test(stem)) return true;
  // at the root: INSTALL.md, UPGRADING.md, manual-upgrade.md, HOWTO.md, QUICKSTART.md
  if (depth === 0 && INSTALL_WORDS.test(stem)) return true;
  if (DOC_ROOTS.has(first))
    return OPS_WORDS.test(lowerPath.slice(first.length + 1)) || (depth === 1 && stem === "index" && ext !== "txt");
  return false;
}

export const docsAnalyzer: Analyzer = {
  id: "docs",
  extensions: ["", ".md", ".markdown", ".mdx", ".rst", ".adoc", ".asciidoc", ".txt"],
  match: (_path, _name, lowerPath) =>
    mayBeDoc(lowerPath) && isDocCandidate(lowerPath, lowerPath.slice(lowerPath.lastIndexOf("/") + 1)),
  async analyze(file: SourceFile, out: AnalyzerOutput) {
    const format = formatOf(file.name);
    const { frontMatter } = blankFrontMatter(file.text);
    const doc: ReadDoc =
      format === "rst" ? readRst(file.text) : format === "asciidoc" ? readAsciidoc(file.text) : readMarkdown(file.text);
    // The commands of code blocks are read with the shell parser (doc-commands.ts). It loads for the first document
    // with code, not in `prepare`: a folder with a README of prose alone never loads it.
    if (doc.blocks.some((b) => b.kind === "code" || b.kind === "inline-code")) await loadShellParser();
    for (const p of doc.problems) {
      out.finding({
        path: file.path,
        line: p.line,
        severity: "note",
        rule: "docs/unclosed-block",
        message: p.message,
        remediation:
          "Close the code block with the same fence that opens it (```), so the text after it renders as prose.",
      });
    }
    const { topics, contributingAreas } = judge(doc.blocks, {
      path: file.path,
      fileName: readableName(file.path),
      frontMatter,
    });
    const headings = doc.blocks.flatMap((b) =>
      b.kind === "heading" ? [{ text: b.text, depth: b.depth, line: b.line }] : [],
    );
    const codeBlocks = doc.blocks
      .flatMap((b) => (b.kind === "code" ? [{ ...(b.lang ? { lang: b.lang } : {}), line: b.line, text: b.text }] : []))
      .slice(0, MAX_CODE_BLOCKS);
    const fact: DocFact = {
      path: file.path,
      format,
      headings,
      topics: topics.map((t) =>
        t.topic === "disaster-recovery" ? { ...t, states: objectivesStated(file.text, headings, t.line) } : t,
      ),
      codeBlocks,
      ...(contributingAreas.length > 0 ? { contributingAreas } : {}),
    };
    const title = headings.find((h) => h.depth === 1)?.text;
    if (title) fact.title = title;
    out.fact("doc", fact);
    const changelog = topics.find((t) => t.topic === "changelog");
    if (changelog) out.fact("releaseTooling", { path: file.path, line: changelog.line, tool: "changelog" });
  },
};

const RPO = /\bRPO\b|recovery point objective/i;
const RTO = /\bRTO\b|recovery time objective/i;

/** Whether the section that starts at a heading line (down to the next heading of its level or higher) states RPO and RTO. */
function objectivesStated(text: string, headings: DocFact["headings"], line: number): { rpo: boolean; rto: boolean } {
  const lines = text.split("\n");
  const heading = headings.find((h) => h.line === line);
  const next = heading && headings.find((h) => h.line > line && h.depth <= heading.depth);
  const section = lines.slice(line - 1, next ? next.line - 1 : undefined).join("\n"); // no heading: the file is the section
  return { rpo: RPO.test(section), rto: RTO.test(section) };
}

function formatOf(name: string): DocFact["format"] {
  const lower = name.toLowerCase();
  if (lower.endsWith(".rst")) return "rst";
  if (lower.endsWith(".adoc") || lower.endsWith(".asciidoc")) return "asciidoc";
  return "markdown";
}

/** "docs/deployment/restore-database.md" → "deployment restore database": what a page is about, by its folder and name */
function readableName(path: string): string {
  return path
    .split("/")
    .slice(-2)
    .join(" ")
    .replace(/\.[a-z]+$/i, "")
    .replace(/[_.-]+/g, " ")
    .trim();
}
