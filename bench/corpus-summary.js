// Pure comparison of scanner reports with a reader's judgements (field/repos/*.yml), for `npm run corpus`.
// No I/O here: bench/corpus.js reads the files and scans; this module only counts and formats.

export const MILESTONES = [
  "deploy_script",
  "deploy_docs",
  "alerts",
  "iac",
  "log_aggregation",
  "security_hardening",
  "auto_rollback",
  "db_backups",
];
export const TASKS = ["deploy", "cicd", "monitoring", "docker", "architecture", "coordination", "backups"];
export const LEVELS = ["junior", "senior", "lead"];

const SENIOR = ["deploy_script", "deploy_docs", "alerts"];

// The level that judged milestones imply (levels are cumulative; N/A never holds a level back), so that a
// judgement whose `level` disagrees with its own milestones is caught.
export function impliedLevel(judgement) {
  const met = (ids) => ids.every((id) => judgement.milestones?.[id]?.expected !== "fail");
  if (!met(SENIOR)) return "junior";
  return met(MILESTONES.filter((id) => !SENIOR.includes(id))) ? "lead" : "senior";
}

// A judged evidence path is cited when the scanner cites that file, or a file under it when the judge
// named a folder (a trailing slash).
function cites(citedPaths, judgedPath) {
  if (judgedPath.endsWith("/")) return citedPaths.some((p) => p.startsWith(judgedPath));
  return citedPaths.includes(judgedPath);
}

// Every path the scanner cites for a milestone: the milestone's own evidence and that of each of its
// signals, passing or not (a failing signal may still cite what it found).
function citedFor(report, milestone) {
  const signals = new Map(report.tasks.flatMap((t) => t.signals.map((s) => [s.id, s])));
  const evidence = [...(milestone.evidence ?? [])];
  for (const id of milestone.signals ?? []) evidence.push(...(signals.get(id)?.evidence ?? []));
  return [...new Set(evidence.map((e) => e.path))];
}

// One repository: the scanner's verdicts next to the judged ones.
export function compareRepo(report, judgement) {
  const milestones = {};
  for (const id of MILESTONES) {
    const found = report.milestones.find((m) => m.id === id);
    const judged = judgement.milestones?.[id];
    if (!judged) throw new Error(`${judgement.repo}: milestone ${id} is not judged`);
    const scanner = found?.status ?? "missing";
    const expected = judged.expected;
    const judgedPaths = judged.evidence ?? [];
    const cited = found ? citedFor(report, found) : [];
    milestones[id] = {
      scanner,
      expected,
      // miss: judged met, scanner does not pass; falsePass: scanner passes what is judged unmet or N/A;
      // otherMismatch: fail vs N/A either way (an applicability question, not a pass).
      mark:
        expected === "pass" && scanner !== "pass"
          ? "miss"
          : expected !== "pass" && scanner === "pass"
            ? "falsePass"
            : expected !== scanner
              ? "otherMismatch"
              : "ok",
      evidence: { judged: judgedPaths.length, cited: judgedPaths.filter((p) => cites(cited, p)).length },
    };
  }
  const tasks = {};
  for (const id of TASKS) {
    const score = report.tasks.find((t) => t.id === id)?.score ?? 0;
    tasks[id] = { score, present: judgement.tasks?.[id]?.present === true };
  }
  const errors = report.findings.filter((f) => f.severity === "error");
  const errorsByRule = {};
  for (const f of errors) errorsByRule[f.rule] = (errorsByRule[f.rule] ?? 0) + 1;
  return {
    repo: judgement.repo,
    commit: judgement.commit,
    level: { scanner: report.level, judged: judgement.level },
    score: report.score,
    milestones,
    tasks,
    errors: errors.length,
    errorsByRule,
    judgedFalseErrors: (judgement.errors ?? [])
      .filter((e) => e.verdict === "false-positive")
      .reduce((n, e) => n + (e.count ?? 1), 0),
  };
}

const pct = (n, d) => (d === 0 ? null : Math.round((1000 * n) / d) / 10);

