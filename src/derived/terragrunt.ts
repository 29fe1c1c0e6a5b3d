// Terragrunt live repositories: units (folders whose terragrunt.hcl calls a module, or includes the root config
// and keeps Terraform code beside it) that `terragrunt run --all apply` applies, and the environment folders
// they sit in. Computed once per scan; the deploy detectors read it.
import type { FactStore } from "../engine/facts.js";
import type { Evidence } from "../engine/types.js";
import type { TerragruntLive } from "../facts/derived.js";
import { isExampleOrTestPath } from "./kubernetes.js";

/**
 * A Terragrunt live layout is the deploy tool's config: units (terragrunt.hcl calling a module, stacks of units)
 * that `terragrunt run --all apply` applies, usually under the root config they include (root.hcl with the remote
 * state), one folder per environment. Units in example or test folders are not.
 */
export function terragruntLive(facts: FactStore, paths: readonly string[]): TerragruntLive {
  const configs = facts
    .all("terraform")
    .filter(
      (f) => /(^|\/)(terragrunt(\.stack)?|root)\.hcl$/.test(f.path) && !f.parseError && !isExampleOrTestPath(f.path),
    );
  // a unit calls a module (`terraform { source }`), or includes the root config and keeps its Terraform code beside it
  const coded = new Set(
    facts
      .all("terraform")
      .filter((f) => f.path.endsWith(".tf") && (f.modules.length > 0 || f.resources.length > 0))
      .map((f) => f.dir),
  );
  const units = configs.filter(
    (f) => f.modules.length > 0 || (f.backend?.type === "terragrunt-include" && coded.has(f.dir)),
  );
  const unitLine = (u: (typeof units)[number]) => u.modules[0]?.line ?? u.backend!.line;
  const byEnvironment = new Map<string, Evidence>();
  if (units.length === 0) return { evidence: [], byEnvironment };
  for (const u of units)
    if (u.environment && !byEnvironment.has(u.environment))
      byEnvironment.set(u.environment, {
        path: u.path,
        line: unitLine(u),
        note: `${u.environment}: Terragrunt unit ${u.dir || "."}`,
      });
  const envs = [...byEnvironment.keys()];
  const summary = `terragrunt: ${units.length} unit${units.length === 1 ? "" : "s"}${envs.length > 0 ? ` (${envs.join(", ")})` : ""}`;
  // the root config the units include (remote state declared once), else the shallowest unit
  const roots = configs.filter((f) => f.backend && f.backend.type !== "terragrunt-include" && f.modules.length === 0);
  const evidence: Evidence[] = roots.map((r) => ({ path: r.path, line: r.backend!.line, note: summary }));
  // a root config under another name (main.hcl, common.hcl) is found where the units' include looks it up
  if (evidence.length === 0) {
    const existing = new Set(paths);
    for (const u of units) {
      const name = u.backend?.type === "terragrunt-include" ? u.backend.includes : undefined;
      const root = name && name !== "terragrunt.hcl" ? parentFile(u.dir, name, existing) : undefined;
      if (root && !evidence.some((e) => e.path === root)) evidence.push({ path: root, line: 1, note: summary });
    }
  }
  if (evidence.length === 0) {
    const first = [...units].sort((a, b) => a.path.split("/").length - b.path.split("/").length)[0]!;
    evidence.push({ path: first.path, line: unitLine(first), note: summary });
  }
  evidence.push(...[...byEnvironment.values()].filter((e) => !evidence.some((x) => x.path === e.path)));
  return { evidence, byEnvironment };
}

/** `find_in_parent_folders(name)` from a unit's folder: the nearest parent folder's file of that name. */
function parentFile(dir: string, name: string, existing: ReadonlySet<string>): string | undefined {
  const parts = dir ? dir.split("/") : [];
  for (let i = parts.length - 1; i >= 0; i--) {
    const path = [...parts.slice(0, i), name].join("/");
    if (existing.has(path)) return path;
  }
  return undefined;
}
