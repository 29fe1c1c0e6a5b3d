// Bicep: a small reader of `resource <symbol> '<Type>@<apiVersion>' = …` and `module <symbol> '<path>' = …`
// declarations. There is no Bicep parser for Node; this reader skips comments and multi-line strings,
// and leaves out `existing` references, which declare nothing. Each declaration keeps the names of the properties
// set in its body, at any depth (`attrs.properties`), and a module its source (`attrs.source`).
import type { Analyzer } from "../../engine/analyzer.js";
import type { IacFact } from "../../facts/infra.js";

const DECLARATION = /^\s*(resource|module)\s+([A-Za-z_]\w*)\s+'([^']+)'(\s+existing)?\s*=/;
const TRIPLE = "'''";
/** another top-level statement ends a declaration's body */
const TOP_LEVEL = /^(resource|module|param|var|output|targetScope|type|func|metadata|import)\b/;
const PROPERTY = /^\s*([A-Za-z_]\w*)\s*:\s*(\S.*)$/;

export const bicepAnalyzer: Analyzer = {
  id: "bicep",
  extensions: [".bicep"],
  match: (_path, _name, lowerPath) => lowerPath.endsWith(".bicep"),
  analyze(file, out) {
    const resources: IacFact["resources"] = [];
    let current: Set<string> | undefined;
    let inComment = false;
    let inString = false;
    file.text.split("\n").forEach((raw, index) => {
      let line = raw;
      if (inComment) {
        const end = line.indexOf("*/");
        if (end < 0) return;
        inComment = false;
        line = line.slice(end + 2);
      }
      if (inString) {
        const end = line.indexOf(TRIPLE);
        if (end < 0) return;
        inString = false;
        line = line.slice(end + TRIPLE.length);
      }
      const match = DECLARATION.exec(line);
      if (TOP_LEVEL.test(line)) current = undefined;
      if (match && !match[4]) {
        const [type, apiVersion] = match[3]!.split("@");
        const properties = new Set<string>();
        current = properties;
        const module = match[1] === "module";
        resources.push({
          type: module ? "module" : type!,
          name: match[2]!,
          line: index + 1,
          attrs: {
            ...(apiVersion && !module ? { apiVersion } : {}),
            ...(module ? { source: match[3] } : {}),
            properties,
          },
        });
      }
      // does a multi-line string or a block comment stay open after this line?
      let code = line
        .split(TRIPLE)
        .filter((_, i) => i % 2 === 0)
        .join("''");
      if (line.split(TRIPLE).length % 2 === 0) inString = true;
      code = code.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, "");
      const property = current && !match ? PROPERTY.exec(code) : null;
      const value = property ? (PROPERTY.exec(line)?.[2] ?? "").trim() : "";
      if (property && !/^(''|null|\{\s*\}|\[\s*\])$/.test(value)) current!.add(property[1]!);
      const open = code.lastIndexOf("/*");
      if (open >= 0 && code.indexOf("*/", open) < 0) inComment = true;
    });
    for (const r of resources) if (r.attrs?.properties instanceof Set) r.attrs.properties = [...r.attrs.properties];
    out.fact("iac", { path: file.path, line: resources[0]?.line ?? 1, tool: "bicep", resources });
  },
};
