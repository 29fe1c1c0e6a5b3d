// Documentation → `doc` facts: headings, code blocks and the topics a document really covers.
// Which files: the usual top-level documents, and docs under ops-minded folders or with ops-minded names.
// A docs site with thousands of pages must not eat the ~300-file budget, so generic doc folders only
// contribute pages whose path says deploy/release/backup/runbook/architecture … .
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { DocFact } from "../../facts/repo.js";
import { blankFrontMatter, type ReadDoc } from "./doc-blocks.js";
import { judge } from "./doc-topics.js";
import { readMarkdown } from "./markdown.js";
import { readRst } from "./rst.js";
import { readAsciidoc } from "./asciidoc.js";

const DOC_EXT = /\.(md|markdown|mdx|rst|adoc|asciidoc|txt)$/;
const MAX_DEPTH = 5;
const MAX_CODE_BLOCKS = 300;

/** names that are documents wherever GitHub shows them (root, .github/, docs/) */
const COMMUNITY = /^(contributing|security|changelog|changes|history|releases|news|support|governance|maintainers)(\.(md|markdown|rst|adoc|asciidoc|txt))?$/;
/** names that say "operations" wherever they are */
const OPS_NAME = /^(runbook|runbooks|deploy|deploying|deployment|deployments|releasing|rollback|rollbacks|restore|restoring|backup|backups|disaster[-_]recovery|dr|architecture|operations|operating|ops|oncall|on[-_]call|incident[-_]response)([-_.][\w.-]*)?\.(md|markdown|rst|adoc|asciidoc|txt)$/;
/** folders whose every document is about operations */
const OPS_DIR = /(^|\/)(runbooks?|playbooks?|adrs?|decisions|decision-records|architecture|ops|operations|deploy|deployment|deployments|disaster-recovery|oncall|on-call)\//;
/** generic documentation folders: only pages whose path is about operations */
const DOC_ROOT = /^(docs|doc|documentation|\.github)\//;
const OPS_WORDS = /deploy|releas|rollback|roll-back|restor|backup|recover|disaster|runbook|playbook|incident|on-?call|operat|architect|decision|adr|infra|environment|hosting|self-host|production|getting-started|install|setup|contribut|security/;
const TEMPLATE = /(issue|pull_request|merge_request)_template/;

export function isDocCandidate(lowerPath: string, lowerName: string): boolean {
  const depth = countSlashes(lowerPath);
  if (depth > MAX_DEPTH) return false;
  if (TEMPLATE.test(lowerPath)) return false;
  if (/^readme(\.(md|markdown|mdx|rst|adoc|asciidoc|txt))?$/.test(lowerName)) return depth <= 2 || OPS_DIR.test(lowerPath);
  if (COMMUNITY.test(lowerName)) return depth === 0 || (depth === 1 && (lowerPath.startsWith(".github/") || lowerPath.startsWith("docs/")));
  if (!DOC_EXT.test(lowerName)) return false;
  if (OPS_NAME.test(lowerName) || OPS_DIR.test(lowerPath)) return true;
  if (DOC_ROOT.test(lowerPath)) {
    const rest = lowerPath.slice(lowerPath.indexOf("/") + 1);
    return OPS_WORDS.test(rest) || (depth === 1 && /^index\.(md|markdown|mdx|rst|adoc)$/.test(lowerName));
  }
  return false;
}

export const docsAnalyzer: Analyzer = {
  id: "docs",
  match: (_path, name, lowerPath) => isDocCandidate(lowerPath, name.toLowerCase()),
  analyze(file: SourceFile, out: AnalyzerOutput) {
    const format = formatOf(file.name);
    const { frontMatter } = blankFrontMatter(file.text);
    const doc: ReadDoc = format === "rst" ? readRst(file.text) : format === "asciidoc" ? readAsciidoc(file.text) : readMarkdown(file.text);
    for (const p of doc.problems) {
      out.finding({
        path: file.path, line: p.line, severity: "note", rule: "docs/unclosed-block", message: p.message,
        remediation: "Close the code block with the same fence that opens it (```), so the text after it renders as prose.",
      });
    }
    const { topics, contributingAreas } = judge(doc.blocks, { path: file.path, fileName: readableName(file.path), frontMatter });
    const headings = doc.blocks.flatMap((b) => (b.kind === "heading" ? [{ text: b.text, depth: b.depth, line: b.line }] : []));
    const codeBlocks = doc.blocks
      .flatMap((b) => (b.kind === "code" ? [{ ...(b.lang ? { lang: b.lang } : {}), line: b.line, text: b.text }] : []))
      .slice(0, MAX_CODE_BLOCKS);
    const fact: DocFact = {
      path: file.path, format, headings, topics, codeBlocks,
      ...(contributingAreas.length > 0 ? { contributingAreas } : {}),
    };
    const title = headings.find((h) => h.depth === 1)?.text;
    if (title) fact.title = title;
    out.fact("doc", fact);
    const changelog = topics.find((t) => t.topic === "changelog");
    if (changelog) out.fact("releaseTooling", { path: file.path, line: changelog.line, tool: "changelog" });
  },
};

function formatOf(name: string): DocFact["format"] {
  const lower = name.toLowerCase();
  if (lower.endsWith(".rst")) return "rst";
  if (lower.endsWith(".adoc") || lower.endsWith(".asciidoc")) return "asciidoc";
  return "markdown";
}

/** "docs/runbooks/restore-database.md" → "docs runbooks restore database" (for file-level topics) */
function readableName(path: string): string {
  return path.replace(/\.[a-z]+$/i, "").replace(/[\/_.-]+/g, " ").trim();
}

function countSlashes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 47) n++;
  return n;
}
