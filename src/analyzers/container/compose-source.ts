// Where a value of a compose file really sits, across YAML anchors and `<<:` merge keys, so that facts
// point at the line that sets a thing (an `x-logging` anchor's `driver:`), not at the service that merges it.
import { asArray, isRecord, type YamlDocument } from "../../engine/yaml.js";

export type YamlPath = (string | number)[];

export interface ComposeSource {
  doc: YamlDocument;
  /** path of a mapping or list of the document; an alias resolves to its anchor (the first occurrence) */
  pathOf(value: object): YamlPath | undefined;
  /** 1-based line of `key` where `record` (or a mapping it merges) defines it */
  lineOfKey(record: Record<string, unknown>, key: string): number | undefined;
}

export function composeSource(doc: YamlDocument): ComposeSource {
  let paths: Map<object, YamlPath> | undefined;
  const pathOf = (value: object) => (paths ??= indexPaths(doc.value)).get(value);
  return {
    doc,
    pathOf,
    lineOfKey(record, key) {
      const holder = definedIn(record, key, 0);
      const at = holder && pathOf(holder);
      return at ? doc.lineAt([...at, key]) : undefined;
    },
  };
}

/** The mapping whose own keys hold `key`: the record itself, or the first `<<:` source that has it (own keys win). */
export function definedIn(
  record: Record<string, unknown>,
  key: string,
  depth = 0,
): Record<string, unknown> | undefined {
  if (key !== "<<" && Object.hasOwn(record, key)) return record;
  if (depth > 10) return undefined;
  for (const source of asArray(record["<<"])) {
    const found = isRecord(source) ? definedIn(source, key, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** One walk in document order; a shared (aliased) object keeps the path of its anchor, met first. */
function indexPaths(root: unknown): Map<object, YamlPath> {
  const paths = new Map<object, YamlPath>();
  const walk = (value: unknown, at: YamlPath): void => {
    if (typeof value !== "object" || value === null || paths.has(value)) return;
    paths.set(value, at);
    if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, [...at, i]);
    else for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
  };
  walk(root, []);
  return paths;
}
