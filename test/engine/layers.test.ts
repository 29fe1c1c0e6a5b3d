// The layers: detectors read facts and derived facts, never the analyzers that parse files; the words every
// layer shares (programs, shells, value flags, environments, CODEOWNERS and template paths) live in
// src/vocabulary, which imports from no other layer but the fact types.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/assets.js";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/^(?:import|export)[^;]*?from "([^"]+)"/gms)].map((m) => m[1]!);

describe("layers", () => {
  it("no detector imports from src/analyzers", () => {
    const offending = sources(join(PROJECT_ROOT, "src/detectors")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => /(^|\/)analyzers\//.test(spec))
        .map((spec) => `${file.slice(PROJECT_ROOT.length)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("src/vocabulary imports only fact types and itself", () => {
    const offending = sources(join(PROJECT_ROOT, "src/vocabulary")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith(".") && !/^\.\/|^\.\.\/facts\//.test(spec))
        .map((spec) => `${file.slice(PROJECT_ROOT.length)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
