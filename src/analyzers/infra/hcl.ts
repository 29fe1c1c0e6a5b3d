// HCL2 → JSON through @cdktf/hcl2json (Go's HCL parser compiled to WASM). The module and its WASM load
// once, lazily, on the first HCL file of a scan (started early by `prepare`): ~200 ms, then ~2 ms a file on
// V8's baseline tier (set by the entry points, see src/v8-flags.ts).

type Hcl2JsonParse = (filename: string, text: string) => Promise<Record<string, unknown>>;

let parser: Promise<Hcl2JsonParse> | undefined;

function loadParser(): Promise<Hcl2JsonParse> {
  parser ??= import("@cdktf/hcl2json").then((m) => m.parse as Hcl2JsonParse);
  return parser;
}

/** Loads the module and starts its WASM runtime (a first parse), so that the first real file does not wait. */
export async function warmUpHcl(): Promise<void> {
  await parseHcl("warm-up.tf", "");
}

export type HclResult = { value: Record<string, unknown> } | { error: { line: number; message: string } };

/** Parses HCL text. Never throws: a syntax error comes back with its line. */
export async function parseHcl(filename: string, text: string): Promise<HclResult> {
  const parse = await loadParser();
  try {
    const value = await parse(filename, text);
    return { value: typeof value === "object" && value !== null ? value : {} };
  } catch (err) {
    return { error: hclError(filename, err instanceof Error ? err.message : String(err)) };
  }
}

/** hcl2json reports "parse config: [main.tf:12,3-9: Summary; Detail.]": keep the line and the text. */
export function hclError(filename: string, message: string): { line: number; message: string } {
  const at = message.indexOf(`${filename}:`);
  const match = at >= 0 ? /^:(\d+),\d+(?:-[\d,]+)?: ([^\]]*)/.exec(message.slice(at + filename.length)) : null;
  if (!match) return { line: 1, message: message.replace(/^Error: /, "") };
  return { line: Number(match[1]), message: match[2]!.replace(/\s+/g, " ").trim() };
}
