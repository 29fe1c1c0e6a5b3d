// The engine: Snapshot → candidate files → facts → derived facts → signal results → task scores → level.
// It never does I/O of its own (the Snapshot reads) and never knows whether it runs in the CLI, the app or a test.

import { type Config, DEFAULT_CONFIG } from "../config/defaults.js";
import { deriveFacts } from "../derived/index.js";
import type { DerivedFacts } from "../facts/derived.js";
import type { FactKind, FactKinds } from "../facts/index.js";
import type { Analyzer, AnalyzerOutput } from "./analyzer.js";
import { decode } from "./decode.js";
import type { Condition, ConditionResult, DetectContext, Detector, DetectorResult } from "./detector.js";
import { FactStore } from "./facts.js";
import { planAnalysis, tooLarge } from "./plan.js";
import { type MilestoneReport, type Report, SCHEMA_VERSION, type SignalReport, type TaskReport } from "./report.js";
import type { Rules, SignalRule } from "./rules.js";
import { milestoneStatus, nextStep, overallScore, reachedLevel, taskScore } from "./score.js";
import type { Snapshot } from "./snapshot.js";
import { isSuppressed, suppressedAt } from "./suppress.js";
import type { Finding } from "./types.js";
import { errorMessage } from "./yaml.js";

export interface EngineParts {
  rules: Rules;
  analyzers: readonly Analyzer[];
  /** by signal id (`task/id`) */
  detectors: Readonly<Record<string, Detector>>;
  /** by condition id (`applies_if:`) */
  conditions: Readonly<Record<string, Condition>>;
  tool: { name: string; version: string };
}

export interface ScanOptions {
  config?: Config;
  /** findings about the config itself (from parseConfig), reported with the scan */
  configFindings?: Finding[];
  configSource?: string;
  /**
   * Which analyzers read each path, remembered across scans that share these parts (a history replay scans
   * hundreds of trees that differ by a few paths; the match tests are most of a replayed scan's analysis).
   */
  matches?: Map<string, Analyzer[] | null>;
}

/** What the files say, before any scoring: the paths, their facts and texts, and file-level findings. */
export interface Analysis {
  paths: string[];
  facts: FactStore;
  texts: Map<string, string>;
  findings: Finding[];
  candidates: number;
  skipped: number;
}

