// Alerting and dashboards declared as cloud resources (Terraform, CloudFormation …) from the infra analyzer's facts.
import type { FactStore } from "../../engine/facts.js";
import { asArray, asString } from "../../engine/yaml.js";
import type { TerraformBlock } from "../../facts/infra.js";
import type { AlertRoutingFact, AlertRuleFact, DashboardFact } from "../../facts/observability.js";

/** A Terraform block or another IaC tool's resource, with the file it is declared in. */
type Resource = TerraformBlock & { path: string };

/** resource type → tool, and the attribute that sends the alert somewhere (a non-empty value routes it) */
const ALERTS: Record<string, { tool: string; actions?: string }> = {
  aws_cloudwatch_metric_alarm: { tool: "cloudwatch", actions: "alarm_actions" },
  aws_cloudwatch_composite_alarm: { tool: "cloudwatch", actions: "alarm_actions" },
  "AWS::CloudWatch::Alarm": { tool: "cloudwatch", actions: "AlarmActions" },
  "AWS::CloudWatch::CompositeAlarm": { tool: "cloudwatch", actions: "AlarmActions" },
  google_monitoring_alert_policy: { tool: "gcp-monitoring", actions: "notification_channels" },
  azurerm_monitor_metric_alert: { tool: "azure-monitor", actions: "action" },
  azurerm_monitor_scheduled_query_rules_alert_v2: { tool: "azure-monitor", actions: "action" },
  azurerm_monitor_activity_log_alert: { tool: "azure-monitor", actions: "action" },
  datadog_monitor: { tool: "datadog" },
  newrelic_nrql_alert_condition: { tool: "newrelic" },
  newrelic_alert_condition: { tool: "newrelic" },
  grafana_rule_group: { tool: "grafana" },
};

const DASHBOARDS: Record<string, string> = {
  aws_cloudwatch_dashboard: "cloudwatch",
  "AWS::CloudWatch::Dashboard": "cloudwatch",
  google_monitoring_dashboard: "gcp-monitoring",
  datadog_dashboard: "datadog",
  datadog_dashboard_json: "datadog",
  grafana_dashboard: "grafana",
  azurerm_portal_dashboard: "azure",
  newrelic_one_dashboard: "newrelic",
};

/** contact points that are routing by themselves (an SNS topic or an action group is only routing once an alarm uses it) */
const ROUTING: Record<string, string> = { grafana_contact_point: "grafana" };

function resources(facts: FactStore): Resource[] {
  const tf = facts.all("terraform").flatMap((f) => f.resources.map((r) => ({ path: f.path, ...r })));
  const other = facts.all("iac").flatMap((f) => f.resources.map((r) => ({ path: f.path, ...r, attrs: r.attrs ?? {} })));
  // `count = 0`, `enabled = false` switch a resource off
  return [...tf, ...other].filter((r) => r.attrs.count !== 0 && r.attrs.enabled !== false && r.attrs.Enabled !== false);
}

const nonEmpty = (value: unknown) => asArray(value).length > 0 && value !== "";

export function cloudAlerts(facts: FactStore): {
  alerts: AlertRuleFact[];
  routing: AlertRoutingFact[];
  dashboards: DashboardFact[];
} {
  const alerts: AlertRuleFact[] = [];
  const routing: AlertRoutingFact[] = [];
  const dashboards: DashboardFact[] = [];
  for (const r of resources(facts)) {
    const alert = ALERTS[r.type];
    if (alert) {
      alerts.push({ path: r.path, line: r.line, name: r.name, tool: alert.tool });
      const routed = alert.actions
        ? nonEmpty(r.attrs[alert.actions]) && r.attrs.actions_enabled !== false
        : r.type === "datadog_monitor" && /@\S+/.test(asString(r.attrs.message) ?? "");
      if (routed)
        routing.push({
          path: r.path,
          line: r.line,
          tool: alert.tool,
          receivers: [r.name],
          realReceivers: [r.name],
          routedTo: [r.name],
        });
    }
    if (DASHBOARDS[r.type])
      dashboards.push({ path: r.path, line: r.line, tool: DASHBOARDS[r.type]!, title: r.name, panels: 1 });
    if (ROUTING[r.type])
      routing.push({
        path: r.path,
        line: r.line,
        tool: ROUTING[r.type]!,
        receivers: [r.name],
        realReceivers: [r.name],
        routedTo: [r.name],
      });
  }
  return { alerts, routing, dashboards };
}
