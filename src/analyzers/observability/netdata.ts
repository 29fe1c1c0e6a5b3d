// Netdata health configs (health.d/*.conf): entities started by `alarm:` or `template:`, each a list of
// `key: value` lines. An entity with `on:` and a `warn` or `crit` expression raises an alert. Where it is sent
// (`to:` roles) is set in health_alarm_notify.conf, not read here. Commented lines (`#`) are not read.
import type { Analyzer } from "../../engine/analyzer.js";
import { inDirs } from "./common.js";

const inNetdataDir = inDirs(["netdata", "health.d"]);
const LINE = /^\s*([a-z][\w ]*?)\s*:\s*(.*?)\s*$/i;

export interface NetdataAlarm {
  name: string;
  line: number;
  kind: "alarm" | "template";
  on?: string;
  warn?: string;
  crit?: string;
}

export function readNetdataHealth(text: string): NetdataAlarm[] {
  const alarms: NetdataAlarm[] = [];
  let current: NetdataAlarm | undefined;
  text.split("\n").forEach((raw, i) => {
    if (/^\s*#/.test(raw)) return;
    const match = LINE.exec(raw);
    if (!match) return;
    const key = match[1]!.toLowerCase();
    const value = match[2]!;
    if (key === "alarm" || key === "template") {
      current = { name: value, line: i + 1, kind: key };
      alarms.push(current);
    } else if (current && (key === "on" || key === "warn" || key === "crit") && value) {
      current[key] = value;
    }
  });
  // Netdata ignores an entity without `on:`; without warn or crit it never raises
  return alarms.filter((a) => a.on && (a.warn || a.crit));
}

export const netdataHealth: Analyzer = {
  id: "netdata-health",
  extensions: [".conf", ".j2", ".jinja", ".jinja2", ".tmpl"],
  match: (_path, name, lower) => {
    const n = name.toLowerCase();
    if (!/\.conf(\.j2|\.jinja2?|\.tmpl)?$/.test(n)) return false;
    return inNetdataDir(lower) || /(alerts?|alarms?|health)[._-]?[\w-]*\.conf/.test(n);
  },
  analyze(file, out) {
    const alarms = readNetdataHealth(file.text);
    for (const a of alarms) {
      out.fact("alert", {
        path: file.path,
        line: a.line,
        name: a.name,
        tool: "netdata",
        ...(a.crit ? { severity: "critical", expr: a.crit } : a.warn ? { severity: "warning", expr: a.warn } : {}),
      });
    }
  },
};
