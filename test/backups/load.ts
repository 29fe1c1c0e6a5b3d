// Reads a fixture folder into in-memory files (paths relative to the folder), for the real analyzers.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Files } from "../helpers.js";

export function fixture(name: string): Files {
  const root = join("fixtures", "backups", name);
  const files: Files = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
}