export async function scanSnapshot(snapshot: Snapshot, parts: EngineParts, options: ScanOptions = {}): Promise<Report> {
  const started = performance.now();
  const config = options.config ?? DEFAULT_CONFIG;
  const analysis = await analyzeSnapshot(snapshot, parts.analyzers, config, options.matches);
  const { paths, texts } = analysis;
  const findings = [...(options.configFindings ?? []), ...analysis.findings];

  // 3. what the facts say together, once: command graph, schedules, data stores, deploys
  const derived = deriveFacts({ facts: analysis.facts, paths });

  // 4. signals, tasks, milestones, level
  const ctx = detectContext(analysis, derived);
  const conditionCache = new Map<string, ConditionResult>();
  const signalById = new Map<string, SignalReport>();
  const tasks: TaskReport[] = parts.rules.tasks.map((task) => {
    const signals = task.signals.map((rule) => {
      const report = evaluateSignal(rule, config, ctx, parts, conditionCache, findings, texts);
      signalById.set(rule.id, report);
      return report;
    });
    return { id: task.id, title: task.title, score: taskScore(signals), signals };
  });
  const milestones: MilestoneReport[] = parts.rules.levels.flatMap((level) =>
    level.milestones.map((m) => ({
      id: m.id,
      level: m.level,
      title: m.title,
      description: m.description,
      mode: m.mode,
      signals: m.signals,
      ...milestoneStatus(m, signalById),
    })),
  );
  const level = reachedLevel(parts.rules.levels, milestones);

  const visible = unique(findings).filter((f) => !isSuppressed(f, texts.get(f.path)));
  visible.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: parts.tool,
    target: snapshot.target,
    score: overallScore(tasks),
    level,
    tasks,
    milestones,
    next: nextStep(parts.rules.levels, level, milestones, signalById),
    findings: visible,
    config: {
      source: options.configSource,
      valid: !(options.configFindings ?? []).some((f) => f.rule === "config/invalid"),
    },
    stats: {
      files: paths.length,
      candidates: analysis.candidates,
      read: texts.size,
      skipped: analysis.skipped,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

export async function analyzeSnapshot(
  snapshot: Snapshot,
  analyzers: readonly Analyzer[],
  config: Config,
  matches?: Map<string, Analyzer[] | null>,
): Promise<Analysis> {
  // 1. the tree, less what is not evidence; the files some analyzer wants
  const plan = planAnalysis(await snapshot.list(), analyzers, config, matches);
  const { paths, candidates } = plan;
  const findings = [...plan.findings];

  // 2. load the parsers the candidates need while the files are read (a GitHub read takes a network round trip)
  const ready = new Map<Analyzer, Promise<void>>();
  for (const candidate of candidates) {
    for (const analyzer of candidate.analyzers) {
      if (analyzer.prepare && !ready.has(analyzer)) ready.set(analyzer, prepared(analyzer.prepare()));
    }
  }

  // 3. read them in one batch, decode, analyse
  const contents = await snapshot.read(
    candidates.map((c) => c.path),
    config.max_file_size,
  );
  const texts = new Map<string, string>();
  const facts = new FactStore();
  let skipped = 0;
  for (const candidate of candidates) {
    const result = contents.get(candidate.path) ?? {
      failure: "missing" as const,
      message: "the source returned nothing",
    };
    if ("failure" in result) {
      skipped++;
      findings.push(readFailure(candidate.path, result.failure, result.message));
      continue;
    }
    const decoded = decode(result.content);
    if ("binary" in decoded) {
      skipped++;
      findings.push({
        path: candidate.path,
        line: 1,
        severity: "note",
        rule: "scan/binary-file",
        message: "binary content in a file with a text name; skipped",
      });
      continue;
    }
    if (decoded.note)
      findings.push({ path: candidate.path, line: 1, severity: "note", rule: "scan/encoding", message: decoded.note });
    texts.set(candidate.path, decoded.text);
    for (const analyzer of candidate.analyzers) {
      const file = { path: candidate.path, name: candidate.name, text: decoded.text };
      await runAnalyzer(analyzer, ready.get(analyzer), file, facts, findings);
    }
  }
  return { paths, facts, texts, findings, candidates: candidates.length, skipped };
}

/** What detectors see of an analysis (its derived facts are computed here unless given). */
export function detectContext(
  { paths, facts }: Pick<Analysis, "paths" | "facts">,
  derived: DerivedFacts = deriveFacts({ facts, paths }),
): DetectContext {
  // A scan of the array costs ~0.2 ms on 100k paths, a Set ~25 ms to build: index only when lookups are many.
  let lookups = 0;
  let index: Set<string> | undefined;
  return {
    paths,
    facts,
    derived,
    hasPath: (path) =>
      (index ?? (++lookups > 16 ? (index = new Set(paths)) : undefined))?.has(path) ?? paths.includes(path),
  };
}

/** A load that never rejects unhandled: its failure is rethrown where the analyzer runs. */
function prepared(loading: Promise<void>): Promise<void> {
  loading.catch(() => undefined);
  return loading;
}

async function runAnalyzer(
  analyzer: Analyzer,
  ready: Promise<void> | undefined,
  file: { path: string; name: string; text: string },
  facts: FactStore,
  findings: Finding[],
): Promise<void> {
  const out: AnalyzerOutput = {
    fact<K extends FactKind>(kind: K, fact: FactKinds[K]) {
      facts.add(kind, fact);
    },
    finding(f) {
      findings.push(f);
    },
  };
  try {
    if (ready) await ready;
    await analyzer.analyze(file, out);
  } catch (err) {
    findings.push({
      path: file.path,
      line: 1,
      severity: "warning",
      rule: "scan/analyzer-error",
      message: `the ${analyzer.id} analyzer could not read this file: ${errorMessage(err)}`,
    });
  }
}

function evaluateSignal(
  rule: SignalRule,
  config: Config,
  ctx: DetectContext,
  parts: Pick<EngineParts, "detectors" | "conditions">,
  conditionCache: Map<string, ConditionResult>,
  findings: Finding[],
  texts: ReadonlyMap<string, string>,
): SignalReport {
  const override = config.signals[rule.id] ?? {};
  const twin = rule.twin ? config.signals[rule.twin] : undefined;
  const base = {
    id: rule.id,
    title: rule.title,
    weight: override.weight ?? rule.weight,
    remediation: rule.remediation,
    example: rule.example,
    docs: rule.docs,
  };
  if (override.enabled === false)
    return { ...base, status: "na", evidence: [], reason: "disabled in the repository config", reasonId: "disabled" };
  if (override.not_applicable)
    return {
      ...base,
      status: "na",
      evidence: [],
      reason: `not applicable (config): ${override.not_applicable}`,
      reasonId: "not-applicable-by-config",
    };
  if (twin?.enabled === false)
    return {
      ...base,
      status: "na",
      evidence: [],
      reason: `disabled in the repository config (as ${rule.twin})`,
      reasonId: "disabled",
    };
  if (twin?.not_applicable)
    return {
      ...base,
      status: "na",
      evidence: [],
      reason: `not applicable (config, ${rule.twin}): ${twin.not_applicable}`,
      reasonId: "not-applicable-by-config",
    };
  if (rule.appliesIf) {
    let condition = conditionCache.get(rule.appliesIf);
    if (!condition) {
      condition = checkCondition(rule.appliesIf, parts.conditions, ctx, findings);
      conditionCache.set(rule.appliesIf, condition);
    }
    if (!condition.holds) {
      const reason = rule.naReason ?? condition.reason;
      return { ...base, status: "na", evidence: [], reason, reasonId: `not-${rule.appliesIf}` };
    }
  }
  const result = runDetector(rule.id, parts.detectors, ctx, rule.params, findings);
  if (result.findings) findings.push(...result.findings);
  const evidence = result.evidence ?? [];
  if (result.status === "fail" && rule.findings.length > 0 && evidence.length > 0) {
    // the problems are the failing evidence; those whose finding is silenced in place are accepted by the team
    const silenced = [...rule.findings, rule.id];
    const open = evidence.filter((e) => !suppressedAt(texts.get(e.path), e.line ?? 1, silenced));
    if (open.length === 0) {
      const accepted = evidence.map((e) => ({ ...e, note: `${e.note ? `${e.note}, ` : ""}suppressed in place` }));
      return {
        ...base,
        status: "pass",
        evidence: accepted,
        reason: "every problem is suppressed in place",
        reasonId: "suppressed-in-place",
      };
    }
    return { ...base, status: "fail", evidence: open, reason: result.reason, ...reasonIdOf(result) };
  }
  return { ...base, status: result.status, evidence, reason: result.reason, ...reasonIdOf(result) };
}

function runDetector(
  id: string,
  detectors: Readonly<Record<string, Detector>>,
  ctx: DetectContext,
  params: Record<string, unknown>,
  findings: Finding[],
): DetectorResult {
  const detector = detectors[id];
  if (!detector) return { status: "na", reason: `unknown detector ${id}`, reasonId: "unknown-detector" };
  try {
    return detector(ctx, params);
  } catch (err) {
    findings.push({
      path: ".",
      line: 1,
      severity: "warning",
      rule: "scan/detector-error",
      message: `detector ${id} failed: ${errorMessage(err)}`,
    });
    return { status: "na", reason: `could not be evaluated: ${errorMessage(err)}`, reasonId: "detector-error" };
  }
}

const reasonIdOf = (result: DetectorResult) => (result.reasonId ? { reasonId: result.reasonId } : {});

function checkCondition(
  id: string,
  conditions: Readonly<Record<string, Condition>>,
  ctx: DetectContext,
  findings: Finding[],
): ConditionResult {
  const condition = conditions[id];
  if (!condition) return { holds: false, reason: `unknown condition ${id}` };
  try {
    return condition(ctx);
  } catch (err) {
    findings.push({
      path: ".",
      line: 1,
      severity: "warning",
      rule: "scan/detector-error",
      message: `condition ${id} failed: ${errorMessage(err)}`,
    });
    return { holds: false, reason: `could not be evaluated: ${errorMessage(err)}` };
  }
}

function readFailure(path: string, failure: string, message: string): Finding {
  if (failure === "too-large") return { ...tooLarge(path, 0, 0), message: `${message}; skipped` };
  const rule = failure === "outside-root" ? "scan/symlink-outside-root" : "scan/unreadable";
  return {
    path,
    line: 1,
    severity: failure === "outside-root" ? "note" : "warning",
    rule,
    message: `${message}; skipped`,
  };
}

/** Two analyzers may read the same file (a YAML file in an infra folder): one finding per path, line, rule and message. */
function unique(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path}\0${f.line}\0${f.rule}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
