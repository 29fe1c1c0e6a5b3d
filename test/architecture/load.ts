// Reads a fixture folder into in-memory files, with paths relative to the folder (as a repository root).
import { join } from "node:path";
import { PROJECT_ROOT } from "../../src/assets.js";
import { type Files, readFolder } from "../helpers.js";

export function fixture(name: string): Files {
  return readFolder(join(PROJECT_ROOT, "fixtures", "infra", name));
}