// The corpus as a whole, from the rows of compareRepo.
export function summarize(rows) {
  const perMilestone = {};
  let judgedMet = 0,
    passedMet = 0,
    judgedUnmet = 0,
    falsePasses = 0,
    citedPaths = 0,
    judgedPaths = 0;
  for (const id of MILESTONES) {
    const m = { judgedTrue: 0, truePasses: 0, falsePasses: 0, misses: [], falsePassRepos: [], otherMismatches: 0 };
    for (const row of rows) {
      const c = row.milestones[id];
      if (c.expected === "pass") {
        m.judgedTrue++;
        if (c.scanner === "pass") m.truePasses++;
        else m.misses.push(row.repo);
        citedPaths += c.evidence.cited;
        judgedPaths += c.evidence.judged;
      } else if (c.scanner === "pass") {
        m.falsePasses++;
        m.falsePassRepos.push(row.repo);
      }
      if (c.mark === "otherMismatch") m.otherMismatches++;
      if (c.expected === "fail") judgedUnmet++;
    }
    judgedMet += m.judgedTrue;
    passedMet += m.truePasses;
    falsePasses += m.falsePasses;
    perMilestone[id] = m;
  }
  const levels = {};
  for (const l of LEVELS) {
    levels[l] = {
      scanner: rows.filter((r) => r.level.scanner === l).length,
      judged: rows.filter((r) => r.level.judged === l).length,
    };
  }
  const zeroTasks = [];
  let presentTasks = 0;
  for (const row of rows) {
    for (const id of TASKS) {
      if (!row.tasks[id].present) continue;
      presentTasks++;
      if (row.tasks[id].score === 0) zeroTasks.push({ repo: row.repo, task: id });
    }
  }
  return {
    repos: rows.length,
    perMilestone,
    totals: {
      judgedMet,
      passedMet,
      passedMetPct: pct(passedMet, judgedMet),
      judgedUnmet,
      falsePasses,
      levelMatches: rows.filter((r) => r.level.scanner === r.level.judged).length,
    },
    levels,
    errors: rows.map((r) => ({
      repo: r.repo,
      count: r.errors,
      byRule: r.errorsByRule,
      judgedFalse: r.judgedFalseErrors,
    })),
    tasksPresentScoringZero: { count: zeroTasks.length, of: presentTasks, list: zeroTasks },
    evidenceRecall: { cited: citedPaths, judged: judgedPaths, pct: pct(citedPaths, judgedPaths) },
  };
}

const LETTER = { pass: "P", fail: "F", na: "N", missing: "?" };
// A milestone cell: scanner/expected, then * for a miss, ! for a false pass, ~ for fail vs N/A.
function cell(c) {
  const mark = { ok: "", miss: "*", falsePass: "!", otherMismatch: "~" }[c.mark];
  return `${LETTER[c.scanner]}/${LETTER[c.expected]}${mark}`;
}

const SHORT = {
  deploy_script: "dscr",
  deploy_docs: "ddoc",
  alerts: "alrt",
  iac: "iac",
  log_aggregation: "logs",
  security_hardening: "sec",
  auto_rollback: "rbck",
  db_backups: "dbbk",
};

function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (r) =>
    r.map((v, i) => (i === 0 ? String(v).padEnd(widths[i]) : String(v).padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

// The text the script prints: one table, then the summary.
export function formatText(rows, summary) {
  const header = [
    "repo",
    "level s/j",
    ...MILESTONES.map((m) => SHORT[m]),
    ...TASKS.map((t) => t.slice(0, 5)),
    "errors",
  ];
  const body = rows.map((r) => [
    r.repo,
    `${r.level.scanner}/${r.level.judged}`,
    ...MILESTONES.map((m) => cell(r.milestones[m])),
    ...TASKS.map((t) => `${r.tasks[t].score}${r.tasks[t].present && r.tasks[t].score === 0 ? "*" : ""}`),
    r.errors,
  ]);
  const out = [
    "Milestones: scanner/judged (P pass, F fail, N n/a); * miss, ! false pass, ~ fail vs n/a. Tasks: score, * judged present but 0.",
    "",
    table(header, body),
    "",
    `Summary over ${summary.repos} repositories`,
    "",
    table(
      ["milestone", "passes judged true / judged true", "false passes", "fail vs n/a"],
      MILESTONES.map((id) => {
        const m = summary.perMilestone[id];
        return [id, `${m.truePasses} / ${m.judgedTrue}`, m.falsePasses, m.otherMismatches];
      }),
    ),
    "",
    `Milestones judged met: ${summary.totals.judgedMet}; the scanner passes ${summary.totals.passedMet} (${summary.totals.passedMetPct ?? "-"} %).`,
    `Milestones judged unmet: ${summary.totals.judgedUnmet}; the scanner passes ${summary.totals.falsePasses} judged unmet or n/a.`,
    `Levels (scanner / judged): ${LEVELS.map((l) => `${l} ${summary.levels[l].scanner} / ${summary.levels[l].judged}`).join(", ")}; same level on ${summary.totals.levelMatches} of ${summary.repos}.`,
    `Tasks judged present that score 0: ${summary.tasksPresentScoringZero.count} of ${summary.tasksPresentScoringZero.of}` +
      (summary.tasksPresentScoringZero.list.length
        ? ` (${summary.tasksPresentScoringZero.list.map((z) => `${z.repo} ${z.task}`).join(", ")})`
        : ""),
    `Evidence recall: the scanner cites ${summary.evidenceRecall.cited} of ${summary.evidenceRecall.judged} judged evidence paths of met milestones (${summary.evidenceRecall.pct ?? "-"} %).`,
    "",
    "Error-severity findings per repository (judged false positives in brackets):",
    ...summary.errors.map(
      (e) =>
        `  ${e.repo}: ${e.count}${e.judgedFalse ? ` [${e.judgedFalse}]` : ""}` +
        (e.count
          ? ` (${Object.entries(e.byRule)
              .map(([rule, n]) => `${rule} ${n}`)
              .join(", ")})`
          : ""),
    ),
  ];
  for (const id of MILESTONES) {
    const m = summary.perMilestone[id];
    if (m.misses.length) out.push(`Misses, ${id}: ${m.misses.join(", ")}`);
    if (m.falsePassRepos.length) out.push(`False passes, ${id}: ${m.falsePassRepos.join(", ")}`);
  }
  return out.join("\n");
}
