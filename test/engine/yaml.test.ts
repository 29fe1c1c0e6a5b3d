import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/engine/yaml.js";

describe("parseYaml", () => {
  it("reports the first error of a broken document, counting the ones that follow from it", () => {
    const text = ["jobs:", "  build:", "    steps:", "      - run: |", "  cat <<EOF", "x: [", "y: {", "EOF"].join("\n");
    const { docs, errors } = parseYaml(text);
    expect(docs).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(5);
    expect(errors[0]!.message).toMatch(/\(and \d+ more after it\)$/);
  });

  it("reports each broken document of a stream once, and reads the good ones", () => {
    const { docs, errors } = parseYaml("a: [\n---\nb: 1\n---\nc: {\n");
    expect(docs.map((d) => d.value)).toEqual([{ b: 1 }]);
    expect(errors.map((e) => e.line)).toEqual([2, 6]); // an unclosed flow collection is found where it should have ended
  });
});
