// Logs shipped to a central store by cloud resources (Terraform, CloudFormation, Bicep): ECS containers with the
// awslogs (or FireLens, Splunk, Fluentd, GELF) log driver, CloudWatch Logs subscription filters, CloudTrail trails
// and VPC flow logs delivered to a bucket or log group, Azure diagnostic settings and Container Apps environments
// sending to Log Analytics, AKS's monitoring agent, Google log sinks, and modules whose source names a log shipper
// or a trail. A log group or a workspace alone is a store that nothing is known to fill (role aggregator).
// A resource switched off (`count = 0`, `enabled = false`) or a destination left empty ships nothing.
import type { FactStore } from "../../engine/facts.js";
import { asArray, isRecord } from "../../engine/yaml.js";
import type { TerraformFact } from "../../facts/infra.js";
import type { LogShippingFact } from "../../facts/observability.js";

/** resource type → the shipper, where it sends logs, and the attributes naming the destination (one must be set) */
const SHIPPERS: Record<string, { tool: string; sink: string; destination: string[] }> = {
  aws_cloudwatch_log_subscription_filter: {
    tool: "cloudwatch-logs subscription",
    sink: "subscription",
    destination: ["destination_arn"],
  },
  aws_cloudtrail: { tool: "cloudtrail", sink: "s3", destination: ["s3_bucket_name", "cloud_watch_logs_group_arn"] },
  aws_flow_log: { tool: "vpc-flow-logs", sink: "flow-logs", destination: ["log_destination", "log_group_name"] },
  azurerm_monitor_diagnostic_setting: {
    tool: "azure diagnostic setting",
    sink: "log-analytics",
    destination: [
      "log_analytics_workspace_id",
      "storage_account_id",
      "eventhub_authorization_rule_id",
      "partner_solution_id",
    ],
  },
  azurerm_container_app_environment: {
    tool: "azure container apps",
    sink: "log-analytics",
    destination: ["log_analytics_workspace_id"],
  },
  google_logging_project_sink: { tool: "google log sink", sink: "log-sink", destination: ["destination"] },
  google_logging_folder_sink: { tool: "google log sink", sink: "log-sink", destination: ["destination"] },
  google_logging_organization_sink: { tool: "google log sink", sink: "log-sink", destination: ["destination"] },
  "AWS::Logs::SubscriptionFilter": {
    tool: "cloudwatch-logs subscription",
    sink: "subscription",
    destination: ["DestinationArn"],
  },
  "AWS::CloudTrail::Trail": {
    tool: "cloudtrail",
    sink: "s3",
    destination: ["S3BucketName", "CloudWatchLogsLogGroupArn"],
  },
};

/** Bicep resources are read without their bodies: the declaration is the evidence. */
const BICEP_SHIPPERS: Record<string, { tool: string; sink: string }> = {
  "Microsoft.Insights/diagnosticSettings": { tool: "azure diagnostic setting", sink: "log-analytics" },
};

/** Bicep properties (resource or module parameters) that send a resource's logs to a Log Analytics workspace. */
const BICEP_WORKSPACE_PROPERTIES = new Set([
  "logAnalyticsWorkspaceResourceId",
  "logAnalyticsWorkspaceId",
  "logAnalyticsConfiguration",
  "workspaceResourceId",
  "workspaceId",
]);
/** Application Insights is linked to a workspace by the same property: where telemetry lands, not a shipper. */
const isAppInsights = (type: string, source: unknown) =>
  type === "Microsoft.Insights/components" || (typeof source === "string" && /insights\/component/i.test(source));

const STORES: Record<string, string> = {
  aws_cloudwatch_log_group: "cloudwatch-logs",
  azurerm_log_analytics_workspace: "log-analytics",
  "AWS::Logs::LogGroup": "cloudwatch-logs",
  "Microsoft.OperationalInsights/workspaces": "log-analytics",
};

/** Container log drivers that send logs off the host, and where. */
const REMOTE_DRIVERS: Record<string, string> = {
  awslogs: "cloudwatch-logs",
  awsfirelens: "firelens",
  splunk: "splunk",
  fluentd: "fluentd",
  gelf: "gelf",
};

/** Module sources whose last part names a shipper or a trail (`…//cloudtrail`, `cloud-platform-terraform-logging`). */
const SHIPPING_MODULE_WORDS = new Set(["cloudtrail", "logging", "fluent-bit", "fluentbit", "promtail", "log-export"]);

const isSet = (value: unknown) => value !== undefined && value !== null && value !== "" && asArray(value).length > 0;
const switchedOff = (attrs: Record<string, unknown>) =>
  attrs.count === 0 || attrs.enabled === false || attrs.Enabled === false;

