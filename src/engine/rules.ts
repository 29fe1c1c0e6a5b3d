// The rubric as data: rules/<task>.yml and rules/levels.yml, validated when they load.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../assets.js";
import type { Params } from "./detector.js";
import { LEVEL_IDS, type LevelId, TASK_IDS, type TaskId } from "./types.js";
import { type LocatedError, validateYamlText } from "./validate.js";

export interface SignalRule {
  /** qualified id, `<task>/<signal>` */
  id: string;
  task: TaskId;
  title: string;
  weight: number;
  params: Params;
  /** a condition id: the signal is not applicable unless it holds */
  appliesIf?: string;
  naReason?: string;
  /** the signal of another task that reads the same facts: config that turns one off turns off both */
  twin?: string;
  /** finding rules that report this signal's problems: a problem suppressed in place does not fail it */
  findings: string[];
  remediation: string;
  example?: string;
  /** every reason id the detector can give with a fail or N/A (the report's reasonId), with what it means */
  reasons: Readonly<Record<string, string>>;
  docs: string;
  /** the file the fix usually goes in (SARIF locates a failing signal without evidence there) */
  fixFile?: string;
  /** 0.1–10 for signals about security (code scanning's security severity) */
  securitySeverity?: number;
}

export interface TaskRule {
  id: TaskId;
  title: string;
  description: string;
  signals: SignalRule[];
}

export interface MilestoneRule {
  id: string;
  level: LevelId;
  title: string;
  description: string;
  mode: "any" | "all";
  signals: string[];
}

export interface LevelRule {
  id: LevelId;
  title: string;
  description: string;
  milestones: MilestoneRule[];
}

export interface Rules {
  tasks: TaskRule[];
  levels: LevelRule[];
  signal(id: string): SignalRule | undefined;
}

export class RulesError extends Error {
  constructor(readonly errors: LocatedError[]) {
    super(`invalid rules:\n${errors.map((e) => `  ${e.path}:${e.line}: ${e.message}`).join("\n")}`);
    this.name = "RulesError";
  }
}

const RULES_DIR = join(PROJECT_ROOT, "rules");

const loadJson = (name: string): object => JSON.parse(readFileSync(join(PROJECT_ROOT, "schema", name), "utf8"));

interface RawSignal {
  id: string;
  title: string;
  weight: number;
  params?: Params;
  applies_if?: string;
  na_reason?: string;
  twin?: string;
  findings?: string[];
  remediation: string;
  example?: string;
  reasons: Record<string, string>;
  docs: string;
  fix_file?: string;
  security_severity?: number;
}
interface RawTask {
  task: TaskId;
  title: string;
  description: string;
  signals: RawSignal[];
}
interface RawMilestone {
  id: string;
  title: string;
  description: string;
  any?: string[];
  all?: string[];
}
interface RawLevels {
  levels: { id: LevelId; title: string; description: string; milestones: RawMilestone[] }[];
}

/** Reads files by name from a directory; tests pass an in-memory one. */
export type RuleFiles = (name: string) => string;

/** The ids the code implements: a detector per signal id, and the conditions `applies_if:` may name. */
export interface KnownIds {
  detectors: ReadonlySet<string>;
  conditions: ReadonlySet<string>;
}

/**
 * Loads and validates the rubric. `known` guards against a signal without a detector and a condition that
 * does not exist. Throws RulesError listing every problem with its file and line.
 */
