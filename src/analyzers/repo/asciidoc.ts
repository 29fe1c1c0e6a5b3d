// AsciiDoc → document blocks (best effort, line based): `=` section titles, delimited listing/literal
// blocks with their `[source,lang]` or diagram style, `image::`, ordered lists.
import { BlockCollector } from "./block-collector.js";
import { capText, type ReadDoc } from "./doc-blocks.js";

const TITLE = /^(={1,6}|#{1,6})\s+(\S.*?)\s*=*$/;
const DELIMITER = /^(-{4,}|\.{4,}|\+{4,}|\/{4,}|`{3,})\s*$/;
const ATTRIBUTES = /^\[([^\]]*)\]\s*$/;
const IMAGE = /^image::/;
const ORDERED = /^\s*(\.{1,5}|\d+\.)\s+\S/;
const BULLET = /^\s*(\*{1,5}|-)\s+\S/;
const DIAGRAM_STYLES = new Set(["mermaid", "plantuml", "graphviz", "ditaa", "d2", "structurizr"]);

export function readAsciidoc(text: string): ReadDoc {
  const lines = text.split("\n");
  const blocks = new BlockCollector();
  const problems: ReadDoc["problems"] = [];
  let attributes: string | undefined;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    const delimiter = DELIMITER.exec(trimmed);
    if (delimiter) {
      blocks.flush();
      const fence = delimiter[1]!;
      let close = -1;
      for (let j = i + 1; j < lines.length && close < 0; j++) if (lines[j]!.trim() === fence) close = j;
      const end = close < 0 ? lines.length : close;
      if (close < 0)
        problems.push({
          line: i + 1,
          message: "this delimited block is never closed: the rest of the file is read as a block",
        });
      const body = lines.slice(i + 1, end).join("\n");
      if (!fence.startsWith("/") && !fence.startsWith("+")) {
        blocks.push({ kind: "code", lang: blockLang(attributes, fence), text: capText(body), line: i + 1 });
      }
      attributes = undefined;
      i = end;
      continue;
    }
    const attrs = ATTRIBUTES.exec(trimmed);
    if (attrs && !line.startsWith(" ")) {
      blocks.flushParagraph();
      attributes = attrs[1];
      continue;
    }
    if (trimmed.startsWith("//") || /^:[\w-]+:/.test(trimmed)) continue; // comment, document attribute
    const title = line.length < 500 ? TITLE.exec(line) : null; // bounded: the lazy match is quadratic on huge lines
    if (title) {
      blocks.flush();
      blocks.push({ kind: "heading", text: title[2]!, depth: title[1]!.length, line: i + 1 });
      attributes = undefined;
      continue;
    }
    if (IMAGE.test(trimmed)) {
      blocks.flushParagraph();
      blocks.push({ kind: "image", line: i + 1 });
      continue;
    }
    if (trimmed === "") {
      blocks.flushParagraph();
      continue;
    }
    const ordered = ORDERED.test(line);
    if (ordered || BULLET.test(line)) {
      blocks.listItem(ordered, i + 1);
      blocks.push({ kind: "text", text: trimmed.replace(/^(\.{1,5}|\d+\.|\*{1,5}|-)\s+/, ""), line: i + 1 });
      continue;
    }
    if (blocks.inList && trimmed === "+") continue; // list continuation
    blocks.flushList();
    blocks.addLine(trimmed, i + 1);
  }
  blocks.flush();
  return { blocks: blocks.blocks, problems };
}

/** `[source,bash]` → bash; `[mermaid]` → mermaid; a bare listing block has no language. */
function blockLang(attributes: string | undefined, fence: string): string | undefined {
  if (fence.startsWith("`")) return undefined;
  const parts = (attributes ?? "").split(",").map((p) => p.trim().toLowerCase());
  if (parts[0] === "source") return parts[1] || undefined;
  if (parts[0] && DIAGRAM_STYLES.has(parts[0])) return parts[0];
  return undefined;
}
