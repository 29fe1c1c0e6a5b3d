// Reads a fixture folder into in-memory files, with paths relative to the folder (as a repository root).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { PROJECT_ROOT } from "../../src/engine/rules.js";
import type { Files } from "../helpers.js";

export function fixture(name: string): Files {
  const root = join(PROJECT_ROOT, "fixtures", "infra", name);
  const files: Files = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(root, full).split("\\").join("/")] = readFileSync(full, "utf8");
  }
  return files;
}
