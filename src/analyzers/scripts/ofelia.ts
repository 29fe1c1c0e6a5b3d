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
  return jobsOf(
    readIni(text).flatMap((e) => {
      const header = /^([\w-]+)\s+"([^"]*)"$/.exec(e.section);
      return header
        ? [{ kind: header[1]!, name: header[2]!, key: e.key, value: unquote(e.value), line: () => e.line }]
        : [];
    }),
  );
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
  return jobsOf(
    pairs.flatMap(([label, value, at]) => {
      const parts = /^ofelia\.(job-[\w-]+)\.(.+)\.(schedule|command)$/.exec(label);
      return parts ? [{ kind: parts[1]!, name: parts[2]!, key: parts[3]!, value, line: () => lineOf(at) }] : [];
    }),
  );
}

/** One setting of a job, wherever it is written; `line` is asked only of the command. */
interface JobSetting {
  kind: string;
  name: string;
  key: string;
  value: string;
  line: () => number;
}

/** The jobs the settings describe, in order of their first setting; a job needs a schedule and a command. */
function jobsOf(settings: readonly JobSetting[]): OfeliaJob[] {
  const jobs = new Map<string, Partial<OfeliaJob>>();
  for (const s of settings) {
    if (!JOB_KINDS.has(s.kind)) continue;
    const id = `${s.kind} ${s.name}`;
    const job = jobs.get(id) ?? { kind: s.kind, name: s.name };
    jobs.set(id, job);
    if (s.key === "schedule") job.schedule = s.value;
    if (s.key === "command") Object.assign(job, { command: s.value, line: s.line() });
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
