// Bicep: a small reader of `resource <symbol> '<Type>@<apiVersion>' = …` and `module <symbol> '<path>' = …`
// declarations. There is no Bicep parser for Node; this reader skips comments and multi-line strings,
// and leaves out `existing` references, which declare nothing.
import type { Analyzer } from "../../engine/analyzer.js";
import type { IacFact } from "../../facts/infra.js";

const DECLARATION = /^\s*(resource|module)\s+([A-Za-z_]\w*)\s+'([^']+)'(\s+existing)?\s*=/;
const TRIPLE = "'''";

export const bicepAnalyzer: Analyzer = {
  id: "bicep",
  match: (_path, _name, lowerPath) => lowerPath.endsWith(".bicep"),
  analyze(file, out) {
    const resources: IacFact["resources"] = [];
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
      if (match && !match[4]) {
        const [type, apiVersion] = match[3]!.split("@");
        resources.push({
          type: match[1] === "module" ? "module" : type!,
          name: match[2]!,
          line: index + 1,
          ...(apiVersion ? { attrs: { apiVersion } } : {}),
        });
      }
      // does a multi-line string or a block comment stay open after this line?
      let code = line
        .split(TRIPLE)
        .filter((_, i) => i % 2 === 0)
        .join("''");
      if (line.split(TRIPLE).length % 2 === 0) inString = true;
      code = code.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, "");
      const open = code.lastIndexOf("/*");
      if (open >= 0 && code.indexOf("*/", open) < 0) inComment = true;
    });
    out.fact("iac", { path: file.path, line: resources[0]?.line ?? 1, tool: "bicep", resources });
  },
};
