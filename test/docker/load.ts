// Reads a fixture folder of fixtures/container/ into in-memory files (bytes, so CRLF and BOMs survive).
// Fixtures live under fixtures/, which the engine ignores, so each test scans them under their own paths.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Files, readFolder } from "../helpers.js";

const ROOT = fileURLToPath(new URL("../../fixtures/container/", import.meta.url));

export function loadFixture(name: string): Files {
  return readFolder(join(ROOT, name), "bytes");
}
