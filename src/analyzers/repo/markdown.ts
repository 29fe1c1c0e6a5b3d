// Markdown → document blocks, with a line reader that follows CommonMark's block rules where they
// matter here: fenced code (``` and ~~~, closed only by the same fence), ATX and setext headings (at most
// three spaces of indentation, so indented code is never a heading), lists, HTML comments, block quotes.
//
// Why not a full CommonMark parser: mdast-util-from-markdown (micromark) was tried and is super-linear on
// ordinary inputs — 5,000 lines of nested list items took over a minute, 120 KB of headings six seconds —
// so a crafted README could stall a scan. This reader is one pass, with no backtracking regex.
import { BlockCollector } from "./block-collector.js";
import { blankFrontMatter, capText, codeLang, type ReadDoc } from "./doc-blocks.js";

// every repetition is bounded, so that a line like "![![![…" stays linear
const IMAGE = /!\[[^\]\n]{0,100}\]\s{0,3}[([]|<(img|picture|svg)\b/i;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
/** a code span on one line (bounded, so that a line of backticks stays linear) */
const CODE_SPAN = /`([^`\n]{3,200})`/g;
/** a span that reads as a command line: a lower-case program (or the repository's own, `./launcher`) and one more word */
const COMMAND_SPAN = /^(sudo\s+)?(\.{1,2}\/)?[a-z][\w./-]*\s+\S/;
const MAX_SPANS = 500;
const THEMATIC_BREAK = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;

interface Fence {
  marker: string;
  lang?: string;
  line: number;
  indent: number;
  body: string[];
}

export function readMarkdown(source: string): ReadDoc {
  const { text } = blankFrontMatter(source);
  const lines = text.split("\n");
  const blocks = new BlockCollector(inlineText);
  const problems: ReadDoc["problems"] = [];
  let fence: Fence | undefined;
  let inComment = false;
  let blankBefore = true;

  let indented: { line: number; body: string[] } | undefined;
  let spans = 0;
  const flushIndented = () => {
    if (!indented) return;
    while (indented.body.length > 0 && indented.body[indented.body.length - 1]!.trim() === "") indented.body.pop();
    blocks.push({ kind: "code", text: capText(indented.body.join("\n")), line: indented.line });
    indented = undefined;
  };
  /** command-shaped code spans of a line of prose or a list item */
  const codeSpans = (text: string, lineNo: number) => {
    if (spans >= MAX_SPANS || !text.includes("`")) return;
    for (const m of text.matchAll(CODE_SPAN)) {
      if (COMMAND_SPAN.test(m[1]!) && spans++ < MAX_SPANS)
        blocks.push({ kind: "inline-code", text: m[1]!, line: lineNo });
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;

    if (fence) {
      if (isClosingFence(raw, fence.marker)) {
        blocks.push({ kind: "code", lang: fence.lang, text: capText(fence.body.join("\n")), line: fence.line });
        fence = undefined;
      } else if (fence.body.length < 2000) {
        fence.body.push(stripIndent(raw, fence.indent));
      }
      continue;
    }
    if (inComment) {
      if (raw.includes("-->")) inComment = false;
      continue;
    }

    const line = stripQuotes(raw);
    const indent = leadingSpaces(line);
    const content = line.slice(indent);
    if (indented) {
      if (content === "" || indent >= 4) {
        if (indented.body.length < 2000) indented.body.push(stripIndent(line, 4));
        continue;
      }
      flushIndented();
    }

    if (content === "") {
      blocks.flushParagraph();
      blankBefore = true;
      continue;
    }
    const opening = indent <= 3 || blocks.inList ? openingFence(content) : undefined;
    if (opening) {
      blocks.flushParagraph();
      fence = { ...opening, line: lineNo, indent, body: [] };
      blankBefore = false;
      continue;
    }
    if (indent >= 4 && !blocks.inList && !blocks.inParagraph) {
      // indented code: never a heading, not prose
      indented = { line: lineNo, body: [stripIndent(line, 4)] };
      blankBefore = false;
      continue;
    }
    if (content.startsWith("<!--")) {
      blocks.flushParagraph();
      if (!content.includes("-->", 4)) inComment = true;
      continue;
    }
    if (indent <= 3 && content.startsWith("#")) {
      const heading = atxHeading(content);
      if (heading) {
        blocks.flush();
        blocks.push({ kind: "heading", text: inlineText(heading.text), depth: heading.depth, line: lineNo });
        blankBefore = false;
        continue;
      }
    }
    if (blocks.inParagraph && !blocks.inList && SETEXT.test(line)) {
      const depth = line.trim().startsWith("=") ? 1 : 2;
      blocks.push({ kind: "heading", ...blocks.takeParagraph()!, depth });
      blankBefore = false;
      continue;
    }
    if (line.length < 200 && THEMATIC_BREAK.test(line)) {
      blocks.flush();
      blankBefore = true;
      continue;
    }
    const item = listItem(content);
    if (item && (indent <= 3 || blocks.inList)) {
      blocks.listItem(item.ordered, lineNo, indent > 3);
      if (hasImage(content)) blocks.push({ kind: "image", line: lineNo });
      codeSpans(item.rest, lineNo);
      blocks.addLine(item.rest, lineNo);
      blankBefore = false;
      continue;
    }
    // a line after a blank that is not indented under the list ends the list
    if (blankBefore && indent < 2) blocks.flushList();
    if (hasImage(content)) blocks.push({ kind: "image", line: lineNo });
    codeSpans(content, lineNo);
    blocks.addLine(content, lineNo);
    blankBefore = false;
  }
  flushIndented();
  blocks.flush();
  if (fence) {
    blocks.push({ kind: "code", lang: fence.lang, text: capText(fence.body.join("\n")), line: fence.line });
    problems.push({
      line: fence.line,
      message: "this code fence is never closed: the rest of the file is read as code",
    });
  }
  return { blocks: blocks.blocks, problems };
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (line[n] === " " || line[n] === "\t") n++; // a tab counts as one column: close enough here
  return n;
}

