// borgmatic's monitoring hooks: a failed backup notifies someone (ntfy, Healthchecks, Cronitor, PagerDuty,
// Pushover, Apprise, Uptime Kuma, Zabbix). That is an alert on failure, routed to the service named (an
// `on_error` command may do anything, so it is not read). A hook whose `states` leave out `fail` only reports
// success; a Healthchecks-style ping service alerts by itself when a ping says fail or stops coming.
import type { Analyzer } from "../../engine/analyzer.js";
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import { inDirs, yamlMappings } from "./common.js";

const inBorgmaticDir = inDirs(["borgmatic", "borgmatic.d"]);

/** hook → the option that must be set for it to send anything */
const HOOKS: Record<string, string[]> = {
  ntfy: ["topic"],
  healthchecks: ["ping_url"],
  cronitor: ["ping_url"],
  cronhub: ["ping_url"],
  pagerduty: ["integration_key"],
  pushover: ["token"],
  apprise: ["services"],
  uptime_kuma: ["push_url"],
  zabbix: ["server"],
};

const isBorgmatic = (v: Record<string, unknown>) =>
  v.repositories !== undefined ||
  (isRecord(v.location) && v.location.repositories !== undefined) ||
  (isRecord(v.storage) && v.storage.encryption_passphrase !== undefined);

function failNotified(hook: Record<string, unknown>): boolean {
  // ntfy and most hooks default to states [fail]
  if (hook.states === undefined) return true;
  return asArray(hook.states).some((s) => asString(s) === "fail");
}

export const borgmaticHooks: Analyzer = {
  id: "borgmatic-hooks",
  extensions: [".yml", ".yaml"],
  match: (_path, name, lower) =>
    /\.ya?ml$/i.test(name) && (name.toLowerCase().includes("borgmatic") || inBorgmaticDir(lower)),
  analyze(file, out) {
    for (const doc of yamlMappings(file, out, "this borgmatic config")) {
      const value = doc.value as Record<string, unknown>;
      if (!isBorgmatic(value)) continue;
      // borgmatic ≥ 1.8 puts hooks at the top level; older configs under `hooks:`
      const scopes: [Record<string, unknown>, string[]][] = [[value, []]];
      if (isRecord(value.hooks)) scopes.push([value.hooks, ["hooks"]]);
      for (const [scope, at] of scopes) {
        for (const [hook, required] of Object.entries(HOOKS)) {
          const settings = scope[hook];
          if (!isRecord(settings) || !required.some((k) => asArray(settings[k]).length > 0)) continue;
          if (!failNotified(settings)) continue;
          const line = doc.lineAt([...at, hook]);
          out.fact("alert", { path: file.path, line, name: `backup failure (${hook})`, tool: "borgmatic" });
          out.fact("alertRouting", {
            path: file.path,
            line,
            tool: "borgmatic",
            receivers: [hook],
            realReceivers: [hook],
            routedTo: [hook],
          });
        }
      }
    }
  },
};
