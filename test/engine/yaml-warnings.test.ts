// The YAML library warns on stderr about some valid shapes (a map used as a key): the CLI must print nothing of the kind.
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseYaml } from "../../src/engine/yaml.js";

describe("parseYaml warnings", () => {
  afterEach(() => vi.restoreAllMocks());

  it("a Go-template action used as a key parses without a warning on stderr", () => {
    const emitted = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const warned = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const parsed = parseYaml("labels:\n  {{ .Values.label }}: on\n");
    expect(parsed.errors).toEqual([]);
    expect(parsed.docs).toHaveLength(1);
    expect(emitted).not.toHaveBeenCalled();
    expect(warned).not.toHaveBeenCalled();
  });
});
