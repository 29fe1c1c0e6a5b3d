// Pulumi: Pulumi.yaml (the project; a YAML program lists its resources) and Pulumi.<stack>.yaml (one per stack).
import type { Analyzer } from "../../engine/analyzer.js";
import { asString, isRecord, parseYaml } from "../../engine/yaml.js";
import { environmentOf, yamlSyntaxErrors } from "./common.js";

const PROJECT = /^Pulumi\.ya?ml$/;
const STACK = /^Pulumi\.(.+)\.ya?ml$/;

export const pulumiAnalyzer: Analyzer = {
  id: "pulumi",
  extensions: [".yml", ".yaml"],
  match: (_path, name) => name.startsWith("Pulumi.") && (PROJECT.test(name) || STACK.test(name)),
  analyze(file, out) {
    const parsed = parseYaml(file.text);
    yamlSyntaxErrors(
      file,
      out,
      parsed.errors,
      "iac/parse-error",
      "Fix the YAML; `pulumi preview` points at the problem.",
    );
    const doc = parsed.docs[0];
    const value = doc && isRecord(doc.value) ? doc.value : undefined;
    const stack = PROJECT.test(file.name) ? undefined : STACK.exec(file.name)?.[1];
    if (stack !== undefined) {
      // a stack file may be empty (all defaults): it still declares the stack
      if (parsed.errors.length > 0) return;
      out.fact("iac", {
        path: file.path,
        line: 1,
        tool: "pulumi",
        resources: [],
        name: stack,
        environment: environmentOf(stack) ?? stack.toLowerCase(),
      });
      return;
    }
    // a project names itself and its runtime: a string, or { name, options }
    const runtime = value
      ? (asString(value.runtime) ?? (isRecord(value.runtime) ? asString(value.runtime.name) : undefined))
      : undefined;
    if (!doc || !value || !asString(value.name) || !runtime) return;
    const resources = isRecord(value.resources)
      ? Object.entries(value.resources).flatMap(([name, r]) => {
          const type = isRecord(r) ? asString(r.type) : undefined;
          return type
            ? [
                {
                  type,
                  name,
                  line: doc.lineAt(["resources", name]),
                  attrs: isRecord(r) && isRecord(r.properties) ? r.properties : {},
                },
              ]
            : [];
        })
      : [];
    out.fact("iac", {
      path: file.path,
      line: doc.lineAt(["name"]),
      tool: "pulumi",
      resources,
      name: asString(value.name)!,
    });
  },
};
