// Ofelia, the job scheduler for Docker: jobs in its config file (`[job-exec "name"]` sections with `schedule` and
// `command`) or in compose labels (`ofelia.job-exec.<name>.schedule`). Each job's command becomes `command`
// facts carrying the schedule, as a crontab line does, so that a scheduled dump or export is seen as automated.
// A job without both a schedule and a command runs nothing.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import type { CommandOrigin } from "../../facts/commands.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { readIni } from "./ini.js";

/** Ofelia's job types: exec in a running container, run a new one, run on the host, run a swarm service. */
const JOB_KINDS = new Set(["job-exec", "job-run", "job-local", "job-service-run"]);

export interface OfeliaJob {
  kind: string;
  name: string;
  schedule: string;
  command: string;
  /** line of the command */
  line: number;
}

export const ofeliaAnalyzer: Analyzer = {
  id: "ofelia",
  extensions: [".ini"],
  // the config is `config.ini` by default; repositories keep it as ofelia.ini, jobs.ini or under an ofelia/ folder
  match: (_path, name, lowerPath) =>
    lowerPath.endsWith(".ini") && (/(^|\/)ofelia[^/]*\//.test(lowerPath) || /^(ofelia|jobs)\b/i.test(name)),
  prepare: loadShellParser,
  analyze(file: SourceFile, out: AnalyzerOutput) {
    emitJobs(file.path, "cron", ofeliaConfigJobs(file.text), out);
  },
};

/** The jobs of an Ofelia config file, in file order. */
export function ofeliaConfigJobs(text: string): OfeliaJob[] {
  const jobs = new Map<string, Partial<OfeliaJob>>();
  for (const e of readIni(text)) {
    const header = /^([\w-]+)\s+"([^"]*)"$/.exec(e.section);
    if (!header || !JOB_KINDS.has(header[1]!)) continue;
    const key = `${header[1]} ${header[2]}`;
    const job = jobs.get(key) ?? { kind: header[1]!, name: header[2]! };
    jobs.set(key, job);
    if (e.key === "schedule") job.schedule = unquote(e.value);
    if (e.key === "command") Object.assign(job, { command: unquote(e.value), line: e.line });
  }
  return [...jobs.values()].filter(complete);
}

/**
 * The jobs of one compose service's labels, a mapping or a list of `key=value`; `lineOf` locates a label by its
 * key in a mapping or by its index in a list.
 */
export function ofeliaLabelJobs(labels: unknown, lineOf: (at: string | number) => number): OfeliaJob[] {
  const pairs: [label: string, value: string, at: string | number][] = Array.isArray(labels)
    ? labels.flatMap((l, i) => (typeof l === "string" && l.includes("=") ? [[...splitLabel(l), i]] : []))
    : labels && typeof labels === "object"
      ? Object.entries(labels).map(([k, v]) => [k, String(v ?? ""), k])
      : [];
  const jobs = new Map<string, Partial<OfeliaJob>>();
  for (const [label, value, at] of pairs) {
    const parts = /^ofelia\.(job-[\w-]+)\.(.+)\.(schedule|command)$/.exec(label);
    if (!parts || !JOB_KINDS.has(parts[1]!)) continue;
    const key = `${parts[1]} ${parts[2]}`;
    const job = jobs.get(key) ?? { kind: parts[1]!, name: parts[2]! };
    jobs.set(key, job);
    if (parts[3] === "schedule") job.schedule = value;
    else Object.assign(job, { command: value, line: lineOf(at) });
  }
  return [...jobs.values()].filter(complete);
}

/** Each job's commands as scheduled `command` facts (and their flow, for dumps thrown away or fed). */
export function emitJobs(path: string, origin: CommandOrigin, jobs: readonly OfeliaJob[], out: AnalyzerOutput): void {
  for (const job of jobs) {
    const parsed = parseShell(job.command, undefined, { flow: true });
    if (parsed.error) {
      out.finding({
        path,
        line: job.line,
        severity: "note",
        rule: "ofelia/invalid-command",
        message: `the command of Ofelia ${job.kind} "${job.name}" cannot be read: ${parsed.error.message}`,
        remediation: "Write the command as a program and its arguments, or `sh -c '…'` for shell syntax.",
      });
      continue;
    }
    const unit = `Ofelia ${job.kind} ${job.name}`;
    if (parsed.flow)
      out.fact("shellFlow", flowFact({ path, origin, line: job.line, unit }, parsed.flow, { oneLine: true }));
    for (const c of parsed.commands)
      out.fact("command", { path, line: job.line, argv: c.argv, origin, unit, schedule: job.schedule });
  }
}

const complete = (job: Partial<OfeliaJob>): job is OfeliaJob =>
  Boolean(job.schedule && job.command && job.line !== undefined);

function splitLabel(label: string): [string, string] {
  const eq = label.indexOf("=");
  return [label.slice(0, eq).trim(), label.slice(eq + 1).trim()];
}

/** gcfg values may be double-quoted as a whole */
const unquote = (value: string) => (/^".*"$/.test(value) ? value.slice(1, -1).replace(/\\"/g, '"') : value);
