// Prometheus server configs (scrape_configs, rule_files, alerting) and rule files (groups of alert/record rules).
import { asArray, asString, isRecord } from "../../engine/yaml.js";
import { report } from "./common.js";
import type { YamlKind } from "./kind.js";
import { looksLikeRuleGroups, readRuleGroups } from "./rule-groups.js";

export const prometheusConfig: YamlKind = {
  id: "prometheus-config",
  recognises: (v) =>
    Array.isArray(v.scrape_configs) || Array.isArray(v.rule_files) || (isRecord(v.global) && isRecord(v.alerting)),
  read({ file, out, doc, value }) {
    const jobs: string[] = [];
    asArray(value.scrape_configs).forEach((job, i) => {
      const name = isRecord(job) ? asString(job.job_name) : undefined;
      if (name) jobs.push(name);
      else
        report(
          out,
          file,
          doc.lineAt(["scrape_configs", i]),
          "error",
          "scrape-job-without-name",
          "a scrape config has no `job_name`: Prometheus refuses to load this file",
          "Give every entry of `scrape_configs` a unique `job_name`.",
        );
    });
    const ruleFiles = asArray(value.rule_files)
      .map(asString)
      .filter((s): s is string => !!s);
    const alertmanagers = isRecord(value.alerting) && asArray(value.alerting.alertmanagers).length > 0;
    out.fact("scrape", {
      path: file.path,
      line: doc.lineAt([value.scrape_configs !== undefined ? "scrape_configs" : "rule_files"]),
      tool: "prometheus",
      jobs,
      ruleFiles,
      alertmanagers,
    });
    if (ruleFiles.length > 0 && !alertmanagers) {
      report(
        out,
        file,
        doc.lineAt(["rule_files"]),
        "note",
        "alerts-not-sent",
        "rule files are loaded but no `alerting.alertmanagers` is configured: alerts fire but reach nobody",
        "Point Prometheus at an Alertmanager under `alerting.alertmanagers` (e.g. `- static_configs: [{targets: ['alertmanager:9093']}]`).",
      );
    }
  },
};

export const prometheusRules: YamlKind = {
  id: "prometheus-rules",
  recognises: (v) => looksLikeRuleGroups(v) && v.apiVersion === undefined,
  read({ file, out, doc, value }) {
    const result = readRuleGroups(value.groups, (p) => doc.lineAt(p), ["groups"]);
    for (const p of result.problems) {
      report(
        out,
        file,
        p.line,
        "error",
        "invalid-rule",
        `${p.message}: Prometheus refuses to load the whole file`,
        "Fix the rule so that `promtool check rules` passes; every alert needs `alert:` and `expr:`.",
      );
    }
    for (const alert of result.alerts) {
      out.fact("alert", { path: file.path, tool: "prometheus", ...alert });
      if (!alert.severity) {
        report(
          out,
          file,
          alert.line,
          "note",
          "alert-without-severity",
          `alert "${alert.name}" has no \`severity\` label, so Alertmanager cannot route it by urgency`,
          "Add `labels: {severity: critical}` (or warning/info) and route on it in Alertmanager.",
        );
      }
    }
  },
};
