// The repo page as data: its latest report (every signal, every milestone, with evidence linked to the
// file line on GitHub), its score history and the level changes in it. Pure; the page and the API render it.
import type { Report } from "../engine/report.js";
import type { Evidence, LevelId, Status, TaskId } from "../engine/types.js";
import type { RepoDetail } from "../store/dashboard.js";
import type { StoredScan } from "../store/store.js";
import { docsUrl } from "../version.js";

export interface EvidenceLink extends Evidence {
  /** the file (at the line) on GitHub, at the scanned commit */
  url: string;
}

export interface SignalView {
  id: string;
  title: string;
  status: Status;
  reason?: string;
  evidence: EvidenceLink[];
  /** what to add, for a failing signal */
  remediation?: string;
  docs: string;
}

export interface RepoView {
  repo: string;
  /** the repository on GitHub */
  url: string;
  private: boolean;
  archived: boolean;
  description: string | null;
  topics: string[];
  codeownerTeams: string[];
  /** the latest report, when one is stored (repositories scanned before the dashboard existed have scores only) */
  report?: {
    headSha: string;
    commitUrl: string;
    scannedAt: number;
    score: number;
    level: LevelId;
    tasks: { id: TaskId; title: string; score: number | null; signals: SignalView[] }[];
    milestones: { id: string; title: string; level: LevelId; status: Status; evidence: EvidenceLink[] }[];
    next: Report["next"];
    findings: { path: string; line: number; severity: string; rule: string; message: string; url: string }[];
  };
  /** the default branch's scans, oldest first */
  history: { at: number; sha: string; score: number; level: LevelId }[];
  /** when the level changed, oldest first */
  levelChanges: { at: number; sha: string; from: LevelId; to: LevelId }[];
}

export interface RepoViewInput {
  repo: string;
  private: boolean;
  detail?: RepoDetail;
  history: readonly StoredScan[];
  /** GitHub's web root: https://github.com, or https://ghe.example.com */
  webRoot: string;
}

export function buildRepoView(input: RepoViewInput): RepoView {
  const { detail } = input;
  const history = input.history.map((s) => ({ at: s.scannedAt, sha: s.headSha, score: s.score, level: s.level }));
  const repo = detail?.repo ?? input.repo;
  const view: RepoView = {
    repo,
    url: repoUrl(input.webRoot, repo),
    private: input.private,
    archived: detail?.archived ?? false,
    description: detail?.description ?? null,
    topics: detail?.topics ?? [],
    codeownerTeams: detail?.codeownerTeams ?? [],
    history,
    levelChanges: levelChanges(history),
  };
  if (detail) view.report = reportView(detail, view.url);
  return view;
}

export function levelChanges(history: RepoView["history"]): RepoView["levelChanges"] {
  const out: RepoView["levelChanges"] = [];
  for (let i = 1; i < history.length; i++) {
    const before = history[i - 1]!;
    const after = history[i]!;
    if (before.level !== after.level) out.push({ at: after.at, sha: after.sha, from: before.level, to: after.level });
  }
  return out;
}

export function repoUrl(webRoot: string, repo: string): string {
  return `${webRoot}/${repo.split("/").map(encodeURIComponent).join("/")}`;
}

function reportView(detail: RepoDetail, base: string): NonNullable<RepoView["report"]> {
  const { report, headSha } = detail;
  const link = (e: Evidence): EvidenceLink => ({ ...e, url: fileUrl(base, headSha, e.path, e.line) });
  return {
    headSha,
    commitUrl: `${base}/commit/${headSha}`,
    scannedAt: detail.scannedAt,
    score: report.score,
    level: report.level,
    tasks: report.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      score: t.score,
      signals: t.signals.map((s) => {
        const signal: SignalView = {
          id: s.id,
          title: s.title,
          status: s.status,
          evidence: s.evidence.map(link),
          docs: docsUrl(s.docs),
        };
        if (s.reason) signal.reason = s.reason;
        if (s.status === "fail") signal.remediation = s.remediation;
        return signal;
      }),
    })),
    milestones: report.milestones.map((m) => ({
      id: m.id,
      title: m.title,
      level: m.level,
      status: m.status,
      evidence: m.evidence.map(link),
    })),
    next: report.next && {
      level: report.next.level,
      missing: report.next.missing.map((m) => ({
        ...m,
        signals: m.signals.map((sig) => ({ ...sig, docs: docsUrl(sig.docs) })),
      })),
    },
    findings: report.findings.map((f) => ({
      path: f.path,
      line: f.line,
      severity: f.severity,
      rule: f.rule,
      message: f.message,
      url: fileUrl(base, headSha, f.path, f.line),
    })),
  };
}

/** `…/blob/<sha>/<path>#L<line>`: the path's segments encoded, so a `#` or `?` in a file name stays a name. */
export function fileUrl(repoBase: string, sha: string, path: string, line?: number): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `${repoBase}/blob/${sha}/${encoded}${line ? `#L${line}` : ""}`;
}
