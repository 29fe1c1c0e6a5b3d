// reStructuredText → document blocks (best effort, line based): section titles by their adornment,
// code-block / literal blocks, diagram and image directives, enumerated lists.
import { BlockCollector } from "./block-collector.js";
import { capText, type ReadDoc } from "./doc-blocks.js";

const ADORNMENT = /^([=\-`:'"~^_*+#<>.])\1{2,}\s*$/;
const CODE_DIRECTIVE = /^\.\.\s+(code-block|code|sourcecode|mermaid|uml|plantuml|graphviz|digraph|graph)::\s*(\S*)/;
const IMAGE_DIRECTIVE = /^\.\.\s+(image|figure)::/;
const ENUMERATED = /^\s*(\d+|#|[a-zA-Z])[.)]\s+\S/;
const BULLET = /^\s*[-*+•]\s+\S/;

const DIAGRAM_LANG: Record<string, string> = {
  mermaid: "mermaid",
  uml: "plantuml",
  plantuml: "plantuml",
  graphviz: "dot",
  digraph: "dot",
  graph: "dot",
};

export function readRst(text: string): ReadDoc {
  const lines = text.split("\n");
  const blocks = new BlockCollector();
  const styles: string[] = [];
  const depthOf = (style: string) => {
    if (!styles.includes(style)) styles.push(style);
    return Math.min(styles.indexOf(style) + 1, 6);
  };
  /** the indented block after line `from`; returns its text and the index after it */
  const indentedBlock = (from: number): { text: string; next: number } => {
    let i = from;
    const body: string[] = [];
    while (i < lines.length && (lines[i]!.trim() === "" || /^\s/.test(lines[i]!))) body.push(lines[i++]!);
    while (body.length > 0 && body[body.length - 1]!.trim() === "") body.pop();
    const content = body.filter((l) => !/^\s+:[\w-]+:/.test(l)); // directive options
    return { text: dedent(content).trim(), next: i };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1] ?? "";
    const trimmed = line.trim();

    // title with an overline: ===\nTitle\n===
    if (
      ADORNMENT.test(line) &&
      lines[i + 2] !== undefined &&
      lines[i + 2]!.trim() === trimmed &&
      next.trim() !== "" &&
      !ADORNMENT.test(next)
    ) {
      blocks.flush();
      blocks.push({ kind: "heading", text: next.trim(), depth: depthOf(`${trimmed[0]}o`), line: i + 2 });
      i += 2;
      continue;
    }
    // title with an underline only
    if (
      trimmed !== "" &&
      !/^\s/.test(line) &&
      ADORNMENT.test(next) &&
      next.trim().length >= trimmed.length &&
      !ADORNMENT.test(line)
    ) {
      blocks.flush();
      blocks.push({ kind: "heading", text: trimmed, depth: depthOf(`${next.trim()[0]}u`), line: i + 1 });
      i += 1;
      continue;
    }
    const code = CODE_DIRECTIVE.exec(trimmed);
    if (code && !/^\s/.test(line)) {
      blocks.flush();
      const lang = DIAGRAM_LANG[code[1]!] ?? (code[2] ? code[2].toLowerCase() : undefined);
      const body = indentedBlock(i + 1);
      blocks.push({ kind: "code", lang, text: capText(body.text), line: i + 1 });
      i = body.next - 1;
      continue;
    }
    if (IMAGE_DIRECTIVE.test(trimmed)) {
      blocks.flush();
      blocks.push({ kind: "image", line: i + 1 });
      continue;
    }
    if (trimmed === "") {
      // a paragraph ending in "::" introduces a literal block
      const literal = blocks.lastParagraphLine?.endsWith("::") && /^\s/.test(next);
      blocks.flush();
      if (literal) {
        const body = indentedBlock(i + 1);
        blocks.push({ kind: "code", text: capText(body.text), line: i + 2 });
        i = body.next - 1;
      }
      continue;
    }
    const ordered = ENUMERATED.test(line);
    if (ordered || BULLET.test(line)) {
      blocks.listItem(ordered, i + 1);
      blocks.push({ kind: "text", text: trimmed.replace(/^(\d+|#|[a-zA-Z])[.)]\s+|^[-*+•]\s+/, ""), line: i + 1 });
      continue;
    }
    if (blocks.inList) {
      if (/^\s/.test(line)) continue; // continuation of a list item
      blocks.flush();
    }
    blocks.addLine(trimmed, i + 1);
  }
  blocks.flush();
  return { blocks: blocks.blocks, problems: [] };
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.reduce((min, n) => Math.min(min, n), indents[0] ?? 0);
  return lines.map((l) => l.slice(cut)).join("\n");
}
