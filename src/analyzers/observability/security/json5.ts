// JSON5 (renovate.json5): comments, trailing commas, unquoted keys and single quotes. Comments are blanked out
// (keeping line breaks, so lines stay right) and the rest is read as a YAML flow mapping, which accepts the others.
import { type ParsedYaml, parseYaml } from "../../../engine/yaml.js";

export function parseJson5(text: string): ParsedYaml {
  return parseYaml(stripComments(text));
}

export function stripComments(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === "\\" && i + 1 < text.length) out += text[++i];
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
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
