// What the line readers (Markdown, reStructuredText, AsciiDoc) share: the blocks in reading order, the
// paragraph being gathered and the list being counted. Each reader only decides what a line is.
import type { DocBlock } from "./doc-blocks.js";

export class BlockCollector {
  readonly blocks: DocBlock[] = [];
  private paragraph: { lines: string[]; line: number } | undefined;
  private list: { ordered: boolean; items: number; line: number } | undefined;

  /** `textOf` turns a paragraph's joined lines into its text (Markdown strips inline markup). */
  constructor(private readonly textOf: (text: string) => string = (text) => text) {}

  get inParagraph(): boolean {
    return this.paragraph !== undefined;
  }

  get inList(): boolean {
    return this.list !== undefined;
  }

  get lastParagraphLine(): string | undefined {
    return this.paragraph?.lines[this.paragraph.lines.length - 1];
  }

  push(block: DocBlock): void {
    this.blocks.push(block);
  }

  /** continues the open paragraph, or opens one at `line` */
  addLine(text: string, line: number): void {
    if (this.paragraph) this.paragraph.lines.push(text);
    else this.paragraph = { lines: [text], line };
  }

  /** closes the open paragraph without emitting it, e.g. when an underline makes it a title */
  takeParagraph(): { text: string; line: number } | undefined {
    const p = this.paragraph;
    this.paragraph = undefined;
    return p && { text: this.textOf(p.lines.join(" ")), line: p.line };
  }

  /**
   * A list item at `line`: ends the paragraph, and unless it is nested under an open list's item,
   * counts into the open list — or starts one, when there is none or its kind (ordered or not) differs.
   */
  listItem(ordered: boolean, line: number, nested = false): void {
    this.flushParagraph();
    if (nested && this.list) return;
    if (this.list && this.list.ordered !== ordered) this.flushList();
    this.list ??= { ordered, items: 0, line };
    this.list.items++;
  }

  flushParagraph(): void {
    const p = this.takeParagraph();
    if (p) this.blocks.push({ kind: "text", ...p });
  }

  flushList(): void {
    if (this.list) this.blocks.push({ kind: "list", ...this.list });
    this.list = undefined;
  }

  /** ends both the paragraph and the list, as a heading or a code block does */
  flush(): void {
    this.flushParagraph();
    this.flushList();
  }
}
