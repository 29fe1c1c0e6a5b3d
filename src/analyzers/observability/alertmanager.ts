// Alertmanager: the routing tree and the receivers it sends to. A receiver with no integration (the usual
// `null` receiver) silences what is routed to it, so only routes that reach a real receiver count.
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import { report } from "./common.js";
import type { YamlKind } from "./kind.js";

export interface Routing {
  receivers: string[];
  realReceivers: string[];
  routedTo: string[];
  /** routes naming a receiver that is not declared */
  unknown: string[];
}

/** Integrations are `*_configs` lists in alertmanager.yml and `*Configs` lists in the AlertmanagerConfig CRD. */
function hasIntegration(receiver: Record<string, unknown>): boolean {
  return Object.entries(receiver).some(([key, v]) => /(_configs|Configs)$/.test(key) && asArray(v).length > 0);
}

/** Receivers that a routing tree (Alertmanager route, Grafana notification policy) sends to, sub-routes included. */
export function routeReceivers(route: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    if (!isRecord(node) || depth > 50) return;
    const name = asString(node.receiver);
    if (name) found.add(name);
    for (const child of asArray(node.routes)) walk(child, depth + 1);
  };
  walk(route, 0);
  return [...found];
}

export function readRouting(route: unknown, receivers: unknown): Routing {
  const declared: string[] = [];
  const real: string[] = [];
  for (const r of asArray(receivers)) {
    const name = isRecord(r) ? asString(r.name) : undefined;
    if (!name || !isRecord(r)) continue;
    declared.push(name);
    if (hasIntegration(r)) real.push(name);
  }
  const routed = routeReceivers(route);
  return {
    receivers: declared,
    realReceivers: real,
    routedTo: routed,
    unknown: routed.filter((n) => !declared.includes(n)),
  };
}

export const alertmanagerConfig: YamlKind = {
  id: "alertmanager",
  recognises: (v) => isRecord(v.route) && v.receivers !== undefined && v.apiVersion === undefined,
  read({ file, out, doc, value }) {
    const routing = readRouting(value.route, value.receivers);
    const line = doc.lineAt(["route"]);
    for (const name of routing.unknown) {
      report(
        out,
        file,
        line,
        "error",
        "unknown-receiver",
        `the route sends to receiver "${name}", which is not declared: Alertmanager refuses this config`,
        "Declare the receiver under `receivers:` or fix the name in `route`.",
      );
    }
    if (routing.unknown.length > 0) return;
    out.fact("alertRouting", { path: file.path, line, tool: "alertmanager", ...pick(routing) });
    if (!routing.routedTo.some((n) => routing.realReceivers.includes(n))) {
      report(
        out,
        file,
        line,
        "warning",
        "alerts-go-nowhere",
        "every route ends at a receiver with no integration: alerts are silently dropped",
        "Give the routed receiver an integration, e.g. `slack_configs: [{channel: '#alerts', api_url_file: /etc/alertmanager/slack}]`.",
      );
    }
  },
};

export const pick = ({ receivers, realReceivers, routedTo }: Routing) => ({ receivers, realReceivers, routedTo });
