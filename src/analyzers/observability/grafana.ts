// Grafana: dashboards (JSON models) and file-provisioned alerting (rules, contact points, notification policies).
import type { Analyzer } from "../../engine/analyzer.js";
import { asArray, asString, errorMessage, isRecord } from "../../engine/yaml.js";
import { routeReceivers } from "./alertmanager.js";
import { inDirs, parseError, report } from "./common.js";
import type { YamlKind } from "./kind.js";

const inDashboardDir = inDirs(["grafana", "dashboards", "dashboard"]);

/** Panels of a dashboard model, rows and their collapsed panels included. */
export function countPanels(model: Record<string, unknown>): number {
  let count = 0;
  const visit = (panels: unknown, depth: number) => {
    for (const panel of asArray(panels)) {
      if (!isRecord(panel) || depth > 5) continue;
      if (panel.type === "row") visit(panel.panels, depth + 1);
      else count++;
    }
  };
  visit(model.panels, 0);
  for (const row of asArray(model.rows)) if (isRecord(row)) visit(row.panels, 1);
  return count;
}

/** The dashboard model of a JSON document: the document itself, or `dashboard` in an API export. */
export function dashboardModel(json: unknown): Record<string, unknown> | undefined {
  const model = isRecord(json) && isRecord(json.dashboard) ? json.dashboard : json;
  if (!isRecord(model)) return undefined;
  const shaped = Array.isArray(model.panels) || Array.isArray(model.rows);
  return shaped && (model.title !== undefined || model.schemaVersion !== undefined || model.uid !== undefined)
    ? model
    : undefined;
}

export const grafanaDashboards: Analyzer = {
  id: "grafana-dashboard",
  extensions: [".json"],
  match: (_path, name, lower) =>
    lower.endsWith(".json") && (/dashboard/i.test(name) || inDashboardDir(lower)) && !name.startsWith("package"),
  analyze(file, out) {
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch (err) {
      if (file.text.trim() === "") return;
      return parseError(out, file, 1, "this JSON file", errorMessage(err));
    }
    const model = dashboardModel(json);
    if (!model) return;
    const panels = countPanels(model);
    const line = lineOfKey(file.text, Array.isArray(model.panels) ? "panels" : "rows");
    if (panels === 0) {
      return report(
        out,
        file,
        line,
        "note",
        "empty-dashboard",
        "this Grafana dashboard has no panels",
        "Add panels for the service's key signals: traffic, errors, latency and saturation.",
      );
    }
    out.fact("dashboard", { path: file.path, line, tool: "grafana", title: asString(model.title), panels });
  },
};

function lineOfKey(text: string, key: string): number {
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

/** Grafana alerting file provisioning (apiVersion: 1 with groups, contactPoints or policies). */
export const grafanaAlerting: YamlKind = {
  id: "grafana-alerting",
  recognises: (v) =>
    v.apiVersion !== undefined &&
    v.kind === undefined &&
    (Array.isArray(v.groups) || Array.isArray(v.contactPoints) || Array.isArray(v.policies)),
  read({ file, out, doc, value }) {
    const routed = new Set<string>();
    asArray(value.groups).forEach((group, g) => {
      if (!isRecord(group)) return;
      asArray(group.rules).forEach((rule, r) => {
        if (!isRecord(rule)) return;
        const title = asString(rule.title);
        const line = doc.lineAt(["groups", g, "rules", r]);
        if (!title || !asString(rule.condition) || asArray(rule.data).length === 0) {
          return report(
            out,
            file,
            line,
            "error",
            "invalid-rule",
            "a Grafana alert rule needs `title`, `condition` and `data`: Grafana refuses to provision it",
            "Export the rule from Grafana (Alerting → Export) to get a complete definition.",
          );
        }
        if (rule.isPaused === true) return;
        const labels = isRecord(rule.labels) ? rule.labels : {};
        const receiver = isRecord(rule.notification_settings)
          ? asString(rule.notification_settings.receiver)
          : undefined;
        if (receiver) routed.add(receiver);
        out.fact("alert", {
          path: file.path,
          line,
          name: title,
          tool: "grafana",
          group: asString(group.name),
          ...(asString(labels.severity) ? { severity: asString(labels.severity) } : {}),
        });
      });
    });
    for (const policy of asArray(value.policies)) for (const name of routeReceivers(policy)) routed.add(name);

    const receivers: string[] = [];
    const real: string[] = [];
    for (const cp of asArray(value.contactPoints)) {
      const name = isRecord(cp) ? asString(cp.name) : undefined;
      if (!name || !isRecord(cp)) continue;
      receivers.push(name);
      if (asArray(cp.receivers).some((r) => isRecord(r) && asString(r.type))) real.push(name);
    }
    if (receivers.length > 0 || routed.size > 0) {
      // without a provisioned policy, the contact points are routed to from the UI: take them as used
      const key = Array.isArray(value.contactPoints) ? "contactPoints" : "policies";
      out.fact("alertRouting", {
        path: file.path,
        line: doc.lineAt([key]),
        tool: "grafana",
        receivers,
        realReceivers: real,
        routedTo: routed.size > 0 ? [...routed] : receivers,
      });
    }
  },
};
