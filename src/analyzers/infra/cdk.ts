// AWS CDK (cdk.json) and CDK for Terraform (cdktf.json): the app that synthesises the infrastructure.
import type { Analyzer } from "../../engine/analyzer.js";
import { asString, isRecord } from "../../engine/yaml.js";
import { findLine } from "../text-lines.js";
import { parseJson } from "./common.js";

export const cdkAnalyzer: Analyzer = {
  id: "cdk",
  extensions: [".json"],
  match: (_path, name) => name === "cdk.json" || name === "cdktf.json",
  analyze(file, out) {
    const parsed = parseJson(file.text);
    if ("error" in parsed) {
      out.finding({
        path: file.path,
        line: parsed.error.line,
        severity: "error",
        rule: "iac/parse-error",
        message: `JSON syntax error: ${parsed.error.message}`,
        remediation: "Fix the JSON; `cdk synth` reads this file first.",
      });
      return;
    }
    const app = isRecord(parsed.value) ? asString(parsed.value.app) : undefined;
    if (!app) return; // without an app command there is nothing to synthesise
    const line = findLine(file.text.split("\n"), /"app"\s*:/) ?? 1;
    out.fact("iac", {
      path: file.path,
      line,
      tool: "cdk",
      resources: [],
      name: file.name === "cdktf.json" ? "cdktf" : "cdk",
    });
  },
};
