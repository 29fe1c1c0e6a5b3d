// Observability and security analyzers: metrics, alerts, dashboards, log shipping, dependency updates, scanning.
import type { Analyzer } from "../../engine/analyzer.js";
import { alloyConfig } from "./alloy.js";
import { borgmaticHooks } from "./borgmatic.js";
import { fluentBitClassic } from "./fluent-bit.js";
import { fluentd } from "./fluentd.js";
import { grafanaDashboards } from "./grafana.js";
import { logstash } from "./logstash.js";
import { netdataHealth } from "./netdata.js";
import { dependabot } from "./security/dependabot.js";
import { gitlabSecurityTemplates } from "./security/gitlab-templates.js";
import { golangciConfig } from "./security/golangci.js";
import { renovate } from "./security/renovate.js";
import { securityPolicy } from "./security/security-policy.js";
import { vectorToml } from "./vector.js";
import { observabilityYaml } from "./yaml-configs.js";

export const observabilityAnalyzers: Analyzer[] = [
  observabilityYaml,
  grafanaDashboards,
  fluentBitClassic,
  fluentd,
  vectorToml,
  logstash,
  alloyConfig,
  netdataHealth,
  borgmaticHooks,
  dependabot,
  renovate,
  securityPolicy,
  gitlabSecurityTemplates,
  golangciConfig,
];
