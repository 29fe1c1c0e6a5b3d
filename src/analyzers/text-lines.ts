// Finding lines in formats whose parsers give none (JSON, TOML, HCL read through hcl2json): search the text for
// the key as written. One copy for the scripts, infra and observability analyzers.

/** 1-based line of a character offset */
export function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** 1-based line of the first line matching, at or after a line; undefined when none does. */
export function findLine(lines: readonly string[], test: RegExp, fromLine = 1): number | undefined {
  for (let i = Math.max(0, fromLine - 1); i < lines.length; i++) if (test.test(lines[i]!)) return i + 1;
  return undefined;
}

/** Offset of a JSON key `"key":` at or after `from`, or -1 */
export function jsonKeyOffset(text: string, key: string, from = 0): number {
  const re = new RegExp(`"${escapeRegExp(key)}"\\s*:`, "g");
  re.lastIndex = from;
  return re.exec(text)?.index ?? -1;
}

/** Line of the JSON key `"key":` inside the object that starts at the key `parent` (or anywhere), else the parent's line or 1 */
export function jsonKeyLine(text: string, key: string, parent?: string): number {
  const base = parent === undefined ? 0 : jsonKeyOffset(text, parent);
  const at = jsonKeyOffset(text, key, Math.max(0, base));
  if (at >= 0) return lineAtOffset(text, at);
  return base >= 0 ? lineAtOffset(text, base) : 1;
}

/** Line of a TOML table header `[name]` / `[[name]]`, or undefined */
export function tomlTableLine(text: string, name: string): number | undefined {
  const re = new RegExp(
    `^\\s*\\[\\[?\\s*${name
      .split(".")
      .map((p) => `["']?${escapeRegExp(p)}["']?`)
      .join("\\s*\\.\\s*")}\\s*\\]\\]?`,
    "m",
  );
  const match = re.exec(text);
  return match ? lineAtOffset(text, match.index) : undefined;
}

/** Line of a TOML key `key =` (quoted or bare), searching after the table header when one is given */
export function tomlKeyLine(text: string, key: string, table?: string): number | undefined {
  let from = 0;
  if (table) {
    const tableLine = tomlTableLine(text, table);
    if (tableLine !== undefined) from = offsetOfLine(text, tableLine);
  }
  const re = new RegExp(`^[ \\t]*["']?${escapeRegExp(key)}["']?[ \\t]*=`, "mg");
  re.lastIndex = from;
  const match = re.exec(text);
  return match ? lineAtOffset(text, match.index) : undefined;
}

/** Line of the first occurrence of a quoted string or bare word `word` (as a whole word), after `fromLine` */
export function wordLine(text: string, word: string, fromLine = 1): number | undefined {
  const re = new RegExp(`(^|[^\\w.-])${escapeRegExp(word)}(?![\\w-])`, "mg");
  re.lastIndex = offsetOfLine(text, fromLine);
  const match = re.exec(text);
  return match ? lineAtOffset(text, match.index + match[1]!.length) : undefined;
}

export function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** Line from a JSON.parse error message ("… at position 42 …"), or 1 */
export function jsonErrorLine(text: string, err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  return position ? lineAtOffset(text, Number(position[1])) : 1;
}
