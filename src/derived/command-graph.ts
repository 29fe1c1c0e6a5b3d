// The commands of a repository as a graph: a scheduled job that runs `scripts/backup.sh` reaches the
// commands of that script; `make backup` reaches the target's recipe; `npm run backup` the script's commands.
// Also answers, for a command, how it runs (after a failure? into /dev/null?) from the shell structure.
// Built once per scan by the derived-facts step (src/derived/index.ts); detectors read it as ctx.derived.commands.

import { execInContainer } from "../analyzers/command-class/data.js";
import { unquote } from "../analyzers/command-class.js";
import type { FactStore } from "../engine/facts.js";
import { dirPrefixOf, joinRepoPath } from "../engine/paths.js";
import type { CiJob, CiPipelineFact, CiStep, CommandFact, FlowCommand, JustfileFact } from "../facts/index.js";
import { programOf } from "../vocabulary/programs.js";

const LOCAL = new Set<CommandFact["origin"]>(["shell", "makefile", "just", "package-json", "terraform"]);

export class CommandGraph {
  readonly commands: readonly CommandFact[];
  private readonly byScript = new Map<string, CommandFact[]>();
  private readonly byUnit = new Map<string, CommandFact[]>();
  private readonly scriptPaths: string[];
  private readonly scriptsByName = new Map<string, string[]>();
  /** shell flows by origin, path and unit */
  private readonly flows = new Map<string, FlowCommand[]>();
  /** CI steps' flows by pipeline, job and the line where the step's run text begins */
  private readonly stepFlows = new Map<string, FlowCommand[]>();
  private readonly ciJobs = new Map<string, { pipeline: CiPipelineFact; job: CiJob }>();
  private readonly justfiles = new Map<string, JustfileFact>();

  constructor(facts: FactStore) {
    this.commands = withTimerSchedules(facts);
    for (const c of this.commands) {
      if (c.origin === "shell") push(this.byScript, c.path, c);
      if (c.origin === "makefile" || c.origin === "package-json" || c.origin === "just")
        push(this.byUnit, `${c.origin}\0${c.path}\0${c.unit}`, c);
      if (c.origin === "ruby" && c.unit) push(this.byUnit, `ruby\0${c.unit}`, c);
    }
    for (const j of facts.all("justfile")) this.justfiles.set(j.path, j);
    this.scriptPaths = facts.all("shell").map((s) => s.path);
    for (const p of this.scriptPaths) push(this.scriptsByName, p.slice(p.lastIndexOf("/") + 1), p);
    for (const p of facts.all("ci"))
      for (const job of p.jobs) this.ciJobs.set(`${p.path}\0${job.id}`, { pipeline: p, job });
    for (const f of facts.all("shellFlow")) {
      const key = flowKey(f.origin, f.path, f.unit);
      const list = this.flows.get(key);
      if (list) list.push(...f.commands);
      else this.flows.set(key, [...f.commands]);
      if (f.origin === "ci") this.stepFlows.set(`${f.path}\0${f.unit}\0${f.line}`, f.commands);
    }
  }

  /** The command and every command it runs through scripts, Makefile targets and npm scripts (cycles cut). */
  reach(start: CommandFact, seen = new Set<string>()): CommandFact[] {
    const out: CommandFact[] = [start];
    for (const callee of this.callees(start)) {
      const key = `${callee.kind}\0${callee.key}`;
      if (seen.has(key) || seen.size > 40) continue;
      seen.add(key);
      for (const c of callee.commands) out.push(...this.reach(c, seen));
    }
    return out;
  }

  /** The CI job of a ci-origin command. */
  ciJobOf(c: CommandFact): { pipeline: CiPipelineFact; job: CiJob } | undefined {
    return c.origin === "ci" && c.unit ? this.ciJobs.get(`${c.path}\0${c.unit}`) : undefined;
  }

  /** How the command runs, as the analyzer that parsed its shell text read it (shellFlow facts). */
  flowOf(c: CommandFact): FlowCommand | undefined {
    const program = programOf(c.argv).program;
    const candidates = this.flowsAround(c);
    const same = (f: FlowCommand) => programOf(f.argv).program === program && f.argv.length === c.argv.length;
    return (
      candidates.find((f) => f.line === c.line && same(f)) ??
      candidates.find((f) => same(f) && f.argv.join(" ") === c.argv.join(" "))
    );
  }

  /** Commands of one shell script, with their flow. */
  scriptFlow(path: string): FlowCommand[] {
    return this.flows.get(flowKey("shell", path, undefined)) ?? [];
  }

