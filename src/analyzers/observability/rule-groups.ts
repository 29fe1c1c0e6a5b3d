// Prometheus-style rule groups (`groups: - name: … rules: - alert: …`), the format shared by Prometheus rule files,
// PrometheusRule/VMRule objects, Thanos, Mimir and the Loki ruler. Prometheus refuses a whole file when one rule is
// invalid, so a file with a problem yields problems and no alerts.
import { asArray, asString, isRecord } from "../../engine/yaml.js";

export type LineAt = (path: readonly (string | number)[]) => number;

export interface RuleAlert {
  line: number;
  name: string;
  expr?: string;
  severity?: string;
  group?: string;
}

export interface RuleGroupsResult {
  alerts: RuleAlert[];
  records: number;
  problems: { line: number; message: string }[];
}

/** Reads `groups` at `base` (the path of the groups list) of a parsed document. */
export function readRuleGroups(groups: unknown, lineAt: LineAt, base: readonly (string | number)[]): RuleGroupsResult {
  const result: RuleGroupsResult = { alerts: [], records: 0, problems: [] };
  const problem = (path: readonly (string | number)[], message: string) =>
    result.problems.push({ line: lineAt([...base, ...path]), message });
  if (!Array.isArray(groups)) {
    problem([], "`groups` must be a list of rule groups");
    return result;
  }
  const names = new Set<string>();
  groups.forEach((group, g) => {
    if (!isRecord(group)) return problem([g], "a rule group must be a mapping with `name` and `rules`");
    const name = asString(group.name);
    if (!name) problem([g], "a rule group needs a `name`");
    else if (names.has(name)) problem([g, "name"], `the group name "${name}" is used twice in this file`);
    if (name) names.add(name);
    if (group.rules !== undefined && group.rules !== null && !Array.isArray(group.rules)) {
      return problem([g, "rules"], "`rules` must be a list");
    }
    asArray(group.rules).forEach((rule, r) => {
      const at = [g, "rules", r];
      if (!isRecord(rule)) return problem(at, "a rule must be a mapping");
      const alert = asString(rule.alert);
      const record = asString(rule.record);
      if (alert !== undefined && record !== undefined)
        return problem(at, "a rule has either `alert` or `record`, not both");
      if (alert === undefined && record === undefined) return problem(at, "a rule needs `alert` (or `record`)");
      const expr = asString(rule.expr)?.trim();
      if (!expr)
        return problem(
          at,
          `the ${alert !== undefined ? `alert "${alert}"` : `recording rule "${record}"`} has no \`expr\``,
        );
      if (record !== undefined) {
        result.records++;
        return;
      }
      const labels = isRecord(rule.labels) ? rule.labels : {};
      result.alerts.push({
        line: lineAt([...base, ...at, "alert"]),
        name: alert!,
        expr,
        ...(asString(labels.severity) ? { severity: asString(labels.severity) } : {}),
        ...(name ? { group: name } : {}),
      });
    });
  });
  if (result.problems.length > 0) result.alerts = [];
  return result;
}

/** The shape of a rule file: a `groups` list whose entries hold `rules`. */
export function looksLikeRuleGroups(value: Record<string, unknown>): boolean {
  return Array.isArray(value.groups) && value.groups.some((g) => isRecord(g) && "rules" in g);
}
