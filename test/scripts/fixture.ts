// Reads a fixture repository under fixtures/scripts/ into in-memory files (paths relative to its root).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Files } from "../helpers.js";

const ROOT = fileURLToPath(new URL("../../fixtures/scripts/", import.meta.url));

export function fixture(name: string): Files {
  const base = join(ROOT, name);
  const files: Files = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(base, full).split("\\").join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(base);
  return files;
}