  /** Every step of every CI job, with the flow of its run text at file lines. */
  ciSteps(): { pipeline: CiPipelineFact; job: CiJob; step: CiStep; flow: FlowCommand[] }[] {
    const out: { pipeline: CiPipelineFact; job: CiJob; step: CiStep; flow: FlowCommand[] }[] = [];
    for (const { pipeline, job } of this.ciJobs.values()) {
      if (job.disabled) continue;
      for (const step of job.steps) {
        const flow = step.run === undefined ? undefined : this.stepFlows.get(stepKey(pipeline.path, job.id, step));
        out.push({ pipeline, job, step, flow: flow ?? [] });
      }
    }
    return out;
  }

  /** The flow of the text a command came from: its script, CI job, recipe, npm script, crontab, container. */
  private flowsAround(c: CommandFact): FlowCommand[] {
    return this.flows.get(flowKey(c.origin, c.path, c.unit)) ?? [];
  }

  private callees(c: CommandFact): { kind: string; key: string; commands: CommandFact[] }[] {
    const argv = c.argv.map(unquote);
    const { program, args } = programOf(argv);
    const out: { kind: string; key: string; commands: CommandFact[] }[] = [];
    // a script, run directly or through an interpreter, here or in a container (`docker exec app scripts/backup.sh`)
    const script = this.scriptRunBy(argv) ?? this.scriptRunBy(execInContainer(c.argv)?.map(unquote));
    if (script) out.push({ kind: "script", key: script, commands: this.byScript.get(script) ?? [] });
    // make <target>…, npm/yarn/pnpm run <script>
    if (program === "make" || program === "gmake") {
      for (const target of makeTargets(args)) {
        const found: { kind: string; key: string; commands: CommandFact[] }[] = [];
        for (const [key, commands] of this.byUnit)
          if (key.startsWith("makefile\0") && key.endsWith(`\0${target}`)) found.push({ kind: "make", key, commands });
        out.push(...nearestMakefile(found, c, args));
      }
    }
    // a scheduled Ruby job class (Solid Queue, sidekiq-cron): the job's shell-outs
    if (c.origin === "cron" && argv.length === 1 && this.byUnit.has(`ruby\0${argv[0]}`))
      out.push({ kind: "ruby", key: argv[0]!, commands: this.byUnit.get(`ruby\0${argv[0]}`)! });
    if (program === "just" && this.justfiles.size > 0) {
      for (const unit of this.justRecipes(c, args))
        out.push({ kind: "just", key: unit, commands: this.byUnit.get(unit) ?? [] });
    }
    const npmScript =
      program === "npm" || program === "pnpm" || program === "yarn" || program === "bun"
        ? args[0] === "run" || args[0] === "run-script"
          ? args[1]
          : program !== "npm"
            ? args[0]
            : undefined
        : undefined;
    if (npmScript) {
      for (const [key, commands] of this.byUnit)
        if (key.startsWith("package-json\0") && key.endsWith(`\0${npmScript}`))
          out.push({ kind: "npm", key, commands });
    }
    return out;
  }

