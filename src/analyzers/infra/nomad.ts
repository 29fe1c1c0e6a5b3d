// HashiCorp Nomad job specs (*.nomad, *.nomad.hcl): jobs and their task groups, with count and scaling.
import type { Analyzer } from "../../engine/analyzer.js";
import { isRecord } from "../../engine/yaml.js";
import type { IacFact } from "../../facts/infra.js";
import { escapeRegExp, findLine } from "../text-lines.js";
import { parseHcl, warmUpHcl } from "./hcl.js";

export const nomadAnalyzer: Analyzer = {
  id: "nomad",
  extensions: [".nomad", ".hcl"],
  match: (_path, _name, lowerPath) => lowerPath.endsWith(".nomad") || lowerPath.endsWith(".nomad.hcl"),
  prepare: warmUpHcl,
  async analyze(file, out) {
    const parsed = await parseHcl(file.name, file.text);
    if ("error" in parsed) {
      out.finding({
        path: file.path,
        line: parsed.error.line,
        severity: "error",
        rule: "iac/parse-error",
        message: `HCL syntax error: ${parsed.error.message}`,
        remediation: "Fix the syntax; `nomad job validate` points at the problem.",
      });
      return;
    }
    const lines = file.text.split("\n");
    const header = (keyword: string, name: string, from = 1) =>
      findLine(lines, new RegExp(`^\\s*${keyword}\\s+"?${escapeRegExp(name)}"?\\s*\\{`), from) ?? from;
    const resources: IacFact["resources"] = [];
    for (const [jobName, jobBodies] of Object.entries(isRecord(parsed.value.job) ? parsed.value.job : {})) {
      for (const job of Array.isArray(jobBodies) ? jobBodies.filter(isRecord) : []) {
        const jobLine = header("job", jobName);
        resources.push({ type: "job", name: jobName, line: jobLine, attrs: { type: job.type } });
        for (const [groupName, groupBodies] of Object.entries(isRecord(job.group) ? job.group : {})) {
          for (const group of Array.isArray(groupBodies) ? groupBodies.filter(isRecord) : []) {
            resources.push({
              type: "group",
              name: groupName,
              line: header("group", groupName, jobLine),
              attrs: { count: group.count, scaling: group.scaling !== undefined },
            });
          }
        }
      }
    }
    if (resources.length === 0) return;
    out.fact("iac", { path: file.path, line: resources[0]!.line, tool: "nomad", resources, name: resources[0]!.name });
  },
};
