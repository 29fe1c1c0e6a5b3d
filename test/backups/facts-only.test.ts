// The backups detectors read facts, never text: what commands do with data is judged once per scan, in src/derived.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "src", "detectors");
const files = ["backups.ts", ...readdirSync(join(root, "backups")).map((f) => join("backups", f))];

describe("backups detectors", () => {
  it.each(files)("%s imports nothing from the analyzers", (file) => {
    const imports = [...readFileSync(join(root, file), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((i) => i?.includes("analyzers"))).toEqual([]);
  });
});
