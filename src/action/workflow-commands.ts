// GitHub Actions workflow commands (`::warning file=…,line=…::message`) and the runner's files (GITHUB_OUTPUT).
// GitHub shows at most 10 errors, 10 warnings and 10 notices per step (50 per job) and drops the rest silently;
// so annotations are chosen here, errors first, and the log says how many were left out.
import { randomUUID } from "node:crypto";
import type { Finding } from "../engine/types.js";
import { type FoldedFinding, foldFindings } from "../report/findings.js";

export type AnnotationKind = "error" | "warning" | "notice";

/** Per step and kind: what GitHub shows. */
export const ANNOTATIONS_PER_KIND = 10;

const KIND: Record<Finding["severity"], AnnotationKind> = { error: "error", warning: "warning", note: "notice" };

/** Escapes a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a command's property value (also `:` and `,`, which separate properties). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function workflowCommand(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

/** An annotation without a file, e.g. a failed gate. */
export interface LooseAnnotation {
  kind: AnnotationKind;
  title: string;
  message: string;
}

export interface AnnotationPlan {
  commands: string[];
  /** folded findings that had no room, by kind */
  omitted: Record<AnnotationKind, number>;
}

/**
 * The annotations of a step: `first` (gate failures, the next step) ahead of the findings of their kind, then the
 * findings, most important first and folded; at most ANNOTATIONS_PER_KIND of each kind; errors are written first.
 * `pathPrefix` turns paths relative to the scanned folder into paths relative to the repository.
 */
export function annotationCommands(
  findings: readonly Finding[],
  options: { first?: readonly LooseAnnotation[]; pathPrefix?: string; perKind?: number } = {},
): AnnotationPlan {
  const perKind = options.perKind ?? ANNOTATIONS_PER_KIND;
  const byKind: Record<AnnotationKind, string[]> = { error: [], warning: [], notice: [] };
  const omitted: Record<AnnotationKind, number> = { error: 0, warning: 0, notice: 0 };
  const add = (kind: AnnotationKind, command: () => string) => {
    if (byKind[kind].length < perKind) byKind[kind].push(command());
    else omitted[kind]++;
  };
  for (const a of options.first ?? []) add(a.kind, () => workflowCommand(a.kind, { title: a.title }, a.message));
  for (const folded of foldFindings(findings)) {
    add(KIND[folded.finding.severity], () => findingCommand(folded, options.pathPrefix ?? ""));
  }
  return { commands: [...byKind.error, ...byKind.warning, ...byKind.notice], omitted };
}

function findingCommand({ finding: f, count }: FoldedFinding, prefix: string): string {
  const message = f.remediation ? `${f.message}\n\nFix: ${f.remediation}` : f.message;
  const title = count > 1 ? `${f.rule} (${count} ×)` : f.rule;
  return workflowCommand(KIND[f.severity], { file: prefix + f.path, line: Math.max(1, f.line), title }, message);
}

/** One entry of GITHUB_OUTPUT: `name<<delimiter`, the value, the delimiter (safe for any value). */
export function outputEntry(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`the output ${name} holds its delimiter`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}