export function loadRules(known: KnownIds, files: RuleFiles = defaultFiles): Rules {
  const taskSchema = loadJson("rules.schema.json");
  const levelsSchema = loadJson("levels.schema.json");
  const errors: LocatedError[] = [];
  const tasks: TaskRule[] = [];
  const twinLines = new Map<string, number>();

  for (const id of TASK_IDS) {
    const file = `rules/${id}.yml`;
    const text = readOrReport(files, `${id}.yml`, file, errors);
    if (text === undefined) continue;
    const { value, errors: errs, lineAt } = validateYamlText(text, file, taskSchema);
    errors.push(...errs);
    if (!value) continue;
    const raw = value as RawTask;
    if (raw.task !== id)
      errors.push({
        path: file,
        line: lineAt(["task"]),
        message: `task is "${raw.task}" but the file is named for "${id}"`,
      });
    const seen = new Set<string>();
    const signals = raw.signals.map((s, index): SignalRule => {
      const line = (key: string) => lineAt(["signals", index, key]);
      if (seen.has(s.id))
        errors.push({ path: file, line: line("id"), message: `signals[${index}]: duplicate id "${s.id}"` });
      seen.add(s.id);
      if (!known.detectors.has(`${id}/${s.id}`))
        errors.push({
          path: file,
          line: line("id"),
          message: `signal "${s.id}": no detector is registered for "${id}/${s.id}"`,
        });
      if (s.twin) twinLines.set(`${id}/${s.id}`, line("twin"));
      if (s.applies_if && !known.conditions.has(s.applies_if))
        errors.push({
          path: file,
          line: line("applies_if"),
          message: `signal "${s.id}": unknown condition "${s.applies_if}"`,
        });
      return {
        id: `${id}/${s.id}`,
        task: id,
        title: s.title,
        weight: s.weight,
        params: s.params ?? {},
        appliesIf: s.applies_if,
        naReason: s.na_reason,
        twin: s.twin,
        findings: s.findings ?? [],
        remediation: s.remediation.trim(),
        example: s.example?.trimEnd(),
        reasons: s.reasons,
        docs: s.docs,
        fixFile: s.fix_file,
        securitySeverity: s.security_severity,
      };
    });
    tasks.push({ id, title: raw.title, description: raw.description, signals });
  }

  const signalIndex = new Map(tasks.flatMap((t) => t.signals.map((s) => [s.id, s] as const)));
  pairTwins(signalIndex, twinLines, errors);
  const levels: LevelRule[] = [];
  const levelsFile = "rules/levels.yml";
  const levelsText = readOrReport(files, "levels.yml", levelsFile, errors);
  const {
    value,
    errors: levelErrors,
    lineAt: levelLine,
  } = levelsText === undefined
    ? { value: undefined, errors: [], lineAt: () => 1 }
    : validateYamlText(levelsText, levelsFile, levelsSchema);
  errors.push(...levelErrors);
  if (value) {
    const raw = value as RawLevels;
    const order = raw.levels.map((l) => l.id).join(",");
    if (order !== LEVEL_IDS.join(","))
      errors.push({
        path: levelsFile,
        line: levelLine(["levels"]),
        message: `levels must be ${LEVEL_IDS.join(", ")} in that order`,
      });
    raw.levels.forEach((level, li) => {
      levels.push({
        id: level.id,
        title: level.title,
        description: level.description,
        milestones: level.milestones.map((m, mi) => {
          const refs = m.any ?? m.all ?? [];
          refs.forEach((ref, ri) => {
            if (tasks.length === TASK_IDS.length && !signalIndex.has(ref)) {
              const line = levelLine(["levels", li, "milestones", mi, m.any ? "any" : "all", ri]);
              errors.push({ path: levelsFile, line, message: `milestone "${m.id}" names unknown signal "${ref}"` });
            }
          });
          return {
            id: m.id,
            level: level.id,
            title: m.title,
            description: m.description,
            mode: m.any ? "any" : "all",
            signals: refs,
          };
        }),
      });
    });
  }

  if (errors.length > 0) throw new RulesError(errors);
  return { tasks, levels, signal: (id) => signalIndex.get(id) };
}

/** A twin is declared on one side; the other side learns it here. Both must exist, in different tasks. */
function pairTwins(signals: Map<string, SignalRule>, lines: Map<string, number>, errors: LocatedError[]): void {
  for (const signal of signals.values()) {
    if (!signal.twin) continue;
    const twin = signals.get(signal.twin);
    const at = { path: `rules/${signal.task}.yml`, line: lines.get(signal.id) ?? 1 };
    if (!twin) errors.push({ ...at, message: `signal "${signal.id}": unknown twin "${signal.twin}"` });
    else if (twin.task === signal.task || (twin.twin && twin.twin !== signal.id))
      errors.push({ ...at, message: `signal "${signal.id}": "${signal.twin}" cannot be its twin` });
    else twin.twin = signal.id;
  }
}

function defaultFiles(name: string): string {
  return readFileSync(join(RULES_DIR, name), "utf8");
}

function readOrReport(files: RuleFiles, name: string, label: string, errors: LocatedError[]): string | undefined {
  try {
    return files(name);
  } catch (err) {
    errors.push({ path: label, line: 1, message: `cannot read: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}
