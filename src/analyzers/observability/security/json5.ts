// JSON5 (renovate.json5): comments, trailing commas, unquoted keys and single-quoted strings. One pass rewrites it
// as a YAML flow mapping with the same lines: comments are blanked (line breaks kept), strings become YAML
// double-quoted strings (`'it\'s'` → `"it's"`), and YAML, which accepts the rest, reads it with positions.
import { type ParsedYaml, parseYaml } from "../../../engine/yaml.js";

export function parseJson5(text: string): ParsedYaml {
  return parseYaml(asYamlFlow(text));
}

export function asYamlFlow(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && i + 1 < text.length) {
        const next = text[++i]!;
        // YAML has no \' escape; the others (and a backslash-newline continuation) mean the same in both
        out += next === "'" ? "'" : `\\${next}`;
      } else if (c === quote) {
        out += '"';
        quote = undefined;
      } else out += c === '"' ? '\\"' : c;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += '"';
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const comment = text.slice(i, end < 0 ? text.length : end + 2);
      out += comment.replace(/[^\n]/g, " ");
      i += comment.length - 1;
    } else out += c;
  }
  return out;
}
