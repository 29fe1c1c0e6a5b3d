// Reads a fixture repository under fixtures/scripts/ into in-memory files (paths relative to its root).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Files, readFolder } from "../helpers.js";

const ROOT = fileURLToPath(new URL("../../fixtures/scripts/", import.meta.url));

export function fixture(name: string): Files {
  return readFolder(join(ROOT, name));
}