/** Comments out of an HCL expression kept as text (`${merge({ … })}`), so a commented driver does not count. */
const uncommented = (text: string) => text.replace(/(^|\s)(#|\/\/).*$/gm, "$1");

/** Log drivers named in container definitions: objects (`logDriver = "awslogs"`) or expression text. */
export function logDrivers(value: unknown, depth = 0): string[] {
  if (depth > 12) return [];
  if (typeof value === "string") {
    if (!value.includes("logDriver")) return [];
    return [...uncommented(value).matchAll(/["']?logDriver["']?\s*[=:]\s*"([\w./-]+)"/g)].map((m) => m[1]!);
  }
  if (Array.isArray(value)) return value.flatMap((v) => logDrivers(v, depth + 1));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    (key === "logDriver" || key === "log_driver" || key === "LogDriver") && typeof v === "string"
      ? [v]
      : logDrivers(v, depth + 1),
  );
}

/** Where the containers of an ECS task definition send their logs (its own definitions, or the module's locals). */
function ecsSinks(definitions: unknown, module: readonly TerraformFact[]): string[] {
  let drivers = logDrivers(definitions);
  if (drivers.length === 0 && typeof definitions === "string" && definitions.includes("local."))
    drivers = module.flatMap((f) => logDrivers(f.locals ?? {}));
  return [...new Set(drivers.map((d) => REMOTE_DRIVERS[d.toLowerCase()]).filter((s): s is string => !!s))];
}

function moduleShips(source: string | undefined): boolean {
  const last = (source ?? "")
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .split("/")
    .pop()!
    .toLowerCase();
  return [...SHIPPING_MODULE_WORDS].some((w) => last === w || last.endsWith(`-${w}`) || last.startsWith(`${w}-`));
}

export function cloudLogShipping(facts: FactStore): LogShippingFact[] {
  const out: LogShippingFact[] = [];
  const terraform = facts.all("terraform");
  const byDir = new Map<string, TerraformFact[]>();
  for (const f of terraform) byDir.set(f.dir, [...(byDir.get(f.dir) ?? []), f]);
  for (const f of terraform) {
    for (const r of f.resources) {
      if (switchedOff(r.attrs)) continue;
      const at = { path: f.path, line: r.line };
      const shipper = SHIPPERS[r.type];
      if (shipper?.destination.some((d) => isSet(r.attrs[d])))
        out.push({ ...at, tool: `${shipper.tool} ${r.name}`, sinks: [shipper.sink], role: "shipper" });
      if (r.type === "aws_ecs_task_definition") {
        const sinks = ecsSinks(r.attrs.container_definitions, byDir.get(f.dir) ?? [f]);
        if (sinks.length > 0) out.push({ ...at, tool: `ecs task ${r.name} log driver`, sinks, role: "shipper" });
      }
      if (r.type === "azurerm_kubernetes_cluster") {
        const agent = asArray(r.attrs.oms_agent).find((a) => isRecord(a) && isSet(a.log_analytics_workspace_id));
        if (agent) out.push({ ...at, tool: `aks ${r.name} oms_agent`, sinks: ["log-analytics"], role: "shipper" });
      }
      if (STORES[r.type]) out.push({ ...at, tool: r.type, sinks: [STORES[r.type]!], role: "aggregator" });
    }
    for (const m of f.modules) {
      if (m.origin !== "local" && moduleShips(m.source))
        out.push({
          path: f.path,
          line: m.line,
          tool: `module ${m.name} (${m.source})`,
          sinks: ["module"],
          role: "shipper",
        });
    }
  }
  for (const f of facts.all("iac")) {
    for (const r of f.resources) {
      if (r.attrs && switchedOff(r.attrs)) continue;
      const at = { path: f.path, line: r.line };
      const shipper = SHIPPERS[r.type];
      if (shipper?.destination.some((d) => isSet(r.attrs?.[d])))
        out.push({ ...at, tool: `${shipper.tool} ${r.name}`, sinks: [shipper.sink], role: "shipper" });
      const bicep = f.tool === "bicep" ? BICEP_SHIPPERS[r.type] : undefined;
      if (bicep) out.push({ ...at, tool: `${bicep.tool} ${r.name}`, sinks: [bicep.sink], role: "shipper" });
      const properties = f.tool === "bicep" ? asArray(r.attrs?.properties) : [];
      const toWorkspace = properties.find((p) => BICEP_WORKSPACE_PROPERTIES.has(String(p)));
      if (!bicep && toWorkspace && !isAppInsights(r.type, r.attrs?.source))
        out.push({ ...at, tool: `${r.name} (${toWorkspace})`, sinks: ["log-analytics"], role: "shipper" });
      if (r.type === "AWS::ECS::TaskDefinition") {
        const sinks = ecsSinks(r.attrs?.ContainerDefinitions, []);
        if (sinks.length > 0) out.push({ ...at, tool: `ecs task ${r.name} log driver`, sinks, role: "shipper" });
      }
      if (STORES[r.type]) out.push({ ...at, tool: r.type, sinks: [STORES[r.type]!], role: "aggregator" });
    }
  }
  return out;
}
