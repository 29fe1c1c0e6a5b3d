// Types of bench/corpus-summary.js, for the tests (bench/ is plain JS run by node).
export declare const MILESTONES: string[];
export declare const TASKS: string[];
export declare const LEVELS: string[];
export interface MilestoneComparison {
  scanner: string;
  expected: string;
  mark: "ok" | "miss" | "falsePass" | "otherMismatch";
  evidence: { judged: number; cited: number };
}
export interface RepoRow {
  repo: string;
  commit: string;
  level: { scanner: string; judged: string };
  score: number;
  milestones: Record<string, MilestoneComparison>;
  tasks: Record<string, { score: number; present: boolean }>;
  errors: number;
  errorsByRule: Record<string, number>;
  judgedFalseErrors: number;
}
export declare function impliedLevel(judgement: unknown): string;
export declare function compareRepo(report: unknown, judgement: unknown): RepoRow;
export declare function summarize(rows: RepoRow[]): any;
export declare function formatText(rows: RepoRow[], summary: any): string;
