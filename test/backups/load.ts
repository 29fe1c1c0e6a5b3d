// Reads a fixture folder into in-memory files (paths relative to the folder), for the real analyzers.
import { join } from "node:path";
import { type Files, readFolder } from "../helpers.js";

export function fixture(name: string): Files {
  return readFolder(join("fixtures", "backups", name));
}
