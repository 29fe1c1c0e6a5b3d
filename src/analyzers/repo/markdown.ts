// Markdown → document blocks, with a CommonMark parser (mdast-util-from-markdown) so that fences,
// setext headings, indented code and HTML are read the way GitHub renders them.
import { fromMarkdown } from "mdast-util-from-markdown";
import type { Nodes } from "mdast";
import { blankFrontMatter, capText, codeLang, type DocBlock, type ReadDoc } from "./doc-blocks.js";

const IMAGE_HTML = /<(img|picture|svg)\b/i;
/** phrasing containers: their pieces are joined as written; block containers get a space between pieces */
const INLINE_PARENTS = new Set(["paragraph", "heading", "emphasis", "strong", "delete", "link", "linkReference", "tableCell"]);

export function readMarkdown(source: string): ReadDoc {
  const { text } = blankFrontMatter(source);
  const lines = text.split("\n");
  const blocks: DocBlock[] = [];
  const problems: ReadDoc["problems"] = [];
  const lineOf = (node: Nodes) => node.position?.start.line ?? 1;

  const visit = (node: Nodes): void => {
    switch (node.type) {
      case "heading":
        blocks.push({ kind: "heading", text: plainText(node).trim(), depth: node.depth, line: lineOf(node) });
        return;
      case "code": {
        blocks.push({ kind: "code", lang: codeLang(node.lang), text: capText(node.value), line: lineOf(node) });
        if (isUnclosedFence(node, lines)) {
          problems.push({ line: lineOf(node), message: "this code fence is never closed: the rest of the file is read as code" });
        }
        return;
      }
      case "paragraph":
        blocks.push({ kind: "text", text: plainText(node), line: lineOf(node) });
        break;
      case "list":
        blocks.push({ kind: "list", ordered: node.ordered === true, items: node.children.length, line: lineOf(node) });
        break;
      case "image":
      case "imageReference":
        blocks.push({ kind: "image", line: lineOf(node) });
        return;
      case "html":
        if (IMAGE_HTML.test(node.value)) blocks.push({ kind: "image", line: lineOf(node) });
        return;
      case "table":
        blocks.push({ kind: "text", text: plainText(node), line: lineOf(node) });
        return;
    }
    if ("children" in node) for (const child of node.children) visit(child as Nodes);
  };
  visit(fromMarkdown(text));
  return { blocks, problems };
}

/** The readable text of a node: text and inline code, without HTML or code blocks. */
function plainText(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value;
  if (node.type === "code" || node.type === "html") return "";
  if (!("children" in node)) return "";
  const parts = node.children.map((child) => plainText(child as Nodes)).filter((p) => p.length > 0);
  return parts.join(INLINE_PARENTS.has(node.type) ? "" : " ");
}

/** A fenced block whose last line is not a closing fence ran to the end of the file. */
function isUnclosedFence(node: Nodes, lines: string[]): boolean {
  const start = node.position?.start.line;
  const end = node.position?.end.line;
  if (start === undefined || end === undefined) return false;
  const opening = lines[start - 1]?.trimStart() ?? "";
  const marker = opening.startsWith("```") ? "`" : opening.startsWith("~~~") ? "~" : undefined;
  if (!marker) return false; // indented code has no fence
  if (end === start) return true;
  return !(lines[end - 1]?.trimStart() ?? "").startsWith(marker.repeat(3));
}
