// The format-neutral shape of a document: its blocks in reading order. Markdown, reStructuredText and
// AsciiDoc readers all produce it, so that one classifier judges what a document covers.

export type DocBlock =
  | { kind: "heading"; text: string; depth: number; line: number }
  | { kind: "text"; text: string; line: number }
  | { kind: "list"; ordered: boolean; items: number; line: number }
  | { kind: "code"; lang?: string; text: string; line: number }
  /** a command-shaped code span in prose or a list item: "run `npx shipit staging deploy`" */
  | { kind: "inline-code"; text: string; line: number }
  | { kind: "image"; line: number };

/** What a reader returns: the blocks, and problems worth a finding (e.g. an unclosed fence). */
export interface ReadDoc {
  blocks: DocBlock[];
  problems: { line: number; message: string }[];
}

export const MAX_CODE_TEXT = 10_000;

/**
 * Front matter (YAML `---` or TOML `+++`) is metadata, not content: it is blanked so that line numbers
 * stay right and a Markdown parser does not read `---` as a setext underline.
 */
export function blankFrontMatter(text: string): { text: string; frontMatter?: string } {
  const fence = text.startsWith("---\n") ? "---" : text.startsWith("+++\n") ? "+++" : undefined;
  if (!fence) return { text };
  const lines = text.split("\n");
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === fence || (fence === "---" && l.trimEnd() === "...")));
  if (end < 0) return { text };
  const frontMatter = lines.slice(1, end).join("\n");
  for (let i = 0; i <= end; i++) lines[i] = "";
  return { text: lines.join("\n"), frontMatter };
}

/** The info string's first word, lower case: "bash title=x" → "bash", "{.python}" → "python". */
export function codeLang(info: string | null | undefined): string | undefined {
  const word = (info ?? "")
    .trim()
    .split(/[\s,{}]+/)
    .find((w) => w.length > 0);
  return word ? word.replace(/^\./, "").toLowerCase() : undefined;
}

export function capText(text: string): string {
  return text.length > MAX_CODE_TEXT ? text.slice(0, MAX_CODE_TEXT) : text;
}