function stripIndent(line: string, indent: number): string {
  return line.slice(Math.min(indent, leadingSpaces(line)));
}

/** `> > text` → `text` (block quotes hold ordinary blocks) */
function stripQuotes(line: string): string {
  let i = 0;
  let stripped = false;
  for (;;) {
    let j = i;
    while (j < line.length && j - i < 3 && line[j] === " ") j++;
    if (line[j] !== ">") break;
    i = line[j + 1] === " " ? j + 2 : j + 1;
    stripped = true;
  }
  return stripped ? line.slice(i) : line;
}

function openingFence(content: string): { marker: string; lang?: string } | undefined {
  const ch = content[0];
  if (ch !== "`" && ch !== "~") return undefined;
  let n = 0;
  while (content[n] === ch) n++;
  if (n < 3) return undefined;
  const info = content.slice(n);
  if (ch === "`" && info.includes("`")) return undefined; // inline code, not a fence
  return { marker: ch.repeat(n), lang: codeLang(info) };
}

function isClosingFence(raw: string, marker: string): boolean {
  const content = raw.trimStart();
  if (!content.startsWith(marker)) return false;
  let n = 0;
  while (content[n] === marker[0]) n++;
  return content.slice(n).trim() === "";
}

function atxHeading(content: string): { depth: number; text: string } | undefined {
  let depth = 0;
  while (content[depth] === "#") depth++;
  if (depth > 6) return undefined;
  const next = content[depth];
  if (next !== undefined && next !== " " && next !== "\t") return undefined;
  let text = content.slice(depth).trim();
  // optional closing sequence: "## Title ##"
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  if (end < text.length && (end === 0 || text[end - 1] === " " || text[end - 1] === "\t"))
    text = text.slice(0, end).trim();
  return { depth, text };
}

function listItem(content: string): { ordered: boolean; rest: string } | undefined {
  const ch = content[0];
  if ((ch === "-" || ch === "*" || ch === "+") && (content.length === 1 || content[1] === " " || content[1] === "\t")) {
    return { ordered: false, rest: content.slice(2) };
  }
  let n = 0;
  while (n < content.length && n < 10 && content.charCodeAt(n) >= 48 && content.charCodeAt(n) <= 57) n++;
  if (n === 0 || n > 9) return undefined;
  const delimiter = content[n];
  if (
    (delimiter !== "." && delimiter !== ")") ||
    (content.length > n + 1 && content[n + 1] !== " " && content[n + 1] !== "\t")
  )
    return undefined;
  return { ordered: true, rest: content.slice(n + 2) };
}

function hasImage(content: string): boolean {
  return IMAGE.test(content);
}

/** Readable text of inline Markdown: links keep their text; URLs, brackets, emphasis and HTML tags go. */
function inlineText(text: string): string {
  return text
    .replace(/\]\([^)\n]{0,200}\)/g, "")
    .replace(/!?\[|\]/g, "")
    .replace(/<[^<>\n]{1,200}>/g, "")
    .replace(/[*_`]+/g, "")
    .trim();
}
