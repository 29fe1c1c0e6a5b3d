// GitLab's security scanners arrive by `include:` of a template or a CI/CD component, and switch off with
// `<SCANNER>_DISABLED` variables. The CI analyzer reads the jobs; this reads what the includes add.
import type { Analyzer } from "../../../engine/analyzer.js";
import { asArray, asString, isRecord } from "../../../engine/yaml.js";
import type { SecurityScanScope } from "../../../facts/repo.js";
import { yamlMappings } from "../common.js";

interface Scanner {
  pattern: RegExp;
  tool: string;
  scope: SecurityScanScope;
  disabledBy: string;
}

const SCANNERS: Scanner[] = [
  {
    pattern: /(^|\/)sast(-iac)?(\.gitlab-ci\.yml|@|$)/i,
    tool: "gitlab-sast",
    scope: "code",
    disabledBy: "SAST_DISABLED",
  },
  {
    pattern: /secret[-_]detection/i,
    tool: "gitlab-secret-detection",
    scope: "secrets",
    disabledBy: "SECRET_DETECTION_DISABLED",
  },
  {
    pattern: /dependency[-_]scanning/i,
    tool: "gitlab-dependency-scanning",
    scope: "dependencies",
    disabledBy: "DEPENDENCY_SCANNING_DISABLED",
  },
  {
    pattern: /container[-_]scanning/i,
    tool: "gitlab-container-scanning",
    scope: "image",
    disabledBy: "CONTAINER_SCANNING_DISABLED",
  },
  { pattern: /(^|\/)dast([-_.@]|$)/i, tool: "gitlab-dast", scope: "dast", disabledBy: "DAST_DISABLED" },
];

export const gitlabSecurityTemplates: Analyzer = {
  id: "gitlab-security-templates",
  extensions: [".yml", ".yaml"],
  match: (_path, _name, lower) =>
    lower === ".gitlab-ci.yml" || (lower.startsWith(".gitlab/ci/") && /\.ya?ml$/.test(lower)),
  analyze(file, out) {
    const doc = yamlMappings(file, out, "this GitLab CI file")[0];
    if (!doc) return;
    const value = doc.value as Record<string, unknown>;
    const variables = isRecord(value.variables) ? value.variables : {};
    const disabled = (name: string) =>
      ["true", "1", "yes"].includes(String(asString(variables[name]) ?? "").toLowerCase());
    asArray(value.include).forEach((entry, i) => {
      const ref =
        typeof entry === "string"
          ? entry
          : isRecord(entry)
            ? (asString(entry.template) ?? asString(entry.component))
            : undefined;
      if (!ref) return;
      // Auto DevOps brings every scanner but DAST
      const autoDevops = /auto-devops/i.test(ref);
      for (const scanner of SCANNERS) {
        const included = scanner.pattern.test(ref) || (autoDevops && scanner.scope !== "dast");
        if (!included || disabled(scanner.disabledBy)) continue;
        out.fact("securityScan", {
          path: file.path,
          line: doc.lineAt(["include", i]),
          tool: scanner.tool,
          scope: scanner.scope,
          via: `include: ${ref}`,
        });
      }
    });
  },
};