  /**
   * The recipes `just …` runs (as `just\0file\0recipe` units), each with the recipes it depends on: the justfile
   * is `-f`'s or the nearest named justfile at or above the caller's folder (the root for CI); `mod::recipe` and
   * `mod recipe` reach a module's file; a recipe with parameters takes the words after it as arguments.
   */
  justRecipes(c: CommandFact, args: readonly string[]): string[] {
    const words: string[] = [];
    let file: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = unquote(args[i]!);
      if (a === "-f" || a === "--justfile") file = unquote(args[++i] ?? "");
      else if (a.startsWith("--justfile=")) file = a.slice("--justfile=".length);
      else if (JUST_VALUE_FLAGS.has(a)) i++;
      else if (a === "--set") i += 2;
      else if (JUST_NO_RUN.has(a) || a.startsWith("--dry-run"))
        return []; // lists, shows or only prints recipes
      else if (a.startsWith("-")) continue;
      else if (!/^[\w-]+=/.test(a)) words.push(a); // NAME=value overrides a variable
    }
    const base = c.origin === "ci" ? "" : dirPrefixOf(c.path);
    const root = file !== undefined ? joinRepoPath(base, file) : this.nearestJustfile(base, words[0]);
    if (!root || !this.justfiles.has(root)) return [];
    const units: string[] = [];
    if (words.length === 0) {
      const first = this.justfiles.get(root)!.recipes.find((r) => !r.private) ?? this.justfiles.get(root)!.recipes[0];
      if (first) this.justUnits(root, first.name, units, new Set());
      return units;
    }
    for (let k = 0; k < words.length; k++) {
      // `mod::recipe`, or `mod recipe` where the first word names a module
      let path = root;
      const parts = words[k]!.split("::");
      while (parts.length > 1) path = this.justModule(path, parts.shift()!) ?? "";
      let name = parts[0]!;
      while (path && !this.justRecipe(path, name) && this.justModule(path, name) && k + 1 < words.length) {
        path = this.justModule(path, name)!;
        name = words[++k]!;
      }
      const recipe = path ? this.justRecipe(path, name) : undefined;
      if (!recipe) break;
      this.justUnits(path, name, units, new Set());
      k += recipe.recipe.parameters.filter((p) => !p.includes("=") && !/^[*+]/.test(p)).length;
      if (recipe.recipe.parameters.some((p) => /^[*+]/.test(p))) break; // the rest are its arguments
      // optional parameters take the following words that are not recipes
      for (const p of recipe.recipe.parameters.filter((x) => x.includes("=")))
        if (p && k + 1 < words.length && !this.justRecipe(path, words[k + 1]!)) k++;
    }
    return units;
  }

  /** The recipe and the recipes it depends on, as units, in the namespace of `path` (its imports included). */
  private justUnits(path: string, name: string, units: string[], seen: Set<string>): void {
    const found = this.justRecipe(path, name);
    if (!found || seen.has(`${found.path}\0${found.recipe.name}`) || seen.size > 40) return;
    seen.add(`${found.path}\0${found.recipe.name}`);
    units.push(`just\0${found.path}\0${found.recipe.name}`);
    for (const dep of found.recipe.dependencies) {
      const parts = dep.split("::");
      let at: string | undefined = path;
      while (at && parts.length > 1) at = this.justModule(at, parts.shift()!);
      if (at) this.justUnits(at, parts[0]!, units, seen);
    }
  }

  /** A recipe (or alias) of a justfile or of the files it imports. */
  private justRecipe(
    path: string,
    name: string,
    seen = new Set<string>(),
  ): { path: string; recipe: JustfileFact["recipes"][number] } | undefined {
    const j = this.justfiles.get(path);
    if (!j || seen.has(path)) return undefined;
    seen.add(path);
    const wanted = j.aliases?.[name] ?? name;
    const recipe = j.recipes.find((r) => r.name === wanted);
    if (recipe) return { path, recipe };
    for (const imported of j.imports) {
      const found = this.justRecipe(imported, wanted, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** The file of a justfile's module `mod name` (declared in it or in a file it imports). */
  private justModule(path: string, name: string, seen = new Set<string>()): string | undefined {
    const j = this.justfiles.get(path);
    if (!j || seen.has(path)) return undefined;
    seen.add(path);
    const m = j.modules.find((x) => x.name === name);
    if (m) return m.paths.find((p) => this.justfiles.has(p));
    for (const imported of j.imports) {
      const found = this.justModule(imported, name, seen);
      if (found) return found;
    }
    return undefined;
  }

  /** The justfile `just` finds from a folder: `justfile` or `.justfile` there or in a parent folder; else any that has the recipe. */
  private nearestJustfile(dir: string, recipe: string | undefined): string | undefined {
    const roots = [...this.justfiles.keys()].filter((p) => /^\.?justfile$/i.test(p.slice(p.lastIndexOf("/") + 1)));
    for (let d = dir; ; d = dirPrefixOf(d.slice(0, -1))) {
      const here = roots.find((p) => dirPrefixOf(p) === d);
      if (here) return here;
      if (d === "") break;
    }
    const head = recipe?.split("::")[0];
    return head === undefined ? undefined : roots.find((p) => this.justRecipe(p, head) || this.justModule(p, head));
  }

  /** The repository script a command runs directly or through an interpreter, when it is one of the tree's. */
  scriptOf(c: CommandFact): string | undefined {
    return this.scriptRunBy(c.argv.map(unquote));
  }

  /** The repository script a command runs: `scripts/x.sh …`, `bash scripts/x.sh`, `. ./x.sh`. */
  private scriptRunBy(argv: string[] | undefined): string | undefined {
    if (!argv) return undefined;
    const { program, args } = programOf(argv);
    const interpreter = /^(ba|da|a|z|k)?sh$|^source$|^\.$/.test(program);
    const word = interpreter ? args.find((a) => !a.startsWith("-")) : argv[argv.length - args.length - 1];
    return word !== undefined ? this.scriptAt(word) : undefined;
  }

  /**
   * The repository script a command word names: `scripts/backup.sh`, `./backup.sh`, `/app/scripts/backup.sh`,
   * `"$(dirname "$0")/backup.sh"`.
   */
  private scriptAt(word: string): string | undefined {
    const w = word.replace(/^\$\(dirname "?\$0"?\)\/|^\$\{?\w*DIR\}?\/|^\.\//, "").replace(/^\/+/, "");
    if (!w || /[$`]/.test(w)) return undefined;
    const named = this.scriptsByName.get(w.slice(w.lastIndexOf("/") + 1));
    if (!named) return undefined;
    if (!w.includes("/")) return named.length === 1 ? named[0] : undefined;
    return named.find((p) => p === w || w.endsWith(`/${p}`) || p.endsWith(`/${w}`));
  }

  /** Commands of one shell script, as facts. */
  scriptCommands(path: string): readonly CommandFact[] {
    return this.byScript.get(path) ?? [];
  }
}

/**
 * The commands, with the schedule of the systemd timer that starts their service: the analyzers see a .timer
 * and its .service one file at a time. A template instance's timer (`backup@db.timer`) starts `backup@.service`.
 */
function withTimerSchedules(facts: FactStore): readonly CommandFact[] {
  const commands = facts.all("command");
  const timers = facts.all("timer");
  if (timers.length === 0) return commands;
  const byUnit = new Map<string, string>();
  for (const t of timers) if (!byUnit.has(t.unit)) byUnit.set(t.unit, t.schedule);
  for (const t of timers) {
    const template = t.unit.replace(/@[^.]+(\.service)$/, "@$1");
    if (!byUnit.has(template)) byUnit.set(template, t.schedule);
  }
  return commands.map((c) => {
    const schedule = c.origin === "systemd" && c.schedule === undefined && c.unit ? byUnit.get(c.unit) : undefined;
    return schedule === undefined ? c : { ...c, schedule };
  });
}

export const isLocal = (c: CommandFact) => LOCAL.has(c.origin);

/** The targets named by `make` arguments (not flags, their values, or VAR=value assignments). */
function makeTargets(args: readonly string[]): string[] {
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-C" || a === "-f" || a === "--directory" || a === "--file" || a === "-I" || a === "-j") i++;
    else if (!a.startsWith("-") && !a.includes("=")) targets.push(a);
  }
  return targets;
}

/**
 * Of the Makefiles that have the target, those `make` reads: `-f file` or `-C dir` when given, else the one in the
 * caller's folder (a Makefile's own, the repository root for CI steps and others); when none is there, every
 * candidate (a step may run in a `working-directory`).
 */
function nearestMakefile<T extends { key: string }>(found: T[], c: CommandFact, args: readonly string[]): T[] {
  const pathOf = (key: string) => key.split("\0")[1] ?? "";
  const flag = (...names: string[]) => {
    const i = args.findIndex((a) => names.includes(a));
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file = flag("-f", "--file");
  const dir = flag("-C", "--directory");
  const base = c.origin === "makefile" || c.origin === "shell" || c.origin === "just" ? dirPrefixOf(c.path) : "";
  if (file !== undefined || dir !== undefined) {
    const wanted = `${dir ? `${dir.replace(/^\.\/|\/$/g, "")}/` : ""}${file ?? ""}`;
    return found.filter((f) =>
      file !== undefined
        ? pathOf(f.key).endsWith(wanted.replace(/^\.\//, ""))
        : dirPrefixOf(pathOf(f.key)).endsWith(wanted),
    );
  }
  const here = found.filter((f) => dirPrefixOf(pathOf(f.key)) === base);
  return here.length > 0 ? here : found;
}

/** `just` flags that take a value. */
const JUST_VALUE_FLAGS = new Set([
  "-d",
  "--working-directory",
  "--shell",
  "--shell-arg",
  "--dotenv-filename",
  "--dotenv-path",
  "-E",
  "--color",
  "--command-color",
  "--chooser",
  "--list-heading",
  "--list-prefix",
  "--timestamp-format",
  "--justfile-names",
]);
/** `just` flags after which no recipe runs. */
const JUST_NO_RUN = new Set([
  "-n",
  "-l",
  "--list",
  "--summary",
  "-s",
  "--show",
  "--evaluate",
  "--dump",
  "--fmt",
  "--choose",
  "-e",
  "--edit",
  "--init",
  "--variables",
  "--groups",
  "--usage",
  "-c",
  "--command",
  "--completions",
  "--man",
  "--help",
  "-h",
  "--version",
  "-V",
  "--changelog",
]);

/** A script's commands carry their function as unit, a crontab's none: their flows are keyed by file alone. */
function flowKey(origin: CommandFact["origin"], path: string, unit: string | undefined): string {
  return origin === "shell" || origin === "cron" ? `${origin}\0${path}` : `${origin}\0${path}\0${unit ?? ""}`;
}

const stepKey = (path: string, job: string, step: CiStep) => `${path}\0${job}\0${step.runLine ?? step.line}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
