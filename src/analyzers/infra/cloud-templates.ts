// Cloud templates recognised by their content: CloudFormation/SAM (YAML or JSON) and Azure ARM (JSON).
// CloudFormation's short tags (!Ref, !GetAtt, !Sub) are unknown to YAML: the parser keeps their plain value.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asString, isRecord, parseYaml } from "../../engine/yaml.js";
import type { IacFact } from "../../facts/infra.js";
import { loadShellParser } from "../shell-parse.js";
import { escapeRegExp, findLine } from "../text-lines.js";
import { folders, parseJson } from "./common.js";
import { isManifestPath } from "./kubernetes.js";

const TEMPLATE_NAME = /(^|[-_.])(template|cfn|cloudformation|stack|sam|azuredeploy|maintemplate|arm)([-_.]|$)/;
/** YAML here may be a template whatever its name; JSON only in the template tools' own folders. */
const YAML_FOLDERS = new Set([
  "cloudformation",
  "cfn",
  "sam",
  "arm",
  "azure",
  "aws",
  "iac",
  "infra",
  "infrastructure",
  "stacks",
]);
const JSON_FOLDERS = new Set(["cloudformation", "cfn", "sam", "arm"]);
/** Other tools' files that the name test would catch (Haskell's stack.yaml, npm and TypeScript configs). */
const FOREIGN_NAME = /^(stack\.ya?ml|package.*\.json|tsconfig.*\.json|cdk\.json|.*\.lock\.json)$/;

function isTemplatePath(name: string, lowerPath: string): boolean {
  const ext = lowerPath.endsWith(".json")
    ? "json"
    : lowerPath.endsWith(".yaml") || lowerPath.endsWith(".yml")
      ? "yaml"
      : lowerPath.endsWith(".template")
        ? "template"
        : undefined;
  if (!ext) return false; // the common case, decided without allocating
  const lowerName = lowerPath.slice(lowerPath.length - name.length);
  if (FOREIGN_NAME.test(lowerName)) return false;
  const dirs = folders(lowerPath);
  // Helm's templates/ hold Go templates, not YAML
  if (dirs.includes("templates") && !/(cfn|cloudformation)/.test(lowerName)) return false;
  // `app.template` is CloudFormation's old extension; `.env.template` or `nginx.conf.template` are other tools' templates
  if (ext === "template") return !lowerName.slice(0, -".template".length).includes(".");
  if (TEMPLATE_NAME.test(lowerName.replace(/\.(ya?ml|json)$/, ""))) return true;
  return dirs.some((d) => (ext === "json" ? JSON_FOLDERS : YAML_FOLDERS).has(d));
}

/** Words only a CloudFormation, SAM or ARM template contains. */
const TEMPLATE_MARKER = /AWSTemplateFormatVersion|AWS::|deploymentTemplate\.json/;

function inTemplateFolder(lowerPath: string): boolean {
  return folders(lowerPath).some((d) => JSON_FOLDERS.has(d));
}

export const cloudTemplateAnalyzer: Analyzer = {
  id: "cloud-template",
  extensions: [".json", ".yaml", ".yml", ".template"],
  match: (_path, name, lowerPath) => isTemplatePath(name, lowerPath),
  prepare: loadShellParser,
  analyze(file, out) {
    const json = /^\s*[{[]/.test(file.text);
    // the Kubernetes analyzer reads the YAML of infra folders too: only one of them reports its syntax errors;
    // and a file picked by its name alone is only a guess: it is broken only if it says it is a template
    const lowerPath = file.path.toLowerCase();
    const reportErrors =
      !isManifestPath(file.name, lowerPath) && (inTemplateFolder(lowerPath) || TEMPLATE_MARKER.test(file.text));
    if (json) readJson(file, out, reportErrors);
    else readYaml(file, out, reportErrors);
  },
};

function readYaml(file: SourceFile, out: AnalyzerOutput, reportErrors: boolean): void {
  const parsed = parseYaml(file.text);
  if (reportErrors) for (const e of parsed.errors) parseError(file, e.line, `YAML syntax error: ${e.message}`, out);
  const doc = parsed.docs[0];
  if (!doc || !isRecord(doc.value) || !isCloudFormation(doc.value)) return;
  const resources = cloudFormationResources(doc.value, (id) => doc.lineAt(["Resources", id]));
  out.fact("iac", { path: file.path, line: doc.line, tool: "cloudformation", resources });
}

function readJson(file: SourceFile, out: AnalyzerOutput, reportErrors: boolean): void {
  const parsed = parseJson(file.text);
  if ("error" in parsed) {
    if (reportErrors) parseError(file, parsed.error.line, `JSON syntax error: ${parsed.error.message}`, out);
    return;
  }
  if (!isRecord(parsed.value)) return;
  const lines = file.text.split("\n");
  const template = parsed.value;
  if (isCloudFormation(template)) {
    const from = findLine(lines, /"Resources"\s*:/) ?? 1;
    const resources = cloudFormationResources(
      template,
      (id) => findLine(lines, new RegExp(`"${escapeRegExp(id)}"\\s*:`), from) ?? from,
    );
    out.fact("iac", { path: file.path, line: 1, tool: "cloudformation", resources });
  } else if (/deploymentTemplate\.json/i.test(asString(template.$schema) ?? "")) {
    out.fact("iac", { path: file.path, line: 1, tool: "arm", resources: armResources(template, lines) });
  }
}

function isCloudFormation(doc: Record<string, unknown>): boolean {
  if (doc.AWSTemplateFormatVersion !== undefined) return true;
  if (asString(doc.Transform)?.startsWith("AWS::Serverless")) return true;
  return (
    isRecord(doc.Resources) &&
    Object.values(doc.Resources).some((r) => isRecord(r) && /^AWS::/.test(asString(r.Type) ?? ""))
  );
}

function cloudFormationResources(doc: Record<string, unknown>, lineOf: (id: string) => number): IacFact["resources"] {
  if (!isRecord(doc.Resources)) return [];
  return Object.entries(doc.Resources).flatMap(([id, resource]) => {
    const type = isRecord(resource) ? asString(resource.Type) : undefined;
    if (!type) return [];
    const attrs = isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {};
    return [{ type, name: id, line: lineOf(id), attrs }];
  });
}

/** ARM resources, with the child resources nested in them (one level is the common case). */
function armResources(template: Record<string, unknown>, lines: string[]): IacFact["resources"] {
  const out: IacFact["resources"] = [];
  let from = findLine(lines, /"resources"\s*:/) ?? 1;
  const visit = (list: unknown, depth: number) => {
    if (!Array.isArray(list) || depth > 2) return;
    for (const resource of list) {
      if (!isRecord(resource)) continue;
      const type = asString(resource.type);
      if (type) {
        const line = findLine(lines, new RegExp(`"type"\\s*:\\s*"${escapeRegExp(type)}"`), from) ?? from;
        from = line;
        out.push({
          type,
          name: asString(resource.name) ?? "",
          line,
          attrs: isRecord(resource.properties) ? resource.properties : {},
        });
      }
      visit(resource.resources, depth + 1);
    }
  };
  visit(template.resources, 0);
  return out;
}

function parseError(file: SourceFile, line: number, message: string, out: AnalyzerOutput): void {
  out.finding({
    path: file.path,
    line,
    severity: "error",
    rule: "iac/parse-error",
    message,
    remediation:
      "Fix the syntax; `cfn-lint` (CloudFormation) or `az deployment group validate` (ARM) point at the problem.",
  });
}
