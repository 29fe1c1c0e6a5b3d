// Whether a named entry point deploys: a make target, just recipe, npm script or script file reaches one of the
// derived deploys by following `make x`, `just x`, `npm run x`, `./scripts/y.sh`, Makefile prerequisites and recipe
// dependencies. Built once per scan by the derived-facts step (after the deploys); detectors read it as
// ctx.derived.deployReach.

import type { FactStore } from "../engine/facts.js";
import { dirPrefixOf, joinRepoPath } from "../engine/paths.js";
import type { ClassifiedCommand } from "../facts/derived.js";
import type { CommandFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";
import type { CommandGraph } from "./command-graph.js";
import { LOCAL_ORIGINS } from "./deploys.js";

/** A make target, just recipe or npm script (by its file and name), or a script file. */
export type DeployNode =
  | { kind: "make" | "npm" | "just"; path: string; name: string }
  | { kind: "script"; path: string };

export class DeployReach {
  private readonly deploying = new Set<string>();
  private readonly commands = new Map<string, CommandFact[]>();
  private readonly prerequisites = new Map<string, string[]>();
  private readonly scripts = new Set<string>();
  private readonly manifests = new Set<string>();
  constructor(
    facts: FactStore,
    deploys: readonly ClassifiedCommand[],
    private readonly graph: CommandGraph,
  ) {
    for (const d of deploys) this.deploying.add(this.key(d.command));
    for (const c of facts.all("command")) {
      if (!LOCAL_ORIGINS.has(c.origin)) continue;
      const k = this.key(c);
      const list = this.commands.get(k);
      if (list) list.push(c);
      else this.commands.set(k, [c]);
    }
    for (const m of facts.all("makefile"))
      for (const t of m.targets) this.prerequisites.set(`make\0${m.path}\0${t.name}`, t.prerequisites);
    for (const j of facts.all("justfile"))
      for (const r of j.recipes) this.prerequisites.set(`just\0${j.path}\0${r.name}`, r.dependencies);
    for (const s of facts.all("shell")) this.scripts.add(s.path);
    for (const p of facts.all("manifest")) if (p.ecosystem === "npm") this.manifests.add(p.path);
  }

  private key(c: CommandFact): string {
    return c.origin === "makefile"
      ? `make\0${c.path}\0${c.unit}`
      : c.origin === "just"
        ? `just\0${c.path}\0${c.unit}`
        : c.origin === "package-json"
          ? `npm\0${c.path}\0${c.unit}`
          : `script\0${c.path}`;
  }

  private nodeKey(n: DeployNode): string {
    return n.kind === "script" ? `script\0${n.path}` : `${n.kind}\0${n.path}\0${n.name}`;
  }

  reaches(node: DeployNode, seen = new Set<string>()): boolean {
    const k = this.nodeKey(node);
    if (seen.has(k) || seen.size > 50) return false;
    seen.add(k);
    if (this.deploying.has(k)) return true;
    if (node.kind === "make" || node.kind === "just") {
      // a recipe's dependencies in another module (`mod::x`) are followed by the command graph, not here
      for (const p of this.prerequisites.get(k) ?? [])
        if (this.reaches({ kind: node.kind, path: node.path, name: p }, seen)) return true;
    }
    for (const c of this.commands.get(k) ?? []) {
      const next = this.callee(c, node.path);
      if (next.some((n) => this.reaches(n, seen))) return true;
    }
    return false;
  }

  /** What a command calls: make targets, just recipes, an npm script or a script file of the repository. */
  private callee(c: CommandFact, from: string): DeployNode[] {
    const { program, args } = programOf(c.argv);
    if (program === "just") {
      return this.graph.justRecipes(c, args).map((unit) => {
        const [, path, name] = unit.split("\0");
        return { kind: "just", path: path!, name: name! };
      });
    }
    const dir = dirPrefixOf(from);
    if (program === "make" || program === "gmake" || program === "MAKEVAR") {
      let makefile = `${dir}Makefile`;
      const words: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a === "-C" && args[i + 1]) makefile = joinRepoPath(dir, `${args[++i]}/Makefile`);
        else if (a === "-f" && args[i + 1]) makefile = joinRepoPath(dir, args[++i]!);
        else if (!a.startsWith("-") && !a.includes("=")) words.push(a);
      }
      return words[0] ? [{ kind: "make", path: makefile, name: words[0] }] : [];
    }
    if (["npm", "yarn", "pnpm", "bun"].includes(program)) {
      const words = args.filter((a) => !a.startsWith("-"));
      const name =
        words[0] === "run" || words[0] === "run-script" ? words[1] : program !== "npm" ? words[0] : undefined;
      const manifest = `${dir}package.json`;
      return name && this.manifests.has(manifest) ? [{ kind: "npm", path: manifest, name }] : [];
    }
    const file = ["bash", "sh", "zsh", "source", "."].includes(program)
      ? args.find((a) => !a.startsWith("-"))
      : c.argv[0];
    if (!file || !/[/.]/.test(file) || /^["'$]/.test(file)) return [];
    const candidates = [joinRepoPath(dir, file), joinRepoPath("", file)];
    const path = candidates.find((p) => this.scripts.has(p));
    return path ? [{ kind: "script", path }] : [];
  }
}
