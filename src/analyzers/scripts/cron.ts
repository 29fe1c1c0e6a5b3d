// Jobs scheduled on a machine rather than in CI or Kubernetes: crontab files and systemd timers.
// A crontab line becomes `command` facts carrying its schedule. A systemd unit is one file at a time:
// a .service gives its Exec commands (origin "systemd", unit = the service name) and a .timer gives a
// `timer` fact naming the service it starts; the backups command graph pairs them.
import type { Analyzer, AnalyzerOutput, SourceFile } from "../../engine/analyzer.js";
import { flowFact } from "../shell-flow.js";
import { loadShellParser, parseShell } from "../shell-parse.js";
import { type IniEntry, readIni } from "./ini.js";

/** Folders whose extensionless files are crontabs: /etc/cron.d, /var/spool/cron/crontabs, a repo's cron/ */
const CRON_DIRS = new Set(["cron.d", "crontabs", "cron"]);
/** Extensionless names that live in such folders but are not crontabs. */
const NOT_CRONTABS = new Set([
  "readme",
  "license",
  "dockerfile",
  "containerfile",
  "makefile",
  "procfile",
  "justfile",
  "codeowners",
]);
/**
 * Users that open the sixth field of a system crontab line (`0 2 * * * postgres pg_dump …`) in files whose style
 * the path does not tell.
 */
const KNOWN_USERS = new Set([
  "root",
  "postgres",
  "mysql",
  "www-data",
  "nobody",
  "ubuntu",
  "ec2-user",
  "daemon",
  "redis",
  "mongodb",
]);

export const cronAnalyzer: Analyzer = {
  id: "cron",
  extensions: ["", ".timer", ".service", ".crontab", ".cron", ".txt"],
  match(_path, name, lowerPath) {
    if (lowerPath.endsWith(".timer")) return true;
    if (lowerPath.endsWith(".service")) return !lowerPath.includes("meta-inf/"); // Java SPI files are named after interfaces
    return isCrontabPath(name.toLowerCase(), lowerPath);
  },
  prepare: loadShellParser,
  analyze(file, out) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith(".timer")) analyzeTimer(file, out);
    else if (lower.endsWith(".service")) analyzeService(file, out);
    else analyzeCrontab(file, out);
  },
};

function isCrontabPath(name: string, lowerPath: string): boolean {
  if (name === "crontab" || name.endsWith(".crontab") || name.endsWith(".cron")) return true;
  // a crontab mounted into a container (`./borgmatic-crontab.txt:/etc/borgmatic.d/crontab.txt`, supercronic)
  if (/(^|[-_.])crontab\.txt$/.test(name)) return true;
  if (name.includes(".") || NOT_CRONTABS.has(name)) return false; // cron skips files with dots in cron.d too
  const slash = lowerPath.lastIndexOf("/");
  return slash > 0 && CRON_DIRS.has(lowerPath.slice(lowerPath.lastIndexOf("/", slash - 1) + 1, slash));
}

// ─── crontab ────────────────────────────────────────────────────────────────────────────────────────

export interface CrontabEntry {
  line: number;
  /** the five fields as written, or the `@daily`-style nickname */
  schedule: string;
  /** the shell text cron hands to /bin/sh (before the first unescaped %, which starts stdin) */
  command: string;
}

export interface Crontab {
  entries: CrontabEntry[];
  invalid: { line: number; message: string }[];
}

const NICKNAMES = new Set(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]);
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;
const FIELDS = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(.*))?$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/** minute, hour, day of month, month, day of week: bounds and names */
const FIELD_SPECS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 7, names: DAYS },
];

/**
 * Reads a crontab. `/etc/cron.d` files and /etc/crontab have a user column after the schedule; user crontabs
 * do not. Elsewhere the style is guessed per line from a well-known user name in that column.
 */
export function readCrontab(text: string, path: string): Crontab {
  const lowerPath = path.toLowerCase();
  const systemStyle = lowerPath.includes("cron.d/") || /(^|\/)etc\/crontab$/.test(lowerPath);
  const out: Crontab = { entries: [], invalid: [] };
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!.trim();
    if (raw === "" || raw.startsWith("#") || ENV_ASSIGNMENT.test(raw)) continue;
    let schedule: string;
    let rest: string;
    if (raw.startsWith("@")) {
      const nickname = raw.split(/\s+/, 1)[0]!;
      if (nickname === "@reboot") continue; // runs once at boot: not a schedule
      if (!NICKNAMES.has(nickname)) {
        out.invalid.push({ line, message: `unknown schedule \`${nickname}\`` });
        continue;
      }
      schedule = nickname;
      rest = raw.slice(nickname.length).trim();
    } else {
      const m = FIELDS.exec(raw);
      if (!m) {
        out.invalid.push({ line, message: "a cron line needs five schedule fields and a command" });
        continue;
      }
      const bad = m
        .slice(1, 6)
        .map((f, k) => fieldError(f!, k))
        .find((e) => e);
      if (bad) {
        out.invalid.push({ line, message: bad });
        continue;
      }
      schedule = m.slice(1, 6).join(" ");
      rest = m[6] ?? "";
    }
    const user = /^(\S+)\s+(\S.*)$/.exec(rest);
    if (systemStyle || (user && KNOWN_USERS.has(user[1]!))) rest = user ? user[2]! : "";
    const command = cronCommand(rest);
    if (command.trim() === "") {
      out.invalid.push({
        line,
        message: systemStyle
          ? "a system crontab line needs a user and a command after the schedule"
          : "no command after the schedule",
      });
      continue;
    }
    out.entries.push({ line, schedule, command });
  }
  return out;
}

