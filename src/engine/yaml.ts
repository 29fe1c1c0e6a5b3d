// YAML with positions, shared by analyzers, the rules loader and the config loader.
// Alias bombs are refused (maxAliasCount), every document of a stream is returned, errors carry lines.
import { type Document, isMap, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from "yaml";

export interface YamlError {
  line: number;
  message: string;
}

export interface YamlDocument {
  /** the plain JS value of the document (null for an empty document) */
  value: unknown;
  /** 1-based line of the node at a path of keys/indices, or of the nearest existing parent */
  lineAt(path: readonly (string | number)[]): number;
  /** 1-based line where the document starts */
  line: number;
  /**
   * 1-based line where the text of the scalar at a path begins: the line after the header of a block
   * scalar (`run: |`), the value's own line otherwise. Lets callers map a line inside the text to the file.
   */
  textLineAt(path: readonly (string | number)[]): number;
}

export interface ParsedYaml {
  docs: YamlDocument[];
  errors: YamlError[];
}

/**
 * The yaml library's default (100) refuses real compose files that merge a shared block into each of 134
 * services. Its measure, references × aliases inside the anchored value, grows exponentially in a bomb:
 * 10,000 lets linear reuse through and still stops a billion-laughs file within a few levels.
 */
const MAX_ALIASES = 10_000;

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const errors: YamlError[] = [];
  const docs: YamlDocument[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: false,
      prettyErrors: false,
      // warnings (a map used as a key, e.g. `{{ .Values.x }}: y`) belong to the file, never to our stderr
      logLevel: "error",
    }) as Document.Parsed[];
  } catch (err) {
    return { docs, errors: [{ line: 1, message: errorMessage(err) }] };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      // the first error is the one to fix; those after it mostly follow from it (one broken `run: |` block
      // gave five errors)
      const [first, ...rest] = doc.errors;
      const more = rest.length > 0 ? ` (and ${rest.length} more after it)` : "";
      errors.push({ line: lineOf(first!.pos?.[0]), message: `${firstLine(first!.message)}${more}` });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
      errors.push({ line: lineOf(doc.range?.[0]), message: `cannot expand the document: ${errorMessage(err)}` });
      continue;
    }
    const startLine = lineOf(doc.contents?.range?.[0] ?? doc.range?.[0]);
    docs.push({
      value: value ?? null,
      line: startLine,
      lineAt(path) {
        let node: unknown = doc.contents;
        let line = startLine;
        for (const key of path) {
          if (!isMap(node) && !isSeq(node)) break;
          const pair = isMap(node) ? node.items.find((p) => scalarKey(p.key) === String(key)) : undefined;
          const next: unknown = isMap(node) ? pair?.value : node.items[Number(key)];
          const keyNode = pair?.key as YamlNode | undefined;
          const at = keyNode?.range?.[0] ?? (next as YamlNode | undefined)?.range?.[0];
          if (at === undefined) break;
          line = lineOf(at);
          node = next;
        }
        return line;
      },
      textLineAt(path) {
        const node = doc.getIn(path, true) as (YamlNode & { type?: string }) | undefined;
        const start = node?.range?.[0];
        if (start === undefined) return this.lineAt(path);
        const block = node?.type === "BLOCK_LITERAL" || node?.type === "BLOCK_FOLDED";
        return lineOf(start) + (block ? 1 : 0);
      },
    });
  }
  return { docs, errors };
}

function scalarKey(key: unknown): string | undefined {
  if (key && typeof key === "object" && "value" in key) return String((key as { value: unknown }).value);
  return key === undefined || key === null ? undefined : String(key);
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Small helpers for reading untyped parsed documents safely. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : undefined;
}
