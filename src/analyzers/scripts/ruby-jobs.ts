// Rails background jobs that a schedule runs (issue 9, group 4): Solid Queue's config/recurring.yml and sidekiq-cron's
// config/schedule.yml name a job class and when it runs; the job (app/jobs/*_job.rb, app/workers/*.rb) shells out
// with `system("restic backup …")`, backticks or `%x(…)`. The schedule becomes a `cron` command whose program is the
// class, the job's shell-outs `ruby` commands of that class (the command graph links them), so that a backup a job
// runs on a schedule is an automated backup. Only literal shell strings are read (`#{…}` is a placeholder word).
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { asString, isRecord } from "../../engine/yaml.js";
import { yamlMappings } from "../observability/common.js";
import { loadShellParser, parseShell } from "../shell-parse.js";

/** environments whose recurring tasks never run on a server */
const LOCAL_ENVIRONMENTS = new Set(["development", "test", "dev"]);

export const recurringJobsAnalyzer: Analyzer = {
  id: "recurring-jobs",
  extensions: [".yml", ".yaml"],
  // cheap string tests first: `match` runs on every path of the tree
  match: (_path, name, lowerPath) =>
    (name === "recurring.yml" ||
      name === "schedule.yml" ||
      /^(recurring|schedule|sidekiq_schedule)\.ya?ml$/.test(name)) &&
    (lowerPath === `config/${name}` || lowerPath.endsWith(`/config/${name}`)),
  analyze(file: SourceFile, out: AnalyzerOutput) {
    const doc = yamlMappings(file, out, "this recurring jobs config")[0];
    if (!doc || !isRecord(doc.value)) return;
    const top = doc.value;
    const isTask = (v: unknown) => isRecord(v) && (v.class !== undefined || v.command !== undefined);
    const groups: [string[], Record<string, unknown>][] = Object.values(top).some(isTask)
      ? [[[], top]]
      : Object.entries(top)
          .filter(([env, v]) => !LOCAL_ENVIRONMENTS.has(env) && isRecord(v))
          .map(([env, v]) => [[env], v as Record<string, unknown>]);
    for (const [prefix, tasks] of groups)
      for (const [name, task] of Object.entries(tasks)) {
        if (!isRecord(task)) continue;
        const schedule = asString(task.schedule) ?? asString(task.cron) ?? asString(task.every);
        const job = asString(task.class);
        if (!schedule || !job || !/^[A-Z]\w*(::[A-Z]\w*)*$/.test(job)) continue;
        const line = doc.lineAt([...prefix, name, "class"]);
        out.fact("command", { path: file.path, line, argv: [job], origin: "cron", unit: name, schedule });
      }
  },
};

export const rubyJobsAnalyzer: Analyzer = {
  id: "ruby-jobs",
  extensions: [".rb"],
  match: (_path, _name, lowerPath) =>
    lowerPath.endsWith(".rb") && /(^|\/)app\/(jobs|workers|sidekiq)\//.test(lowerPath),
  prepare: loadShellParser,
  analyze(file: SourceFile, out: AnalyzerOutput) {
    const name = /^\s*class\s+([A-Z]\w*(?:::[A-Z]\w*)*)/m.exec(file.text)?.[1];
    if (!name) return;
    for (const { line, text } of rubyShellStrings(file.text)) {
      const parsed = parseShell(text);
      for (const c of parsed.commands)
        out.fact("command", { path: file.path, line, argv: c.argv, origin: "ruby", unit: name });
    }
  },
};

/** The literal shell strings of `system("…")`, `exec("…")`, `spawn("…")`, `` `…` `` and `%x(…)` outside comments. */
export function rubyShellStrings(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length && out.length < 100; i++) {
    const code = stripComment(lines[i]!);
    for (const m of code.matchAll(/\b(?:system|exec|spawn|Open3\.\w+)\s*\(?\s*(["'])/g)) {
      const literal = readLiteral(code, m.index! + m[0].length - 1);
      if (literal) out.push({ line: i + 1, text: literal });
    }
    for (const m of code.matchAll(/`([^`]{3,500})`|%x\(([^)]{3,500})\)/g))
      out.push({ line: i + 1, text: interpolated(m[1] ?? m[2]!) });
  }
  return out;
}

/** A one-line string literal starting at `at` (its quote), with `#{…}` replaced by a placeholder word. */
function readLiteral(code: string, at: number): string | undefined {
  const quote = code[at];
  let depth = 0;
  let s = "";
  for (let i = at + 1; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === "\\" && i + 1 < code.length) {
      s += code[++i];
      continue;
    }
    if (quote === '"' && ch === "#" && code[i + 1] === "{") depth++;
    else if (depth > 0 && ch === "}") depth--;
    else if (depth === 0 && ch === quote) return interpolated(s);
    s += ch;
  }
  return undefined;
}

const interpolated = (s: string) => s.replace(/#\{[^}]*\}+/g, "RUBY_VALUE");

function stripComment(line: string): string {
  return /^\s*#/.test(line) ? "" : line;
}
