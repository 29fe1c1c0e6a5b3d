// Log aggregation declared as cloud resources: ECS log drivers, subscription filters, trails, diagnostic
// settings, log sinks, shipping modules. A log group or workspace alone is a store nothing fills.
import { describe, expect, it } from "vitest";
import { detect } from "../helpers.js";

const logs = (files: Record<string, string>) => detect("monitoring/log-aggregation", files);

const TASK = (definitions: string) =>
  [
    'resource "aws_cloudwatch_log_group" "tasks" {',
    '  name = "/ecs/api"',
    "}",
    "",
    'resource "aws_ecs_task_definition" "api" {',
    '  family                = "api"',
    `  container_definitions = ${definitions}`,
    "}",
  ].join("\n");

describe("ECS container log drivers in Terraform", () => {
  it("a container definition with the awslogs driver ships to CloudWatch Logs", async () => {
    const tf = TASK(
      'jsonencode([{ name = "api", logConfiguration = { logDriver = "awslogs", options = { ' +
        '"awslogs-group" = aws_cloudwatch_log_group.tasks.name } } }])',
    );
    const result = await logs({ "infra/ecs/main.tf": tf });
    expect(result.status).toBe("pass");
    expect(result.evidence![0]).toMatchObject({ path: "infra/ecs/main.tf", line: 5 });
    expect(result.evidence![0]!.note).toContain("cloudwatch-logs");
  });

  it("definitions built in the module's locals (a merge() expression) count", async () => {
    const locals = [
      "locals {",
      "  api = merge(",
      "    { name = var.name, image = var.image },",
      "    {",
      "      logConfiguration = {",
      '        logDriver = "awslogs"',
      '        options   = { "awslogs-group" = "/ecs/${var.name}" }',
      "      }",
      "    },",
      "  )",
      "  containers = [local.api]",
      "}",
    ].join("\n");
    const files = { "modules/task/locals.tf": locals, "modules/task/main.tf": TASK("jsonencode(local.containers)") };
    expect((await logs(files)).status).toBe("pass");
  });

  it("a commented-out driver, or a log group alone, ships nothing", async () => {
    const commented = TASK('jsonencode([{ name = "api"\n    # logConfiguration = { logDriver = "awslogs" }\n  }])');
    const result = await logs({ "infra/ecs/main.tf": commented });
    expect(result).toMatchObject({ status: "fail", reasonId: "no-shipper-to-store" });
  });
});

describe("other cloud log shipping", () => {
  it("a CloudWatch Logs subscription filter forwards logs; switched off by count = 0 it does not", async () => {
    const filter = (count: string) =>
      [
        'resource "aws_cloudwatch_log_subscription_filter" "app" {',
        count,
        '  name            = "app-to-siem"',
        '  log_group_name  = "/eks/app"',
        '  filter_pattern  = ""',
        "  destination_arn = module.forwarder.lambda_arn",
        "}",
      ].join("\n");
    expect((await logs({ "aws/eks/siem.tf": filter("") })).status).toBe("pass");
    expect(await logs({ "aws/eks/siem.tf": filter("  count = 0") })).toMatchObject({
      status: "fail",
      reasonId: "no-log-shipping",
    });
  });

  it("a trail module and an Azure diagnostic setting ship; an unrelated module does not", async () => {
    const trail = [
      'module "cloudtrail" {',
      '  source      = "git::https://github.com/acme/terraform-aws-modules//cloudtrail?ref=v0.1.0"',
      "  bucket_name = var.bucket",
      "}",
    ].join("\n");
    expect((await logs({ "accounts/dev/cloudtrail/main.tf": trail })).status).toBe("pass");
    const bucket = trail.replace("//cloudtrail?", "//s3-bucket?").replace('module "cloudtrail"', 'module "bucket"');
    expect(await logs({ "accounts/dev/bucket/main.tf": bucket })).toMatchObject({
      status: "fail",
      reasonId: "no-log-shipping",
    });
    const diagnostic = [
      'resource "azurerm_log_analytics_workspace" "main" {',
      '  name = "law-main"',
      "}",
      'resource "azurerm_monitor_diagnostic_setting" "kv" {',
      '  name                       = "kv-audit"',
      "  target_resource_id         = azurerm_key_vault.main.id",
      "  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id",
      '  enabled_log { category = "AuditEvent" }',
      "}",
    ].join("\n");
    expect((await logs({ "infra/monitor.tf": diagnostic })).status).toBe("pass");
  });

  it("Bicep: diagnostic settings ship to the workspace; a workspace alone is a store", async () => {
    const workspace = [
      "resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {",
      "  name: name",
      "  location: location",
      "}",
    ].join("\n");
    const diagnostic = [
      "resource kvDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {",
      "  name: 'kv-logs'",
      "  scope: keyVault",
      "  properties: { workspaceId: logAnalytics.id, logs: [{ category: 'AuditEvent', enabled: true }] }",
      "}",
    ].join("\n");
    expect(await logs({ "infra/monitoring.bicep": workspace })).toMatchObject({
      status: "fail",
      reasonId: "no-shipper-to-store",
    });
    expect((await logs({ "infra/monitoring.bicep": `${workspace}\n${diagnostic}` })).status).toBe("pass");
  });

  it("Bicep: a module or resource given a workspace id ships to it; Application Insights or an empty id does not", async () => {
    const apps = [
      "module containerApps 'br/public:avm/res/app/managed-environment:0.4.5' = {",
      "  name: 'container-apps'",
      "  params: {",
      "    name: name",
      "    // the environment's logs go to the workspace",
      "    logAnalyticsWorkspaceResourceId: monitoring.outputs.logAnalyticsWorkspaceId",
      "  }",
      "}",
    ].join("\n");
    const result = await logs({ "infra/core/host/container-apps.bicep": apps });
    expect(result.status).toBe("pass");
    expect(result.evidence![0]).toMatchObject({ path: "infra/core/host/container-apps.bicep", line: 1 });
    const insights = [
      "module applicationInsights 'br/public:avm/res/insights/component:0.3.0' = {",
      "  name: 'app-insights'",
      "  params: {",
      "    workspaceResourceId: logAnalytics.outputs.resourceId",
      "  }",
      "}",
    ].join("\n");
    const empty = apps.replace("monitoring.outputs.logAnalyticsWorkspaceId", "''");
    const commented = apps.replace("    logAnalyticsWorkspaceResourceId", "    // logAnalyticsWorkspaceResourceId");
    for (const text of [insights, empty, commented])
      expect(await logs({ "infra/main.bicep": text })).toMatchObject({ status: "fail", reasonId: "no-log-shipping" });
  });
});
