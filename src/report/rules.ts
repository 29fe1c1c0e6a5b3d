// `devops-ladder rules`: every signal with its weight, milestone, remediation and docs.
import type { Rules } from "../engine/rules.js";

export function renderRules(rules: Rules, format: "text" | "json"): string {
  const milestoneOf = new Map<string, string[]>();
  for (const level of rules.levels) {
    for (const m of level.milestones) {
      for (const id of m.signals) milestoneOf.set(id, [...(milestoneOf.get(id) ?? []), `${level.id}:${m.id}`]);
    }
  }
  if (format === "json") {
    const tasks = rules.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      description: t.description,
      signals: t.signals.map((s) => ({
        id: s.id,
        title: s.title,
        weight: s.weight,
        milestones: milestoneOf.get(s.id) ?? [],
        appliesIf: s.appliesIf,
        remediation: s.remediation,
        example: s.example,
        reasons: s.reasons,
        docs: s.docs,
      })),
    }));
    const levels = rules.levels.map((l) => ({
      id: l.id,
      title: l.title,
      description: l.description,
      milestones: l.milestones,
    }));
    return `${JSON.stringify({ tasks, levels }, null, 2)}\n`;
  }
  const out: string[] = [];
  for (const level of rules.levels) {
    if (level.milestones.length === 0) continue;
    out.push(`${level.title}: ${level.description}`);
    for (const m of level.milestones) out.push(`  ${m.id}: ${m.title} (${m.mode} of ${m.signals.join(", ")})`);
    out.push("");
  }
  for (const task of rules.tasks) {
    out.push(`${task.id} — ${task.title}: ${task.description}`);
    for (const s of task.signals) {
      const milestones = milestoneOf.get(s.id);
      const milestone = milestones ? `, milestone ${milestones.join(", ")}` : "";
      const appliesIf = s.appliesIf ? `, applies if ${s.appliesIf}` : "";
      out.push(`  ${s.id}  (weight ${s.weight}${milestone}${appliesIf})`);
      out.push(`    ${s.title}`);
      out.push(`    fix: ${s.remediation.replace(/\n/g, "\n         ")}`);
      if (s.example)
        out.push(
          `    example:\n${s.example
            .split("\n")
            .map((l) => `      ${l}`)
            .join("\n")}`,
        );
      out.push(`    reason ids: ${Object.keys(s.reasons).join(", ")}`);
      out.push(`    docs: ${s.docs}`);
    }
    out.push("");
  }
  return out.join("\n");
}
