// The project's own checkout, as the tests of test/self read it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function readProjectFiles(paths: readonly string[]): Record<string, string> {
  return Object.fromEntries(paths.map((p) => [p, readFileSync(join(ROOT, p), "utf8")]));
}
