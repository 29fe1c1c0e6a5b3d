// Bicep: a small reader of `resource <symbol> '<Type>@<apiVersion>' = …` and `module <symbol> '<path>' = …`
// declarations. There is no Bicep parser for Node; this reader skips comments and multi-line strings,
// and leaves out `existing` references, which declare nothing.
import type { Analyzer } from "../../engine/analyzer.js";
import type { IacFact } from "../../facts/infra.js";

const DECLARATION = /^\s*(resource|module)\s+([A-Za-z_][\w]*)\s+'([^']+)'(\s+existing)?\s*=/;

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
        if (line.includes("'''")) inString = false;
        return;
      }
      const match = DECLARATION.exec(line);
      if (match && !match[4]) {
        const [type, apiVersion] = match[3]!.split("@");
        resources.push({ type: match[1] === "module" ? "module" : type!, name: match[2]!, line: index + 1, ...(apiVersion ? { attrs: { apiVersion } } : {}) });
      }
      const code = line.replace(/'''.*?'''|'(?:[^'\\]|\\.)*'/g, "''");
      if (/'''/.test(code)) inString = true;
      const open = code.replace(/\/\/.*$/, "").lastIndexOf("/*");
      if (open >= 0 && code.indexOf("*/", open) < 0) inComment = true;
    });
    out.fact("iac", { path: file.path, line: resources[0]?.line ?? 1, tool: "bicep", resources });
  },
};
