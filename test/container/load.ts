// Reads a fixture folder of fixtures/container/ into in-memory files (bytes, so CRLF and BOMs survive).
// Fixtures live under fixtures/, which the engine ignores, so each test scans them under their own paths.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Files } from "../helpers.js";

const ROOT = fileURLToPath(new URL("../../fixtures/container/", import.meta.url));

export function loadFixture(name: string): Files {
  const base = join(ROOT, name);
  const files: Files = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(base, full).split("\\").join("/")] = new Uint8Array(readFileSync(full));
    }
  };
  walk(base);
  return files;
}
