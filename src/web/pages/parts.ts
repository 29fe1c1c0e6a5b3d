// Small pieces the pages share: level and status pills, heat cells, task names, links.
import type { LevelId, Status, TaskId } from "../../engine/types.js";
import { type Html, html } from "../html.js";

export const LEVEL_TITLES: Record<LevelId, string> = { junior: "Junior", senior: "Senior", lead: "Lead" };

/** Short column names for the seven tasks (the rubric's titles are sentences). */
export const TASK_LABELS: Record<TaskId, string> = {
  deploy: "Deploy",
  cicd: "CI/CD",
  monitoring: "Monitoring",
  docker: "Docker",
  architecture: "Architecture",
  coordination: "Coordination",
  backups: "Backups",
};

export function levelPill(level: LevelId | undefined): Html {
  if (!level) return html`<span class="pill status-na">not scanned</span>`;
  return html`<span class="pill level-${level}">${LEVEL_TITLES[level]}</span>`;
}

const STATUS_WORDS: Record<Status, string> = { pass: "pass", fail: "fail", na: "n/a" };

export function statusPill(status: Status): Html {
  return html`<span class="pill status-${status}">${STATUS_WORDS[status]}</span>`;
}

/** Five steps of 20 points; n/a apart. */
export function heatClass(score: number | null | undefined): string {
  if (score === null || score === undefined) return "heat-na";
  return `heat-${Math.min(4, Math.floor(score / 20))}`;
}

export function heatCell(task: TaskId, score: number | null | undefined): Html {
  const text = score === null || score === undefined ? "n/a" : String(score);
  return html`<td class="heat ${heatClass(score)}" title="${TASK_LABELS[task]}: ${text}">${text}</td>`;
}

export function orgPath(org: string): string {
  return `/orgs/${encodeURIComponent(org)}`;
}

export function repoPath(repo: string): string {
  const [owner, name] = repo.split("/") as [string, string];
  return `${orgPath(owner)}/repos/${encodeURIComponent(name)}`;
}

export function personPath(org: string, login: string): string {
  return `${orgPath(org)}/people/${encodeURIComponent(login)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