/** cron turns the first unescaped % into a newline and feeds the rest to stdin; `\%` is a literal %. */
function cronCommand(text: string): string {
  const cut = /(^|[^\\])%/.exec(text);
  const command = cut ? text.slice(0, cut.index + cut[1]!.length) : text;
  return command.replace(/\\%/g, "%");
}

function fieldError(field: string, index: number): string | undefined {
  const spec = FIELD_SPECS[index]!;
  const value = (word: string): number | undefined => {
    if (/^\d+$/.test(word)) return Number(word);
    const named = spec.names?.indexOf(word.toLowerCase()) ?? -1;
    return named >= 0 ? named + (spec.names === MONTHS ? 1 : 0) : undefined;
  };
  for (const item of field.split(",")) {
    const [range = "", step, extra] = item.split("/");
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step)))
      return `bad step in the ${spec.name} field \`${field}\``;
    if (range === "*") continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `bad range in the ${spec.name} field \`${field}\``;
    const values = bounds.map(value);
    if (values.some((v) => v === undefined || v < spec.min || v > spec.max)) {
      return `the ${spec.name} field \`${field}\` is not ${spec.min}–${spec.max}${spec.names ? " or a name" : ""}`;
    }
  }
  return undefined;
}

function analyzeCrontab(file: SourceFile, out: AnalyzerOutput): void {
  if (file.text.startsWith("#!")) return; // a script kept in a cron folder, not a table
  const crontab = readCrontab(file.text, file.path);
  for (const entry of crontab.entries) {
    const parsed = parseShell(entry.command, undefined, { flow: true });
    if (parsed.flow) {
      const where = { path: file.path, origin: "cron" as const, line: entry.line };
      out.fact("shellFlow", flowFact(where, parsed.flow, { oneLine: true }));
    }
    if (parsed.error) {
      crontab.invalid.push({
        line: entry.line,
        message: `the command does not parse as shell: ${parsed.error.message}`,
      });
      continue;
    }
    for (const c of parsed.commands) {
      out.fact("command", {
        path: file.path,
        line: entry.line,
        argv: c.argv,
        origin: "cron",
        schedule: entry.schedule,
      });
    }
  }
  for (const bad of crontab.invalid) {
    out.finding({
      path: file.path,
      line: bad.line,
      severity: "note",
      rule: "cron/invalid-line",
      message: `cron ignores this line: ${bad.message}`,
      remediation:
        "Write `minute hour day-of-month month day-of-week command` (a user before the command in " +
        "/etc/cron.d files), e.g. `0 3 * * * /usr/local/bin/backup.sh`, or comment the line out " +
        "with `#`.",
    });
  }
}

// ─── systemd units ──────────────────────────────────────────────────────────────────────────────────

/** Timer keys that fire again and again; OnBootSec/OnStartupSec/OnActiveSec fire once. */
const RECURRING = new Set(["OnCalendar", "OnUnitActiveSec", "OnUnitInactiveSec"]);

function analyzeTimer(file: SourceFile, out: AnalyzerOutput): void {
  let unit = file.name.replace(/\.timer$/i, ".service");
  let triggers: IniEntry[] = [];
  for (const e of readIni(file.text)) {
    if (e.section !== "Timer") continue;
    if (e.key === "Unit" && e.value) unit = e.value;
    if (!RECURRING.has(e.key)) continue;
    // an empty assignment resets the list of triggers of that kind
    triggers = e.value === "" ? triggers.filter((t) => t.key !== e.key) : [...triggers, e];
  }
  const first = triggers[0];
  if (!first) return;
  const schedule = first.key === "OnCalendar" ? first.value : `every ${first.value}`;
  out.fact("timer", { path: file.path, line: first.line, unit, schedule });
}

const EXEC_KEYS = new Set(["ExecStartPre", "ExecStart", "ExecStartPost"]);

function analyzeService(file: SourceFile, out: AnalyzerOutput): void {
  const exec = new Map<string, IniEntry[]>();
  for (const e of readIni(file.text)) {
    if (e.section !== "Service" || !EXEC_KEYS.has(e.key)) continue;
    exec.set(e.key, e.value === "" ? [] : [...(exec.get(e.key) ?? []), e]); // an empty assignment resets the list
  }
  for (const e of [...exec.values()].flat()) {
    // prefixes: - ignore failure, @ argv[0] follows, : no substitution, + ! !! privileges
    const prefix = /^[-@:+!]*/.exec(e.value)![0];
    const parsed = parseShell(e.value.slice(prefix.length));
    const argv = parsed.commands[0]?.argv; // systemd runs one program: no shell operators (`sh -c '…'` for those)
    if (parsed.error || !argv) {
      out.finding({
        path: file.path,
        line: e.line,
        severity: "note",
        rule: "systemd/invalid-line",
        message: `${e.key}= cannot be read as a command line${parsed.error ? `: ${parsed.error.message}` : ""}`,
        remediation:
          "Give an absolute program path and its arguments, e.g. " +
          "`ExecStart=/usr/local/bin/backup.sh`, or `ExecStart=/bin/sh -c '…'` for shell syntax.",
      });
      continue;
    }
    if (prefix.includes("@")) argv.splice(1, 1);
    out.fact("command", { path: file.path, line: e.line, argv, origin: "systemd", unit: file.name });
  }
}
